// People's IANA time zones from users.info (scope users:read), cached: a profile's zone changes
// rarely, and users.info would otherwise be called on every command. Bounded, so a large
// workspace cannot grow it without limit; a failed look-up is remembered briefly too.
import { IANAZone } from 'luxon';
import { errorCode } from '../../core/plumbing/logger.js';
import type { Logger } from '../../core/ports.js';
import type { webApi } from '@slack/bolt';
import { slackCall } from './errors.js';
import { parseSlackId } from './ids.js';

const HIT_TTL_MS = 6 * 60 * 60 * 1000;
const MISS_TTL_MS = 5 * 60 * 1000;
const MAX_ENTRIES = 5_000;

export class TimeZoneCache {
  private readonly entries = new Map<string, { zone: string | undefined; until: number }>();

  constructor(
    private readonly client: webApi.WebClient,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  async zoneOf(user: string): Promise<string | undefined> {
    const slack = parseSlackId(user);
    if (!slack) return undefined;
    const cached = this.entries.get(user);
    if (cached && cached.until > this.now()) return cached.zone;
    let zone: string | undefined;
    let ttl = HIT_TTL_MS;
    try {
      const result = await slackCall(() => this.client.users.info({ user: slack.id }));
      const tz = result.user?.tz;
      zone = typeof tz === 'string' && IANAZone.isValidZone(tz) ? tz : undefined;
    } catch (error) {
      ttl = MISS_TTL_MS;
      this.logger.warn('slack.time-zone-failed', { user, code: errorCode(error) });
    }
    this.remember(user, zone, ttl);
    return zone;
  }

  /** The zone if it comes within `ms`, else undefined (the look-up still fills the cache). */
  async zoneWithin(user: string, ms: number): Promise<string | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), ms);
    });
    try {
      return await Promise.race([this.zoneOf(user), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private remember(user: string, zone: string | undefined, ttl: number): void {
    this.entries.delete(user);
    this.entries.set(user, { zone, until: this.now() + ttl });
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
  }
}
