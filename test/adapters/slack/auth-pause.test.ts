// Issue 15, item 2 on Slack: invalid_auth, token_revoked, account_inactive are the bot's own
// token refused. They pause calls (one a minute probes), never count as the recipient's refusal,
// and the first call that succeeds clears the problem.
import { webApi } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { authHealth, authProblem } from '../../../src/adapters/platform/auth-health.js';
import { slackCall, toSlackCallError } from '../../../src/adapters/slack/errors.js';
import { isCredentialsFailure, isRetryable } from '../../../src/core/jobs/types.js';
import { LogSink } from '../../support/harness.js';
import { createPinoLogger } from '../../../src/adapters/log/pino-logger.js';

const platform = (error: string) => new webApi.WebAPIPlatformError({ ok: false, error } as never);

describe('Slack credentials refused', () => {
  it('are retryable credential failures, not permanent refusals', () => {
    for (const code of ['invalid_auth', 'token_revoked', 'account_inactive', 'not_authed', 'token_expired']) {
      const error = toSlackCallError(platform(code));
      expect(error).toMatchObject({ code, retryable: true, credentials: true });
      expect(isCredentialsFailure(error) && isRetryable(error)).toBe(true);
    }
    expect(toSlackCallError(platform('channel_not_found'))).toMatchObject({ retryable: false, credentials: false });
  });

  it('hold calls back while refused, probing once a minute, and resume when a call succeeds', async () => {
    let now = 1_000_000;
    const logs = new LogSink();
    authHealth.configure({ now: () => now, logger: createPinoLogger('debug', logs) });
    let calls = 0;
    let refuse = true;
    const call = () => {
      calls++;
      return refuse ? Promise.reject(platform('token_revoked')) : Promise.resolve({ ok: true });
    };
    await expect(slackCall(call)).rejects.toMatchObject({ code: 'token_revoked', credentials: true });
    expect(authProblem('slack')).toBe('token_revoked');
    // Within the minute: refused without a request.
    for (let i = 0; i < 10; i++) {
      now += 5_000;
      await expect(slackCall(call)).rejects.toMatchObject({ code: 'token_revoked', credentials: true });
    }
    expect(calls).toBe(1);
    now += 10_000;
    await expect(slackCall(call)).rejects.toMatchObject({ code: 'token_revoked' });
    expect(calls).toBe(2);
    expect(logs.lines.filter((l) => l.includes('"platform.auth_failed"'))).toHaveLength(2);
    refuse = false;
    now += 60_000;
    await expect(slackCall(call)).resolves.toEqual({ ok: true });
    expect(authProblem('slack')).toBeUndefined();
    await slackCall(call);
    expect(calls).toBe(4);
    expect(logs.lines.filter((l) => l.includes('"platform.auth_recovered"'))).toHaveLength(1);
  });
});
