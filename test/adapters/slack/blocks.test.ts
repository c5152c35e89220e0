// The Block Kit renderer and the Slack id helpers, on their own.
import { describe, expect, it } from 'vitest';
import { dateToken, fallbackText, MAX_MESSAGE_BLOCKS, renderMessage } from '../../../src/adapters/slack/blocks.js';
import { mentionReader, parseSlackId } from '../../../src/adapters/slack/ids.js';
import { errorsByBlock, readView, renderModal } from '../../../src/adapters/slack/modal.js';
import { toSlackCallError } from '../../../src/adapters/slack/errors.js';
import { actions, card, context, facts, heading, progress, text } from '../../../src/core/cards.js';
import { webApi } from '@slack/bolt';
import { blockProblems } from './block-kit-limits.js';
import { fixture } from './fake-slack.js';
import { scheduleForm } from '../../../src/commands/schedule/schedule-form.js';
import type { Group } from '../../../src/core/model.js';

// The fixtures' session: 2026-01-22 16:30 New York.
const SESSION = { time: 1769117400 * 1000, zone: 'America/New_York' };

describe('Block Kit rendering', () => {
  it('writes a time as a <!date^…> token with the group-zone time as its fallback', () => {
    expect(dateToken(SESSION)).toBe('<!date^1769117400^{date_short_pretty} {time}|Thu 22 Jan 2026, 16:30 EST>');
  });

  it('renders people as mentions, escapes our own text, and always has a text fallback', () => {
    const message = renderMessage(
      card(
        heading('PA & <Group>'),
        text('Use `/balint help` <!channel>'),
        facts(
          { label: 'Leader', value: { users: ['slack:T0001:U0002', 'console:ann'] } },
          { label: 'Starts', value: SESSION },
        ),
        progress(0.5, '5 min left'),
        actions({ actionId: 'timer:next', label: 'Next', value: 'tmr_1', style: 'primary' }),
        context('small print'),
      ),
    );
    const json = JSON.stringify(message.blocks);
    expect(message.blocks.map((b) => b.type)).toEqual([
      'header',
      'section',
      'section',
      'context',
      'actions',
      'context',
    ]);
    expect(json).toContain('&lt;!channel&gt;');
    expect(json).not.toContain('<!channel>');
    expect(json).toContain('<@U0002>, @ann');
    expect(json).toContain('<!date^1769117400^');
    expect(message.blocks[4]).toMatchObject({
      elements: [{ type: 'button', action_id: 'timer:next', value: 'tmr_1', style: 'primary' }],
    });
    expect(message.text).toContain('*PA &amp; &lt;Group&gt;*');
    expect(message.text).toContain('Leader: <@U0002>, @ann');
    expect(fallbackText(card())).toBe(' ');
  });

  it('keeps within Slack limits: 50 blocks, ten fields a section, 150-character headers', () => {
    const many = renderMessage(card(...Array.from({ length: 80 }, (_, i) => text(`line ${i}`))));
    expect(many.blocks).toHaveLength(MAX_MESSAGE_BLOCKS);
    const longFacts = renderMessage(
      card(facts(...Array.from({ length: 15 }, (_, i) => ({ label: `/balint command ${i}`, value: 'does a thing' })))),
    );
    expect(longFacts.blocks.every((b) => b.type === 'section' && !('fields' in b && b.fields))).toBe(true);
    const header = renderMessage(card(heading('x'.repeat(400)))).blocks[0] as { text: { text: string } };
    expect(header.text.text.length).toBe(150);
  });
});

