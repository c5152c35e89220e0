// Cards that answer, over the real /api/messages route: an RSVP press turns the pressed reminder
// into the presser's answer (an Action.Execute invoke answers with that card, shown to them
// alone; an Action.Submit press from the 1:1 chat updates that message); and the timer card's
// steering buttons reach the facilitators only, through its Universal Actions refresh.
import { afterEach, describe, expect, it } from 'vitest';
import { FakeConnector } from './fake-connector.js';
import { adaptiveCardProblems } from './adaptive-validate.js';
import {
  aad,
  CHANNEL,
  channelMessage,
  fixture,
  member,
  personalChat,
  personalMessage,
  startTeamsBot,
  user,
  type TeamsBot,
} from './teams-bot.js';

let bot: TeamsBot;
afterEach(async () => {
  await bot?.stop();
});

async function groupWithSession(): Promise<string> {
  const { roster, schedule } = bot.app.services;
  const group = await roster.createGroup({ name: 'PA Cohort A', timeZone: 'America/New_York', preset: '60' }, 0);
  await roster.addMembers(group.id, [user(2)], 'leader');
  await roster.addMembers(group.id, [user(3)], 'member');
  const [session] = await schedule.schedule(group, {
    date: '2026-01-20',
    time: '18:00',
    minutes: 60,
    mode: 'in-person',
  });
  await bot.send(personalMessage(3, 'help'));
  bot.connector.calls.length = 0;
  return session!.id;
}

const rsvpInvoke = (n: number, sessionId: string, conversation: Record<string, unknown>) => ({
  ...fixture('invoke-adaptive-card-action'),
  from: { id: member(n), aadObjectId: user(n).split(':')[2], name: `User ${n}` },
  conversation,
  value: {
    action: { type: 'Action.Execute', verb: 'rsvp:yes', data: { verb: 'rsvp:yes', value: `yes:${sessionId}` } },
    trigger: 'manual',
  },
});

