// Teams activities at the door: one arriving again with the same id in the same conversation is
// acted on once (a redelivery, a replay, one request reaching two instances), and one without a
// well-formed `from` or `conversation` is answered 400 and changes nothing.
import { afterEach, describe, expect, it } from 'vitest';
import { CLAIMS } from '../../../src/core/plumbing/claim-once.js';
import { channelMessage, personalChat, personalMessage, startTeamsBot, type TeamsBot } from './teams-bot.js';

let bot: TeamsBot;
afterEach(() => bot?.stop());

const lines = (event: string) => bot.logs.lines.filter((l) => l.includes(`"event":"${event}"`));
async function count(namespace: string): Promise<number> {
  let n = 0;
  for await (const entry of bot.store.entries(namespace)) if (entry) n++;
  return n;
}
const postsTo = (conversation: string) =>
  bot.connector.sent('POST').filter((c) => c.path === `/v3/conversations/${conversation}/activities`);

describe('a Teams activity delivered twice', () => {
  it('runs a command once: one group, one answer, and the repeat logged with no content', async () => {
    bot = await startTeamsBot();
    const create = personalMessage(2, 'group create Replay Group program PA tz UTC');
    const first = await bot.send(create);
    const again = await bot.send(create);
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(await count('groups')).toBe(1);
    expect(postsTo(personalChat(2))).toHaveLength(1);
    expect(lines('teams.replay-ignored').map((l) => JSON.parse(l) as Record<string, unknown>)).toEqual([
      { level: 30, time: expect.any(String), event: 'teams.replay-ignored', platform: 'teams', action: 'message' },
    ]);
    // Sent at once side by side, the same: one of the two acts.
    const other = personalMessage(2, 'group create Second Group program PA tz UTC');
    await Promise.all([bot.send(other), bot.send(other)]);
    expect(await count('groups')).toBe(2);
    expect(lines('teams.replay-ignored')).toHaveLength(2);
  });

  it('takes the same id in another conversation as another activity', async () => {
    bot = await startTeamsBot();
    await bot.send(personalMessage(2, 'help', { id: 'same-id' }));
    await bot.send(personalMessage(3, 'help', { id: 'same-id' }));
    expect(postsTo(personalChat(2))).toHaveLength(1);
    expect(postsTo(personalChat(3))).toHaveLength(1);
    expect(lines('teams.replay-ignored')).toEqual([]);
  });
});

describe('a Teams activity of the wrong shape', () => {
  const cases: Array<[string, (a: Record<string, unknown>) => Record<string, unknown>]> = [
    ['without from', ({ from: _from, ...rest }) => rest],
    ['with from: null', (a) => ({ ...a, from: null })],
    ['whose from.id is a number', (a) => ({ ...a, from: { id: 7 } })],
    ['without conversation', ({ conversation: _conversation, ...rest }) => rest],
    ['whose conversation is a string', (a) => ({ ...a, conversation: 'a:1' })],
    ['whose id is an object', (a) => ({ ...a, id: { x: 1 } })],
  ];

  it.each(cases)('answers an activity %s with 400 and changes nothing', async (_name, change) => {
    bot = await startTeamsBot();
    const before = await bot.snapshot();
    const response = await bot.send(change(channelMessage(2, 'group create Shapeless program PA')));
    expect(response.status).toBe(400);
    const refused = lines('teams.bad-request').map((l) => JSON.parse(l) as { code?: string });
    expect(refused.map((r) => r.code)).toEqual(['malformed_activity']);
    expect(bot.logs.lines.filter((l) => (JSON.parse(l) as { level: number }).level >= 50)).toEqual([]);
    expect(bot.connector.calls).toEqual([]);
    expect(await bot.snapshot()).toBe(before);
    expect(await count(CLAIMS)).toBe(0);
  });
});
