// Retry-After as a shared fact: a 429 for one call says the whole scope (a Slack workspace, a
// Teams conversation) is to wait, so every call there, on every instance, waits until then
// rather than spending a request on a refusal. Written to the store when a 429 comes (rare);
// read from it at most once per REREAD_MS per scope and otherwise answered from memory, so the
// check before every card refresh costs nothing. The store failing never blocks a send: an
// unreadable pause counts as none.
import { errorCode } from '../../core/plumbing/logger.js';
import type { Place } from '../../core/plumbing/ids.js';
import { workspaceOf } from '../../core/plumbing/rate-budget.js';
import type { Clock, Logger, RateLimits, Store } from '../../core/ports.js';

const NAMESPACE = 'rate-limits';
/** How stale another instance's news of a pause may be: one refused request at most, per scope. */
export const REREAD_MS = 5_000;
/** Scopes remembered in memory; past it, the ones whose pause is over go first. */
const MAX_SCOPES = 10_000;

interface Known {
  until: number;
  readAt: number;
}

export class RatePauses implements RateLimits {
  private readonly known = new Map<string, Known>();

  constructor(private readonly deps: { store?: Store; clock: Pick<Clock, 'now'>; logger?: Logger }) {}

  /** `scope` (`slack:T0001`) is to wait until `until` (epoch ms), here and on every instance. */
  async pause(scope: string, until: number): Promise<void> {
    const now = this.deps.clock.now();
    if (until <= now) return;
    this.remember(scope, Math.max(until, this.known.get(scope)?.until ?? 0), now);
    try {
      await this.deps.store?.update<number>(NAMESPACE, scope, (current) =>
        current !== undefined && current >= until ? current : until,
      );
    } catch (error) {
      // Kept here at least: the other instances learn it from their own first refusal.
      this.deps.logger?.warn('platform.rate-limit-unshared', { code: errorCode(error) });
    }
  }

  /** Until when `scope` waits; undefined when it does not (or its pause is over). */
  async until(scope: string): Promise<number | undefined> {
    const now = this.deps.clock.now();
    let known = this.known.get(scope);
    if (!known || now - known.readAt >= REREAD_MS) {
      let stored: number | undefined;
      try {
        stored = await this.deps.store?.get<number>(NAMESPACE, scope);
      } catch {
        stored = undefined;
      }
      known = this.remember(scope, Math.max(typeof stored === 'number' ? stored : 0, known?.until ?? 0), now);
    }
    return known.until > now ? known.until : undefined;
  }

  /** A place waits while its own scope does (a Teams conversation) or its workspace's (Slack). */
  async limitedUntil(place: Place): Promise<number | undefined> {
    const own = await this.until(place);
    const workspace = workspaceOf(place);
    const wide = workspace === place ? undefined : await this.until(workspace);
    return own === undefined ? wide : wide === undefined ? own : Math.max(own, wide);
  }

  private remember(scope: string, until: number, readAt: number): Known {
    if (this.known.size >= MAX_SCOPES && !this.known.has(scope))
      for (const [key, value] of this.known) if (value.until <= readAt) this.known.delete(key);
    const known = { until, readAt };
    if (this.known.size < MAX_SCOPES || this.known.has(scope)) this.known.set(scope, known);
    return known;
  }
}
