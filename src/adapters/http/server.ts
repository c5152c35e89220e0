// The bot's one HTTP server: Slack's events (POST /slack/events), Teams' activities
// (POST /api/messages) and the calendar feeds (GET /calendar/<token>.ics) are routes on it.
// Routes read their own bodies: Slack's signature check needs the raw bytes.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { errorCode } from '../../core/plumbing/logger.js';
import type { Logger } from '../../core/ports.js';

export type RouteHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  params: Record<string, string>,
) => void | Promise<void>;

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** An exact path, or a pattern whose named groups become `params`. */
  path: string | RegExp;
  handler: RouteHandler;
}

function match(route: Route, method: string, path: string): Record<string, string> | undefined {
  // HEAD answers like GET (Node's response leaves the body out): calendar clients probe feeds so.
  if (route.method !== method && !(method === 'HEAD' && route.method === 'GET')) return undefined;
  if (typeof route.path === 'string') return route.path === path ? {} : undefined;
  const m = route.path.exec(path);
  return m ? { ...(m.groups ?? {}) } : undefined;
}

export function createHttpServer(routes: readonly Route[], logger: Logger): Server {
  return createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (req.method === 'GET' && path === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      return;
    }
    for (const route of routes) {
      const params = match(route, req.method ?? 'GET', path);
      if (!params) continue;
      Promise.resolve(route.handler(req, res, params)).catch((error: unknown) => {
        logger.error('http.error', { code: errorCode(error) });
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end();
      });
      return;
    }
    notFound(res);
  });
}

/**
 * The one 404 every unknown path, unknown token and revoked link gets: the same body and headers,
 * so an answer never tells a guessed token from a path that never existed.
 */
export function notFound(res: ServerResponse): void {
  res
    .writeHead(404, {
      'content-type': 'text/plain',
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
    })
    .end('not found');
}

/** Listens on `port` (0 picks a free one) and resolves with the port taken. */
export function listen(server: Server, port: number, host?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}
