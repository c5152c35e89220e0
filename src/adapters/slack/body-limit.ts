// Slack's requests are small (a slash command, a modal's state: a few KB; the largest, a view
// submission of a full modal, well under 64 KB). Bolt would read up to 4 MB before checking
// the signature, so a larger body is refused by its declared length before anything reads it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../core/ports.js';

export const MAX_SLACK_BODY_BYTES = 64 * 1024;

/** True (and answered 413) when the request declares a body over the limit. */
export function refusedAsTooLarge(req: IncomingMessage, res: ServerResponse, logger: Logger): boolean {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (!(declared > MAX_SLACK_BODY_BYTES)) return false;
  logger.warn('slack.request-refused', { platform: 'slack', code: 'body_too_large', count: declared });
  res.writeHead(413, { 'content-type': 'text/plain', connection: 'close' }).end('Request body too large');
  // Whatever was sent is not read.
  req.resume();
  return true;
}
