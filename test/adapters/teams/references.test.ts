// Two instances over one store: what one forgets, the other stops serving from memory within
// a minute, and writes back when the person next writes to it.
import { describe, expect, it } from 'vitest';
import { References } from '../../../src/adapters/teams/references.js';
import { KeyvStore } from '../../../src/adapters/store/keyv-store.js';
import { FakeClock } from '../../support/fake-clock.js';

const ANN = 'teams:t1:ann';
const learnt = { memberId: '29:ann', serviceUrl: 'https://smba.example/', tenant: 't1', botId: '28:bot' };

describe('Teams references across instances', () => {
  it('a person forgotten on one instance is read afresh on another within a minute', async () => {
    const store = new KeyvStore();
    const clock = new FakeClock();
    const a = new References(store, () => clock.now());
    const b = new References(store, () => clock.now());
    await b.rememberPerson(ANN, learnt);
    expect(await a.person(ANN)).toMatchObject(learnt);
    await a.forgetPerson(ANN);
    await clock.advance(61_000);
    expect(await b.person(ANN)).toBeUndefined();
    // Their next turn on b stores them again, though b had written the very same facts before.
    await b.rememberPerson(ANN, learnt);
    expect(await a.person(ANN)).toMatchObject(learnt);
  });
});
