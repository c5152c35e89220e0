// Property: a button press with any action id and any value (a forged or stale payload) gets
// an answer, never throws, and when it is refused changes nothing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { handleButton } from '../../src/commands/actions.js';
import { buttons } from '../../src/commands/registry.js';
import { createHarness } from '../support/harness.js';

const RUNS = Number(process.env.FUZZ_RUNS_BUTTONS ?? 20_000);

describe('button payloads under random input', () => {
  it(`answer every press and change nothing when refused (${RUNS} cases)`, { timeout: 180_000 }, async () => {
    const h = createHarness(['console:coord']);
    await h.start();
    await h.run('coord', 'group create PA Cohort A');
    await h.run('coord', 'group add PA Cohort A @lee as leader');
    await h.run('coord', 'group add PA Cohort A @ann');
    await h.run('lee', 'start PA Cohort A');
    const timer = await h.services.timers.inChannel('console:#general');
    if (!timer) throw new Error('no timer');
    const knownIds = buttons.flatMap((b) => b.actionIds);
    const value = fc.oneof(
      fc.constant(timer.id),
      fc.constantFrom(
        `${timer.id}:2`,
        `${timer.id}:-5`,
        `${timer.id}:99999`,
        `${timer.id}:x`,
        'tmr_0000000000000000',
        'yes:ses_1',
        '',
      ),
      fc.string({ maxLength: 40 }),
    );
    let presses = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('ann', 'zed', 'coord', 'lee'),
        fc.oneof(fc.constantFrom(...knownIds), fc.string({ maxLength: 20 })),
        value,
        fc.constantFrom('console:#general', 'console:#other'),
        async (actor, actionId, payload, place) => {
          const before = await h.snapshot();
          const logsBefore = h.logs.lines.length;
          const replies = await handleButton(h.services, {
            actionId,
            value: payload,
            actor: `console:${actor}`,
            place,
          });
          const outcome = (JSON.parse(h.logs.lines.at(-1) ?? '{}') as { outcome?: string }).outcome;
          expect(h.logs.lines.length).toBeGreaterThan(logsBefore);
          expect(outcome).not.toBe('failed');
          if (outcome !== 'ok') {
            expect(replies).toHaveLength(1);
            expect(await h.snapshot()).toBe(before);
          }
          // A press may start background work (ending the timer opens attendance through a job):
          // let it finish, so the next press's "changed nothing" compares like with like.
          await h.jobs.idle();
          presses++;
        },
      ),
      { numRuns: RUNS, seed: 20261128 },
    );
    expect(presses).toBe(RUNS);
    await h.crash();
  });
});
