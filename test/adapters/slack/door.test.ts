// The Slack door on its own, over real HTTP, with a store that cannot be reached: a signed
// request whose identity cannot be recorded is not acted on (it could be acted on twice). A
// command or a press is acknowledged at once and told why privately, at its response_url;
// anything else gets 503, which Slack retries. A store too slow to answer counts as away.
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpServer, listen } from '../../../src/adapters/http/server.js';
import { createPinoLogger } from '../../../src/adapters/log/pino-logger.js';
import { KeyvStore } from '../../../src/adapters/store/keyv-store.js';
import { slackDoor } from '../../../src/adapters/slack/door.js';
import { STORE_UNAVAILABLE_MESSAGE } from '../../../src/commands/plumbing/run-logged.js';
import { ClaimOnce } from '../../../src/core/plumbing/claim-once.js';
import { StoreUnavailable } from '../../../src/core/plumbing/store-unavailable.js';
import { LogSink } from '../../support/harness.js';
import { FakeSlack, fixture, payloadBody, sendSigned, SIGNING_SECRET, slashBody } from './fake-slack.js';

class UnreachableStore extends KeyvStore {
  override update(): Promise<never> {
    return Promise.reject(new StoreUnavailable());
  }
}

/** A store that holds every write and never answers (a frozen server). */
class FrozenStore extends KeyvStore {
  override update(): Promise<never> {
    return new Promise<never>(() => undefined);
  }
}

const fake = new FakeSlack();
const logs = new LogSink();
let server: Server;
let port = 0;
let frozenPort = 0;
let passedOn = 0;

async function serveDoor(store: KeyvStore): Promise<{ server: Server; port: number }> {
  const logger = createPinoLogger('debug', logs);
  const door = slackDoor({
    signingSecret: SIGNING_SECRET,
    logger,
    claims: new ClaimOnce(store, Date.now),
    next: (_req, res) => {
      passedOn++;
      res.writeHead(200).end();
    },
  });
  const server = createHttpServer(
    [{ method: 'POST', path: '/slack/events', handler: (req, res) => void door(req, res) }],
    logger,
  );
  return { server, port: await listen(server, 0, '127.0.0.1') };
}

let frozen: Server;
beforeAll(async () => {
  await fake.start();
  ({ server, port } = await serveDoor(new UnreachableStore()));
  ({ server: frozen, port: frozenPort } = await serveDoor(new FrozenStore()));
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await new Promise<void>((resolve) => frozen.close(() => resolve()));
  await fake.stop();
});

describe('the Slack door without its store', () => {
  it('answers a slash command privately that nothing was changed, and does not pass it on', async () => {
    const body = slashBody(fake, { text: 'group create X program PA' });
    const sent = await sendSigned(port, 'slash-command', body);
    expect(sent.status).toBe(200);
    expect(sent.body).toBe('');
    expect(await fake.answersAt(new URLSearchParams(body).get('response_url') ?? '')).toBe(STORE_UNAVAILABLE_MESSAGE);
    expect(passedOn).toBe(0);
    expect(logs.lines.some((l) => l.includes('"code":"store_unavailable"') && l.includes('"action":"command"'))).toBe(
      true,
    );
  });

  it('answers a press at its response_url and does not pass it on', async () => {
    const responseUrl = fake.hookUrl('actions/door-press');
    const press = { ...fixture<Record<string, unknown>>('block-actions-button.json'), response_url: responseUrl };
    const sent = await sendSigned(port, 'interactivity', payloadBody(press));
    expect(sent.status).toBe(200);
    expect(await fake.answersAt(responseUrl)).toBe(STORE_UNAVAILABLE_MESSAGE);
    expect(passedOn).toBe(0);
  });

  it('answers an event without a response_url 503, so that Slack sends it again', async () => {
    const sent = await sendSigned(port, 'events-api', JSON.stringify(fixture('event-app-home-opened.json')));
    expect(sent.status).toBe(503);
    expect(passedOn).toBe(0);
  });

  it('acknowledges in time when the store holds the claim unanswered, and tells the person', async () => {
    const body = slashBody(fake, { text: 'group create Y program PA' });
    const sent = await sendSigned(frozenPort, 'slash-command', body);
    // Slack's own limit for the acknowledgement is 3 s; the door gives the claim 2.5 s.
    expect(sent.status).toBe(200);
    expect(await fake.answersAt(new URLSearchParams(body).get('response_url') ?? '')).toBe(STORE_UNAVAILABLE_MESSAGE);
    expect(passedOn).toBe(0);
    expect(logs.lines.some((l) => l.includes('"code":"store_slow"'))).toBe(true);
  });

  it('still passes on what needs no record: the URL verification', async () => {
    const sent = await sendSigned(port, 'events-api', JSON.stringify(fixture('url-verification.json')));
    expect(sent.status).toBe(200);
    expect(passedOn).toBe(1);
  });
});
