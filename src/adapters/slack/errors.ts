// Web API failures as errors the core understands: a code that is safe to log (Slack's own
// error name, never a message) and whether trying again can help. The job queue reads
// `retryable`; a `channel_not_found` retried for an hour would only fill the logs.
import { webApi } from '@slack/bolt';
import { authHealth } from '../platform/auth-health.js';

const { WebAPIHTTPError, WebAPIPlatformError, WebAPIRateLimitedError, WebAPIRequestError } = webApi;

/** Errors that stay errors however often the call is repeated. */
const PERMANENT = new Set([
  'user_not_found',
  'users_not_found',
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'cannot_dm_bot',
  'user_not_in_channel',
  'user_disabled',
  'missing_scope',
  'no_permission',
  'restricted_action',
  'invalid_blocks',
  'invalid_arguments',
  'msg_too_long',
  'no_text',
  'message_not_found',
  'cant_update_message',
  'edit_window_closed',
  'expired_trigger_id',
  'exchanged_trigger_id',
  'invalid_trigger_id',
  'view_too_large',
  'team_access_not_granted',
  'ekm_access_denied',
  'messages_tab_disabled',
  'not_allowed_token_type',
]);

/**
 * The bot's own token refused: not the recipient's refusal. Such a call is retryable (the job
 * pauses, nothing is marked failed) and it pauses every call until one succeeds (auth-health.ts).
 */
const CREDENTIALS = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired']);

export class SlackCallError extends Error {
  override readonly name = 'SlackCallError';
  constructor(
    /** Slack's error name (`channel_not_found`), `ratelimited`, `http_503` or `request_failed`. */
    readonly code: string,
    readonly retryable: boolean,
    /** From a 429's Retry-After, when Slack said how long to wait. */
    readonly retryAfterMs?: number,
  ) {
    super(code);
    this.credentials = CREDENTIALS.has(code);
  }

  /** The bot's own credentials were refused (the job queue pauses rather than fails the job). */
  readonly credentials: boolean;
}

const safeCode = (value: unknown, fallback: string): string =>
  typeof value === 'string' && /^[a-z0-9_]{1,60}$/.test(value) ? value : fallback;

export function toSlackCallError(error: unknown): SlackCallError {
  if (error instanceof SlackCallError) return error;
  if (error instanceof WebAPIRateLimitedError) return new SlackCallError('ratelimited', true, error.retryAfter * 1000);
  if (error instanceof WebAPIPlatformError) {
    const code = safeCode(error.data.error, 'platform_error');
    return new SlackCallError(code, CREDENTIALS.has(code) || !PERMANENT.has(code));
  }
  if (error instanceof WebAPIHTTPError) {
    const status = error.statusCode;
    return new SlackCallError(`http_${status}`, status >= 500 || status === 408 || status === 429);
  }
  if (error instanceof WebAPIRequestError) return new SlackCallError('request_failed', true);
  // Our own fetches (response_url) and anything unforeseen: worth another try.
  return new SlackCallError('slack_call_failed', true);
}

/**
 * Runs one Web API call and turns its failure into a SlackCallError. While the bot's token is
 * refused, calls are held back (one a minute goes through to see whether it works again).
 */
export async function slackCall<T>(call: () => Promise<T>): Promise<T> {
  if (authHealth.shouldHold('slack')) throw new SlackCallError(authHealth.problem('slack') ?? 'invalid_auth', true);
  let result: T;
  try {
    result = await call();
  } catch (error) {
    const failure = toSlackCallError(error);
    if (failure.credentials) authHealth.failed('slack', failure.code);
    throw failure;
  }
  authHealth.succeeded('slack');
  return result;
}
