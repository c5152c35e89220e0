// Three Web API clients with one token, because they must fail differently:
// - `background`: posts, direct messages, reminders and invites (jobs). It refuses a 429 at
//   once too: the workspace then waits out the Retry-After (slack-chat.ts, RatePauses) and the
//   job queue holds the job until it has passed, so a burst of invites is slowed, never dropped,
//   and nobody sleeps on a request meanwhile.
// - `interactive`: answers to a person who is waiting (ephemerals, modals, App Home, profile
//   look-ups). It refuses a 429 at once: the person is told now rather than in 30 s.
// - `refresh`: countdown updates of the timer card. It refuses a 429 at once, so a refused
//   refresh never pauses the background client's queue; the timer skips it and the next
//   refresh shows the right time anyway.
import { webApi } from '@slack/bolt';
import type { Logger } from '../../core/ports.js';
import { sdkLogger } from './sdk-logger.js';

export interface SlackClients {
  background: webApi.WebClient;
  interactive: webApi.WebClient;
  refresh: webApi.WebClient;
}

export interface ClientSettings {
  token: string;
  /** The Web API base URL (Slack's own when unset). */
  apiUrl?: string;
  logger: Logger;
  /** One call's timeout (default 10 s); a timed-out call counts as a failed request. */
  timeoutMs?: number;
}

/** Options every client shares; Bolt's own client gets them too. */
export function baseOptions(settings: ClientSettings): webApi.WebClientOptions {
  return {
    ...(settings.apiUrl ? { slackApiUrl: settings.apiUrl } : {}),
    logger: sdkLogger(settings.logger),
    timeout: settings.timeoutMs ?? 10_000,
  };
}

export function createClients(settings: ClientSettings): SlackClients {
  const base = baseOptions(settings);
  const make = (options: webApi.WebClientOptions) => new webApi.WebClient(settings.token, { ...base, ...options });
  return {
    // Two quick retries for a 5xx or a dropped connection; the job queue retries after that.
    background: make({
      rejectRateLimitedCalls: true,
      retryConfig: { retries: 2, factor: 2, minTimeout: 250, maxTimeout: 1_000, randomize: true },
    }),
    interactive: make({ rejectRateLimitedCalls: true, retryConfig: { retries: 1, minTimeout: 200, maxTimeout: 200 } }),
    refresh: make({ rejectRateLimitedCalls: true, retryConfig: { retries: 0 } }),
  };
}
