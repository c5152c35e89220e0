// Groups, their members and roles, and the coordinators: who may see and do what.
import { createHash, randomBytes } from 'node:crypto';
import { conflict, invalid, notFound } from './plumbing/errors.js';
import type { UserId } from './plumbing/ids.js';
import {
  isFacilitatorRole,
  type Group,
  type GroupRole,
  type Program,
  type PushBackMode,
  type SessionPreset,
} from './model.js';
import type { Store } from './ports.js';
import { unchanged } from './ports.js';

const GROUPS = 'groups';
/** Group name → id. Keyed by a hash of the normalised name so names live only in the group. */
const GROUP_NAMES = 'group-names';
const COORDINATORS = 'coordinators';

export interface NewGroup {
  name: string;
  program?: Program;
  timeZone: string;
  preset: SessionPreset;
}

export interface GroupSettings {
  program?: Program;
  timeZone?: string;
  preset?: SessionPreset;
  pushBackMode?: PushBackMode;
  pacing?: 'led' | 'strict';
  reminderMinutes?: number[];
  /** Undefined restores the standard words. */
  openingText?: string | undefined;
  closingText?: string | undefined;
  attendance?: { attended: number; of: number } | undefined;
}

/** What one person is to the bot: used for permissions and for showing only what they may run. */
export interface Access {
  user: UserId;
  coordinator: boolean;
  roles: Map<string, GroupRole>;
}

export interface MemberChanges {
  added: UserId[];
  changedRole: UserId[];
  unchanged: UserId[];
}

const NAME_MAX = 60;
// Letters, digits, spaces and a little punctuation. No '@', '<', '>' or '#': a name must never
// turn into a mention or a channel link when a platform renders it.
const NAME_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N} .,'&()/_+-]*$/u;

export function normaliseGroupName(name: string): string {
  return name.trim().replace(/\s+/g, ' ');
}

export function validateGroupName(raw: string): string {
  const name = normaliseGroupName(raw);
  if (name.length === 0) throw invalid('A group needs a name.');
  if (name.length > NAME_MAX) throw invalid(`A group name can be at most ${NAME_MAX} characters.`);
  if (!NAME_PATTERN.test(name)) {
    throw invalid(
      "A group name may use letters, digits, spaces and . , ' & ( ) / _ + - only, and must start with a letter or digit.",
    );
  }
  return name;
}

const nameKey = (name: string): string =>
  createHash('sha256').update(normaliseGroupName(name).toLowerCase()).digest('hex');

export const newGroupId = (): string => `grp_${randomBytes(8).toString('hex')}`;

export class Roster {
  private readonly changeListeners: Array<(groupId: string, people: readonly UserId[]) => void> = [];

  constructor(
    private readonly store: Store,
    private readonly bootstrapCoordinators: readonly UserId[],
    private readonly makeId: () => string = newGroupId,
  ) {}

  /**
   * Told after a group was created or changed (members, roles, settings), with everyone who was
   * or is in it: the chat apps keep those people's home pages current. Keep listeners quick.
   */
  onChange(listener: (groupId: string, people: readonly UserId[]) => void): void {
    this.changeListeners.push(listener);
  }

  private changed(groupId: string, people: readonly UserId[]): void {
    for (const listener of this.changeListeners) listener(groupId, people);
  }

  async isCoordinator(user: UserId): Promise<boolean> {
    if (this.bootstrapCoordinators.includes(user)) return true;
    return (await this.store.get<{ since: number }>(COORDINATORS, user)) !== undefined;
  }

  /** Every coordinator: the configured ones, then those added in chat. */
  async coordinators(): Promise<UserId[]> {
    const all = new Set<UserId>(this.bootstrapCoordinators);
    for await (const [user] of this.store.entries<{ since: number }>(COORDINATORS)) all.add(user);
    return [...all];
  }

  /** Returns false when the person already was a coordinator. */
  async addCoordinator(user: UserId, now: number): Promise<boolean> {
    if (this.bootstrapCoordinators.includes(user)) return false;
    let added = false;
    await this.store.update<{ since: number }>(COORDINATORS, user, (current) => {
      if (current) return unchanged;
      added = true;
      return { since: now };
    });
    return added;
  }

  async access(user: UserId): Promise<Access> {
    const roles = new Map<string, GroupRole>();
    for (const group of await this.groups()) {
      const member = group.members.find((m) => m.user === user);
      if (member) roles.set(group.id, member.role);
    }
    return { user, coordinator: await this.isCoordinator(user), roles };
  }

