// Where rotations live in the store. One document per rotation; a small index per program and
// end date, so the 17:00 trigger reads the students finishing that day without a scan; the
// invite record per (student, rotation), kept for good, which is what makes "at most once,
// ever" hold across restarts and re-imports (the job queue forgets finished keys after 180 days).
import type { UserId } from '../plumbing/ids.js';
import type { Program } from '../model.js';
import { unchanged, type Store } from '../ports.js';
import { deleteWhen } from '../plumbing/delete-when.js';
import type { Rotation } from './rotation.js';

const ROTATIONS = 'rotations';
const ENDS = 'rotation-ends';
const INVITES = 'rotation-invites';
const WAITING = 'rotation-waiting';
const DAYS = 'rotation-days';
const OUTBOX = 'rotation-outbox';
const META = 'rotation-meta';

export type InviteState =
  /** An invite job is out for `session`. */
  | 'queued'
  | 'invited'
  /** No session in the window: waiting for one to be scheduled. */
  | 'waiting'
  /** Waited `waitDays` with no session scheduled. */
  | 'expired'
  /** The direct message could not be delivered; `code` says why. */
  | 'failed'
  /** Nothing to send any more (the session was cancelled or started before the message went). */
  | 'skipped';

export interface InviteRecord {
  state: InviteState;
  user: UserId;
  group: string;
  rotation: string;
  /** The rotation's end date: the day whose digest reports this record. */
  date: string;
  session?: string;
  code?: string;
  /** While waiting: the instant the wait ends. */
  waitUntil?: number;
  at: number;
}

/** Who the trigger of one group and day looked at, for its digest. */
export interface DayRecord {
  keys: string[];
  /** Rotation names finishing that day (asked-for fields, shown to coordinators). */
  names: string[];
  processedAt: number;
}

export interface WaitingList {
  keys: string[];
}

export interface Outbox {
  /** The invite records one direct message (student, session) answers for. */
  keys: string[];
}

export interface Meta {
  /** Bumped by every import (any process): a running bot re-syncs its triggers when it moves. */
  version: number;
  /** The trigger jobs this bot armed, key → due time: a sync cancels those no longer wanted. */
  armed?: Record<string, number>;
}

export const endKey = (program: Program, date: string): string => `${program}:${date}`;
export const dayKey = (group: string, date: string): string => `${group}:${date}`;

export class RotationRecords {
  private readonly inviteListeners: Array<(record: InviteRecord) => void> = [];

  constructor(readonly store: Store) {}

  /**
   * Told after an invite record changed (queued, sent, waiting, failed…): the chat apps keep the
   * student's and the coordinators' home pages current. Keep listeners quick.
   */
  onInviteChange(listener: (record: InviteRecord) => void): void {
    this.inviteListeners.push(listener);
  }

  get(id: string): Promise<Rotation | undefined> {
    return this.store.get<Rotation>(ROTATIONS, id);
  }

  put(rotation: Rotation): Promise<void> {
    return this.store.set(ROTATIONS, rotation.id, rotation);
  }

  remove(id: string): Promise<boolean> {
    return this.store.delete(ROTATIONS, id);
  }

  async *all(): AsyncIterable<Rotation> {
    for await (const [, rotation] of this.store.entries<Rotation>(ROTATIONS)) yield rotation;
  }

  async ending(program: Program, date: string): Promise<Rotation[]> {
    const index = await this.store.get<{ ids: string[] }>(ENDS, endKey(program, date));
    const found = await Promise.all((index?.ids ?? []).map((id) => this.get(id)));
    return found.filter((r): r is Rotation => r !== undefined && r.end === date && r.program === program);
  }

  /** Adds and removes ids in one end-date index entry. */
  async index(key: string, add: readonly string[], remove: readonly string[]): Promise<void> {
    await this.store.update<{ ids: string[] }>(ENDS, key, (current) => {
      const ids = new Set(current?.ids ?? []);
      const size = ids.size;
      for (const id of remove) ids.delete(id);
      for (const id of add) ids.add(id);
      if (ids.size === 0) return current ? undefined : unchanged;
      if (ids.size === size && add.every((id) => current?.ids.includes(id))) return unchanged;
      return { ids: [...ids].sort() };
    });
  }

