// Bolt and the Web API client log free-form strings, some of which quote request bodies
// (the text someone typed). None of that reaches our logs: each SDK line becomes a fixed event
// with, at most, the code of an error it carried. Debug lines are dropped outright.
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import { errorCode } from '../../core/plumbing/logger.js';
import type { Logger } from '../../core/ports.js';

/**
 * Bolt's receiver reports refused requests as sentences; their fixed openings name the reason,
 * which is logged as a code (the rest of the sentence, which may quote the body, never is).
 */
const KNOWN_LINES: ReadonlyArray<[RegExp, string]> = [
  [/^Malformed request body/, 'malformed_body'],
  [/^Failed to parse and verify the request data/, 'unverifiable_request'],
  [/^Failed to parse the request body/, 'unparsable_body'],
  [/^Request body exceeded the maximum allowed size/, 'body_too_large'],
  [/^An incoming event was not acknowledged within 3 seconds/, 'ack_timeout'],
];

export function sdkLogger(logger: Logger): BoltLogger {
  let level = LogLevel.INFO;
  const codeOf = (msg: unknown[]) => {
    const error = msg.find((m) => m instanceof Error);
    if (error) return { code: errorCode(error) };
    const first = typeof msg[0] === 'string' ? msg[0] : '';
    const known = KNOWN_LINES.find(([pattern]) => pattern.test(first));
    return known ? { code: known[1] } : {};
  };
  return {
    debug: () => undefined,
    info: () => undefined,
    warn: (...msg: unknown[]) => logger.warn('slack.sdk-warning', { platform: 'slack', ...codeOf(msg) }),
    error: (...msg: unknown[]) => logger.error('slack.sdk-error', { platform: 'slack', ...codeOf(msg) }),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
