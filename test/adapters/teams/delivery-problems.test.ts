// The record that someone could not be reached goes with the next message that gets through,
// also when it was written before a restart.
import { describe, expect, it } from 'vitest';
import { DeliveryProblems } from '../../../src/adapters/teams/delivery-problems.js';
import { KeyvStore } from '../../../src/adapters/store/keyv-store.js';
import { FakeClock } from '../../support/fake-clock.js';

describe('Teams delivery problems', () => {
  it('are cleared by a later delivery, by a process that did not record them', async () => {
    const store = new KeyvStore();
    const clock = new FakeClock();
    await new DeliveryProblems(store, clock).record('teams:t:ann', 'teams_forbidden', 'ForbiddenOperationException');
    await new DeliveryProblems(store, clock).record('teams:t:bo', 'teams_forbidden');
    const afterRestart = new DeliveryProblems(store, clock);
    await afterRestart.clear('teams:t:ann');
    await afterRestart.clear('teams:t:nobody');
    expect((await afterRestart.list()).map((p) => p.target)).toEqual(['teams:t:bo']);
  });
});
