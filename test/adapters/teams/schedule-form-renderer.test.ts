// The `schedule` form as a Teams user meets it: the card the bot sends is rendered by Microsoft's
// `adaptivecards` library under jsdom (Teams-like host config), filled in as a person would,
// submitted with the library's own validation, and the press goes back to the bot through the
// real /api/messages route as an Action.Execute invoke. Then the session must be scheduled.
import { afterEach, describe, expect, it } from 'vitest';
import { renderCard, type RenderedCard } from './adaptive-render.js';
import { FakeConnector } from './fake-connector.js';
import { aad, member, personalChat, personalMessage, startTeamsBot, TENANT, type TeamsBot } from './teams-bot.js';

let bot: TeamsBot;
afterEach(async () => {
  await bot?.stop();
});

/** Person 2 (a coordinator) makes a group and asks for the form; the rendered form and its message id. */
async function openForm(b: TeamsBot): Promise<{ form: RenderedCard; messageId: string; groupId: string }> {
  await b.send(personalMessage(2, 'group create PA Cohort A tz America/New_York preset 60'));
  const before = b.connector.sent('POST').length;
  await b.send(personalMessage(2, 'schedule'));
  const posts = b.connector.sent('POST').slice(before);
  const formPost = posts.find((c) => JSON.stringify(FakeConnector.card(c)).includes('Schedule sessions'));
  expect(formPost).toBeDefined();
  const group = await b.app.services.roster.findGroup('PA Cohort A');
  return {
    form: renderCard(FakeConnector.card(formPost!)),
    messageId: String(1768489300000 + b.connector.sent('POST').indexOf(formPost!) + 1),
    groupId: group!.id,
  };
}

/** What Teams sends when the person presses the form's button in their personal chat. */
function invoke(messageId: string, verb: string | undefined, data: Record<string, unknown>): Record<string, unknown> {
  return {
    name: 'adaptiveCard/action',
    type: 'invoke',
    id: `f:${Date.now()}`,
    channelId: 'msteams',
    timestamp: '2026-01-15T15:02:00.000Z',
    from: { id: member(2), aadObjectId: aad(2), name: 'User 2' },
    conversation: { conversationType: 'personal', tenantId: TENANT, id: personalChat(2) },
    recipient: { id: '28:00000000-0000-0000-0000-0000000000b1', name: 'Balint' },
    channelData: { tenant: { id: TENANT } },
    replyToId: messageId,
    value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
    localTimezone: 'America/New_York',
  };
}

async function submit(b: TeamsBot, form: RenderedCard, messageId: string): Promise<unknown> {
  const result = form.press('Schedule');
  if (!('pressed' in result))
    throw new Error(`the renderer refused the form: ${result.invalid.join(', ')} ${result.messages.join(' ')}`);
  const response = await b.send(invoke(messageId, result.pressed.verb, result.pressed.data));
  expect(response.status).toBe(200);
  return response.body;
}

describe('the schedule form in Microsoft’s Adaptive Cards renderer', () => {
  it('books a one-off session with every optional field left empty', async () => {
    bot = await startTeamsBot();
    const { form, messageId, groupId } = await openForm(bot);
    form.choose('f_group', groupId);
    form.type('f_date', '2026-02-03');
    form.type('f_time', '18:30');
    // "Repeat" is already "Once"; count, until, length, mode, place and link stay empty.
    const body = JSON.stringify(await submit(bot, form, messageId));
    expect(body).toContain('Sent. Thank you.');
    const sessions = await bot.app.services.schedule.upcoming(groupId);
    expect(sessions).toHaveLength(1);
    // 18:30 in New York on 3 February is 23:30 UTC; the group's preset of 60 minutes.
    expect(sessions[0]).toMatchObject({ date: '2026-02-03', time: '18:30', minutes: 60, mode: 'in-person' });
    expect(new Date(sessions[0]!.start).toISOString()).toBe('2026-02-03T23:30:00.000Z');
  });

  it('books a weekly series of four, the other optional fields empty', async () => {
    bot = await startTeamsBot();
    const { form, messageId, groupId } = await openForm(bot);
    form.choose('f_group', groupId);
    form.type('f_date', '2026-02-03');
    form.type('f_time', '18:30');
    form.choose('f_every', 'week');
    form.type('f_count', '4');
    expect(JSON.stringify(await submit(bot, form, messageId))).toContain('Sent. Thank you.');
    const sessions = await bot.app.services.schedule.upcoming(groupId);
    expect(sessions.map((x) => x.date)).toEqual(['2026-02-03', '2026-02-10', '2026-02-17', '2026-02-24']);
  });

  it('a required field left empty is stopped by the renderer with its message, and nothing is sent', async () => {
    bot = await startTeamsBot();
    const { form, groupId } = await openForm(bot);
    form.choose('f_group', groupId);
    // The form starts on a date a week ahead: the person clears it.
    form.type('f_date', '');
    form.type('f_time', '18:30');
    const result = form.press('Schedule');
    expect(result).toEqual({ invalid: ['f_date'], messages: [expect.stringContaining('is required')] });
    expect(await bot.app.services.schedule.upcoming(groupId)).toEqual([]);
  });

  it('a count out of range reaches the bot, which answers with the form and the error by the field', async () => {
    bot = await startTeamsBot();
    const { form, messageId, groupId } = await openForm(bot);
    form.choose('f_group', groupId);
    form.type('f_date', '2026-02-03');
    form.type('f_time', '18:30');
    form.choose('f_every', 'week');
    form.type('f_count', '0');
    const body = JSON.stringify(await submit(bot, form, messageId));
    expect(body).toContain('Schedule sessions');
    expect(body).toContain('"color":"Attention"');
    expect(await bot.app.services.schedule.upcoming(groupId)).toEqual([]);
  });
});
