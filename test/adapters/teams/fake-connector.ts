// A Bot Framework connector on 127.0.0.1 that records every call the bot makes and answers as
// connector-responses.json says Teams does. Tests queue other answers (403, 429, …) with `script`.
import { createServer, type Server } from 'node:http';
import responses from '../../fixtures/teams/connector-responses.json' with { type: 'json' };

export interface ConnectorCall {
  method: string;
  /** Decoded path: `/v3/conversations/19:…@thread.tacv2/activities`. */
  path: string;
  body: Record<string, unknown> | undefined;
  /** The query string, without '?' ('' when none). */
  query?: string;
}

/** A team member as GET …/pagedmembers lists it. */
export interface RosterEntry {
  id: string;
  aadObjectId: string;
  name?: string;
  email?: string;
  userPrincipalName?: string;
}

export interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

interface Scripted {
  method: string;
  path: RegExp;
  answer: Answer;
  times: number;
}

export class FakeConnector {
  readonly calls: ConnectorCall[] = [];
  private readonly scripted: Scripted[] = [];
  private server: Server | undefined;
  private seq = 1768489300000;
  /** `29:…` member id → AAD object id, for GET …/members/{id}. */
  readonly members = new Map<string, string>();
  /** What GET …/pagedmembers lists, `pageSize` (capped by `rosterPage`) at a time. */
  readonly roster: RosterEntry[] = [];
  rosterPage = 2;
  url = '';
  /**
   * While set, every call gets this answer instead (an outage); `'drop'` closes the connection
   * without an answer, as a network partition or a restarting load balancer does.
   */
  outage: Answer | 'drop' | undefined;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const [path, query] = (req.url ?? '/').split('?');
        const call = {
          method: req.method ?? 'GET',
          path: decodeURIComponent(path ?? '/'),
          body: raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined,
          query: query ?? '',
        };
        this.calls.push(call);
        if (this.outage === 'drop') {
          req.socket.destroy();
          return;
        }
        const answer = this.outage ?? this.answer(call);
        res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', ...(answer.headers ?? {}) });
        res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** The next `times` calls matching method and path get `answer`. */
  script(method: string, path: RegExp, answer: Answer, times = 1): void {
    this.scripted.push({ method, path, answer, times });
  }

  sent(method?: string): ConnectorCall[] {
    return this.calls.filter((c) => !method || c.method === method);
  }

  /** The Adaptive Card content of a recorded send or update. */
  static card(call: ConnectorCall): Record<string, unknown> {
    const attachments = (call.body?.attachments ?? []) as Array<{ content: Record<string, unknown> }>;
    return attachments[0]?.content ?? {};
  }

  private answer(call: ConnectorCall): Answer {
    const scripted = this.scripted.find((s) => s.method === call.method && s.path.test(call.path) && s.times > 0);
    if (scripted) {
      scripted.times--;
      return scripted.answer;
    }
    const ok = responses.ok;
    if (call.method === 'POST' && call.path === '/v3/conversations') {
      const members = (call.body?.members ?? []) as Array<{ id: string }>;
      // A new 1:1 chat id that follows the fixture's shape, one per member.
      return { status: ok.createConversation.status, body: { id: `a:1PeRsOnAl-${members[0]?.id ?? 'x'}` } };
    }
    if (call.method === 'POST' && /\/activities(\/[^/]+)?$/.test(call.path))
      return { status: ok.sendToConversation.status, body: { id: String(++this.seq) } };
    if (call.method === 'PUT') return { status: ok.updateActivity.status, body: { id: call.path.split('/').pop() } };
    if (call.method === 'GET' && call.path.endsWith('/pagedmembers')) {
      const params = new URLSearchParams(call.query ?? '');
      const from = Number(params.get('continuationToken') ?? 0);
      const size = Math.min(Number(params.get('pageSize') ?? this.rosterPage), this.rosterPage);
      const next = from + size;
      return {
        status: 200,
        body: {
          members: this.roster.slice(from, next),
          ...(next < this.roster.length ? { continuationToken: String(next) } : {}),
        },
      };
    }
    const member = /\/members\/([^/]+)$/.exec(call.path);
    if (call.method === 'GET' && member) {
      const aad = this.members.get(member[1] ?? '');
      return aad
        ? { status: 200, body: { id: member[1], aadObjectId: aad, name: 'Someone' } }
        : { status: 404, body: { error: { code: 'MemberNotFound', message: 'not found' } } };
    }
    return { status: 404, body: { error: { code: 'NotFound', message: 'no such route in the fake connector' } } };
  }
}
