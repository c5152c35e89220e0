// Rotation imports name students by email; Slack's users.lookupByEmail turns them into people.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/core/plumbing/logger.js';
import { createClients } from '../../../src/adapters/slack/clients.js';
import { SlackChat } from '../../../src/adapters/slack/slack-chat.js';
import { TimeZoneCache } from '../../../src/adapters/slack/time-zones.js';
import { RoutingChat } from '../../../src/adapters/platform/routing-chat.js';
import { BOT_TOKEN, FakeSlack } from './fake-slack.js';

const slack = new FakeSlack();
beforeAll(() => slack.start());
afterAll(() => slack.stop());

function chat(): SlackChat {
  const clients = createClients({ token: BOT_TOKEN, apiUrl: slack.apiUrl, logger: silentLogger });
  return new SlackChat(clients, new TimeZoneCache(clients.interactive, silentLogger));
}

describe('finding a person by email on Slack', () => {
  it('answers the workspace member, nobody for an unknown email, and asks Slack with the email only', async () => {
    const routing = new RoutingChat({ slack: chat() });
    expect(await routing.userByEmail('user.three@example.edu')).toBe('slack:T0001:U0003');
    expect(slack.callsOf('users.lookupByEmail').at(-1)?.params).toEqual({ email: 'user.three@example.edu' });
    slack.failNext('users.lookupByEmail', slack.fixtureError('users_not_found'));
    expect(await routing.userByEmail('nobody@example.edu')).toBeUndefined();
  });

  it('throws when Slack cannot be asked, so the import keeps the student pending', async () => {
    slack.failNext('users.lookupByEmail', { status: 500, body: { ok: false } }, 3);
    await expect(chat().userByEmail('user.three@example.edu')).rejects.toMatchObject({ retryable: true });
  });

  it('without users:read.email (the manifest variant with email matching off) refuses for good, retrying nothing', async () => {
    // What Slack answers a token installed without the scope (docs/slack.md, the manifest variant).
    const refusal = { ok: false, error: 'missing_scope', needed: 'users:read.email', provided: 'chat:write,commands' };
    slack.failNext('users.lookupByEmail', { status: 200, body: refusal });
    const before = slack.callsOf('users.lookupByEmail').length;
    await expect(chat().userByEmail('user.three@example.edu')).rejects.toMatchObject({
      code: 'missing_scope',
      retryable: false,
    });
    expect(slack.callsOf('users.lookupByEmail').length - before).toBe(1);
  });
});
