// The personal chat as a full place to work: `@Balint <command>` typed there works like the
// command, and people mentioned there are looked up in the teams the bot is installed in (the
// 1:1 chat's own member list holds only the person and the bot), or the answer says where to run it.
import { afterEach, describe, expect, it } from 'vitest';
import { FakeConnector } from './fake-connector.js';
import {
  BOT,
  GENERAL,
  aad,
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

const lastCardText = (b: TeamsBot) => JSON.stringify(FakeConnector.card(b.connector.sent('POST').at(-1)!).body);
const mention = (id: string, name: string) => ({ type: 'mention', text: `<at>${name}</at>`, mentioned: { id, name } });

describe('the personal chat', () => {
  it('`@Balint help` picked as a mention answers like `help`', async () => {
    bot = await startTeamsBot();
    await bot.send(
      personalMessage(1, '<at>Balint</at> help', {
        entities: [mention(BOT, 'Balint')],
      }),
    );
    expect(lastCardText(bot)).toContain('what you can do');
  });

  it('`@Balint help` typed as plain text answers like `help`', async () => {
    bot = await startTeamsBot();
    await bot.send(personalMessage(1, '@Balint help'));
    expect(lastCardText(bot)).toContain('what you can do');
  });

  it('a person mentioned there is looked up in the team the bot is installed in, not in the 1:1 chat', async () => {
    bot = await startTeamsBot();
    await bot.send(fixture('conversation-update-bot-added'));
    // (the person who installed it, 3, is known from that event; 4 the bot has never met)
    bot.connector.members.set(member(4), aad(4));
    await bot.send(personalMessage(2, 'group create PA Cohort A'));
    await bot.send(
      personalMessage(2, 'group add PA Cohort A <at>User Four</at> as member', {
        entities: [mention(member(4), 'User Four')],
      }),
    );
    const lookups = bot.connector.sent('GET');
    expect(lookups.map((c) => c.path)).toEqual([`/v3/conversations/${GENERAL}/members/${member(4)}`]);
    const group = await bot.app.services.roster.findGroup('PA Cohort A');
    expect(group?.members.map((m) => m.user)).toContain(user(4));
  });

  it('without a team that knows them, the answer says to run the command in the team channel, and nothing changes', async () => {
    bot = await startTeamsBot();
    await bot.send(personalMessage(2, 'group create PA Cohort A'));
    await bot.send(
      personalMessage(2, 'group add PA Cohort A <at>User Three</at> as member', {
        entities: [mention(member(3), 'User Three')],
      }),
    );
    expect(bot.connector.sent('POST').at(-1)!.path).toBe(`/v3/conversations/${personalChat(2)}/activities`);
    expect(lastCardText(bot)).toContain("Run this command in your team's channel");
    const group = await bot.app.services.roster.findGroup('PA Cohort A');
    expect(group?.members.map((m) => m.user)).not.toContain(user(3));
  });
});
