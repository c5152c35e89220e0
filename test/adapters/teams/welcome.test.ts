// The welcome card on install: in the personal chat and in a team channel, once per place, with
// what Balint does, the privacy promise and first steps per role, valid for Microsoft's renderer.
import { afterEach, describe, expect, it } from 'vitest';
import { renderCard } from '../../../src/adapters/teams/render-card.js';
import { welcomeCard } from '../../../src/adapters/teams/welcome.js';
import { adaptiveCardProblems } from './adaptive-validate.js';
import { FakeConnector } from './fake-connector.js';
import { CHANNEL, fixture, personalChat, startTeamsBot, type TeamsBot } from './teams-bot.js';

let bot: TeamsBot;
afterEach(async () => {
  await bot?.stop();
});

/** installationUpdate (add) in a team: the channel fixture's conversation, the install's shape. */
function teamInstall(): Record<string, unknown> {
  const install = fixture('installation-update-add');
  const channel = fixture('message-channel-mention');
  return { ...install, conversation: channel.conversation, channelData: channel.channelData };
}

describe('the welcome card', () => {
  it('says what Balint does, the privacy promise and first steps for each role', () => {
    for (const where of ['personal', 'team'] as const) {
      const rendered = renderCard(welcomeCard(where));
      expect(adaptiveCardProblems(rendered)).toEqual([]);
      const body = JSON.stringify(rendered.body);
      for (const part of [
        'Welcome to Balint',
        'never reads, stores or logs',
        'Coordinators',
        'Facilitators',
        'Students',
      ])
        expect(body).toContain(part);
      expect(body.includes('@Balint schedule')).toBe(where === 'team');
    }
  });

  it('is sent once in the personal chat on install, and again after a reinstall', async () => {
    bot = await startTeamsBot();
    await bot.send(fixture('installation-update-add'));
    await bot.send(fixture('installation-update-add'));
    const welcomes = () =>
      bot.connector.sent('POST').filter((c) => JSON.stringify(FakeConnector.card(c)).includes('Welcome to Balint'));
    expect(welcomes().map((c) => c.path)).toEqual([`/v3/conversations/${personalChat(1)}/activities`]);
    await bot.send({ ...fixture('installation-update-add'), action: 'remove' });
    await bot.send(fixture('installation-update-add'));
    expect(welcomes()).toHaveLength(2);
  });

  it('is posted in the team channel on a team install, with @Balint commands', async () => {
    bot = await startTeamsBot();
    await bot.send(teamInstall());
    const [post] = bot.connector.sent('POST');
    expect(post!.path.startsWith(`/v3/conversations/${CHANNEL}`)).toBe(true);
    expect(JSON.stringify(FakeConnector.card(post!))).toContain('@Balint start');
  });
});
