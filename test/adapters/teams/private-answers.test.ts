// Private answers on Teams when the 1:1 chat fails: a stored chat Teams no longer knows (404
// ConversationNotFound) is created anew and the message sent once; "open Balint in your personal
// chat" is said in the channel only when there is no personal chat and none can be created;
// throttling and outages get "try again in a moment" instead.
import { afterEach, describe, expect, it } from 'vitest';
import { placeOf } from '../../../src/adapters/teams/identity.js';
import { card, text } from '../../../src/core/cards.js';
import { FakeConnector, type Answer } from './fake-connector.js';
import {
  CHANNEL,
  TENANT,
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

const errors = (fixture('connector-responses') as unknown as { errors: Record<string, Answer> }).errors;
const NO_PRIVATE_CHAT = 'open Balint in your personal chat';
const TRY_AGAIN = "I couldn't deliver my answer just now. Please try again in a moment.";
const STALE = new RegExp(`^/v3/conversations/${personalChat(1)}/activities$`);
const CREATE = /^\/v3\/conversations$/;
const renewed = `/v3/conversations/a:1PeRsOnAl-${member(1)}/activities`;

const route = (c: { method: string; path: string }) => `${c.method} ${c.path}`;
const cardText = (c: Parameters<typeof FakeConnector.card>[0]) => JSON.stringify(FakeConnector.card(c).body);
const channelPosts = (b: TeamsBot) =>
  b.connector.sent('POST').filter((c) => c.path === `/v3/conversations/${CHANNEL}/activities`);

type Snapshot = Record<string, Record<string, Record<string, unknown>>>;
async function personalOf(b: TeamsBot, n: number): Promise<{ personal?: string; places: string[] }> {
  const snapshot = JSON.parse(await b.snapshot()) as Snapshot;
  const places = Object.values(snapshot['teams-places'] ?? {})
    .filter((ref) => ref.kind === 'personal')
    .map((ref) => String(ref.conversationId));
  return { personal: snapshot['teams-people']?.[user(n)]?.personal as string | undefined, places };
}

/** Person 1 has written to the bot in their 1:1 chat, so that chat is stored. */
async function withStoredChat(): Promise<TeamsBot> {
  const b = await startTeamsBot();
  await b.send(personalMessage(1, 'help'));
  expect((await personalOf(b, 1)).places).toEqual([personalChat(1)]);
  b.connector.calls.length = 0;
  return b;
}

describe('a stored 1:1 chat that Teams answers 404 ConversationNotFound for', () => {
  it('is created anew for the answer to a channel command, the answer sent once, the stale reference replaced', async () => {
    bot = await withStoredChat();
    bot.connector.script('POST', STALE, errors.conversationNotFound!, 100);
    await bot.send(channelMessage(1, 'help'));
    expect(bot.connector.calls.map(route)).toEqual([
      `POST /v3/conversations/${personalChat(1)}/activities`,
      'POST /v3/conversations',
      `POST ${renewed}`,
    ]);
    expect(bot.connector.calls[1]!.body).toMatchObject({
      isGroup: false,
      members: [{ id: member(1) }],
      tenantId: TENANT,
      channelData: { tenant: { id: TENANT } },
    });
    expect(cardText(bot.connector.calls[2]!)).toContain('what you can do');
    expect(await personalOf(bot, 1)).toEqual({
      personal: placeOf(TENANT, `a:1PeRsOnAl-${member(1)}`),
      places: [`a:1PeRsOnAl-${member(1)}`],
    });
    expect(channelPosts(bot)).toEqual([]);
    expect(await bot.adapter.problems.list()).toEqual([]);
    expect(bot.logs.lines.some((l) => l.includes('"teams.personal-chat-renewed"'))).toBe(true);

    // The next answer goes to the new chat straight away.
    bot.connector.calls.length = 0;
    await bot.send(channelMessage(1, 'help'));
    expect(bot.connector.calls.map(route)).toEqual([`POST ${renewed}`]);
  });

  it('a reminder job (a direct message) is sent once in the new chat, and the job is done', async () => {
    bot = await withStoredChat();
    bot.connector.script('POST', STALE, errors.conversationNotFound!, 100);
    bot.app.jobs.register<{ user: string }>('test.remind', async (job) => {
      await bot.adapter.chat.direct(job.payload.user, card(text('Your session starts soon.')));
    });
    await bot.app.jobs.enqueue('test.remind', bot.clock.now(), { user: user(1) }, 'remind-1');
    await bot.clock.advance(0);
    await bot.app.jobs.idle();
    await bot.clock.advance(60 * 60_000);
    await bot.app.jobs.idle();
    const delivered = bot.connector.calls.filter((c) => c.method === 'POST' && c.path === renewed);
    expect(delivered).toHaveLength(1);
    expect(cardText(delivered[0]!)).toContain('Your session starts soon.');
    expect(bot.connector.calls.filter((c) => CREATE.test(c.path))).toHaveLength(1);
    expect((await bot.app.jobs.enqueue('test.remind', bot.clock.now(), { user: user(1) }, 'remind-1')).status).toBe(
      'done',
    );
  });

  it('when creating the new chat is refused (403, the app was uninstalled) the refusal is recorded with its code', async () => {
    bot = await withStoredChat();
    bot.connector.script('POST', STALE, errors.conversationNotFound!, 100);
    bot.connector.script('POST', CREATE, errors.forbiddenOperationException!, 100);
    await bot.send(channelMessage(1, 'help'));
    expect(bot.connector.calls.map(route).slice(0, 2)).toEqual([
      `POST /v3/conversations/${personalChat(1)}/activities`,
      'POST /v3/conversations',
    ]);
    // No personal chat stored, none creatable: the one case for the channel line.
    const posts = channelPosts(bot);
    expect(posts).toHaveLength(1);
    expect(cardText(posts[0]!)).toContain(NO_PRIVATE_CHAT);
    expect(await bot.adapter.problems.list()).toEqual([
      expect.objectContaining({ target: user(1), code: 'teams_forbidden', reason: 'ForbiddenOperationException' }),
    ]);
    // The stale reference is gone, so nothing keeps pointing at a chat that is not there.
    expect(await personalOf(bot, 1)).toEqual({ places: [] });
  });

  it('a 404 on creating it is recorded too (teams_not_found), and the job fails at once', async () => {
    bot = await withStoredChat();
    bot.connector.script('POST', STALE, errors.conversationNotFound!, 100);
    bot.connector.script('POST', CREATE, { status: 404, body: { error: { code: 'NotFound' } } }, 100);
    const failure = await bot.adapter.chat.direct(user(1), card(text('Hello'))).catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 'teams_not_found', reason: 'NotFound', retryable: false });
    expect(bot.connector.calls.map(route)).toEqual([
      `POST /v3/conversations/${personalChat(1)}/activities`,
      'POST /v3/conversations',
    ]);
    expect(await bot.adapter.problems.list()).toEqual([
      expect.objectContaining({ target: user(1), code: 'teams_not_found', reason: 'NotFound' }),
    ]);
  });

  it('a chat created just now that answers 404 is not created again: one create, one send', async () => {
    bot = await startTeamsBot();
    await bot.send(fixture('conversation-update-bot-added')); // person 3 is known, with no 1:1 chat
    bot.connector.calls.length = 0;
    bot.connector.script('POST', /\/activities$/, errors.conversationNotFound!, 100);
    const failure = await bot.adapter.chat.direct(user(3), card(text('Hello'))).catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 'teams_not_found', reason: 'ConversationNotFound' });
    expect(bot.connector.calls.map(route)).toEqual([
      'POST /v3/conversations',
      `POST /v3/conversations/a:1PeRsOnAl-${member(3)}/activities`,
    ]);
  });
});

