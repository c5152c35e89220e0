// A running timer on Teams for tests that press its buttons: a group led by person 2, the bot
// in the team, `@Balint start` in the channel, and the leader's own view of the card (with the
// buttons) fetched through the card's refresh.
import { CHANNEL, channelMessage, fixture, personalMessage, type TeamsBot } from './teams-bot.js';
import { FakeConnector } from './fake-connector.js';
import { expect } from 'vitest';

export const toChannel = (c: { path: string }) => c.path.startsWith(`/v3/conversations/${CHANNEL}/activities`);

export async function setUpGroup(b: TeamsBot): Promise<void> {
  // person 2 is a coordinator (see startTeamsBot) and makes a group she leads.
  await b.send(personalMessage(2, 'group create PA Cohort A tz America/New_York preset 60'));
  await b.send(fixture('conversation-update-bot-added'));
}

export async function startTimer(b: TeamsBot): Promise<{ cardId: string; timerId: string; nextValue: string }> {
  await setUpGroup(b);
  const response = await b.send(channelMessage(2, 'start PA Cohort A'));
  expect(response.status).toBe(200);
  const posts = b.connector.sent('POST').filter(toChannel);
  // The timer card everyone sees has no buttons; its refresh brings the leader her own view.
  const timerPost = posts.find((c) => JSON.stringify(FakeConnector.card(c)).includes('timer:refresh'));
  expect(timerPost).toBeDefined();
  const refresh = FakeConnector.card(timerPost!).refresh as { action: Record<string, unknown> };
  const own = await b.send({
    ...fixture('invoke-adaptive-card-action'),
    value: { action: refresh.action, trigger: 'automatic' },
  });
  // A button's value is `<timerId>:<phaseIndex>:<events>`: the step its card was drawn at.
  const execute = JSON.stringify((own.body as { value: unknown }).value).match(
    /"verb":"timer:next","value":"((tmr_[0-9a-f]+)(?::\d+)+)"/,
  );
  const index = b.connector.calls.indexOf(timerPost!);
  return {
    cardId: String(
      1768489300000 +
        b.connector.calls.slice(0, index + 1).filter((c) => c.method === 'POST' && c.path !== '/v3/conversations')
          .length,
    ),
    timerId: execute![2]!,
    nextValue: execute![1]!,
  };
}

export async function firstChannelPlace(b: TeamsBot, conversationId = CHANNEL): Promise<string | undefined> {
  for await (const [place, ref] of b.store.entries<{ conversationId: string }>('teams-places'))
    if (ref.conversationId === conversationId) return place;
  return undefined;
}
