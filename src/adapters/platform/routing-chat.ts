// One process may serve Slack and Teams at once: the core talks to this ChatPort, which hands
// each call to the platform the place or person belongs to (ids say which: slack:…, teams:…).
import type { Card } from '../../core/cards.js';
import { platformOf, type Place, type Platform, type UserId } from '../../core/plumbing/ids.js';
import type { ChatPort, MessageRef } from '../../core/ports.js';

export class UnknownPlatformError extends Error {
  override readonly name = 'UnknownPlatformError';
  readonly code = 'unknown_platform';
  readonly retryable = false;
}

export class RoutingChat implements ChatPort {
  constructor(private readonly ports: Partial<Record<Platform, ChatPort>>) {}

  private portFor(id: string): ChatPort {
    const platform = platformOf(id);
    const port = platform && this.ports[platform];
    if (!port) throw new UnknownPlatformError('no chat adapter for this id');
    return port;
  }

  post(place: Place, card: Card): Promise<MessageRef> {
    return this.portFor(place).post(place, card);
  }

  update(ref: MessageRef, card: Card): Promise<void> {
    return this.portFor(ref.place).update(ref, card);
  }

  ephemeral(place: Place, user: UserId, card: Card): Promise<void> {
    return this.portFor(place).ephemeral(place, user, card);
  }

  direct(user: UserId, card: Card): Promise<MessageRef> {
    return this.portFor(user).direct(user, card);
  }

  async userTimeZone(user: UserId): Promise<string | undefined> {
    return this.portFor(user).userTimeZone?.(user);
  }

  /** An email may belong to a person on any of the platforms: the first that knows it wins. */
  async userByEmail(email: string): Promise<UserId | undefined> {
    for (const port of Object.values(this.ports)) {
      const user = await port?.userByEmail?.(email);
      if (user) return user;
    }
    return undefined;
  }
}
