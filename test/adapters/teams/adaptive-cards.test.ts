// Every card the bot can build, rendered as an Adaptive Card and parsed by Microsoft's own
// `adaptivecards` library: any parse error, validation event or dropped property fails.
import { describe, expect, it } from 'vitest';
import { renderCard } from '../../../src/adapters/teams/render-card.js';
import { renderForm } from '../../../src/adapters/teams/render-form.js';
import { card, replyCard, text, type Card, type Form, type Reply } from '../../../src/core/cards.js';
import { PUSH_BACK_MODES } from '../../../src/core/model.js';
import {
  closingPost,
  openingPost,
  phaseChangePost,
  timerCard,
  warningPost,
  type ActiveTimerState,
} from '../../../src/core/timer/cards.js';
import { advanced, ended, paused, started } from '../../../src/core/timer/events.js';
import { PRESET_NAMES, presetPlan } from '../../../src/core/timer/presets.js';
import { timerState, type TimerState } from '../../../src/core/timer/state.js';
import { createHarness } from '../../support/harness.js';
import { adaptiveCardProblems } from './adaptive-validate.js';

const T0 = Date.UTC(2026, 0, 22, 21, 30);
const MIN = 60_000;

function timerCards(): Array<[string, Card]> {
  const out: Array<[string, Card]> = [];
  for (const preset of PRESET_NAMES) {
    const plan = presetPlan(preset);
    const starts = [0];
    for (const p of plan.phases) starts.push((starts.at(-1) ?? 0) + p.minutes * MIN);
    for (const mode of PUSH_BACK_MODES) {
      const options = { timerId: 'tmr_0123456789abcdef', zone: 'America/New_York', pushBackMode: mode };
      starts.slice(0, -1).forEach((at, i) => {
        const s = timerState([started(T0, plan)], T0 + at + 30_000) as ActiveTimerState;
        out.push([`${preset} ${mode} phase ${i} running`, timerCard(s, options)]);
        out.push([`${preset} ${mode} phase ${i} post`, phaseChangePost(s, options)]);
        out.push([`${preset} ${mode} phase ${i} warning`, warningPost(s, options)]);
      });
    }
    const options = { timerId: 'tmr_0123456789abcdef', zone: 'Europe/Budapest', pushBackMode: 'camera-off' as const };
    const pausedState = timerState([started(T0, plan), paused(T0 + 2 * MIN)], T0 + 5 * MIN) as TimerState;
    out.push([`${preset} paused`, timerCard(pausedState, options)]);
    out.push([`${preset} paused post`, phaseChangePost(pausedState as ActiveTimerState, options)]);
    out.push([
      `${preset} ended early`,
      timerCard(
        timerState([started(T0, plan), advanced(T0 + MIN), ended(T0 + 2 * MIN)], T0 + 3 * MIN) as TimerState,
        options,
      ),
    ]);
    out.push([
      `${preset} ended by clock`,
      timerCard(timerState([started(T0, plan)], T0 + 600 * MIN) as TimerState, options),
    ]);
    out.push([`${preset} opening`, openingPost(plan)]);
    out.push([
      `${preset} opening (own words)`,
      openingPost(plan, { openingOverride: 'What is said here stays here.' }),
    ]);
  }
  out.push(['closing', closingPost()]);
  out.push(['closing (own words)', closingPost({ closingOverride: 'Thank you all.' })]);
  return out;
}

/** Everything the commands answer, through the same dispatcher the adapter uses. */
async function commandReplies(): Promise<Array<[string, Reply]>> {
  const h = createHarness(['console:coord']);
  await h.start();
  const lines: Array<[string, string]> = [
    ['coord', 'help'],
    ['ann', 'help'],
    ['coord', 'group create PA Cohort A program PA tz America/New_York preset 60'],
    ['coord', 'group add PA Cohort A @lee as leader'],
    ['coord', 'group add PA Cohort A @cal as co-leader'],
    ['coord', 'group add PA Cohort A @ann @bo @cy'],
    ['coord', 'group show PA Cohort A'],
    ['coord', 'groups'],
    ['ann', 'groups'],
    ['coord', 'group set PA Cohort A preset 90x2'],
    ['coord', 'group remove PA Cohort A @cy'],
    ['coord', 'coordinator add @dee'],
    ['lee', 'start'],
    ['lee', 'status'],
    ['lee', 'pause'],
    ['lee', 'extend 3'],
    ['ann', 'next'],
    ['coord', 'frobnicate'],
    ['coord', 'group show Nope'],
    ['coord', 'schedule'],
    ['coord', 'sessions'],
  ];
  const out: Array<[string, Reply]> = [];
  for (const [actor, line] of lines)
    for (const reply of await h.run(actor, line)) out.push([`${actor}: ${line}`, reply]);
  for (const sent of h.chat.sent) out.push([`sent ${sent.kind}`, { visibility: 'channel', card: sent.card }]);
  await h.crash();
  return out;
}

