// GET /calendar/<token>.ics: a member's private calendar feed, for Outlook, Google and Apple
// calendars to subscribe to. The token is the only credential, so it is never logged; an
// unknown or revoked token gets the same plain 404 as a path that never existed.
import type { Logger } from '../../core/ports.js';
import { notFound, type Route } from './server.js';

export interface FeedSource {
  feed(token: string): Promise<string | undefined>;
}

export const CALENDAR_PATH = /^\/calendar\/(?<token>[A-Za-z0-9_-]{1,64})\.ics$/;

export function calendarRoute(feeds: FeedSource, logger: Logger): Route {
  return {
    method: 'GET',
    path: CALENDAR_PATH,
    async handler(_req, res, params) {
      const started = Date.now();
      const body = await feeds.feed(params.token ?? '');
      if (body === undefined) {
        logger.info('calendar.feed', { outcome: 'not-found', durationMs: Date.now() - started });
        notFound(res);
        return;
      }
      logger.info('calendar.feed', { outcome: 'ok', durationMs: Date.now() - started });
      res
        .writeHead(200, {
          'content-type': 'text/calendar; charset=utf-8',
          'content-disposition': 'inline; filename="balint.ics"',
          // Private to the one subscriber; a shared cache must not keep it.
          'cache-control': 'private, max-age=300',
          'referrer-policy': 'no-referrer',
          'x-content-type-options': 'nosniff',
        })
        .end(body);
    },
  };
}
