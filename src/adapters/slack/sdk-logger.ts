// Bolt and the Web API client log free-form strings, some of which quote request bodies
// (the text someone typed). None of that reaches our logs: each SDK line becomes a fixed event
// with, at most, the code of an error it carried. Debug lines are dropped outright.
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import { errorCode } from '../../core/plumbing/logger.js';
import type { Logger } from '../../core/ports.js';

export function sdkLogger(logger: Logger): BoltLogger {
  let level = LogLevel.INFO;
  const codeOf = (msg: unknown[]) => {
    const error = msg.find((m) => m instanceof Error);
    return error ? { code: errorCode(error) } : {};
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