describe('an RSVP press on Teams', () => {
  it('answers the invoke with the refreshed card, shown to the presser, and sends nothing else', async () => {
    bot = await startTeamsBot();
    const sessionId = await groupWithSession();
    const base = fixture('invoke-adaptive-card-action');
    const response = await bot.send(rsvpInvoke(3, sessionId, base.conversation));
    expect(response.status).toBe(200);
    const body = response.body as { statusCode: number; type: string; value: Record<string, unknown> };
    expect(body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    const shown = JSON.stringify(body.value);
    expect(shown).toContain("you're down as going");
    expect(shown).toContain('Change to:');
    expect(shown).toContain('"verb":"rsvp:no"');
    // Not posted to the channel, not sent to the 1:1 chat, no shared message changed.
    expect(bot.connector.sent('POST').filter((c) => c.path.endsWith('/activities'))).toEqual([]);
    expect(bot.connector.sent('PUT')).toEqual([]);
    const session = await bot.app.services.schedule.records.get(sessionId);
    expect(session?.rsvps[user(3)]).toBe('yes');
  });

  it('an Action.Submit press in the 1:1 chat updates the pressed message', async () => {
    bot = await startTeamsBot();
    const sessionId = await groupWithSession();
    const personal = personalMessage(3, '');
    const response = await bot.send({
      ...personal,
      text: undefined,
      replyToId: '1768489399999',
      value: { verb: 'rsvp:yes', value: `yes:${sessionId}` },
    });
    expect(response.status).toBe(200);
    const puts = bot.connector.sent('PUT');
    expect(puts).toHaveLength(1);
    expect(puts[0]?.path).toContain(`/v3/conversations/${personalChat(3)}/activities/1768489399999`);
    expect(JSON.stringify(FakeConnector.card(puts[0]!))).toContain("you're down as going");
  });

  it('an Action.Submit press in a channel changes nobody’s card: the answer goes to the 1:1 chat', async () => {
    bot = await startTeamsBot();
    const sessionId = await groupWithSession();
    const base = fixture('message-channel-mention');
    const response = await bot.send({
      ...base,
      text: undefined,
      attachments: [],
      from: { ...base.from, id: member(3), aadObjectId: user(3).split(':')[2], name: 'User 3' },
      replyToId: '1768489399999',
      value: { verb: 'rsvp:yes', value: `yes:${sessionId}` },
    });
    expect(response.status).toBe(200);
    expect(bot.connector.sent('PUT')).toEqual([]);
    const posts = bot.connector.sent('POST').filter((c) => c.path.endsWith('/activities'));
    expect(posts).toHaveLength(1);
    expect(posts[0]?.path).toContain(personalChat(3));
  });
});

describe('the timer card on Teams: steering buttons for the facilitators only', () => {
  async function startTimer(): Promise<{ shared: Record<string, unknown> }> {
    bot = await startTeamsBot();
    // person 2 is a coordinator (see startTeamsBot) and leads the group; person 4 co-leads it.
    await bot.send(personalMessage(2, 'group create PA Cohort A tz America/New_York preset 60'));
    const { roster } = bot.app.services;
    const group = (await roster.groups())[0]!;
    await roster.addMembers(group.id, [user(2)], 'leader');
    await roster.addMembers(group.id, [user(4)], 'co-leader');
    await roster.addMembers(group.id, [user(3)], 'member');
    for (const n of [3, 4]) await bot.send(personalMessage(n, 'help'));
    await bot.send(fixture('conversation-update-bot-added'));
    bot.connector.calls.length = 0;
    await bot.send(channelMessage(2, 'start PA Cohort A'));
    const timerPost = bot.connector
      .sent('POST')
      .find((c) => c.path.startsWith(`/v3/conversations/${CHANNEL}/`) && 'refresh' in FakeConnector.card(c));
    expect(timerPost).toBeDefined();
    return { shared: FakeConnector.card(timerPost!) };
  }

  const refreshBy = (n: number, action: unknown) => ({
    ...fixture('invoke-adaptive-card-action'),
    id: `refresh-${n}`,
    from: { id: member(n), aadObjectId: aad(n), name: `User ${n}` },
    value: { action, trigger: 'automatic' },
  });

  it('the shared card has no Next/Pause/+2/End and lists the leader and co-leader for its refresh', async () => {
    const { shared } = await startTimer();
    const json = JSON.stringify(shared.body);
    for (const verb of ['timer:next', 'timer:pause', 'timer:extend', 'timer:end']) expect(json).not.toContain(verb);
    expect(shared.refresh).toMatchObject({
      action: { type: 'Action.Execute', verb: 'timer:refresh', data: { verb: 'timer:refresh' } },
    });
    const refresh = shared.refresh as { action: { data: { value: string } }; userIds: string[] };
    expect(refresh.action.data.value).toMatch(/^tmr_[0-9a-f]+$/);
    expect(refresh.userIds.sort()).toEqual([member(2), member(4)].sort());
    expect(adaptiveCardProblems(shared)).toEqual([]);
  });

  it('a refresh from a facilitator answers with the buttons; from a member, with the shared view', async () => {
    const { shared } = await startTimer();
    const refresh = shared.refresh as { action: unknown };
    bot.connector.calls.length = 0;
    for (const n of [2, 4]) {
      const own = await bot.send(refreshBy(n, refresh.action));
      const body = own.body as { statusCode: number; type: string; value: Record<string, unknown> };
      expect(body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
      const json = JSON.stringify(body.value);
      for (const verb of ['timer:next', 'timer:pause', 'timer:extend', 'timer:end']) expect(json).toContain(verb);
      // Their own view keeps refreshing as the shared card changes.
      expect(body.value.refresh).toMatchObject({ action: { verb: 'timer:refresh' } });
    }
    const member3 = await bot.send(refreshBy(3, refresh.action));
    const json = JSON.stringify((member3.body as { value: unknown }).value);
    expect(json).toContain('timer:refresh');
    expect(json).not.toContain('timer:next');
    // A refresh changes nothing and sends nothing.
    expect(bot.connector.calls).toEqual([]);
  });

  it('a refresh for a timer that does not exist, or of another card, leaves the card as it is', async () => {
    await startTimer();
    const unknown = await bot.send(
      refreshBy(2, { type: 'Action.Execute', verb: 'timer:refresh', data: { verb: 'timer:refresh', value: 'tmr_0' } }),
    );
    expect(unknown.body).toEqual({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: '' });
    const other = await bot.send(refreshBy(2, { type: 'Action.Execute', verb: 'x', data: { verb: 'x', value: 'y' } }));
    expect(other.body).toEqual({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: '' });
  });
});