describe('the channel line "open Balint in your personal chat"', () => {
  it('is said when the person has no personal chat and none can be created', async () => {
    bot = await startTeamsBot();
    bot.connector.script('POST', CREATE, errors.forbiddenOperationException!, 100);
    await bot.send(channelMessage(4, 'help')); // person 4 never opened Balint
    expect(bot.connector.calls.map(route)).toEqual([
      'POST /v3/conversations',
      `POST /v3/conversations/${CHANNEL}/activities`,
    ]);
    expect(cardText(channelPosts(bot)[0]!)).toContain(NO_PRIVATE_CHAT);
  });

  const transient: Array<[string, Answer]> = [
    [
      'throttling (429 Retry-After: 30)',
      { status: 429, headers: { 'Retry-After': '30' }, body: errors.throttled!.body },
    ],
    ['a server error (503)', { status: 503, body: { error: { code: 'ServiceUnavailable' } } }],
    ['a refusal that is not about the chat (400)', { status: 400, body: { error: { code: 'BadArgument' } } }],
  ];
  for (const [what, answer] of transient) {
    it(`is not said for ${what}: the answer is "try again in a moment"`, async () => {
      bot = await withStoredChat();
      bot.connector.script('POST', STALE, answer, 100);
      await bot.send(channelMessage(1, 'help'));
      const posts = channelPosts(bot);
      expect(posts).toHaveLength(1);
      expect(cardText(posts[0]!)).toContain(TRY_AGAIN);
      expect(cardText(posts[0]!)).not.toContain(NO_PRIVATE_CHAT);
      // Nobody refused anything: no record, and the stored chat is kept.
      expect(await bot.adapter.problems.list()).toEqual(
        answer.status === 400 ? [expect.objectContaining({ code: 'teams_failed' })] : [],
      );
      expect((await personalOf(bot, 1)).places).toEqual([personalChat(1)]);
      expect(bot.connector.calls.some((c) => CREATE.test(c.path))).toBe(false);
    });
  }

  it('is not said when creating the chat is only throttled: the answer is "try again"', async () => {
    bot = await startTeamsBot();
    bot.connector.script('POST', CREATE, { status: 429, headers: { 'Retry-After': '30' }, body: {} }, 100);
    await bot.send(channelMessage(4, 'help'));
    const posts = channelPosts(bot);
    expect(posts).toHaveLength(1);
    expect(cardText(posts[0]!)).toContain(TRY_AGAIN);
    expect(await bot.adapter.problems.list()).toEqual([]);
  });
});