describe('buttons as Slack shows them', () => {
  it('renders confirmations, screen-reader labels and link buttons, within the limits', () => {
    const message = renderMessage(
      card(progress(0.4, 'Case presentation · 6 min left'), {
        type: 'actions',
        buttons: [
          {
            actionId: 'timer:end',
            label: 'End session',
            value: 'tmr_1',
            style: 'danger',
            confirm: {
              title: 'End the session?',
              text: 'The timer stops for everyone.',
              confirm: 'End',
              deny: 'Keep going',
            },
          },
          { actionId: 'timer:extend', label: '+2 min', value: 'tmr_1', accessibilityLabel: 'Add two minutes' },
        ],
        links: [
          { label: 'Join', url: 'https://meet.example.org/abc' },
          { label: 'Not a link', url: 'javascript:alert(1)' },
        ],
      }),
    );
    expect(message.blocks[0]).toMatchObject({
      type: 'context',
      elements: [{ text: expect.stringMatching(/^40% done\. Case presentation · 6 min left {2}`▰/) }],
    });
    expect(message.text).toBe('40% done. Case presentation · 6 min left');
    expect(message.blocks[1]).toMatchObject({
      type: 'actions',
      elements: [
        {
          action_id: 'timer:end',
          confirm: {
            title: { type: 'plain_text', text: 'End the session?' },
            text: { type: 'plain_text', text: 'The timer stops for everyone.' },
            confirm: { text: 'End' },
            deny: { text: 'Keep going' },
          },
        },
        { action_id: 'timer:extend', accessibility_label: 'Add two minutes' },
        { action_id: 'link:0', url: 'https://meet.example.org/abc', text: { text: 'Join' } },
      ],
    });
    expect((message.blocks[1] as { elements: unknown[] }).elements).toHaveLength(3);
    expect(blockProblems(message.blocks, 'message')).toEqual([]);
  });

  it('the limits check notices a payload over a limit', () => {
    const long = renderMessage(card(actions({ actionId: 'a', label: 'x', value: 'v' })));
    (long.blocks[0] as unknown as { elements: Array<Record<string, unknown>> }).elements[0]!.accessibility_label =
      'y'.repeat(80);
    expect(blockProblems(long.blocks, 'message')).toEqual(['block 0 (actions) element 0: accessibility_label 80 > 75']);
  });
});

describe('Slack ids', () => {
  it('reads escaped mentions into slack:<team>:<user> and nothing else', () => {
    const read = mentionReader('T0001');
    expect(read('<@U0002|user.two>')).toBe('slack:T0001:U0002');
    expect(read('<@W0002>')).toBe('slack:T0001:W0002');
    expect(read('@user.two')).toBeUndefined();
    expect(read('<#C0001|general>')).toBeUndefined();
    expect(parseSlackId('slack:T0001:C0001')).toEqual({ team: 'T0001', id: 'C0001' });
    expect(parseSlackId('teams:x:y')).toBeUndefined();
  });
});

describe('modals', () => {
  it("reads the fixture's submission tolerantly, nulls and unknown keys included", () => {
    const { view } = fixture<{ view: Parameters<typeof readView>[0] }>('view-submission.json');
    const read = readView(view);
    expect(read.formId).toBe('schedule_session');
    expect(read.values).toEqual({
      group: 'grp_1',
      date: '2026-01-22',
      time: '16:30',
      place: 'Room 204',
      format: 'hybrid',
    });
    expect(read.blockIds).toEqual(['group', 'date', 'time', 'place', 'format']);
    // The fixture's metadata is not ours (no place): read as absent, not believed.
    expect(read.place).toBeUndefined();
    expect(errorsByBlock({ _form: 'Stale.', nope: 'Odd.' }, read.blockIds)).toEqual({ group: 'Stale. Odd.' });
  });

  it("names the group's zone in the schedule modal's time picker and starts on the next working day", () => {
    const group = (id: string, timeZone: string) => ({ id, name: id, timeZone }) as unknown as Group;
    const now = Date.UTC(2027, 0, 10, 3); // 9 Jan 2027, 22:00 in New York
    const view = renderModal(scheduleForm([group('grp_a', 'America/New_York')], now), 'slack:T0001:C0001');
    const block = (id: string) =>
      view.blocks.find((b) => 'block_id' in b && b.block_id === id) as unknown as {
        label: { text: string };
        element: Record<string, unknown>;
      };
    expect(block('time').element).toMatchObject({ type: 'timepicker', timezone: 'America/New_York' });
    expect(block('time').label.text).toBe('Time (America/New_York)');
    // Saturday evening in New York: the next working day is Monday.
    expect(block('date').element).toMatchObject({ type: 'datepicker', initial_date: '2027-01-11' });
    // The group's usual Wednesday 16:00: the coming Wednesday, the time filled in.
    const usual = renderModal(
      scheduleForm([group('grp_a', 'America/New_York')], now, { weekday: 3, time: '16:00' }),
      'slack:T0001:C0001',
    );
    expect(JSON.stringify(usual)).toContain('"initial_date":"2027-01-13"');
    expect(JSON.stringify(usual)).toContain('"initial_time":"16:00"');
    // Groups in different zones: no one zone to name.
    const mixed = renderModal(
      scheduleForm([group('grp_a', 'America/New_York'), group('grp_b', 'Europe/Budapest')], now),
      'slack:T0001:C0001',
    );
    expect(JSON.stringify(mixed)).not.toContain('"timezone"');
    expect(blockProblems(view.blocks as unknown[], 'view')).toEqual([]);
  });

  it('refuses a form whose context would not fit private_metadata', () => {
    expect(() =>
      renderModal(
        { formId: 'f', title: 't', submitLabel: 's', fields: [], context: 'x'.repeat(3000) },
        'slack:T0001:C0001',
      ),
    ).toThrow();
  });
});

describe('Web API errors', () => {
  it('say whether a retry can help', () => {
    const platform = (error: string) => new webApi.WebAPIPlatformError({ ok: false, error });
    for (const code of ['user_not_found', 'channel_not_found', 'not_in_channel', 'is_archived', 'cannot_dm_bot']) {
      expect(toSlackCallError(platform(code))).toMatchObject({ code, retryable: false });
    }
    expect(toSlackCallError(platform('internal_error'))).toMatchObject({ code: 'internal_error', retryable: true });
    expect(toSlackCallError(new webApi.WebAPIRateLimitedError(30))).toMatchObject({
      code: 'ratelimited',
      retryable: true,
      retryAfterMs: 30_000,
    });
    expect(toSlackCallError(new webApi.WebAPIHTTPError(503, 'x', {}))).toMatchObject({
      code: 'http_503',
      retryable: true,
    });
    expect(toSlackCallError(platform('Some text with spaces'))).toMatchObject({ code: 'platform_error' });
  });
});
