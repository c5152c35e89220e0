// Form cards, mentions of other people in commands, and the privacy canary, over real HTTP.
import { afterEach, describe, expect, it } from 'vitest';
import type { FormResult, FormSpec } from '../../../src/commands/plumbing/form-spec.js';
import { commands } from '../../../src/commands/registry.js';
import type { CommandSpec } from '../../../src/commands/plumbing/spec.js';
import { card, ephemeral, openForm, text, type Form } from '../../../src/core/cards.js';
import {
  aad,
  channelMessage,
  fixture,
  member,
  personalChat,
  personalMessage,
  startTeamsBot,
  user,
  type TeamsBot,
} from './teams-bot.js';
import { FakeConnector } from './fake-connector.js';

let bot: TeamsBot;
afterEach(async () => {
  await bot?.stop();
});

const FORM: Form = {
  formId: 'test.form',
  title: 'Plan a session',
  submitLabel: 'Save',
  context: 'grp_0123456789abcdef',
  fields: [
    { id: 'when', label: 'Date', kind: 'date' },
    { id: 'count', label: 'How many', kind: 'number', min: 1, max: 9 },
    { id: 'note', label: 'Room', kind: 'text', optional: true, maxLength: 80 },
  ],
};

const formCommand: CommandSpec = {
  verb: 'plan',
  args: '',
  summary: 'Open the test form.',
  audience: 'anyone',
  run: async () => [openForm(FORM, card(text('Use the form.')))],
};

let accepted = 0;
const formSpec: FormSpec = {
  formId: 'test.form',
  async submit(_services, submission): Promise<FormResult> {
    if (submission.context !== FORM.context) return { accepted: false, errors: { _form: 'Wrong context.' } };
    if (submission.values.count !== '3') return { accepted: false, errors: { count: 'Pick 3 for this test.' } };
    accepted++;
    return { accepted: true, replies: [ephemeral(card(text('Saved.')))] };
  },
};

const specs = { commands: [...commands, formCommand], forms: [formSpec] };

function submitInvoke(formKey: string, inputs: Record<string, string>, from = 1): Record<string, unknown> {
  const base = fixture('invoke-adaptive-card-action');
  return {
    ...base,
    from: { id: member(from), aadObjectId: aad(from) },
    conversation: {
      conversationType: 'personal',
      tenantId: '00000000-0000-0000-0000-000000000001',
      id: personalChat(from),
    },
    replyToId: '1768489300001',
    value: {
      action: { type: 'Action.Execute', verb: 'balint.form', data: { verb: 'balint.form', value: formKey, ...inputs } },
      trigger: 'manual',
    },
  };
}

async function openTheForm(b: TeamsBot): Promise<string> {
  await b.send(personalMessage(1, 'plan'));
  const sent = b.connector.sent('POST').at(-1)!;
  expect(sent.path).toBe(`/v3/conversations/${personalChat(1)}/activities`);
  const key = /"value":"(frm_[0-9a-f]{16})"/.exec(JSON.stringify(FakeConnector.card(sent)))?.[1];
  expect(key).toBeDefined();
  return key!;
}

describe('Teams forms', () => {
  it('sends the form card to the 1:1 chat; errors come back on the card with the values kept; nothing is stored', async () => {
    bot = await startTeamsBot({ specs });
    accepted = 0;
    const key = await openTheForm(bot);
    const before = await bot.snapshot();
    const rejected = await bot.send(submitInvoke(key, { f_when: '2026-01-22', f_count: '5', f_note: 'Room 4' }));
    const body = rejected.body as { type: string; value: Record<string, unknown> };
    expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
    const json = JSON.stringify(body.value);
    expect(json).toContain('Pick 3 for this test.');
    expect(json).toContain('"value":"2026-01-22"');
    expect(json).toContain('"value":"Room 4"');
    expect(await bot.snapshot()).toBe(before);
    expect(accepted).toBe(0);

    const ok = await bot.send(submitInvoke(key, { f_when: '2026-01-22', f_count: '3' }));
    expect(JSON.stringify((ok.body as { value: unknown }).value)).toContain('Sent');
    expect(accepted).toBe(1);
    // The form is closed: a second submission changes nothing.
    const again = await bot.send(submitInvoke(key, { f_when: '2026-01-22', f_count: '3' }));
    expect((again.body as { value: string }).value).toMatch(/no longer in use/);
    expect(accepted).toBe(1);
  });

  it("refuses someone else's submission of a person's form", async () => {
    bot = await startTeamsBot({ specs });
    accepted = 0;
    const key = await openTheForm(bot);
    await bot.send(personalMessage(3, 'help'));
    const response = await bot.send(submitInvoke(key, { f_when: '2026-01-22', f_count: '3' }, 3));
    expect((response.body as { value: string }).value).toMatch(/no longer in use/);
    expect(accepted).toBe(0);
  });

  it("forgets a person's open forms, and lets an unanswered form lapse after a day", async () => {
    bot = await startTeamsBot({ specs });
    accepted = 0;
    const forgotten = await openTheForm(bot);
    expect(await bot.snapshot()).toContain(forgotten);
    await bot.app.services.rights.forget(user(1));
    expect(await bot.snapshot()).not.toContain(forgotten);

    const lapsed = await openTheForm(bot);
    await bot.clock.advance(24 * 60 * 60 * 1000);
    const late = await bot.send(submitInvoke(lapsed, { f_when: '2026-01-22', f_count: '3' }));
    expect((late.body as { value: string }).value).toMatch(/no longer in use/);
    expect(accepted).toBe(0);
    // The next form opened sweeps the lapsed one away.
    const fresh = await openTheForm(bot);
    const stored = await bot.snapshot();
    expect(stored).not.toContain(lapsed);
    expect(stored).toContain(fresh);
  });

  it('a submitted Action.Submit form (message with value) is answered by updating the form card', async () => {
    bot = await startTeamsBot({ specs });
    const key = await openTheForm(bot);
    bot.connector.calls.length = 0;
    await bot.send({
      ...personalMessage(1, ''),
      text: undefined,
      replyToId: '1768489300001',
      value: { verb: 'balint.form', value: key, f_when: '2026-01-22', f_count: '7' },
    });
    const put = bot.connector.sent('PUT')[0]!;
    expect(put.path).toBe(`/v3/conversations/${personalChat(1)}/activities/1768489300001`);
    expect(JSON.stringify(FakeConnector.card(put))).toContain('Pick 3 for this test.');
  });
});

