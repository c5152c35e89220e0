// The coordinators' below-pace digest on its own: when it runs (Monday 08:00 in the bot's zone,
// across daylight saving), and its card as Slack, Teams and the terminal draw it, long lists too.
import { describe, expect, it } from 'vitest';
import { renderCard as renderConsole } from '../../../src/adapters/console/render.js';
import { renderMessage } from '../../../src/adapters/slack/blocks.js';
import { renderCard as renderTeams } from '../../../src/adapters/teams/render-card.js';
import { plainText } from '../../../src/core/cards.js';
import { nextPaceRun, paceCard, type BelowPace } from '../../../src/core/attendance/pace-digest.js';
import type { Group } from '../../../src/core/model.js';
import { blockProblems } from '../../adapters/slack/block-kit-limits.js';
import { adaptiveCardProblems } from '../../adapters/teams/adaptive-validate.js';

const NY = 'America/New_York';

describe('when the digest runs', () => {
  it('is the next Monday 08:00 in the zone, strictly after now', () => {
    // Friday 15 Jan 2027, 10:00 in New York: Monday 18 Jan, 08:00 EST (13:00 UTC).
    expect(nextPaceRun(Date.UTC(2027, 0, 15, 15), NY)).toBe(Date.UTC(2027, 0, 18, 13));
    // Monday 08:00 itself: the following Monday.
    expect(nextPaceRun(Date.UTC(2027, 0, 18, 13), NY)).toBe(Date.UTC(2027, 0, 25, 13));
    // Monday 07:59: the same morning.
    expect(nextPaceRun(Date.UTC(2027, 0, 18, 12, 59), NY)).toBe(Date.UTC(2027, 0, 18, 13));
  });

  it('stays at 08:00 local across daylight saving', () => {
    // New York springs forward on Sunday 14 Mar 2027: Monday 15 Mar, 08:00 EDT is 12:00 UTC.
    expect(nextPaceRun(Date.UTC(2027, 2, 13, 15), NY)).toBe(Date.UTC(2027, 2, 15, 12));
    expect(nextPaceRun(Date.UTC(2027, 0, 15, 15), 'Europe/Budapest')).toBe(Date.UTC(2027, 0, 18, 7));
  });
});

function group(name: string, members: number): BelowPace {
  const g: Group = {
    id: `grp_${'0'.repeat(15)}${members % 10}`,
    name,
    program: 'PA',
    timeZone: NY,
    preset: '60',
    pushBackMode: 'camera-off',
    members: [],
    createdAt: 0,
  };
  return {
    group: g,
    requirement: { attended: 6, of: 8, from: 'program', program: 'PA' },
    below: Array.from({ length: members }, (_, i) => ({
      user: `slack:T1:U0M${String(i).padStart(3, '0')}`,
      sessions: [],
      attended: 2,
      expected: 4,
      belowPace: true,
    })),
  };
}

describe('the digest card', () => {
  it('says per member and group what was attended and what is asked, and nothing else', () => {
    const card = paceCard([group('PA Cohort A', 1)], '2027-01-25');
    expect(plainText(card)).toContain("PA Cohort A: @U0M000 · attended 2 of 4, needs 6 of 8 (the PA program's)");
    // Nothing about presenting or cases; no buttons to press.
    expect(plainText(card)).not.toMatch(/present|case/i);
    const terminal = renderConsole(card);
    expect(terminal.lines.join('\n')).toContain('== Attendance below pace ==');
    expect(terminal.buttons).toEqual([]);
  });

  it('fits Slack and Teams with many members below pace', () => {
    const card = paceCard([group('PA Cohort A', 40), group('PA Cohort B', 40)], '2027-01-25');
    const slack = renderMessage(card);
    expect(blockProblems(slack.blocks, 'message')).toEqual([]);
    expect(JSON.stringify(slack.blocks)).toContain('<@U0M039>');
    const teams = renderTeams(card);
    expect(adaptiveCardProblems(teams)).toEqual([]);
    expect(JSON.stringify(teams)).toContain('attended 2 of 4, needs 6 of 8');
  });
});
