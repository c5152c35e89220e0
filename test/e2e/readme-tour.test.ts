// The README's terminal tour, pasted as printed: the code block under "A five-minute tour" is piped
// into `npm start` on a fresh SQLite file, and each line's answer is checked in order, so the
// README cannot drift from what the bot does.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot, runNpm } from '../support/run-npm.js';

/** Each line of the tour, with what its answer must contain (in this order, after the answers before it). */
const TOUR: [line: string, answers: string[]][] = [
  [
    '/balint group create PA Cohort A program PA tz America/New_York preset 60',
    [
      '[#general] Balint, only @you sees this:',
      '== Group created: PA Cohort A ==',
      'Program    Physician Assistant Studies',
      'Time zone  America/New_York',
      'Session    60 minutes',
    ],
  ],
  ['/balint group add PA Cohort A @lee as leader', ['Added as leader  @lee']],
  ['/balint group add PA Cohort A @cal as co-leader', ['Added as co-leader  @cal']],
  ['/balint group add PA Cohort A @ann @bo @cy', ['Added as member  @ann, @bo, @cy']],
  [
    '/balint schedule PA Cohort A 2030-03-04 17:00 every 2 weeks for 3 sessions',
    ['== 3 sessions scheduled: PA Cohort A ==', 'Mon 4 Mar 2030, 17:00 EST', 'Mon 1 Apr 2030, 17:00 EDT', '1d, 1h'],
  ],
  ['/as ann', ['You are now @ann.']],
  [
    '/balint group show PA Cohort A',
    ['only @ann sees this:', 'Leader            @lee', 'Co-leader         @cal', 'Members           @ann, @bo, @cy'],
  ],
  [
    '/balint sessions',
    [
      '== Upcoming sessions: PA Cohort A ==',
      'Mon 4 Mar 2030, 17:00 EST',
      'Your answer  not given yet',
      'Mon 18 Mar 2030, 17:00 EDT',
      'Mon 1 Apr 2030, 17:00 EDT',
    ],
  ],
  ['/balint group create Mine', ['Only coordinators can do that.']],
  ['/as pat', ['You are now @pat.']],
  ['/balint group show PA Cohort A', ['only @pat sees this:', 'Only members of a Balint group can do that.']],
  ['/as lee', ['You are now @lee.']],
  ['/in pa-cohort-a', ['You are now in #pa-cohort-a.']],
  [
    '/balint start PA Cohort A',
    [
      '[#pa-cohort-a] Balint (message 1):',
      '== Welcome to the Balint group ==',
      'What happens in Balint stays in Balint.',
      '== Case call ==',
      '[1: We have a case] [2: Pause] [3: +2 min] [4: End session]',
    ],
  ],
  ['/balint next', ['== Presentation ==', '[1: Next phase] [2: Pause] [3: +2 min] [4: End session]']],
  ['/as ann', ['You are now @ann.']],
  ['/press 1', ['only @ann sees this:', 'Only the facilitators can steer the timer.']],
  ['/as lee', ['You are now @lee.']],
  ['/balint end', ['== Thank you ==', 'No summary', 'Session ended']],
  ['/balint status', ['only @lee sees this:', 'No timer is running in this channel.']],
];

/** The tour section's ```text blocks: the first is what to paste, the others show answers. */
function tourBlocks(readme: string): string[] {
  const section = readme.split(/^## /m).find((part) => part.startsWith('A five-minute tour'));
  if (!section) throw new Error('README.md has no "## A five-minute tour" section');
  const blocks = [...section.matchAll(/```text\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
  if (blocks.length === 0) throw new Error('the tour section has no ```text block');
  return blocks;
}

const dir = mkdtempSync(join(tmpdir(), 'balint-tour-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the README tour', () => {
  const [block = '', ...shownAnswers] = tourBlocks(readFileSync(join(projectRoot, 'README.md'), 'utf8'));

  it('is the tour this test checks, line for line, with nothing to strip before pasting', () => {
    expect(block.trimEnd().split('\n')).toEqual(TOUR.map(([line]) => line));
    for (const [line] of TOUR) expect(line).not.toMatch(/\s#\s/);
  });

  it('answers each line as the README says when piped into `npm start` as printed', async () => {
    const run = await runNpm(['start', '--silent'], { STORE_URL: `sqlite://${join(dir, 'tour.sqlite')}` }, block);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    let from = 0;
    for (const [line, answers] of TOUR) {
      for (const answer of answers) {
        const at = run.stdout.indexOf(answer, from);
        expect(at, `the answer to "${line}" should contain "${answer}"`).toBeGreaterThanOrEqual(0);
        from = at + answer.length;
      }
    }
    // The answers the README shows are the bot's, line for line (indented to sit in a list item).
    for (const shown of shownAnswers) {
      for (const answerLine of shown.split('\n').filter((text) => text.trim() !== '')) {
        expect(run.stdout).toContain(answerLine.trim());
      }
    }
    // Nothing was misread as a line the terminal does not know (that would print its usage).
    expect(run.stdout).not.toContain('Terminal chat:');
  });
});
