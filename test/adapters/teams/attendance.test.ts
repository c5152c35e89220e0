// Attendance on Teams over real HTTP: Teams has no private in-channel messages, so the card
// comes in the leader's 1:1 chat; an Action.Execute press on it updates that card in place.
import { afterEach, describe, expect, it } from 'vitest';
import { FakeConnector } from './fake-connector.js';
import { fixture, member, personalMessage, startTeamsBot, user, type TeamsBot } from './teams-bot.js';

let bot: TeamsBot;
afterEach(async () => {
  await bot?.stop();
});

describe('attendance on Teams', () => {
  it('sends the card to the 1:1 chat and updates it in place on a press', async () => {
    bot = await startTeamsBot();
    const { roster } = bot.app.services;
    const group = await roster.createGroup({ name: 'PA Cohort A', timeZone: 'America/New_York', preset: '60' }, 0);
    await roster.addMembers(group.id, [user(2)], 'leader');
    await roster.addMembers(group.id, [user(3)], 'member');
    await bot.send(personalMessage(2, 'help'));
    bot.connector.calls.length = 0;

    expect((await bot.send(personalMessage(2, 'attendance take PA Cohort A'))).status).toBe(200);
    const posts = bot.connector.sent('POST').filter((c) => c.path.endsWith('/activities'));
    const cardPost = posts.find((c) => JSON.stringify(FakeConnector.card(c)).includes('attendance:toggle'));
    expect(cardPost).toBeDefined();
    expect(cardPost?.path).not.toContain('thread.tacv2');
    const value = /"verb":"attendance:toggle","value":"([^"]+)"/.exec(
      JSON.stringify(FakeConnector.card(cardPost!)),
    )?.[1];
    expect(value).toMatch(/^day_[0-9a-f]{16}_\d{8}\/teams:/);

    bot.connector.calls.length = 0;
    const response = await bot.send({
      ...fixture('invoke-adaptive-card-action'),
      from: { id: member(2), aadObjectId: user(2).split(':')[2] },
      conversation: { id: cardPost!.path.split('/')[3], conversationType: 'personal', tenantId: user(2).split(':')[1] },
      value: {
        action: { type: 'Action.Execute', verb: 'attendance:toggle', data: { verb: 'attendance:toggle', value } },
        trigger: 'manual',
      },
    });
    expect(response.status).toBe(200);
    const put = bot.connector.sent('PUT')[0];
    expect(put?.path.split('/')[3]).toBe(cardPost!.path.split('/')[3]);
    expect(JSON.stringify(FakeConnector.card(put!))).toContain('1 of 1 present');
    const sheet = (await bot.app.services.attendance.records.forGroup(group.id))[0];
    expect(sheet?.marks[user(3)]).toMatchObject({ present: true, by: user(2) });
  });
});