describe('Teams mentions', () => {
  it('resolves a mentioned person to their Teams user id through the connector', async () => {
    bot = await startTeamsBot();
    bot.connector.members.set(member(3), aad(3));
    await bot.send(personalMessage(2, 'group create PA Cohort A'));
    const message = channelMessage(2, 'group add PA Cohort A <at>User Three</at> as member');
    const entities = [
      ...(message.entities as unknown[]),
      { type: 'mention', text: '<at>User Three</at>', mentioned: { id: member(3), name: 'User Three' } },
    ];
    await bot.send({ ...message, entities });
    expect(bot.connector.sent('GET')).toHaveLength(1);
    const groups = JSON.parse(await bot.snapshot()) as Record<
      string,
      Record<string, { members?: Array<{ user: string }> }>
    >;
    const group = Object.values(groups.groups ?? {}).find((g) => g.members);
    expect(group?.members?.map((m) => m.user)).toContain(user(3));
    // Shown again as a Teams mention, with an entity naming them.
    bot.connector.calls.length = 0;
    await bot.send(personalMessage(2, 'group show PA Cohort A'));
    const content = FakeConnector.card(bot.connector.sent('POST')[0]!);
    expect(JSON.stringify(content)).toContain('<at>User Three</at>');
    expect(JSON.stringify(content)).toContain(member(3));
  });
});

describe('Teams privacy canary', () => {
  it('a marker typed in commands, button values and form inputs never reaches a log line or the store', async () => {
    const CANARY = 'zq-canary-7f3e9';
    bot = await startTeamsBot({ specs });
    await bot.send(fixture('installation-update-add'));
    await bot.send(personalMessage(2, 'group create PA Cohort A'));
    const typed = [
      `frobnicate ${CANARY}`,
      `start ${CANARY}`,
      `group show ${CANARY}`,
      `group add PA Cohort A ${CANARY} as member`,
      `extend ${CANARY}`,
      `help ${CANARY}`,
    ];
    for (const line of typed) {
      await bot.send({
        ...personalMessage(1, line),
        attachments: [{ contentType: 'text/html', content: `<p>${line}</p>` }],
      });
      await bot.send(channelMessage(2, line));
    }
    await bot.send({ ...fixture('message-action-submit'), value: { verb: 'timer:next', value: CANARY } });
    await bot.send({ ...fixture('message-action-submit'), value: { verb: CANARY, value: CANARY } });
    const invoke = fixture('invoke-adaptive-card-action');
    await bot.send({
      ...invoke,
      value: {
        action: { type: 'Action.Execute', verb: 'timer:end', data: { verb: 'timer:end', value: CANARY } },
        trigger: 'manual',
      },
    });
    // A timer card's automatic refresh carries a value back too.
    for (const verb of ['timer:refresh', CANARY])
      await bot.send({
        ...invoke,
        value: { action: { type: 'Action.Execute', verb, data: { verb, value: CANARY } }, trigger: 'automatic' },
      });
    const key = await openTheForm(bot);
    await bot.send(submitInvoke(key, { f_when: CANARY, f_count: CANARY, f_note: CANARY }));
    await bot.send(submitInvoke(CANARY, { f_note: CANARY }));

    expect(bot.logs.lines.length).toBeGreaterThan(20);
    expect(bot.logs.lines.filter((l) => l.includes(CANARY))).toEqual([]);
    expect(await bot.snapshot()).not.toContain(CANARY);
  });
});