  async createGroup(spec: NewGroup, now: number): Promise<Group> {
    const name = validateGroupName(spec.name);
    const group: Group = {
      id: this.makeId(),
      name,
      ...(spec.program ? { program: spec.program } : {}),
      timeZone: spec.timeZone,
      preset: spec.preset,
      pushBackMode: 'camera-off',
      members: [],
      createdAt: now,
    };
    let taken = false;
    // Under the lock of the name, so two creates of one name cannot both succeed. The group is
    // written before its name entry: a crash in between leaves a group nobody can find by name
    // (listed by `groups`, harmless), never a name that points at nothing.
    await this.store.update<string>(GROUP_NAMES, nameKey(name), async (existingId) => {
      if (existingId !== undefined && (await this.getGroup(existingId))) {
        taken = true;
        return unchanged;
      }
      await this.store.set(GROUPS, group.id, group);
      return group.id;
    });
    if (taken) throw conflict('A group with that name already exists.');
    this.changed(group.id, []);
    return group;
  }

  async findGroup(name: string): Promise<Group | undefined> {
    const id = await this.store.get<string>(GROUP_NAMES, nameKey(name));
    return id === undefined ? undefined : this.getGroup(id);
  }

  async getGroup(id: string): Promise<Group | undefined> {
    return this.store.get<Group>(GROUPS, id);
  }

  async groups(): Promise<Group[]> {
    const all: Group[] = [];
    for await (const [, group] of this.store.entries<Group>(GROUPS)) all.push(group);
    return all.sort((a, b) => a.name.localeCompare(b.name));
  }

  async addMembers(groupId: string, users: UserId[], role: GroupRole): Promise<MemberChanges> {
    const changes: MemberChanges = { added: [], changedRole: [], unchanged: [] };
    await this.changeGroup(groupId, (group) => {
      const members = [...group.members];
      for (const user of new Set(users)) {
        const index = members.findIndex((m) => m.user === user);
        const existing = members[index];
        if (!existing) {
          members.push({ user, role });
          changes.added.push(user);
        } else if (existing.role !== role) {
          members[index] = { user, role };
          changes.changedRole.push(user);
        } else {
          changes.unchanged.push(user);
        }
      }
      return { ...group, members };
    });
    return changes;
  }

  async removeMembers(groupId: string, users: UserId[]): Promise<{ removed: UserId[]; absent: UserId[] }> {
    const removed: UserId[] = [];
    const absent: UserId[] = [];
    await this.changeGroup(groupId, (group) => {
      for (const user of new Set(users)) (group.members.some((m) => m.user === user) ? removed : absent).push(user);
      return { ...group, members: group.members.filter((m) => !removed.includes(m.user)) };
    });
    return { removed, absent };
  }

  async configureGroup(groupId: string, settings: GroupSettings): Promise<Group> {
    return this.changeGroup(groupId, (group) => {
      const next: Group = { ...group, ...settings };
      // A setting given as undefined is removed, not stored as a hole.
      for (const key of Object.keys(settings) as Array<keyof GroupSettings>)
        if (settings[key] === undefined) delete next[key];
      return next;
    });
  }

  /**
   * Data rights: takes the person out of every group, each under the group's lock, and drops
   * their coordinator record if one was made in chat. A coordinator named in the configuration
   * stays one (only the configuration can change that): `coordinator` says which it was.
   */
  async forget(user: UserId): Promise<{ groups: number; coordinator: 'removed' | 'configured' | 'none' }> {
    const ids: string[] = [];
    for await (const [id, group] of this.store.entries<Group>(GROUPS))
      if (group.members.some((m) => m.user === user)) ids.push(id);
    let groups = 0;
    for (const id of ids) {
      await this.store.update<Group>(GROUPS, id, (group) => {
        if (!group || !group.members.some((m) => m.user === user)) return unchanged;
        groups++;
        return { ...group, members: group.members.filter((m) => m.user !== user) };
      });
    }
    const removed = await this.store.delete(COORDINATORS, user);
    const coordinator = this.bootstrapCoordinators.includes(user) ? 'configured' : removed ? 'removed' : 'none';
    return { groups, coordinator };
  }

  /** One read-modify-write of a group under its lock. */
  private async changeGroup(groupId: string, change: (group: Group) => Group): Promise<Group> {
    let before: UserId[] = [];
    const result = await this.store.update<Group>(GROUPS, groupId, (group) => {
      if (!group) throw notFound('That group no longer exists.');
      before = group.members.map((m) => m.user);
      return change(group);
    });
    if (!result) throw notFound('That group no longer exists.');
    this.changed(groupId, [...new Set([...before, ...result.members.map((m) => m.user)])]);
    return result;
  }
}

/** Membership is visible to the group's own people and to coordinators, nobody else. */
export function canSeeGroup(access: Access, group: Group): boolean {
  return access.coordinator || access.roles.has(group.id);
}

export function isFacilitatorOf(access: Access, groupId: string): boolean {
  const role = access.roles.get(groupId);
  return role !== undefined && isFacilitatorRole(role);
}

export function isFacilitatorAnywhere(access: Access): boolean {
  return [...access.roles.values()].some(isFacilitatorRole);
}
