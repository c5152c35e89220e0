// Which tenant and user ids the bot accepts: any plain id of a sane length (the Agents
// Playground's defaults are not GUIDs), never one that could break our own `teams:<t>:<u>` ids.
// Through the real route: a dropped activity is logged at warn with its reason code.
import { afterEach, describe, expect, it } from 'vitest';
import { actorOf, dropReason, splitUser, tenantOf } from '../../../src/adapters/teams/identity.js';
import { FakeConnector } from './fake-connector.js';
import { personalChat, personalMessage, startTeamsBot, TENANT, type TeamsBot } from './teams-bot.js';

// What the Playground (0.2.28) sends by default: 13 digits in the last group.
const PLAYGROUND_TENANT = '00000000-0000-0000-0000-0000000000001';
const PLAYGROUND_USER = '00000000-0000-0000-0000-0000000000020';

const parties = (tenant: string | undefined, aadObjectId?: string) => ({
  from: { id: 'user-id-0', ...(aadObjectId !== undefined ? { aadObjectId } : {}) },
  conversation: { id: 'conv', ...(tenant !== undefined ? { tenantId: tenant } : {}) },
});

describe('Teams ids', () => {
  it("accepts the Playground's ids and keeps them as they are", () => {
    expect(tenantOf(parties(PLAYGROUND_TENANT))).toBe(PLAYGROUND_TENANT);
    expect(actorOf(parties(PLAYGROUND_TENANT, PLAYGROUND_USER))).toBe(`teams:${PLAYGROUND_TENANT}:${PLAYGROUND_USER}`);
    expect(splitUser(`teams:${PLAYGROUND_TENANT}:${PLAYGROUND_USER}`)).toEqual({
      tenant: PLAYGROUND_TENANT,
      aadObjectId: PLAYGROUND_USER,
    });
  });

  it('writes a GUID in lower case, so one person is one id', () => {
    const upper = 'AAAAAAAA-0000-0000-0000-00000000A001';
    expect(actorOf(parties(TENANT.toUpperCase(), upper))).toBe(`teams:${TENANT}:${upper.toLowerCase()}`);
  });

  it('refuses ids that would break ours: a colon, spaces, markup, or too long', () => {
    for (const bad of ['a:b', 'has space', '<at>x</at>', 'x'.repeat(65), ''])
      expect(actorOf(parties(TENANT, bad)), bad).toBeUndefined();
    expect(tenantOf(parties('t:1'))).toBeUndefined();
    expect(dropReason(parties('t:1'))).toBe('bad_tenant');
    expect(dropReason(parties(undefined))).toBe('no_tenant');
    expect(splitUser('teams:a:b:c')).toBeUndefined();
  });
});

let bot: TeamsBot;
afterEach(async () => {
  await bot?.stop();
});

const warnings = (b: TeamsBot) =>
  b.logs.lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.event === 'teams.dropped');

describe('Teams activities the bot drops', () => {
  it('answers a Playground-shaped tenant and user', async () => {
    bot = await startTeamsBot();
    const message = personalMessage(1, 'help');
    const response = await bot.send({
      ...message,
      from: { ...(message.from as object), aadObjectId: PLAYGROUND_USER },
      conversation: { ...(message.conversation as object), tenantId: PLAYGROUND_TENANT },
      channelData: { tenant: { id: PLAYGROUND_TENANT } },
    });
    expect(response.status).toBe(200);
    const [call] = bot.connector.sent('POST');
    expect(call!.path).toBe(`/v3/conversations/${personalChat(1)}/activities`);
    expect(JSON.stringify(FakeConnector.card(call!))).toContain('what you can do');
    expect(warnings(bot)).toEqual([]);
  });

  it('logs an activity with an unusable tenant at warn with its reason, and sends nothing', async () => {
    bot = await startTeamsBot();
    const message = personalMessage(1, 'help');
    await bot.send({ ...message, conversation: { ...(message.conversation as object), tenantId: 'bad tenant' } });
    expect(bot.connector.calls).toEqual([]);
    expect(warnings(bot)).toEqual([expect.objectContaining({ level: 40, code: 'bad_tenant', action: 'message' })]);
  });

  it('logs a message without an AAD object id at warn (no_user)', async () => {
    bot = await startTeamsBot();
    const message = personalMessage(1, 'help');
    await bot.send({ ...message, from: { id: 'user-id-0' } });
    expect(bot.connector.sent('POST')).toEqual([]);
    expect(warnings(bot)).toEqual([expect.objectContaining({ level: 40, code: 'no_user', action: 'command' })]);
  });

  it('a single-tenant bot refuses an activity from another tenant', async () => {
    bot = await startTeamsBot({ config: { appType: 'SingleTenant', tenantId: PLAYGROUND_TENANT } });
    await bot.send(personalMessage(1, 'help'));
    expect(bot.connector.calls).toEqual([]);
    expect(warnings(bot)).toEqual([expect.objectContaining({ level: 40, code: 'other_tenant' })]);
    // Its own tenant, written in capitals, is still its own.
    await bot.stop();
    bot = await startTeamsBot({ config: { appType: 'SingleTenant', tenantId: TENANT.toUpperCase() } });
    await bot.send(personalMessage(1, 'help'));
    expect(bot.connector.sent('POST')).toHaveLength(1);
  });
});
