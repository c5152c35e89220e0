// The attendance card as each platform draws it: one toggle per member and Submit, the same
// action ids and values everywhere, so a press comes back the same way from each.
import { describe, expect, it } from 'vitest';
import { renderCard as renderConsole } from '../../../src/adapters/console/render.js';
import { renderMessage } from '../../../src/adapters/slack/blocks.js';
import { renderCard as renderTeams } from '../../../src/adapters/teams/render-card.js';
import { sheetCard } from '../../../src/core/attendance/cards.js';
import type { Sheet } from '../../../src/core/attendance/sheet.js';

const now = Date.UTC(2027, 0, 16, 16, 0);
const sheet: Sheet = {
  id: 'ses_0123456789ab',
  groupId: 'grp_0123456789abcdef',
  start: Date.UTC(2027, 0, 16, 15, 0),
  zone: 'America/New_York',
  closesAt: now + 7 * 86_400_000,
  marks: { 'slack:T1:U0ANN': { present: true }, 'slack:T1:U0BO': { present: false } },
  cards: {},
};
const expected = [
  ['attendance:toggle', 'ses_0123456789ab/slack:T1:U0ANN'],
  ['attendance:toggle', 'ses_0123456789ab/slack:T1:U0BO'],
  ['attendance:submit', 'ses_0123456789ab'],
];

describe('the attendance card', () => {
  const card = sheetCard(sheet, 'PA Cohort A', now);

  it('renders in Slack as buttons with our action ids, and people as mentions', () => {
    const message = renderMessage(card);
    const elements = message.blocks.flatMap((b) => (b.type === 'actions' ? b.elements : []));
    expect(elements.map((e) => [(e as { action_id: string }).action_id, (e as { value: string }).value])).toEqual(
      expected,
    );
    expect(JSON.stringify(message.blocks)).toContain('<@U0ANN>');
  });

  it('renders in Teams as Action.Execute with the same verbs and values', () => {
    const rendered = JSON.stringify(renderTeams(card));
    for (const [verb, value] of expected) expect(rendered).toContain(JSON.stringify({ verb, value }).slice(1, -1));
  });

  it('renders in the terminal with numbered buttons to /press', () => {
    const { lines, buttons } = renderConsole(card);
    expect(buttons.map((b) => [b.actionId, b.value])).toEqual(expected);
    expect(lines.join('\n')).toContain('1 of 2 present');
    expect(lines.join('\n')).toMatch(/Mark 1 absent/);
  });

  it('shows no buttons once closed', () => {
    const closed = sheetCard(sheet, 'PA Cohort A', sheet.closesAt);
    expect(closed.blocks.some((b) => b.type === 'actions')).toBe(false);
    expect(renderConsole(closed).lines.join('\n')).toContain('closed');
  });
});
