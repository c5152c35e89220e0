// The platform-neutral home: my groups with my role; coordinators also every group.
import { describe, expect, it } from 'vitest';
import { homeCards } from '../../src/commands/home.js';
import { plainText } from '../../src/core/cards.js';
import { createHarness } from '../support/harness.js';

describe('homeCards', () => {
  it('shows a person their groups and role, and coordinators every group without changing anything', async () => {
    const h = createHarness(['console:coord']);
    await h.run('coord', 'group create PA Cohort A program PA');
    await h.run('coord', 'group create PT Cohort B');
    await h.run('coord', 'group add PA Cohort A @lee as leader');
    await h.run('coord', 'group add PA Cohort A @ann');
    const before = await h.snapshot();
    const show = async (user: string) => (await homeCards(h.services, `console:${user}`)).map(plainText).join('\n');

    const lee = await show('lee');
    expect(lee).toContain('PA Cohort A: Leader · Physician Assistant Studies');
    expect(lee).not.toContain('PT Cohort B');
    expect(await show('ann')).toContain('PA Cohort A: Member');
    const coord = await show('coord');
    expect(coord).toContain('All groups');
    expect(coord).toContain('PA Cohort A: Physician Assistant Studies · 2 people');
    expect(coord).toContain('PT Cohort B: No program set · 0 people');
    const stranger = await show('pat');
    expect(stranger).toContain('not in a Balint group yet');
    expect(stranger).not.toContain('Cohort');
    expect(await h.snapshot()).toBe(before);
  });
});
