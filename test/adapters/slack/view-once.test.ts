// A modal is carried out once, however often Slack (or an impatient person) sends it, and to
// however many instances: two bots over one Redis, and again over one PostgreSQL, each on its
// own HTTP server. The same view submitted to both, one after the other and side by side, does
// its work once; the repeats are closed with 200 and an empty body and logged as repeats.
import type { Server } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createHttpServer, listen } from '../../../src/adapters/http/server.js';
import { createPinoLogger } from '../../../src/adapters/log/pino-logger.js';
import { RoutingChat } from '../../../src/adapters/platform/routing-chat.js';
import { createSlackAdapter } from '../../../src/adapters/slack/adapter.js';
import type { PlatformAdapter } from '../../../src/adapters/platform/platform-adapter.js';
import type { SharedStore } from '../../../src/adapters/store/shared-store.js';
import { systemClock } from '../../../src/adapters/clock/system-clock.js';
import { createApp } from '../../../src/app/compose.js';
import type { FormSpec } from '../../../src/commands/plumbing/form-spec.js';
import { card, ephemeral, text } from '../../../src/core/cards.js';
import { LogSink } from '../../support/harness.js';
import { describeOnServices, dropPrefix, openShared, runPrefix } from '../../support/services.js';
import { BOT_TOKEN, FakeSlack, fixture, payloadBody, sendSigned, SIGNING_SECRET } from './fake-slack.js';

/** A form whose work writes one document per run: the store counts the runs. */
const countedForm: FormSpec = {
  formId: 'counted_form',
  async check() {
    return { accepted: true, run: async () => [ephemeral(card(text('Done once.')))] };
  },
};

await describeOnServices('a modal submitted to two instances over %s', (kind) => {
  const prefix = runPrefix();
  const fake = new FakeSlack();
  const logs = new LogSink();
  const stores: SharedStore[] = [];
  const servers: Server[] = [];
  const adapters: PlatformAdapter[] = [];
  const ports: number[] = [];
  let runs = 0;

  const submission = (viewId: string, hash = '1712345678.abcdef01') => {
    const body = fixture<{ view: Record<string, unknown> }>('view-submission.json');
    body.view = {
      ...body.view,
      id: viewId,
      hash,
      callback_id: 'counted_form',
      private_metadata: JSON.stringify({ v: 1, place: 'slack:T0001:C0001' }),
    };
    return payloadBody(body);
  };

  beforeAll(async () => {
    await fake.start();
    const logger = createPinoLogger('debug', logs);
    for (let i = 0; i < 2; i++) {
      // Each instance has its own client or pool, as another process would.
      const shared = await openShared(kind, prefix);
      stores.push(shared);
      const adapter = createSlackAdapter(
        { botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, apiUrl: fake.apiUrl },
        {
          logger,
          identity: { botId: 'B0001', botUserId: 'U0999' },
          store: shared.store,
          forms: [
            {
              ...countedForm,
              check: async (services, sub) => {
                const checked = await (countedForm.check as NonNullable<FormSpec['check']>)(services, sub);
                return checked.accepted ? { accepted: true, run: () => (runs++, checked.run()) } : checked;
              },
            },
          ],
        },
      );
      adapters.push(adapter);
      const { services } = createApp({
        store: shared.store,
        chat: new RoutingChat({ slack: adapter.chat }),
        clock: systemClock,
        logger,
        coordinators: [],
        defaultTimeZone: 'UTC',
      });
      const server = createHttpServer(await adapter.connect(services), logger);
      servers.push(server);
      ports.push(await listen(server, 0, '127.0.0.1'));
    }
  }, 30_000);

  afterAll(async () => {
    for (const server of servers) await new Promise<void>((resolve) => server.close(() => resolve()));
    for (const adapter of adapters) await adapter.stop();
    for (const shared of stores) await shared.store.close();
    await dropPrefix(kind, prefix);
    await fake.stop();
  });

  it('does the work once when the same view reaches the second instance after the first', async () => {
    const body = submission('VONCE1');
    expect(await sendSigned(ports[0] as number, 'interactivity', body)).toEqual({ status: 200, body: '' });
    await fake.until(() => fake.callsOf('chat.postEphemeral').length === 1);
    // Slack's retry (or a second click) lands on the other instance, with a later hash.
    const again = submission('VONCE1', '1712345679.abcdef02');
    expect(await sendSigned(ports[1] as number, 'interactivity', again)).toEqual({ status: 200, body: '' });
    await fake.until(() => logs.lines.some((l) => l.includes('"slack.view-repeat"')));
    await new Promise((r) => setTimeout(r, 100));
    expect(runs).toBe(1);
    expect(fake.callsOf('chat.postEphemeral')).toHaveLength(1);
  });

  it('does the work once when two copies reach both instances at the same moment', async () => {
    const before = runs;
    const answers = fake.callsOf('chat.postEphemeral').length;
    const body = submission('VONCE2');
    const sent = await Promise.all([
      sendSigned(ports[0] as number, 'interactivity', body),
      sendSigned(ports[1] as number, 'interactivity', body),
      sendSigned(ports[0] as number, 'interactivity', body),
    ]);
    expect(sent.map((s) => s.status)).toEqual([200, 200, 200]);
    await fake.until(() => fake.callsOf('chat.postEphemeral').length === answers + 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(runs).toBe(before + 1);
    expect(fake.callsOf('chat.postEphemeral')).toHaveLength(answers + 1);
  });

  it('still does the work of another view of the same person', async () => {
    const before = runs;
    expect((await sendSigned(ports[1] as number, 'interactivity', submission('VONCE3'))).status).toBe(200);
    await fake.until(() => runs === before + 1);
    expect(runs).toBe(before + 1);
  });
});
