// Where sessions live in the store: one document per session (its RSVPs inside, changed only
// through Store.update so concurrent presses never lose one), one per series, and one small
// index per group (ids and start times) so listing a group never scans every session.
import { unchanged, type Store } from '../ports.js';
import { deleteWhen } from '../plumbing/delete-when.js';
import type { Series, Session } from './session.js';

const SESSIONS = 'sessions';
const SERIES = 'session-series';
const GROUP_INDEX = 'group-sessions';

interface IndexEntry {
  id: string;
  start: number;
}
interface GroupIndex {
  sessions: IndexEntry[];
}

export class SessionRecords {
  constructor(private readonly store: Store) {}

  get(id: string): Promise<Session | undefined> {
    return this.store.get<Session>(SESSIONS, id);
  }

  /** Writes a new session; false if the id is taken (the caller draws another). */
  async create(session: Session): Promise<boolean> {
    let created = false;
    await this.store.update<Session>(SESSIONS, session.id, (current) => {
      if (current) return unchanged;
      created = true;
      return session;
    });
    return created;
  }

  /** One read-modify-write of a session; `change` returning undefined leaves it as it is. */
  async change(id: string, change: (session: Session) => Session | undefined): Promise<Session | undefined> {
    let changed: Session | undefined;
    await this.store.update<Session>(SESSIONS, id, (current) => {
      if (!current) return unchanged;
      changed = change(current);
      return changed ?? unchanged;
    });
    return changed;
  }

  getSeries(id: string): Promise<Series | undefined> {
    return this.store.get<Series>(SERIES, id);
  }

  putSeries(series: Series): Promise<void> {
    return this.store.set(SERIES, series.id, series);
  }

  /** Adds or moves sessions in their group's index. */
  async index(groupId: string, sessions: readonly Session[]): Promise<void> {
    await this.store.update<GroupIndex>(GROUP_INDEX, groupId, (current) => {
      const byId = new Map((current?.sessions ?? []).map((e) => [e.id, e]));
      for (const s of sessions) byId.set(s.id, { id: s.id, start: s.start });
      return { sessions: [...byId.values()].sort((a, b) => a.start - b.start) };
    });
  }

  /** Ids of a group's sessions starting at or after `from`, earliest first. */
  async idsFrom(groupId: string, from: number): Promise<string[]> {
    const index = await this.store.get<GroupIndex>(GROUP_INDEX, groupId);
    return (index?.sessions ?? []).filter((e) => e.start >= from).map((e) => e.id);
  }

  /** Every stored session, one scan (data rights and the retention purge). */
  async *all(): AsyncIterable<Session> {
    for await (const [, session] of this.store.entries<Session>(SESSIONS)) yield session;
  }

  /** Deletes a session under its lock when `when` still holds for it; true if it went. */
  remove(id: string, when: (session: Session) => boolean): Promise<boolean> {
    return deleteWhen(this.store, SESSIONS, id, when);
  }

  /** Takes sessions out of their group's index (an empty index goes). */
  async unindex(groupId: string, ids: readonly string[]): Promise<void> {
    await this.store.update<GroupIndex>(GROUP_INDEX, groupId, (current) => {
      if (!current) return unchanged;
      const sessions = current.sessions.filter((e) => !ids.includes(e.id));
      if (sessions.length === current.sessions.length) return unchanged;
      return sessions.length === 0 ? undefined : { sessions };
    });
  }

  /** Takes sessions out of their series (a series left with none goes). */
  async unlinkSeries(seriesId: string, ids: readonly string[]): Promise<void> {
    await this.store.update<Series>(SERIES, seriesId, (current) => {
      if (!current) return unchanged;
      const sessionIds = current.sessionIds.filter((id) => !ids.includes(id));
      if (sessionIds.length === current.sessionIds.length) return unchanged;
      return sessionIds.length === 0 ? undefined : { ...current, sessionIds };
    });
  }

  async load(ids: readonly string[]): Promise<Session[]> {
    const sessions = await Promise.all(ids.map((id) => this.get(id)));
    return sessions.filter((s): s is Session => s !== undefined).sort((a, b) => a.start - b.start);
  }
}
