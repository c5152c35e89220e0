// A Slack Web API stand-in on 127.0.0.1 for benchmarks: conversations.open and
// chat.postMessage, each behind a token bucket that answers 429 with Retry-After (in whole
// seconds, as Slack does) when it is empty. It counts what it accepted, per channel.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeSlack {
  url: string;
  /** Accepted chat.postMessage calls per channel. */
  posts: Map<string, number>;
  firstPostAt: number | undefined;
  lastPostAt: number | undefined;
  refused: number;
  close(): Promise<void>;
}

class Bucket {
  private tokens: number;
  private at = Date.now();
  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
  ) {
    this.tokens = burst;
  }
  take(): boolean {
    const now = Date.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.at) / 1000) * this.perSecond);
    this.at = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

export async function startFakeSlack(perSecond: number): Promise<FakeSlack> {
  const buckets = {
    'conversations.open': new Bucket(perSecond, perSecond),
    'chat.postMessage': new Bucket(perSecond, perSecond),
  };
  let ts = 0;
  const state: Omit<FakeSlack, 'url' | 'close'> = {
    posts: new Map(),
    firstPostAt: undefined,
    lastPostAt: undefined,
    refused: 0,
  };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0] as keyof typeof buckets;
      const params = new URLSearchParams(body);
      const bucket = buckets[method];
      if (!bucket) return void res.writeHead(404).end();
      if (!bucket.take()) {
        state.refused++;
        res
          .writeHead(429, { 'Retry-After': '1', 'Content-Type': 'application/json' })
          .end(JSON.stringify({ ok: false, error: 'ratelimited' }));
        return;
      }
      res.setHeader('Content-Type', 'application/json');
      if (method === 'conversations.open') {
        res.end(JSON.stringify({ ok: true, channel: { id: `D${params.get('users') ?? ''}` } }));
        return;
      }
      const channel = params.get('channel') ?? '';
      state.posts.set(channel, (state.posts.get(channel) ?? 0) + 1);
      state.firstPostAt ??= Date.now();
      state.lastPostAt = Date.now();
      res.end(
        JSON.stringify({ ok: true, channel, ts: `${Math.floor(Date.now() / 1000)}.${String(++ts).padStart(6, '0')}` }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}/api/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  }) as FakeSlack;
}
