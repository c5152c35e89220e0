// What a 60-minute session costs in chat API calls (one ChatPort call is one Slack Web API call,
// chat.postMessage or chat.update, and one Teams connector POST or PUT). The figures are in
// docs/facilitators.md ("The live card stays in view"); this test keeps them true.
import { beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../support/harness.js';

const MIN = 60_000;
let h: Harness;

beforeEach(async () => {
  h = createHarness(['console:coord']);
  await h.start();
  await h.run('coord', 'group create PA Cohort A program PA tz America/New_York preset 60');
  await h.run('coord', 'group add PA Cohort A @lee as leader');
  await h.run('coord', 'group add PA Cohort A @cal as co-leader');
});

async function session(script: readonly number[]): Promise<Record<string, number>> {
  const start = h.clock.now();
  await h.run('lee', 'start PA Cohort A');
  for (const minute of script) {
    await h.clock.advance(start + minute * MIN - h.clock.now());
    await h.run('lee', 'next');
  }
  await h.clock.advance(start + 61 * MIN - h.clock.now());
  const count: Record<string, number> = { post: 0, update: 0, direct: 0, ephemeral: 0 };
  for (const s of h.chat.sent) count[s.kind] = (count[s.kind] ?? 0) + 1;
  return count;
}

describe('API calls of a 60-minute session', () => {
  it('led, the facilitators moving on at 3, 9, 14 and 50 minutes', async () => {
    const count = await session([3, 9, 14, 50]);
    // Opening, first card, 5 phase posts + warning + closing, a fresh card under 6 of them.
    expect(count.post).toBe(1 + 1 + 7 + 6);
    // Each fresh card turns the old one into a line (6), plus the countdown refreshes.
    expect(count.update).toBe(72);
    expect(count.direct).toBe(4); // the debrief note and the attendance card to each facilitator
  });
});
