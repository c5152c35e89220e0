// A fake Slack on loopback: the Web API at /api/<method>, answering from the fixtures in test/fixtures/slack
// (web-api-responses.json), and response_url at /hooks/…; every call is recorded. Tests make a
// method fail with `failNext`, using the fixtures' error answers, or answer late (or never)
// with `delayNext`, for the fault tests.
import type { Config } from '../../../src/app/config.js';
import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { listen } from '../../../src/adapters/http/server.js';

export const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'slack');
export const fixture = <T = Record<string, unknown>>(name: string): T =>
  JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as T;

interface Answer {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}
interface Responses {
  ok: Record<string, Answer>;
  errors: Record<string, Answer & { method: string }>;
}

export interface Call {
  method: string;
  params: Record<string, unknown>;
  /** The raw request body, for privacy checks. */
  raw: string;
  /** What the fake answered. */
  answer?: unknown;
  /** When the fake had the whole request (epoch ms). */
  at: number;
  /** The HTTP status the fake answered with (or will, once a delay is over). */
  status: number;
}

export interface FakeSlackOptions {
  /**
   * conversations.open answers `D<user id>` rather than the fixtures' one channel, so that
   * direct messages to different people can be told apart in the record.
   */
  directChannelPerUser?: boolean;
}

export class FakeSlack {
  readonly calls: Call[] = [];
  readonly hooks: Array<{ path: string; body: Record<string, unknown>; raw: string }> = [];
  private readonly responses = fixture<Responses>('web-api-responses.json');
  private readonly failures = new Map<string, Answer[]>();
  private readonly delays = new Map<string, number[]>();
  private rules: Array<{
    match: (method: string, params: Record<string, unknown>) => boolean;
    answer: Answer | 'hang';
    left: number;
  }> = [];
  private readonly held = new Set<ServerResponse>();
  private server: Server | undefined;
  private seq = 0;
  port = 0;
  /**
   * While set, every Web API call gets this answer instead (an outage: a 503, a 429 with
   * Retry-After), or with `'drop'` has its connection closed without an answer. Recorded with
   * the status answered (0 for a drop). response_url hooks are not affected.
   */
  outage: Answer | 'drop' | undefined;

  constructor(private readonly options: FakeSlackOptions = {}) {}

  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  hookUrl(name: string): string {
    return `http://127.0.0.1:${this.port}/hooks/${name}`;
  }

  /** The next `times` calls of `method` get `answer` (e.g. an entry of the fixtures' errors). */
  failNext(method: string, answer: Answer, times = 1): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), ...Array.from({ length: times }, () => answer)]);
  }

  /**
   * The next `times` calls of `method` are answered only after `ms` (Infinity: never, until
   * `stop`), as a Web API that hangs; the call is recorded when it arrives.
   */
  delayNext(method: string, ms: number, times = 1): void {
    this.delays.set(method, [...(this.delays.get(method) ?? []), ...Array.from({ length: times }, () => ms)]);
  }

  /**
   * The next `times` calls that `match` picks (say, chat.postMessage to one channel) get
   * `answer`, or no answer at all with 'hang'. Checked before `failNext` and `delayNext`.
   */
  failWhere(
    match: (method: string, params: Record<string, unknown>) => boolean,
    answer: Answer | 'hang',
    times = Number.POSITIVE_INFINITY,
  ): void {
    this.rules.push({ match, answer, left: times });
  }

  /** Forgets the failures and delays still queued (for one method, or all). */
  clearFailures(method?: string): void {
    if (method === undefined) this.rules = [];
    for (const map of [this.failures, this.delays] as Array<Map<string, unknown>>) {
      if (method === undefined) map.clear();
      else map.delete(method);
    }
  }

  fixtureError(name: string): Answer & { method: string } {
    const answer = this.responses.errors[name];
    if (!answer) throw new Error(`no fixture error ${name}`);
    return answer;
  }

  callsOf(method: string): Call[] {
    return this.calls.filter((c) => c.method === method);
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const path = req.url ?? '/';
        if (path.startsWith('/hooks/')) {
          this.hooks.push({ path, body: JSON.parse(raw) as Record<string, unknown>, raw });
          res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
          return;
        }
        const method = path.replace(/^\/api\//, '').split('?')[0] as string;
        const params = parseParams(raw, req.headers['content-type'] ?? '');
        if (this.outage === 'drop') {
          this.calls.push({ method, params, raw, at: Date.now(), status: 0 });
          req.socket.destroy();
          return;
        }
        if (this.outage) {
          const down = this.outage;
          this.calls.push({ method, params, raw, answer: down.body, at: Date.now(), status: down.status });
          res
            .writeHead(down.status, { 'content-type': 'application/json', ...(down.headers ?? {}) })
            .end(JSON.stringify(down.body));
          return;
        }
        const rule = this.rules.find((r) => r.left > 0 && r.match(method, params));
        if (rule) rule.left--;
        if (rule?.answer === 'hang') {
          this.calls.push({ method, params, raw, at: Date.now(), status: 0 });
          this.held.add(res);
          return;
        }
        const queued = rule ? undefined : this.failures.get(method);
        const answer = rule?.answer ?? queued?.shift() ?? this.answerFor(method, params);
        this.calls.push({ method, params, raw, answer: answer.body, at: Date.now(), status: answer.status });
        const send = () => {
          this.held.delete(res);
          if (!res.destroyed)
            res
              .writeHead(answer.status, { 'content-type': 'application/json', ...(answer.headers ?? {}) })
              .end(JSON.stringify(answer.body));
        };
        const delay = this.delays.get(method)?.shift();
        if (delay === undefined) return send();
        this.held.add(res);
        if (Number.isFinite(delay)) setTimeout(send, delay);
      });
    });
    this.port = await listen(this.server, 0, '127.0.0.1');
  }

  async stop(): Promise<void> {
    for (const res of this.held) res.destroy();
    this.held.clear();
    const closed = new Promise<void>((resolve) => this.server?.close(() => resolve()));
    // A bot still running holds keep-alive connections that would keep close() waiting.
    this.server?.closeAllConnections();
    await closed;
  }

  /**
   * The private answers posted to a response_url (their texts, one per line), once at least one
   * has come; fails the test after `ms`.
   */
  async answersAt(responseUrl: string, ms = 5_000): Promise<string> {
    const path = responseUrl.replace(/^http:\/\/127\.0\.0\.1:\d+/, '');
    await this.until(() => this.hooks.some((h) => h.path === path), ms);
    return this.hooks
      .filter((h) => h.path === path)
      .map((h) => String(h.body.text))
      .join('\n');
  }

  /** Waits (polling, real time) until `check` holds; fails the test after `ms`. */
  async until(check: () => boolean, ms = 5_000, pollMs = 10): Promise<void> {
    const end = Date.now() + ms;
    while (!check()) {
      if (Date.now() > end) throw new Error('timed out waiting for the fake Slack to see a call');
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }

  private answerFor(method: string, params: Record<string, unknown>): Answer {
    if (method === 'auth.test') {
      // Not among the fixtures: built from their invented identities (bot B0001 / U0999 in T0001).
      return {
        status: 200,
        body: {
          ok: true,
          url: 'https://balint-demo.slack.com/',
          team: 'balint-demo',
          user: 'balint',
          team_id: 'T0001',
          user_id: 'U0999',
          bot_id: 'B0001',
        },
      };
    }
    const known = this.responses.ok[method];
    if (!known) return { status: 200, body: { ok: false, error: 'unknown_method' } };
    const body = structuredClone(known.body) as Record<string, unknown>;
    // Echo what a real workspace would: the channel posted to, and a fresh ts per message.
    if (method === 'chat.postMessage') {
      body.channel = params.channel;
      body.ts = `1768489200.${String(++this.seq).padStart(6, '0')}`;
    }
    if (method === 'conversations.open' && this.options.directChannelPerUser && typeof params.users === 'string') {
      body.channel = { id: `D${params.users}` };
    }
    if (method === 'chat.update') {
      body.channel = params.channel;
      body.ts = params.ts;
    }
    return { ...known, body };
  }
}

