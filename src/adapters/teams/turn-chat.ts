// The ChatPort a single turn delivers through. In an Action.Execute invoke, the presser's first
// private answer becomes the invoke's message response (shown only to them, at once) instead of
// a 1:1 message; everything else goes to the shared Teams chat.
import { plainText, type Card } from '../../core/cards.js';
import type { Place, UserId } from '../../core/plumbing/ids.js';
import type { ChatPort, MessageRef } from '../../core/ports.js';
import type { TeamsChat } from './chat.js';

export class TurnChat implements ChatPort {
  /** Set by the first private answer to the presser during an invoke. */
  message: string | undefined;

  constructor(
    private readonly chat: TeamsChat,
    private readonly invokeActor: UserId | undefined,
  ) {}

  post(place: Place, card: Card): Promise<MessageRef> {
    return this.chat.post(place, card);
  }

  update(ref: MessageRef, card: Card): Promise<void> {
    return this.chat.update(ref, card);
  }

  async ephemeral(place: Place, user: UserId, card: Card): Promise<void> {
    if (this.invokeActor === user && this.message === undefined) {
      this.message = plainText(card);
      return;
    }
    return this.chat.ephemeral();
  }

  direct(user: UserId, card: Card): Promise<MessageRef> {
    return this.chat.direct(user, card);
  }

  userTimeZone(user: UserId): Promise<string | undefined> {
    return this.chat.userTimeZone(user);
  }
}
