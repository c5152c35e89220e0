// POST /api/messages on the bot's one HTTP server: read and parse the activity ourselves (the
// Node server has no body parser), hand it to the adapter, answer with the invoke response.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Activity, TurnContext } from 'botbuilder';
import { errorCode } from '../../core/plumbing/logger.js';
import type { Logger } from '../../core/ports.js';
import type { Route } from '../http/server.js';
import type { BalintCloudAdapter } from './bot-adapter.js';

export const MESSAGES_PATH = '/api/messages';
/** Activities are small; a card action with inputs is a few kB. */
const MAX_BODY_BYTES = 256 * 1024;

class BodyTooLarge extends Error {
  readonly code = 'body_too_large';
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** What botbuilder's own request validation does: timestamps as Dates, the raw strings kept. */
function toActivity(body: unknown): Activity | undefined {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const a = body as Record<string, unknown>;
  if (typeof a.type !== 'string') return undefined;
  for (const [field, raw] of [
    ['timestamp', 'rawTimestamp'],
    ['localTimestamp', 'rawLocalTimestamp'],
    ['expiration', 'rawExpiration'],
  ] as const) {
    if (typeof a[field] === 'string') {
      a[raw] = a[field];
      a[field] = new Date(a[field] as string);
    }
  }
  return a as unknown as Activity;
}

const isIdHolder = (v: unknown): boolean =>
  typeof v === 'object' && v !== null && typeof (v as { id?: unknown }).id === 'string';

/** The field of the activity that is missing or of the wrong type, if any. */
function malformedPart(activity: Activity): string | undefined {
  if (!isIdHolder(activity.from)) return 'from';
  if (!isIdHolder(activity.conversation)) return 'conversation';
  if (activity.id !== undefined && typeof activity.id !== 'string') return 'id';
  return undefined;
}

function answer(res: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}

export function messagesRoute(
  adapter: BalintCloudAdapter,
  logic: (context: TurnContext) => Promise<void>,
  logger: Logger,
): Route {
  return {
    method: 'POST',
    path: MESSAGES_PATH,
    async handler(req, res) {
      let activity: Activity | undefined;
      try {
        activity = toActivity(JSON.parse(await readBody(req)));
      } catch (error) {
        logger.warn('teams.bad-request', {
          code: errorCode(error) === 'body_too_large' ? 'body_too_large' : 'invalid_json',
        });
        return answer(res, errorCode(error) === 'body_too_large' ? 413 : 400);
      }
      if (!activity) {
        logger.warn('teams.bad-request', { code: 'not_an_activity' });
        return answer(res, 400);
      }
      // Every activity the channel sends says who sent it and where; one that does not would
      // only fail deeper in (500) or be answered nowhere. Refused before anything reads it.
      const part = malformedPart(activity);
      if (part) {
        logger.warn('teams.bad-request', { code: 'malformed_activity', action: part });
        return answer(res, 400);
      }
      const auth = req.headers.authorization ?? '';
      try {
        const result = await adapter.handle(auth, activity, logic);
        return answer(res, result?.status ?? 200, result?.body);
      } catch (error) {
        // AuthenticationError carries statusCode 401 (or 403); anything else is ours.
        const status = (error as { statusCode?: unknown }).statusCode;
        if (status === 401 || status === 403) {
          logger.warn('teams.unauthorized', { code: 'auth_failed' });
          return answer(res, 401);
        }
        logger.error('teams.request-failed', { code: errorCode(error) });
        return answer(res, 500);
      }
    },
  };
}
