// The Slack door on its own, over real HTTP, with a store that cannot be reached: a signed
// request whose identity cannot be recorded is not acted on (it could be acted on twice). A
// slash command is told why, privately; anything else gets 503, which Slack shows or retries.
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

const fake = new FakeSlack();
const logs = new LogSink();
let server: Server;
let port = 0;
let passedOn = 0;

beforeAll(async () => {
  const logger = createPinoLogger('debug', logs);
  const door = slackDoor({
    signingSecret: SIGNING_SECRET,
    logger,
    claims: new ClaimOnce(new UnreachableStore(), Date.now),
    next: (_req, res) => {
      passedOn++;
      res.writeHead(200).end();
    },
  });
  server = createHttpServer(
    [{ method: 'POST', path: '/slack/events', handler: (req, res) => void door(req, res) }],
    logger,
  );
  port = await listen(server, 0, '127.0.0.1');
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('the Slack door without its store', () => {
  it('answers a slash command privately that nothing was changed, and does not pass it on', async () => {
    const sent = await sendSigned(port, 'slash-command', slashBody(fake, { text: 'group create X program PA' }));
    expect(sent.status).toBe(200);
    expect(JSON.parse(sent.body)).toEqual({ response_type: 'ephemeral', text: STORE_UNAVAILABLE_MESSAGE });
    expect(passedOn).toBe(0);
    expect(logs.lines.some((l) => l.includes('"code":"store_unavailable"') && l.includes('"action":"command"'))).toBe(
      true,
    );
  });

  it('answers a press 503 and does not pass it on', async () => {
    const sent = await sendSigned(port, 'interactivity', payloadBody(fixture('block-actions-button.json')));
    expect(sent.status).toBe(503);
    expect(passedOn).toBe(0);
  });

  it('still passes on what needs no record: the URL verification', async () => {
    const sent = await sendSigned(port, 'events-api', JSON.stringify(fixture('url-verification.json')));
    expect(sent.status).toBe(200);
    expect(passedOn).toBe(1);
  });
});
