// What the bot must remember to reach Teams later: where each conversation lives (its id and
// service URL, from TurnContext.getConversationReference at installation and first contact)
// and how to reach each person (their per-bot member id, their 1:1 chat, their time zone).
// Ids and URLs only: no message text, no channel or team names.
import type { Place, UserId } from '../../core/ids.js';
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

/** Reads and writes references; remembers what it wrote so an unchanged fact costs no write. */
export class References {
  private readonly written = new Map<string, string>();

  constructor(private readonly store: Store) {}

  place(place: Place): Promise<PlaceRef | undefined> {
    return this.store.get<PlaceRef>(PLACES, place);
  }

  person(user: UserId): Promise<PersonRef | undefined> {
    return this.store.get<PersonRef>(PEOPLE, user);
  }

  userByMember(memberId: string): Promise<UserId | undefined> {
    return this.store.get<UserId>(MEMBERS, memberId);
  }

  async rememberPlace(place: Place, ref: PlaceRef): Promise<void> {
    await this.write(PLACES, place, ref, () => ref);
  }

  /** Merges what was learnt about a person into what is stored. */
  async rememberPerson(user: UserId, learnt: Partial<PersonRef> & Pick<PersonRef, 'memberId' | 'serviceUrl' | 'tenant' | 'botId'>): Promise<void> {
    const key = `${PEOPLE}/${user}`;
    const cached = this.written.get(key);
    if (cached !== undefined && cached === JSON.stringify({ ...JSON.parse(cached), ...learnt })) return;
    let result: PersonRef | undefined;
    await this.store.update<PersonRef>(PEOPLE, user, (current) => {
      const next = { ...current, ...learnt };
      result = next;
      return current && JSON.stringify(current) === JSON.stringify(next) ? unchanged : next;
    });
    if (result) this.written.set(key, JSON.stringify(result));
    await this.write(MEMBERS, learnt.memberId, user, () => user);
  }

  async forgetPlace(place: Place): Promise<void> {
    this.written.delete(`${PLACES}/${place}`);
    await this.store.delete(PLACES, place);
  }

  /** The person's 1:1 chat is gone (app removed): the next direct message creates a new one. */
  async forgetPersonal(user: UserId): Promise<void> {
    this.written.delete(`${PEOPLE}/${user}`);
    await this.store.update<PersonRef>(PEOPLE, user, (current) => {
      if (!current?.personal) return unchanged;
      const rest = { ...current };
      delete rest.personal;
      return rest;
    });
  }

  private async write<T>(namespace: string, key: string, value: T, make: () => T): Promise<void> {
    const id = `${namespace}/${key}`;
    const json = JSON.stringify(value);
    if (this.written.get(id) === json) return;
    await this.store.update<T>(namespace, key, (current) => (JSON.stringify(current) === json ? unchanged : make()));
    this.written.set(id, json);
  }
}
