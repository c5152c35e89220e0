// Each member's private calendar feed. The feed is found by an unguessable token (192 random
// bits, base64url) that is its only credential: it is stored as a key in its own namespace,
// never logged, and `calendar reset` replaces it, after which the old link answers 404.
// A feed shows the sessions of the groups the person belongs to *when it is fetched*, so
// leaving a group removes its sessions from the feed too.
import { randomBytes } from 'node:crypto';
import type { UserId } from '../plumbing/ids.js';
import { unchanged, type Clock, type Store } from '../ports.js';
import type { Roster } from '../roster.js';
import { buildCalendar, type CalendarEvent } from './ics.js';
import type { ScheduleService } from './service.js';
import { endOf, type Session } from './session.js';

const FEEDS = 'calendar-feeds';
const OWNERS = 'calendar-owners';

interface FeedRecord {
  user: UserId;
  createdAt: number;
}
interface OwnerRecord {
  token: string;
}

export const FEED_TOKEN = /^[A-Za-z0-9_-]{32}$/;
const newToken = (): string => randomBytes(24).toString('base64url');

const MODE_TEXT: Record<Session['mode'], string> = {
  'in-person': 'In person',
  online: 'Online',
  hybrid: 'Hybrid (in the room and online)',
};

export function sessionEvent(session: Session, groupName: string): CalendarEvent {
  const cancelled = session.status === 'cancelled';
  return {
    uid: `${session.id}@balint-bot`,
    sequence: session.sequence,
    start: session.start,
    end: endOf(session),
    cancelled,
    summary: `${cancelled ? 'Cancelled: ' : ''}Balint group: ${groupName}`,
    updated: session.updatedAt,
    ...(session.place ? { location: session.place } : {}),
    ...(session.link ? { url: session.link } : {}),
    description: `${MODE_TEXT[session.mode]}.${session.link ? ` Join: ${session.link}` : ''}`,
  };
}

export class CalendarFeeds {
  constructor(
    private readonly deps: { store: Store; roster: Roster; schedule: ScheduleService; clock: Clock },
    private readonly publicUrl: string | undefined,
  ) {}

  get configured(): boolean {
    return this.publicUrl !== undefined;
  }

  /** The person's feed URL, made on first ask. Undefined when no public URL is configured. */
  async urlFor(user: UserId): Promise<string | undefined> {
    if (!this.publicUrl) return undefined;
    const owner = await this.deps.store.update<OwnerRecord>(OWNERS, user, async (current) => {
      if (current && (await this.deps.store.get<FeedRecord>(FEEDS, current.token))) return current;
      return { token: await this.issue(user) };
    });
    return this.link((owner as OwnerRecord).token);
  }

  /** Replaces the person's token; the old link stops working at once. */
  async reset(user: UserId): Promise<string | undefined> {
    if (!this.publicUrl) return undefined;
    let old: string | undefined;
    const owner = await this.deps.store.update<OwnerRecord>(OWNERS, user, async (current) => {
      old = current?.token;
      return { token: await this.issue(user) };
    });
    if (old) await this.deps.store.delete(FEEDS, old);
    return this.link((owner as OwnerRecord).token);
  }

  /**
   * Data rights: revokes every feed token of the person (the current one, and any a crash left
   * behind between issuing a token and recording it) and forgets them. Returns how many.
   * Works whether or not feeds are configured: a token issued before it was switched off goes too.
   */
  async forget(user: UserId): Promise<number> {
    const { store } = this.deps;
    const tokens = new Set<string>();
    await store.update<OwnerRecord>(OWNERS, user, (current) => {
      if (!current) return unchanged;
      tokens.add(current.token);
      return undefined;
    });
    for await (const [token, record] of store.entries<FeedRecord>(FEEDS)) if (record.user === user) tokens.add(token);
    let removed = 0;
    for (const token of tokens) {
      await store.update<FeedRecord>(FEEDS, token, (current) => {
        if (current?.user !== user) return unchanged;
        removed++;
        return undefined;
      });
    }
    return removed;
  }

  /** The .ics text for a token, or undefined for a token that is not (or no longer) valid. */
  async feed(token: string): Promise<string | undefined> {
    if (!FEED_TOKEN.test(token)) return undefined;
    const record = await this.deps.store.get<FeedRecord>(FEEDS, token);
    if (!record) return undefined;
    const access = await this.deps.roster.access(record.user);
    const events: CalendarEvent[] = [];
    for (const groupId of access.roles.keys()) {
      const group = await this.deps.roster.getGroup(groupId);
      if (!group) continue;
      for (const session of await this.deps.schedule.forFeed(groupId)) events.push(sessionEvent(session, group.name));
    }
    events.sort((a, b) => a.start - b.start);
    return buildCalendar({ name: 'Balint sessions', events });
  }

  private async issue(user: UserId): Promise<string> {
    const token = newToken();
    await this.deps.store.set<FeedRecord>(FEEDS, token, { user, createdAt: this.deps.clock.now() });
    return token;
  }

  private link(token: string): string {
    return `${this.publicUrl}/calendar/${token}.ics`;
  }
}
