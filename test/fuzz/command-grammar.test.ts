// Property: whatever a person types after /balint, the bot answers (privately or in the
// channel), never throws, and an answer that refuses or rejects leaves the store as it was.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commands } from '../../src/commands/registry.js';
import { createHarness } from '../support/harness.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 20_000);

const verbs = commands.map((c) => c.verb);
const keywords = [
  'program',
  'tz',
  'preset',
  'as',
  'leader',
  'co-leader',
  'member',
  'pushback',
  'opening',
  'closing',
  'default',
  'PA',
  'ot',
  'America/New_York',
  'Mars/Base',
  'UTC',
  '45',
  '90x2',
  '0',
  '-1',
  '999',
  'PA Cohort A',
  'every',
  'week',
  'until',
  'for',
];
const people = ['@lee', '@ann', '@zed', '@', '<@U123>', '@!!', '@a.b-c_d'];
const word = fc.oneof(
  fc.constantFrom(...keywords, ...people),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
  fc.constantFrom('"', '“quoted words”', '"PA Cohort A"', '\u0000', '\n', '\t', '   '),
);
const line = fc
  .tuple(fc.option(fc.constantFrom(...verbs), { nil: undefined }), fc.array(word, { maxLength: 8 }))
  .map(([verb, words]) => [verb, ...words].filter((w) => w !== undefined).join(' '));

describe('the command grammar under random input', () => {
  it(`answers every line and changes nothing when it refuses (${RUNS} cases)`, { timeout: 180_000 }, async () => {
    // A fresh bot every few hundred lines, so the groups random lines create do not pile up.
    const freshBot = async () => {
      const bot = createHarness(['console:coord']);
      await bot.start();
      await bot.run('coord', 'group create PA Cohort A');
      await bot.run('coord', 'group add PA Cohort A @lee as leader');
      await bot.run('coord', 'group add PA Cohort A @ann');
      return bot;
    };
    let h = await freshBot();
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('coord', 'lee', 'ann', 'zed'), line, async (actor, typed) => {
        if (answered > 0 && answered % 400 === 0) {
          await h.crash();
          h = await freshBot();
        }
        // A command that ended a timer leaves attendance jobs running in the background.
        await h.jobs.idle();
        const before = await h.snapshot();
        const sentBefore = h.chat.sent.length;
        const logsBefore = h.logs.lines.length;
        const replies = await h.run(actor, typed);
        expect(replies.length + h.chat.sent.length - sentBefore).toBeGreaterThan(0);
        const outcome = (JSON.parse(h.logs.lines.at(-1) ?? '{}') as { outcome?: string }).outcome;
        expect(h.logs.lines.length).toBeGreaterThan(logsBefore);
        expect(outcome).not.toBe('failed');
        await h.jobs.idle();
        if (outcome !== 'ok') expect(await h.snapshot()).toBe(before);
        answered++;
      }),
      { numRuns: RUNS, seed: 20261128 },
    );
    await h.crash();
    expect(answered).toBeGreaterThanOrEqual(RUNS);
  });
});
