// The room display's private links, one per channel. The token (192 random bits, base64url) is
// the link's only credential, stored as a key in its own namespace as the calendar feeds do,
// never logged; `room reset` replaces it and the old link then answers 404.
import { randomBytes } from 'node:crypto';
import type { Place } from '../plumbing/ids.js';
import type { Clock, Store } from '../ports.js';

const ROOM_TOKENS = 'room-tokens';
const ROOM_CHANNELS = 'room-channels';

interface TokenRecord {
  place: Place;
  groupId: string;
  createdAt: number;
}
interface ChannelRecord {
  token: string;
}

export const ROOM_TOKEN = /^[A-Za-z0-9_-]{32}$/;
const newToken = (): string => randomBytes(24).toString('base64url');

export class RoomLinks {
  constructor(
    private readonly deps: { store: Store; clock: Clock },
    private readonly publicUrl: string | undefined,
  ) {}

  get configured(): boolean {
    return this.publicUrl !== undefined;
  }

  /** The channel's display link, made on first ask. Undefined when no public URL is configured. */
  async urlFor(place: Place, groupId: string): Promise<string | undefined> {
    if (!this.publicUrl) return undefined;
    const channel = await this.deps.store.update<ChannelRecord>(ROOM_CHANNELS, place, async (current) => {
      if (current && (await this.deps.store.get<TokenRecord>(ROOM_TOKENS, current.token))) return current;
      return { token: await this.issue(place, groupId) };
    });
    return this.link((channel as ChannelRecord).token);
  }

  /** Replaces the channel's token; the old link stops working at once. */
  async reset(place: Place, groupId: string): Promise<string | undefined> {
    if (!this.publicUrl) return undefined;
    let old: string | undefined;
    const channel = await this.deps.store.update<ChannelRecord>(ROOM_CHANNELS, place, async (current) => {
      old = current?.token;
      return { token: await this.issue(place, groupId) };
    });
    if (old) await this.deps.store.delete(ROOM_TOKENS, old);
    return this.link((channel as ChannelRecord).token);
  }

  /** The channel a token opens, or undefined for a token that is not (or no longer) valid. */
  async placeOf(token: string): Promise<Place | undefined> {
    // A malformed token costs the same one read as a well-formed unknown one: same timing class.
    const record = await this.deps.store.get<TokenRecord>(ROOM_TOKENS, ROOM_TOKEN.test(token) ? token : '-');
    return ROOM_TOKEN.test(token) ? record?.place : undefined;
  }

  private async issue(place: Place, groupId: string): Promise<string> {
    const token = newToken();
    await this.deps.store.set<TokenRecord>(ROOM_TOKENS, token, { place, groupId, createdAt: this.deps.clock.now() });
    return token;
  }

  private link(token: string): string {
    return `${this.publicUrl}/room/${token}`;
  }
}
