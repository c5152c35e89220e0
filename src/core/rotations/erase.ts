// Taking rotation data out of the store: everything about one person (data rights), or
// everything about rotations long over (retention). Both go document by document, each under
// its own lock, so an import or a trigger running at the same time never sees half a change.
// Removing an invite record gives up its "at most once, ever" guard, which is safe here: a
// forgotten person is in no group (nobody to invite), and a rotation past the retention period
// is far outside any invite window, so a re-import marks it as imported too late to invite.
import type { UserId } from '../plumbing/ids.js';
import type { People } from './people.js';
import { endKey, type RotationRecords } from './records.js';
import type { Rotation } from './rotation.js';

export interface Erased {
  rotations: number;
  invites: number;
}

/** Every rotation, invite record, outbox and resolved email of `user`. */
export async function forgetStudent(records: RotationRecords, people: People, user: UserId): Promise<Erased> {
  const personKeys = new Set(await people.forget(user));
  const theirs = (r: Rotation): boolean => r.student === user || (r.person !== undefined && personKeys.has(r.person));
  const rotations = await removeRotations(records, theirs);
  const invites = await removeInvites(records, (r) => r.user === user);
  for (const [key] of await collect(records.outboxes()))
    if (key.startsWith(`${user}:`)) await records.removeOutbox(key);
  if (rotations > 0) await records.changeMeta((m) => ({ ...m, version: m.version + 1 }));
  return { rotations, invites };
}

/** Rotations that ended before `cutoffDate` (YYYY-MM-DD), their invite records and day records. */
export async function purgeRotationsBefore(records: RotationRecords, cutoffDate: string): Promise<Erased> {
  const rotations = await removeRotations(records, (r) => r.end < cutoffDate);
  const invites = await removeInvites(records, (r) => r.date < cutoffDate);
  for (const [key] of await collect(records.days())) {
    if (key.slice(key.lastIndexOf(':') + 1) < cutoffDate) await records.changeDay(key, () => undefined);
  }
  // An outbox whose invite records are all gone answers for nothing any more.
  for (const [key, outbox] of await collect(records.outboxes())) {
    const left = await Promise.all(outbox.keys.map((k) => records.invite(k)));
    if (left.every((r) => r === undefined)) await records.removeOutbox(key);
  }
  if (rotations > 0) await records.changeMeta((m) => ({ ...m, version: m.version + 1 }));
  return { rotations, invites };
}

async function removeRotations(records: RotationRecords, match: (r: Rotation) => boolean): Promise<number> {
  const found = (await collect(records.all())).filter(match);
  let removed = 0;
  for (const rotation of found) {
    if (!(await records.removeIf(rotation.id, match))) continue;
    await records.index(endKey(rotation.program, rotation.end), [], [rotation.id]);
    removed++;
  }
  return removed;
}

/** Removes matching invite records, then their keys from waiting lists and day records. */
async function removeInvites(
  records: RotationRecords,
  match: (r: { user: UserId; date: string }) => boolean,
): Promise<number> {
  const keys = (await collect(records.invites())).filter(([, record]) => match(record)).map(([key]) => key);
  const gone = new Set<string>();
  for (const key of keys) if (await records.removeInvite(key, match)) gone.add(key);
  if (gone.size === 0) return 0;
  for (const group of await collect(records.waitingGroups()))
    await records.changeWaiting(group, (list) => list.filter((k) => !gone.has(k)));
  for (const [key, day] of await collect(records.days())) {
    if (day.keys.some((k) => gone.has(k)))
      await records.changeDay(key, (current) => ({ ...current, keys: current.keys.filter((k) => !gone.has(k)) }));
  }
  return gone.size;
}

/** Reads a whole scan before changing anything: a store need not allow writes mid-iteration. */
async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}