function parseParams(raw: string, contentType: string): Record<string, unknown> {
  if (contentType.includes('application/json')) return JSON.parse(raw || '{}') as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    try {
      out[key] = /^[[{]/.test(value) ? JSON.parse(value) : value;
    } catch {
      out[key] = value;
    }
  }
  return out;
}

/** X-Slack-Signature over the exact bytes: v0=hex(HMAC-SHA256(secret, "v0:{ts}:{body}")). */
export function sign(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export const SIGNING_SECRET = 'test-signing-secret-0001';
export const BOT_TOKEN = 'xoxb-0000-test';

export type Kind = 'slash-command' | 'interactivity' | 'events-api' | 'events-api-retry';

export interface Sent {
  status: number;
  body: string;
}

/** POSTs a request signed the way Slack signs it, with the fixture headers of its kind. */
export async function sendSigned(
  port: number,
  kind: Kind,
  body: string,
  options: { timestamp?: number; secret?: string; signature?: string } = {},
): Promise<Sent> {
  const headers = { ...fixture<Record<Kind, Record<string, string>>>('request-headers.json')[kind] };
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  headers['X-Slack-Request-Timestamp'] = String(timestamp);
  headers['X-Slack-Signature'] = options.signature ?? sign(options.secret ?? SIGNING_SECRET, timestamp, body);
  const response = await fetch(`http://127.0.0.1:${port}/slack/events`, { method: 'POST', headers, body });
  return { status: response.status, body: await response.text() };
}

/** The slash-command fixture as Slack sends it (a flat form), with some values changed. */
export function slashBody(fake: FakeSlack, changes: Record<string, string>): string {
  const base = fixture<Record<string, string>>('slash-command.json');
  const id = createHash('sha1')
    .update(JSON.stringify(changes) + Math.random())
    .digest('hex')
    .slice(0, 12);
  return new URLSearchParams({ ...base, response_url: fake.hookUrl(`commands/${id}`), ...changes }).toString();
}

/** An interactivity payload as Slack sends it: one form field, `payload`, holding JSON. */
export const payloadBody = (payload: unknown): string => `payload=${encodeURIComponent(JSON.stringify(payload))}`;

/** The bot's configuration for a server talking to `fake`: memory store, any free port, Slack on. */
export function slackServerConfig(fake: FakeSlack, overrides: Partial<Config> = {}): Config {
  return {
    storeUrl: 'memory://',
    coordinators: ['slack:T0001:U0001'],
    defaultTimeZone: 'America/New_York',
    logLevel: 'debug',
    clockSpeed: 1,
    port: 0,
    production: false,
    ...overrides,
    slack: { botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, apiUrl: fake.apiUrl, ...overrides.slack },
  };
}