  invite(key: string): Promise<InviteRecord | undefined> {
    return this.store.get<InviteRecord>(INVITES, key);
  }

  /** Changes one invite record under its lock; `change` returns undefined to leave it. */
  async changeInvite(
    key: string,
    change: (current: InviteRecord | undefined) => InviteRecord | undefined,
  ): Promise<InviteRecord | undefined> {
    let next: InviteRecord | undefined;
    await this.store.update<InviteRecord>(INVITES, key, (current) => (next = change(current)) ?? unchanged);
    const changed = next;
    if (changed) for (const listener of this.inviteListeners) listener(changed);
    return next;
  }

  day(group: string, date: string): Promise<DayRecord | undefined> {
    return this.store.get<DayRecord>(DAYS, dayKey(group, date));
  }

  async addToDay(
    group: string,
    date: string,
    keys: readonly string[],
    names: readonly string[],
    now: number,
  ): Promise<void> {
    await this.store.update<DayRecord>(DAYS, dayKey(group, date), (current) => ({
      keys: [...new Set([...(current?.keys ?? []), ...keys])],
      names: [...new Set([...(current?.names ?? []), ...names])],
      processedAt: now,
    }));
  }

  waiting(group: string): Promise<WaitingList | undefined> {
    return this.store.get<WaitingList>(WAITING, group);
  }

  async *waitingGroups(): AsyncIterable<string> {
    for await (const [group, list] of this.store.entries<WaitingList>(WAITING)) if (list.keys.length > 0) yield group;
  }

  async changeWaiting(group: string, change: (keys: string[]) => string[]): Promise<void> {
    await this.store.update<WaitingList>(WAITING, group, (current) => {
      const keys = change(current?.keys ?? []);
      return keys.length === 0 ? (current ? undefined : unchanged) : { keys };
    });
  }

  outbox(user: UserId, session: string): Promise<Outbox | undefined> {
    return this.store.get<Outbox>(OUTBOX, `${user}:${session}`);
  }

  async addToOutbox(user: UserId, session: string, keys: readonly string[]): Promise<void> {
    await this.store.update<Outbox>(OUTBOX, `${user}:${session}`, (current) => {
      const all = [...new Set([...(current?.keys ?? []), ...keys])];
      return current && all.length === current.keys.length ? unchanged : { keys: all };
    });
  }

  /** Deletes a rotation under its lock when `when` still holds for it; true if it went. */
  removeIf(id: string, when: (rotation: Rotation) => boolean): Promise<boolean> {
    return deleteWhen(this.store, ROTATIONS, id, when);
  }

  async *invites(): AsyncIterable<[string, InviteRecord]> {
    yield* this.store.entries<InviteRecord>(INVITES);
  }

  /** Deletes an invite record under its lock when `when` still holds for it. */
  removeInvite(key: string, when: (record: InviteRecord) => boolean): Promise<boolean> {
    return deleteWhen(this.store, INVITES, key, when);
  }

  async *days(): AsyncIterable<[string, DayRecord]> {
    yield* this.store.entries<DayRecord>(DAYS);
  }

  /** Changes one day record under its lock; `change` returns undefined to delete it. */
  async changeDay(key: string, change: (current: DayRecord) => DayRecord | undefined): Promise<void> {
    await this.store.update<DayRecord>(DAYS, key, (current) => (current ? change(current) : unchanged));
  }

  /** Outbox documents, keyed `<user>:<session>`. */
  async *outboxes(): AsyncIterable<[string, Outbox]> {
    yield* this.store.entries<Outbox>(OUTBOX);
  }

  async removeOutbox(key: string): Promise<void> {
    await this.store.update<Outbox>(OUTBOX, key, (current) => (current ? undefined : unchanged));
  }

  meta(): Promise<Meta | undefined> {
    return this.store.get<Meta>(META, 'meta');
  }

  async changeMeta(change: (current: Meta) => Meta): Promise<Meta> {
    return (await this.store.update<Meta>(META, 'meta', (current) => change(current ?? { version: 0 }))) as Meta;
  }
}
