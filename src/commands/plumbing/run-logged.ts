// Runs a command, button or form handler and turns its outcome into one log line and, on
// failure, one private answer. User errors carry their own safe message; anything else is
// reported by error code only, since an error's message can quote what was typed.
import { card, ephemeral, text, type Reply } from '../../core/cards.js';
import { UserError } from '../../core/plumbing/errors.js';
import { errorCode } from '../../core/plumbing/logger.js';
import { isStoreUnavailable } from '../../core/plumbing/store-unavailable.js';
import type { LogFields, Logger } from '../../core/ports.js';

type Outcome = NonNullable<LogFields['outcome']>;
/** A handler either answers, or refuses early with an outcome and a message. */
export type HandlerResult = Reply[] | { outcome: Exclude<Outcome, 'ok' | 'failed'>; message: string };

export const FAILED_MESSAGE = 'Something went wrong on my side. Please try again in a moment.';
export const STORE_UNAVAILABLE_MESSAGE =
  "I can't reach my storage right now; nothing was changed, please try again in a minute.";
/** Slack refused a post in a channel the bot is not a member of: the one thing the person can fix. */
export const NOT_IN_CHANNEL_MESSAGE = 'Invite @Balint to this channel first (`/invite @Balint`).';
const NOT_IN_CHANNEL_CODES = new Set(['not_in_channel', 'channel_not_found']);

function failureMessage(error: unknown): string {
  if (isStoreUnavailable(error)) return STORE_UNAVAILABLE_MESSAGE;
  if (NOT_IN_CHANNEL_CODES.has(errorCode(error))) return NOT_IN_CHANNEL_MESSAGE;
  return FAILED_MESSAGE;
}
export const say = (message: string): Reply[] => [ephemeral(card(text(message)))];

export async function runLogged(
  logger: Logger,
  event: string,
  fields: LogFields,
  work: () => Promise<HandlerResult>,
): Promise<Reply[]> {
  const started = Date.now();
  const finish = (outcome: Outcome, replies: Reply[], extra: LogFields = {}): Reply[] => {
    logger[outcome === 'failed' ? 'error' : 'info'](event, {
      ...fields,
      ...extra,
      outcome,
      durationMs: Date.now() - started,
    });
    return replies;
  };
  try {
    const result = await work();
    return Array.isArray(result) ? finish('ok', result) : finish(result.outcome, say(result.message));
  } catch (error) {
    if (error instanceof UserError) return finish(error.code, say(error.message));
    return finish('failed', say(failureMessage(error)), { code: errorCode(error) });
  }
}
