// Students named by email in a calendar or roster file, until the platform says who they are
// (Slack users.lookupByEmail, the Teams roster). The document is keyed by a hash of the email;
// the email itself is kept only while it is unresolved (the coordinator needs to see which
// ones are), and dropped once the user id is known.
import { createHash } from 'node:crypto';
import type { UserId } from '../plumbing/ids.js';
import type { GroupRole } from '../model.js';
import { unchanged, type Store } from '../ports.js';

const PEOPLE = 'rotation-people';
/** An email the platform did not know is asked about again after this long. */
export const LOOKUP_RETRY_MS = 60 * 60 * 1000;

export interface PendingMembership {
  group: string;
  role: GroupRole;
}

export interface Person {
  email?: string;
  user?: UserId;
  triedAt?: number;
  /** Roster rows waiting for this person's user id. */
  memberships: PendingMembership[];
}

export const personKey = (email: string): string =>
  `p_${createHash('sha256').update(email.trim().toLowerCase()).digest('hex').slice(0, 24)}`;

export class People {
  constructor(private readonly store: Store) {}

  get(key: string): Promise<Person | undefined> {
    return this.store.get<Person>(PEOPLE, key);
  }

  /** Notes an email (and a membership waiting for it); returns its key and the user if known. */
  async note(email: string, membership?: PendingMembership): Promise<{ key: string; user?: UserId; changed: boolean }> {
    const key = personKey(email);
    let changed = false;
    const person = await this.store.update<Person>(PEOPLE, key, (current) => {
      if (
        current &&
        (!membership ||
          current.user ||
          current.memberships.some((m) => m.group === membership.group && m.role === membership.role))
      )
        return unchanged;
      changed = true;
      if (!current) return { email: email.toLowerCase(), memberships: membership ? [membership] : [] };
      return {
        ...current,
        memberships: [
          ...current.memberships.filter((m) => m.group !== membership?.group),
          ...(membership ? [membership] : []),
        ],
      };
    });
    return { key, changed, ...(person?.user ? { user: person.user } : {}) };
  }

  async userOf(key: string): Promise<UserId | undefined> {
    return (await this.get(key))?.user;
  }

  async *unresolved(): AsyncIterable<[string, Person]> {
    for await (const entry of this.store.entries<Person>(PEOPLE)) if (!entry[1].user) yield entry;
  }

  /** Data rights: deletes the records resolved to `user`; returns their keys. */
  async forget(user: UserId): Promise<string[]> {
    const keys: string[] = [];
    for await (const [key, person] of this.store.entries<Person>(PEOPLE)) if (person.user === user) keys.push(key);
    const removed: string[] = [];
    for (const key of keys) {
      await this.store.update<Person>(PEOPLE, key, (current) => {
        if (current?.user !== user) return unchanged;
        removed.push(key);
        return undefined;
      });
    }
    return removed;
  }

  /** Records the answer of one lookup; returns the memberships to apply when resolved. */
  async resolved(key: string, user: UserId | undefined, now: number): Promise<PendingMembership[]> {
    let memberships: PendingMembership[] = [];
    await this.store.update<Person>(PEOPLE, key, (current) => {
      if (!current || current.user) return unchanged;
      if (!user) return { ...current, triedAt: now };
      memberships = current.memberships;
      return { user, memberships: [] };
    });
    return memberships;
  }
}
