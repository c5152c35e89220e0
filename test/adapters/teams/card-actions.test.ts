// Buttons as Teams renders them: link buttons become Action.OpenUrl, a button that asks "are
// you sure?" opens a small card with the question and the real button, an accessibility label
// is the action's tooltip (Microsoft's renderer makes it the button's title), and an online
// or hybrid session's reminder has a Join button for its meeting link.
import { describe, expect, it } from 'vitest';
import { renderCard } from '../../../src/adapters/teams/render-card.js';
import { card, heading, type Card } from '../../../src/core/cards.js';
import { reminderCard } from '../../../src/core/schedule/cards.js';
import type { Session } from '../../../src/core/schedule/session.js';
import { adaptiveCardProblems } from './adaptive-validate.js';
import { renderCard as renderInDom } from './adaptive-render.js';

const withButtons: Card = card(heading('Timer'), {
  type: 'actions',
  buttons: [
    { actionId: 'timer:extend', label: '+2 min', value: 'tmr_1', accessibilityLabel: 'Add two minutes' },
    {
      actionId: 'timer:end',
      label: 'End',
      value: 'tmr_1',
      style: 'danger',
      confirm: {
        title: 'End the session?',
        text: 'The timer stops for everyone.',
        confirm: 'End it',
        deny: 'Keep going',
      },
    },
  ],
  links: [{ label: 'Join', url: 'https://meet.example.org/abc' }],
});

const session = (mode: Session['mode'], link?: string): Session =>
  ({
    id: 'ses_0123456789ab',
    groupId: 'grp_1',
    date: '2026-02-03',
    time: '18:30',
    zone: 'America/New_York',
    start: Date.UTC(2026, 1, 3, 23, 30),
    minutes: 60,
    mode,
    ...(link ? { link } : {}),
  }) as Session;

describe('Teams buttons', () => {
  it('renders links, confirmations and accessibility labels as valid Adaptive Card actions', () => {
    const rendered = renderCard(withButtons);
    expect(adaptiveCardProblems(rendered)).toEqual([]);
    const actions = (rendered.body[1] as { actions: Record<string, unknown>[] }).actions;
    expect(actions.map((a) => a.type)).toEqual(['Action.Execute', 'Action.ShowCard', 'Action.OpenUrl']);
    expect(actions[0]).toMatchObject({ title: '+2 min', tooltip: 'Add two minutes' });
    expect(actions[2]).toMatchObject({ title: 'Join', url: 'https://meet.example.org/abc' });
    const inner = actions[1]!.card as { actions: Record<string, unknown>[]; body: { text: string }[] };
    expect(inner.body.map((b) => b.text)).toEqual(['End the session?', 'The timer stops for everyone.']);
    expect(inner.actions[0]).toMatchObject({
      type: 'Action.Execute',
      title: 'End it',
      verb: 'timer:end',
      style: 'destructive',
    });
  });

  it('in Microsoft’s renderer: the label becomes the button title, and End is sent only after the confirmation', () => {
    const dom = renderInDom(renderCard(withButtons));
    expect(dom.root.querySelector('button[aria-label="+2 min"][title="Add two minutes"]')).not.toBeNull();
    const first = dom.press('End');
    expect(first).toMatchObject({ invalid: [] }); // it only opened the question
    expect(dom.root.textContent).toContain('End the session?');
    expect(dom.press('End it')).toMatchObject({ pressed: { verb: 'timer:end', data: { value: 'tmr_1' } } });
  });

  it("an online or hybrid session's reminder has a Join button for its link; in person has none", () => {
    for (const mode of ['online', 'hybrid'] as const) {
      const rendered = JSON.stringify(
        renderCard(reminderCard(session(mode, 'https://meet.example.org/x'), 'PA', 'UTC', undefined)),
      );
      expect(rendered).toContain('"type":"Action.OpenUrl","title":"Join","url":"https://meet.example.org/x"');
    }
    expect(JSON.stringify(renderCard(reminderCard(session('in-person'), 'PA', 'UTC', undefined)))).not.toContain(
      'Action.OpenUrl',
    );
    expect(JSON.stringify(renderCard(reminderCard(session('online'), 'PA', 'UTC', undefined)))).not.toContain(
      'Action.OpenUrl',
    );
  });
});
