// Rotation imports name students by email; on Teams the members of the teams the bot is in
// (GET /v3/conversations/{id}/pagedmembers, through the stored channel reference) turn them into people.
import { afterEach, describe, expect, it } from 'vitest';
import { RoutingChat } from '../../../src/adapters/platform/routing-chat.js';
import { aad, GENERAL, fixture, member, startTeamsBot, user, type TeamsBot } from './teams-bot.js';

let bot: TeamsBot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

const listings = (b: TeamsBot) => b.connector.sent('GET').filter((c) => c.path.endsWith('/pagedmembers'));

async function inTeam(): Promise<TeamsBot> {
  const b = await startTeamsBot();
  b.connector.roster.push(
    {
      id: member(1),
      aadObjectId: aad(1),
      name: 'User 1',
      email: 'User.One@Example.edu',
      userPrincipalName: 'user.one@example.edu',
    },
    { id: member(3), aadObjectId: aad(3), name: 'User 3', userPrincipalName: 'User.Three@Example.EDU' },
    {
      id: member(4),
      aadObjectId: aad(4),
      name: 'User 4',
      email: 'user.four@example.edu',
      userPrincipalName: 'u4@tenant.example',
    },
  );
  // The team's General channel: its reference is what the roster is listed through.
  expect((await b.send(fixture('conversation-update-bot-added'))).status).toBe(200);
  return b;
}

describe('finding a person by email on Teams', () => {
  it('answers the team member by email or UPN in any case, nobody for an unknown email, listing the team once', async () => {
    bot = await inTeam();
    const chat = new RoutingChat({ teams: bot.adapter.chat });
    expect(await chat.userByEmail('user.one@example.edu')).toBe(user(1));
    expect(await chat.userByEmail('USER.THREE@example.edu')).toBe(user(3));
    expect(await bot.adapter.chat.userByEmail('U4@Tenant.Example')).toBe(user(4));
    expect(await bot.adapter.chat.userByEmail('User.Four@example.edu')).toBe(user(4));
    expect(await chat.userByEmail('nobody@example.edu')).toBeUndefined();
    // Three members at two a page: two requests, made once for all five look-ups.
    const calls = listings(bot);
    expect(calls.map((c) => c.path)).toEqual([
      `/v3/conversations/${GENERAL}/pagedmembers`,
      `/v3/conversations/${GENERAL}/pagedmembers`,
    ]);
    expect(new URLSearchParams(calls[1]?.query).get('continuationToken')).toBe('2');
    // Nothing about the emails reaches the log or the store.
    expect(bot.logs.lines.join('\n')).not.toMatch(/example/i);
    expect(await bot.snapshot()).not.toMatch(/example\.edu/i);
  });

  it('lists the team again once the cached roster is old', async () => {
    bot = await inTeam();
    expect(await bot.adapter.chat.userByEmail('user.one@example.edu')).toBe(user(1));
    await bot.clock.advance(6 * 60_000);
    bot.connector.roster.push({ id: member(5), aadObjectId: aad(5), email: 'five@example.edu' });
    expect(await bot.adapter.chat.userByEmail('FIVE@example.edu')).toBe(user(5));
    expect(listings(bot)).toHaveLength(4);
  });

  it('answers nobody, asking nothing, when no team channel is known', async () => {
    bot = await startTeamsBot();
    bot.connector.roster.push({ id: member(1), aadObjectId: aad(1), email: 'user.one@example.edu' });
    // A personal chat is known, but it lists no team.
    await bot.send(fixture('installation-update-add'));
    expect(await bot.adapter.chat.userByEmail('user.one@example.edu')).toBeUndefined();
    expect(listings(bot)).toEqual([]);
  });

  it('throws a retryable error when the connector fails, and asks again next time', async () => {
    bot = await inTeam();
    // Every attempt of our bounded retry policy (four) gets a 500.
    bot.connector.script(
      'GET',
      /\/pagedmembers$/,
      { status: 500, body: { error: { code: 'ServiceError', message: 'boom' } } },
      4,
    );
    await expect(bot.adapter.chat.userByEmail('user.one@example.edu')).rejects.toMatchObject({
      retryable: true,
      code: 'teams_failed',
      status: 500,
    });
    expect(listings(bot)).toHaveLength(4);
    expect(await bot.adapter.chat.userByEmail('user.one@example.edu')).toBe(user(1));
  });
});
