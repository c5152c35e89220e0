// POST /slack/events before Bolt: the checks that decide whether a request is acted on at all.
// In order: a declared body over the limit (413), a signature stamped ahead of the window or
// not matching the bytes (401), a body that does not parse or a payload of the wrong shape
// (400, `malformed_body` / `malformed_payload`), and a signed request already accepted once, here or on another
// instance over the same store (200, empty, `slack.replay-ignored`). Only then does Bolt see it.
// The signature is checked here with Bolt's own function over the bytes we buffered; Bolt takes
// the buffered request as it is and checks it again.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HTTPModuleFunctions, isRawBodyError } from '@slack/bolt';
import { STORE_UNAVAILABLE_MESSAGE } from '../../commands/plumbing/run-logged.js';
import type { ClaimOnce } from '../../core/plumbing/claim-once.js';
import { withDeadline } from '../../core/plumbing/deadline.js';
import { errorCode } from '../../core/plumbing/logger.js';
import { isStoreUnavailable } from '../../core/plumbing/store-unavailable.js';
import type { Logger } from '../../core/ports.js';
import { card, text } from '../../core/cards.js';
import { MAX_SLACK_BODY_BYTES, refusedAsTooLarge } from './body-limit.js';
import { postToResponseUrl } from './reply-chat.js';
import { malformedPart } from './payload-shape.js';

/** Slack's signature window, both ways. */
export const SIGNATURE_WINDOW_MS = 5 * 60_000;
/** A claim outlives the window by this much: instances' clocks may differ a little. */
const CLAIM_MARGIN_MS = 60_000;
/**
 * How long the claim may take before the request is treated as the store being away: Slack
 * wants its answer within 3 s, and a frozen store only fails after its own 5 s deadline.
 */
const CLAIM_WAIT_MS = 2_500;

class ClaimTooSlow extends Error {
  readonly code = 'store_slow';
}

export interface DoorDeps {
  signingSecret: string;
  logger: Logger;
  /** The accepted requests' identities, in the shared store. */
  claims: ClaimOnce;
  /** Where an accepted request goes on (Bolt's receiver). */
  next: (req: IncomingMessage, res: ServerResponse) => void;
  now?: () => number;
}

type Buffered = IncomingMessage & { rawBody: Buffer };

const REASONS: Record<number, string> = { 400: 'bad request', 401: 'unauthorized', 503: 'try again later' };

function refuse(res: ServerResponse, status: number): void {
  res.writeHead(status, { 'content-type': 'text/plain' }).end(REASONS[status] ?? '');
}

/** What kind of request this is, for the log: `command`, or the payload's type. */
function kindOf(body: unknown): string {
  const b = body as { command?: unknown; type?: unknown };
  return b.command !== undefined ? 'command' : String(b.type);
}

export function slackDoor(deps: DoorDeps): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const { logger } = deps;
  const now = deps.now ?? Date.now;
  const refused = (code: string, extra: { action?: string } = {}) =>
    logger.warn('slack.request-refused', { platform: 'slack', code, ...extra });

  return async (req, res) => {
    if (refusedAsTooLarge(req, res, logger)) return;
    // Bolt refuses a timestamp older than five minutes but not one from the future: a
    // signature stamped ahead would stay replayable for as long as it points ahead.
    const stamp = Number(req.headers['x-slack-request-timestamp']);
    if (Number.isFinite(stamp) && stamp * 1000 > now() + SIGNATURE_WINDOW_MS) {
      refused('future_timestamp');
      req.resume();
      return refuse(res, 401);
    }
    let buffered: Buffered;
    try {
      buffered = (await HTTPModuleFunctions.parseAndVerifyHTTPRequest(
        { signingSecret: deps.signingSecret, bodyLimit: MAX_SLACK_BODY_BYTES },
        req,
      )) as Buffered;
    } catch (error) {
      if (isRawBodyError(error)) {
        refused('body_too_large');
        res.writeHead(413, { 'content-type': 'text/plain', connection: 'close' }).end('Request body too large');
        return;
      }
      refused('bad_signature');
      return refuse(res, 401);
    }
    let body: unknown;
    try {
      body = HTTPModuleFunctions.parseHTTPRequestBody(buffered);
    } catch {
      refused('malformed_body');
      return refuse(res, 400);
    }
    // ssl_check is unsigned by design (Bolt strips anything else it carries); the URL check acts on nothing.
    const checkOnly =
      (body as { ssl_check?: unknown } | null)?.ssl_check === '1' ||
      (body as { type?: unknown } | null)?.type === 'url_verification';
    const part = checkOnly ? undefined : malformedPart(body);
    if (part !== undefined) {
      refused('malformed_payload', { action: part });
      return refuse(res, 400);
    }
    if (!checkOnly) {
      // Signature and timestamp together name one signed request; Bolt has just checked both.
      const identity = `slack:${stamp}:${String(req.headers['x-slack-signature'])}`;
      const action = kindOf(body);
      try {
        const until = stamp * 1000 + SIGNATURE_WINDOW_MS + CLAIM_MARGIN_MS;
        if (
          !(await withDeadline(
            deps.claims.claim(identity, until),
            CLAIM_WAIT_MS,
            () => new ClaimTooSlow('claim too slow'),
          ))
        ) {
          logger.info('slack.replay-ignored', { platform: 'slack', action });
          res.writeHead(200).end();
          return;
        }
      } catch (error) {
        // Nothing can be done without the store anyway; acting unrecorded could act twice.
        logger.warn('slack.request-refused', {
          platform: 'slack',
          action,
          code: isStoreUnavailable(error) ? 'store_unavailable' : errorCode(error),
        });
        // A command or a press has a response_url: acknowledged at once (Slack waits 3 s), the
        // person is told there privately. Anything else is refused, and Slack tries it again.
        const responseUrl = (body as { response_url?: unknown }).response_url;
        if (typeof responseUrl !== 'string') return refuse(res, 503);
        res.writeHead(200).end();
        await postToResponseUrl(responseUrl, card(text(STORE_UNAVAILABLE_MESSAGE))).catch((failure: unknown) =>
          logger.warn('slack.answer-failed', { platform: 'slack', action, code: errorCode(failure) }),
        );
        return;
      }
    }
    deps.next(buffered, res);
  };
}
