// Whether a platform accepts the bot's own credentials right now (Slack invalid_auth,
// token_revoked, account_inactive; a Teams 401). Such a refusal is nobody's choice to block the
// bot: deliveries pause rather than fail, one call a minute probes whether the credentials work
// again, one `platform.auth_failed` line a minute says so, and the first call that succeeds
// resumes everything. `/readyz` reads `authProblem()`; `onAuthChange` tells a listener at once.
import type { Logger } from '../../core/ports.js';

export type AuthPlatform = 'slack' | 'teams';

/** One probe call, and one log line, per this long while the credentials are refused. */
export const AUTH_PROBE_MS = 60_000;

interface Problem {
  code: string;
  since: number;
  lastProbe: number;
  lastLog: number;
}

export type AuthListener = (platform: AuthPlatform, problem: string | undefined) => void;

export class AuthHealth {
  private readonly problems = new Map<AuthPlatform, Problem>();
  private readonly listeners = new Set<AuthListener>();
  private logger: Logger | undefined;
  private now: () => number = () => Date.now();

  /** The adapters give their logger and clock when they are created. */
  configure(options: { logger?: Logger; now?: () => number }): void {
    if (options.logger) this.logger = options.logger;
    if (options.now) this.now = options.now;
  }

  /** The platform's credentials problem (`invalid_auth`, `teams_unauthorized`), or undefined when fine. */
  problem(platform: AuthPlatform): string | undefined {
    return this.problems.get(platform)?.code;
  }

  /**
   * Whether a call should be held back instead of made: while the credentials are refused, one
   * call a minute goes through as the probe and the rest are refused without a request.
   */
  shouldHold(platform: AuthPlatform): boolean {
    const problem = this.problems.get(platform);
    if (!problem) return false;
    const now = this.now();
    if (now - problem.lastProbe < AUTH_PROBE_MS) return true;
    problem.lastProbe = now;
    return false;
  }

  failed(platform: AuthPlatform, code: string): void {
    const now = this.now();
    const known = this.problems.get(platform);
    if (known) {
      known.code = code;
      known.lastProbe = now;
      if (now - known.lastLog < AUTH_PROBE_MS) return;
      known.lastLog = now;
    } else {
      this.problems.set(platform, { code, since: now, lastProbe: now, lastLog: now });
      this.emit(platform, code);
    }
    const since = this.problems.get(platform)?.since ?? now;
    this.logger?.error('platform.auth_failed', { platform, code, durationMs: now - since });
  }

  succeeded(platform: AuthPlatform): void {
    const known = this.problems.get(platform);
    if (!known) return;
    this.problems.delete(platform);
    this.logger?.info('platform.auth_recovered', { platform, durationMs: this.now() - known.since });
    this.emit(platform, undefined);
  }

  onAuthChange(listener: AuthListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(platform: AuthPlatform, problem: string | undefined): void {
    for (const listener of this.listeners) listener(platform, problem);
  }
}

/** The process's one view: both platforms' chats report here, and readiness reads it. */
export const authHealth = new AuthHealth();

/** The current credentials problem of `platform`, or undefined: what `/readyz` reports. */
export const authProblem = (platform: AuthPlatform): string | undefined => authHealth.problem(platform);

/** Called with every change (a problem appears or clears), for a readiness check to mirror. */
export const onAuthChange = (listener: AuthListener): (() => void) => authHealth.onAuthChange(listener);
