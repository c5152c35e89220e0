// A year of a PA cohort on the fake clock: 40 students, nine rotation blocks, the bot restarted
// before and after every invite time. Every student is invited once per rotation, to the right
// session, and the coordinators get a digest for the blocks with no session in the window.
import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { createHarness } from '../../support/harness.js';
import { block, cohortGroup, digests, fivePm, invites, rotationCsv, sessionOn, STUDENTS } from './cohort.js';

const plusDays = (date: string, days: number) => DateTime.fromISO(date).plus({ days }).toISODate() as string;
const HOUR = 3_600_000;

describe('a cohort of 40 students across 9 rotations over a year', () => {
  it('invites each student once per rotation, across restarts at every step, and digests the blocks without a session', async () => {
    const h = createHarness(['console:coord']);
    await h.start();
    const group = await cohortGroup(h);
    const imported = await h.services.rotations.importRotations(rotationCsv());
    expect(imported).toMatchObject({ accepted: true, added: 360, changed: 0, removed: 0 });
    // A session five days after each block ends, except blocks 3 and 6.
    const sessionOf = new Map<number, string>();
    for (let k = 0; k < 9; k++)
      if (k !== 3 && k !== 6) sessionOf.set(k, (await sessionOn(h, plusDays(block(k).end, 5))).id);

    for (let k = 0; k < 9; k++) {
      const trigger = fivePm(block(k).end);
      const before = invites(h).length;
      await h.clock.advanceTo(trigger - 60_000);
      await h.restart();
      expect(invites(h).length).toBe(before);
      await h.clock.advanceTo(trigger + 60_000);
      await h.restart();
      await h.clock.advanceTo(trigger + HOUR);
      await h.restart();
      const fresh = invites(h).slice(before);
      if (k === 3 || k === 6) {
        expect(fresh).toHaveLength(0);
        const digest = digests(h).at(-1);
        expect(digest?.user).toBe('console:coord');
        expect(digest?.text).toContain(
          `40 students of PA Cohort A finish their rotations on ${DateTime.fromISO(block(k).end).toFormat('d LLLL')}; no session is scheduled within 14 days.`,
        );
        expect(
          digest?.card.blocks.some(
            (b) =>
              b.type === 'actions' && b.buttons[0]?.actionId === 'digest:schedule' && b.buttons[0].value === group.id,
          ),
        ).toBe(true);
        // The coordinator schedules one, 20 days out; the waiting students are invited to it.
        const invitedBefore = invites(h).length;
        const late = await sessionOn(h, plusDays(block(k).end, 20));
        sessionOf.set(k, late.id);
        // Scheduling tells the rotations at once; telling them again invites nobody twice.
        await h.clock.advance(0);
        if (k === 3) {
          expect(invites(h).length - invitedBefore).toBe(40);
          expect(await h.services.rotations.onSessionScheduled(group.id)).toBe(0);
        } else await h.services.rotations.poll(); // the safety net finds it without being told
        await h.clock.advance(60_000);
        await h.restart();
      }
      const now = invites(h).slice(before);
      expect(now).toHaveLength(40);
      expect(new Set(now.map((s) => s.user))).toEqual(new Set(STUDENTS));
      for (const sent of now) {
        const buttons = sent.card.blocks.find((b) => b.type === 'actions');
        expect(buttons?.type === 'actions' && buttons.buttons.map((b) => `${b.actionId}=${b.value}`)).toEqual([
          `rsvp:yes=yes:${sessionOf.get(k)}`,
          `rsvp:no=no:${sessionOf.get(k)}`,
        ]);
      }
    }
    expect(invites(h)).toHaveLength(360);
    expect(digests(h)).toHaveLength(2);

    // Re-importing the same calendar changes nothing and invites nobody again.
    const snapshot = await h.snapshot();
    const again = await h.services.rotations.importRotations(rotationCsv());
    expect(again).toMatchObject({ accepted: true, added: 0, changed: 0, removed: 0, unchanged: 360 });
    await h.services.rotations.poll();
    await h.clock.advance(30 * 24 * HOUR);
    expect(invites(h)).toHaveLength(360);
    expect(JSON.parse(await h.snapshot()).rotations).toEqual(JSON.parse(snapshot).rotations);
    // Every invite record says invited.
    const records = JSON.parse(await h.snapshot())['rotation-invites'] as Record<string, { state: string }>;
    expect(Object.values(records).map((r) => r.state)).toEqual(Array(360).fill('invited'));
  }, 60_000);
});
