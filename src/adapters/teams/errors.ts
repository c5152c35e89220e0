// Connector failures in the terms the bot acts on. Only the status, Teams' error code and our
// own code survive: the SDK's error holds the request (with the card we sent) and its message.
export type TeamsErrorCode =
  | 'teams_forbidden' // 403: the app is not installed for the person, the bot was blocked or removed
  | 'teams_unauthorized' // 401: the bot's own credentials were refused; nobody blocked anything
  | 'teams_not_found' // 404: the conversation or message is gone
  | 'teams_throttled' // 429, 412, 502, 503, 504 after our retries: try again later
  | 'teams_unknown_person' // we never saw this person in Teams, so cannot open a chat with them
  | 'teams_unknown_place' // no stored conversation reference for this place
  | 'teams_failed';

export class TeamsSendError extends Error {
  override readonly name = 'TeamsSendError';
  /** The job queue fails the job at once instead of retrying when this is false. */
  readonly retryable: boolean;

  constructor(
    readonly code: TeamsErrorCode,
    readonly status?: number,
    /** Teams' own code (MessageWritesBlocked, ConversationBlockedByUser, …), when it gave one. */
    readonly reason?: string,
    /** Seconds the service asked us to wait (Retry-After). */
    readonly retryAfterSeconds?: number,
  ) {
    super(code);
    this.credentials = code === 'teams_unauthorized';
    // A network failure or a server error may pass; a 400 will not. Refused credentials pause
    // the job (the queue neither counts nor fails it) until a call succeeds again.
    this.retryable =
      this.credentials ||
      code === 'teams_throttled' ||
      (code === 'teams_failed' && (status === undefined || status >= 500));
  }

  /** The bot's own credentials were refused (a 401), not the recipient's doing. */
  readonly credentials: boolean;

  /** Retry-After in ms, for the job queue: no retry comes sooner. */
  get retryAfterMs(): number | undefined {
    return this.retryAfterSeconds === undefined ? undefined : this.retryAfterSeconds * 1000;
  }
}

/**
 * There is no 1:1 chat to answer the person in: none is stored and creating one was refused for
 * good (the app is not installed for them: 403/404 on create), or the bot never met them. The
 * one failure the channel line "open Balint in your personal chat" is for.
 */
export class NoPersonalChat extends TeamsSendError {
  static from(failure: TeamsSendError): NoPersonalChat {
    return new NoPersonalChat(failure.code, failure.status, failure.reason, failure.retryAfterSeconds);
  }
}

/** A send answered 404: the conversation is gone (ConversationNotFound), not throttled or refused. */
export const isGoneConversation = (error: unknown): boolean =>
  error instanceof TeamsSendError && error.code === 'teams_not_found';

const RETRY_STATUSES = new Set([412, 429, 502, 503, 504]);
const REASON = /^[A-Za-z][A-Za-z0-9_.-]{0,60}$/;

interface RestLike {
  statusCode?: unknown;
  code?: unknown;
  message?: unknown;
  response?: {
    status?: unknown;
    headers?: { get?(name: string): string | undefined };
    parsedBody?: unknown;
    bodyAsText?: unknown;
  };
}

/** Teams' error code from wherever this error shape keeps it (see connector-responses.json). */
function reasonOf(error: RestLike): string | undefined {
  const fromBody = (body: unknown): string | undefined => {
    if (!body || typeof body !== 'object') return undefined;
    const b = body as { error?: { code?: unknown }; message?: unknown };
    if (typeof b.error?.code === 'string') return b.error.code;
    // MessageWritesBlocked: `{errorCode: 209, message: "<JSON with subCode>"}`.
    if (typeof b.message === 'string') {
      try {
        const inner = JSON.parse(b.message) as { subCode?: unknown };
        if (typeof inner.subCode === 'string') return inner.subCode;
      } catch {
        return undefined;
      }
    }
    return undefined;
  };
  let body = error.response?.parsedBody;
  if (body === undefined && typeof error.response?.bodyAsText === 'string') {
    try {
      body = JSON.parse(error.response.bodyAsText);
    } catch {
      body = undefined;
    }
  }
  const found =
    (typeof error.code === 'string' ? error.code : undefined) ?? fromBody(body) ?? fromBody({ message: error.message });
  return found && REASON.test(found) ? found : undefined;
}

export function toTeamsError(error: unknown): TeamsSendError {
  if (error instanceof TeamsSendError) return error;
  const e = (error && typeof error === 'object' ? error : {}) as RestLike;
  const status =
    typeof e.statusCode === 'number'
      ? e.statusCode
      : typeof e.response?.status === 'number'
        ? e.response.status
        : undefined;
  const reason = reasonOf(e);
  const retryAfter = Number(e.response?.headers?.get?.('retry-after'));
  const wait = Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : undefined;
  if (status === 401) return new TeamsSendError('teams_unauthorized', status, reason);
  if (status === 403) return new TeamsSendError('teams_forbidden', status, reason);
  if (status === 404) return new TeamsSendError('teams_not_found', status, reason);
  if (status !== undefined && RETRY_STATUSES.has(status))
    return new TeamsSendError('teams_throttled', status, reason, wait);
  return new TeamsSendError('teams_failed', status, reason);
}