const SAMPLE_FORM: Form = {
  formId: 'sample',
  title: 'Schedule a session',
  submitLabel: 'Schedule',
  context: 'grp_0123456789abcdef',
  fields: [
    {
      id: 'group',
      label: 'Group',
      kind: 'select',
      options: [
        { value: 'grp_1', label: 'PA Cohort A' },
        { value: 'grp_2', label: 'PT Cohort B' },
      ],
    },
    {
      id: 'mode',
      label: 'Where',
      kind: 'choice',
      options: [
        { value: 'in-person', label: 'In person' },
        { value: 'online', label: 'Online' },
      ],
      initial: 'online',
    },
    { id: 'date', label: 'Date', kind: 'date' },
    { id: 'time', label: 'Start', kind: 'time', initial: '16:30' },
    {
      id: 'place',
      label: 'Room or link',
      kind: 'text',
      optional: true,
      placeholder: 'Room 4 or https://…',
      maxLength: 200,
    },
    { id: 'weeks', label: 'Repeat for weeks', kind: 'number', min: 1, max: 12, optional: true },
  ],
};

describe('every card the bot builds is a valid Adaptive Card 1.5', () => {
  it('timer cards in every preset, phase, push-back mode and state', () => {
    const cards = timerCards();
    expect(cards.length).toBeGreaterThan(100);
    for (const [name, c] of cards)
      expect({ name, problems: adaptiveCardProblems(renderCard(c)) }).toEqual({ name, problems: [] });
  });

  it("the commands' answers (help, groups, errors, timer), forms included", async () => {
    const replies = await commandReplies();
    expect(replies.length).toBeGreaterThan(15);
    let forms = 0;
    for (const [name, reply] of replies) {
      if (reply.visibility === 'form') {
        forms++;
        expect({ name, problems: adaptiveCardProblems(renderForm(reply.form, 'frm_0123456789abcdef')) }).toEqual({
          name,
          problems: [],
        });
      }
      expect({ name, problems: adaptiveCardProblems(renderCard(replyCard(reply))) }).toEqual({ name, problems: [] });
    }
    expect(forms).toBeGreaterThan(0);
  });

  it('people as Teams mentions, and text that looks like card syntax', () => {
    const people = card(
      {
        type: 'facts',
        facts: [
          {
            label: 'Leader',
            value: { users: ['teams:00000000-0000-0000-0000-000000000001:00000000-0000-0000-0000-00000000a001'] },
          },
          { label: 'Zone', value: 'UTC' },
          { label: 'Nobody', value: { users: [] } },
        ],
      },
      text('A name with {{DATE(2026-01-01T00:00:00Z)}} and <at>x</at> in it'),
    );
    const rendered = renderCard(people, () => ({ id: '29:1', name: 'User One' }));
    expect(rendered.msteams?.entities).toEqual([
      { type: 'mention', text: '<at>User One</at>', mentioned: { id: '29:1', name: 'User One' } },
    ]);
    expect(adaptiveCardProblems(rendered)).toEqual([]);
    expect(JSON.stringify(rendered.body)).not.toContain('{{DATE(2026-01-01');
  });

  it('a people fact with a note: the mention, then the note as plain text', () => {
    const row = card({
      type: 'facts',
      facts: [
        {
          label: 'Surgery, 2027-02-01 to 2027-02-12',
          value: {
            users: ['teams:00000000-0000-0000-0000-000000000001:00000000-0000-0000-0000-00000000a001'],
            note: 'invited',
          },
        },
      ],
    });
    const rendered = renderCard(row, () => ({ id: '29:1', name: 'User One' }));
    expect(JSON.stringify(rendered.body)).toContain('<at>User One</at> · invited');
    expect(adaptiveCardProblems(rendered)).toEqual([]);
  });

  it('a form with every kind of input, blank, with initial values, and with errors on it', () => {
    expect(adaptiveCardProblems(renderForm(SAMPLE_FORM, 'frm_0123456789abcdef'))).toEqual([]);
    const withErrors = renderForm(SAMPLE_FORM, 'frm_0123456789abcdef', {
      values: { group: 'grp_2', date: '2026-01-22', time: '09:00', place: 'Room 4', weeks: '3' },
      errors: { _form: 'Something is off.', date: 'That date has passed.', weeks: 'Pick 1 to 12.' },
    });
    expect(adaptiveCardProblems(withErrors)).toEqual([]);
    expect(JSON.stringify(withErrors)).toContain('That date has passed.');
  });

  it('the checker itself fails on a broken card', () => {
    expect(
      adaptiveCardProblems({
        type: 'AdaptiveCard',
        version: '1.5',
        body: [{ type: 'Nonsense' }, { type: 'TextBlock', txt: 'x' }],
      }).length,
    ).toBeGreaterThan(0);
    expect(adaptiveCardProblems(renderCard(card(text('fine'))))).toEqual([]);
  });
});
