// Crash and restart, with the real process: a session's timer, its reminders and three
// post-rotation invites come due while the bot is killed with SIGKILL at seeded random moments
// and restarted each time with the same environment, over one SQLite file. The fake Slack's
// record must show each phase post, reminder and invite once (or a reminder dropped as stale,
// with its log line), nothing lost, and a timer card that is right after every restart.
// Time runs compressed (BALINT_TEST_CLOCK_SPEED) on a time line every restart shares.
//
// Set BALINT_CRASH_SEED to replay a run; the seed in use is printed.
import { afterAll, describe, expect, it } from 'vitest';
import { checkTrial, type TrialReport } from './crash/checks.js';
import { runTrial } from './crash/trial.js';

const SEED = Number(process.env.BALINT_CRASH_SEED ?? 20_260_808);
/** Four sessions with five kills each: 20 crash trials. */
const TRIALS = 4;
const KILLS = 5;
/** 150×: a 45-minute session in 18 s; a restart (about 1.5 s) is almost 4 simulated minutes. */
const SPEED = 150;

const reports: TrialReport[] = [];

async function trial(index: number): Promise<TrialReport> {
  const record = await runTrial({ seed: SEED + index, speed: SPEED, kills: KILLS });
  const report = checkTrial(record);
  reports.push(report);
  return report;
}

function expectSound(report: TrialReport): void {
  // Problems first, as a list that names each broken promise.
  expect(report.problems).toEqual([]);
  expect(report.kills).toBe(KILLS);
  expect(report.phasePosts + report.mergedAcrossCrash + report.mergedLate).toBe(6 + 1);
  expect(report.invites + report.invitesWaiting).toBe(3);
  // Every reminder was either delivered or dropped as stale: 3 times × 4 members at most.
  expect(report.reminders).toBeGreaterThan(0);
  expect(report.cardUpdatesAfterRestart).toBeGreaterThan(0);
}

describe(`crash and restart (seed ${SEED}: replay with BALINT_CRASH_SEED=${SEED})`, () => {
  afterAll(() => {
    const sum = (pick: (r: TrialReport) => number) => reports.reduce((n, r) => n + pick(r), 0);
    const hits = reports.flatMap((r) => r.windowHits);
    process.stdout.write(
      `crash-restart: seed ${SEED}, ${reports.length} sessions, ${sum((r) => r.kills)} kills, ` +
        `${sum((r) => r.phasePosts)} phase posts (${sum((r) => r.mergedAcrossCrash)} folded into a catch-up after a crash, ${sum((r) => r.mergedLate)} by a late tick), ` +
        `${sum((r) => r.cardUpdates)} card updates checked (${sum((r) => r.cardUpdatesAfterRestart)} first after a restart), ` +
        `${sum((r) => r.reminders)} reminders, ${sum((r) => r.staleDropped)} dropped as stale, ${sum((r) => r.invites)} invites (${sum((r) => r.invitesWaiting)} waiting: no session left), ` +
        `${hits.length} at-least-once hits${hits.length ? ` (${hits.map((h) => `${h.what}, ${h.gapMs} ms before the kill`).join('; ')})` : ''}, ` +
        `${(sum((r) => r.realMs) / 1000).toFixed(1)} s of trials\n`,
    );
  });

  // Two sessions at a time: each bot is idle most of the time, so two fit on two cores.
  for (let pair = 0; pair < TRIALS / 2; pair++) {
    it(
      `sessions ${pair * 2 + 1} and ${pair * 2 + 2}: ${KILLS} kills each, every post once or stale by policy`,
      { timeout: 120_000 },
      async () => {
        const [a, b] = await Promise.all([trial(pair * 2), trial(pair * 2 + 1)]);
        expectSound(a);
        expectSound(b);
      },
    );
  }
});
