// People and places the bot could not reach (app not installed, bot blocked or removed). The
// job that failed is not retried; the problem is kept here for the coordinators' digest and
// cleared by the next message that gets through. Ids and codes only.
import type { Place, UserId } from '../../core/plumbing/ids.js';
import type { Clock, Store } from '../../core/ports.js';

export const DELIVERY_PROBLEMS = 'delivery-problems';

export interface DeliveryProblem {
  /** The person or place that could not be reached. */
  target: UserId | Place;
  platform: 'teams';
  /** Our code (teams_forbidden, teams_not_found, teams_unknown_person). */
  code: string;
  /** Teams' own code when it gave one (MessageWritesBlocked, ConversationBlockedByUser, …). */
  reason?: string;
  at: number;
}

export class DeliveryProblems {
  /** The targets with a record, read from the store once (records outlive the process). */
  private known: Promise<Set<string>> | undefined;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  async record(target: UserId | Place, code: string, reason?: string): Promise<void> {
    (await this.targets()).add(target);
    await this.store.set<DeliveryProblem>(DELIVERY_PROBLEMS, target, {
      target,
      platform: 'teams',
      code,
      ...(reason ? { reason } : {}),
      at: this.clock.now(),
    });
  }

  /** Called after a successful send: no store write unless the target has a record. */
  async clear(target: UserId | Place): Promise<void> {
    if (!(await this.targets()).delete(target)) return;
    await this.store.delete(DELIVERY_PROBLEMS, target);
  }

  /** Data rights: the record that this person could not be reached. */
  async forget(user: UserId): Promise<number> {
    (await this.targets()).delete(user);
    return Number(await this.store.delete(DELIVERY_PROBLEMS, user));
  }

  private targets(): Promise<Set<string>> {
    this.known ??= (async () => {
      const targets = new Set<string>();
      for await (const [key] of this.store.entries<DeliveryProblem>(DELIVERY_PROBLEMS)) targets.add(key);
      return targets;
    })();
    return this.known;
  }

  async list(): Promise<DeliveryProblem[]> {
    const all: DeliveryProblem[] = [];
    for await (const [, problem] of this.store.entries<DeliveryProblem>(DELIVERY_PROBLEMS)) all.push(problem);
    return all;
  }
}
