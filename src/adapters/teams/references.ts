// What the bot must remember to reach Teams later: where each conversation lives (its id and
// service URL, from TurnContext.getConversationReference at installation and first contact)
// and how to reach each person (their per-bot member id, their 1:1 chat, their time zone).
// Ids and URLs only: no message text, no channel or team names.
import type { Place, UserId } from '../../core/plumbing/ids.js';
import { unchanged, type Store } from '../../core/ports.js';

const PLACES = 'teams-places';
const PEOPLE = 'teams-people';
/** `29:…` member id → the person's UserId, to resolve mentions in commands. */
const MEMBERS = 'teams-members';

export interface PlaceRef {
  /** The channel or chat conversation id (a channel's, without `;messageid=`). */
  conversationId: string;
  serviceUrl: string;
  tenant: string;
  /** The bot's own `28:…` id in this tenant. */
  botId: string;
  kind: 'personal' | 'channel' | 'groupChat';
}

export interface PersonRef {
  /** The person's `29:…` id for this bot: what a new 1:1 conversation is created with. */
  memberId: string;
  serviceUrl: string;
  tenant: string;
  botId: string;
  /** Their 1:1 chat with the bot, once known. */
  personal?: Place;
  /** Display name, for rendering mentions of them on cards. */
  name?: string;
  /** IANA zone from the Teams client (`activity.localTimezone`). */
  timeZone?: string;
}

/**
 * Reads and writes references. They change rarely and every turn reads them, so what this
 * process read or wrote is kept in memory for a minute (bounded), and an unchanged fact costs no
 * write. Another instance's change (a `forget`, a new 1:1 chat) is seen within that minute: a
 * person forgotten elsewhere is written back at their next turn here, not served from memory.
 */
export class References {
  private readonly known = new Map<string, { json: string; until: number }>();
  private static readonly MAX_KNOWN = 20_000;
  private static readonly KNOWN_FOR_MS = 60_000;

  constructor(
    private readonly store: Store,
    private readonly now: () => number = Date.now,
  ) {}

  place(place: Place): Promise<PlaceRef | undefined> {
    return this.read<PlaceRef>(PLACES, place);
  }

  person(user: UserId): Promise<PersonRef | undefined> {
    return this.read<PersonRef>(PEOPLE, user);
  }

  userByMember(memberId: string): Promise<UserId | undefined> {
    return this.read<UserId>(MEMBERS, memberId);
  }

  /** Every stored team channel reference (what a team's roster is listed through). */
  async channels(): Promise<PlaceRef[]> {
    const found: PlaceRef[] = [];
    for await (const [, ref] of this.store.entries<PlaceRef>(PLACES)) if (ref.kind === 'channel') found.push(ref);
    return found;
  }

  async rememberPlace(place: Place, ref: PlaceRef): Promise<void> {
    await this.write(PLACES, place, () => ref);
  }

  /** Merges what was learnt about a person into what is stored. */
  async rememberPerson(
    user: UserId,
    learnt: Partial<PersonRef> & Pick<PersonRef, 'memberId' | 'serviceUrl' | 'tenant' | 'botId'>,
  ): Promise<void> {
    await this.write<PersonRef>(PEOPLE, user, (current) => ({ ...current, ...learnt }));
    await this.write(MEMBERS, learnt.memberId, () => user);
  }

  async forgetPlace(place: Place): Promise<void> {
    this.known.delete(`${PLACES}/${place}`);
    await this.store.delete(PLACES, place);
  }

  /** Data rights: everything kept to reach this person (their ids, 1:1 chat, name, zone). */
  async forgetPerson(user: UserId): Promise<number> {
    const person = await this.store.get<PersonRef>(PEOPLE, user);
    this.known.delete(`${PEOPLE}/${user}`);
    if (!person) return 0;
    let erased = Number(await this.store.delete(PEOPLE, user));
    this.known.delete(`${MEMBERS}/${person.memberId}`);
    erased += Number(await this.store.delete(MEMBERS, person.memberId));
    if (person.personal) {
      this.known.delete(`${PLACES}/${person.personal}`);
      erased += Number(await this.store.delete(PLACES, person.personal));
    }
    return erased;
  }

  /** The person's 1:1 chat is gone (app removed): the next direct message creates a new one. */
  async forgetPersonal(user: UserId): Promise<void> {
    this.known.delete(`${PEOPLE}/${user}`);
    await this.store.update<PersonRef>(PEOPLE, user, (current) => {
      if (!current?.personal) return unchanged;
      const rest = { ...current };
      delete rest.personal;
      return rest;
    });
  }

  private async read<T>(namespace: string, key: string): Promise<T | undefined> {
    const id = `${namespace}/${key}`;
    const cached = this.cached(id);
    if (cached !== undefined) return JSON.parse(cached) as T;
    const value = await this.store.get<T>(namespace, key);
    if (value !== undefined) this.remember(id, JSON.stringify(value));
    return value;
  }

  /** Writes `next(current)` unless it equals what is known or stored. */
  private async write<T>(namespace: string, key: string, next: (current: T | undefined) => T): Promise<void> {
    const id = `${namespace}/${key}`;
    const cached = this.cached(id);
    if (cached !== undefined && JSON.stringify(next(JSON.parse(cached) as T)) === cached) return;
    let written = '';
    await this.store.update<T>(namespace, key, (current) => {
      const value = next(current);
      written = JSON.stringify(value);
      return current !== undefined && JSON.stringify(current) === written ? unchanged : value;
    });
    this.remember(id, written);
  }

  private cached(id: string): string | undefined {
    const entry = this.known.get(id);
    if (entry && entry.until > this.now()) return entry.json;
    this.known.delete(id);
    return undefined;
  }

  private remember(id: string, json: string): void {
    if (this.known.size >= References.MAX_KNOWN) this.known.clear();
    this.known.set(id, { json, until: this.now() + References.KNOWN_FOR_MS });
  }
}
