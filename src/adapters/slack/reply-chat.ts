// The ChatPort for answering one slash command or button press. Private answers to the person
// who asked go to the request's response_url first: it works in any conversation (also one the
// bot was never invited to, where chat.postEphemeral fails with channel_not_found) and spends
// none of the Web API's rate limit. chat.postEphemeral is the fallback. Everything else goes
// through the shared SlackChat.
import type { Card } from '../../core/cards.js';
import type { Place, UserId } from '../../core/plumbing/ids.js';
import type { ChatPort, MessageRef } from '../../core/ports.js';
import { renderMessage, unfurlOff } from './blocks.js';
import { SlackCallError } from './errors.js';

/** Slack accepts five messages per response_url (within 30 minutes). */
const RESPONSE_URL_USES = 5;
const RESPONSE_URL_TIMEOUT_MS = 5_000;

/** Posts a private answer to a response_url; `replace` makes it take the pressed message's place. */
export async function postToResponseUrl(url: string, card: Card, replace = false): Promise<void> {
  const message = renderMessage(card);
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify({ response_type: 'ephemeral', replace_original: replace, ...message, ...unfurlOff(message) }),
    signal: AbortSignal.timeout(RESPONSE_URL_TIMEOUT_MS),
  });
  await response.body?.cancel();
  if (!response.ok) throw new SlackCallError(`response_url_${response.status}`, response.status >= 500);
}

export class ReplyChat implements ChatPort {
  private uses = 0;

  constructor(
    private readonly chat: ChatPort,
    private readonly asker: UserId,
    private readonly askedIn: Place,
    private readonly responseUrl: string | undefined,
  ) {}

  post(place: Place, card: Card): Promise<MessageRef> {
    return this.chat.post(place, card);
  }

  update(ref: MessageRef, card: Card): Promise<void> {
    return this.chat.update(ref, card);
  }

  direct(user: UserId, card: Card): Promise<MessageRef> {
    return this.chat.direct(user, card);
  }

  /** The pressed message becomes `card`; false when it could not be (the caller answers anew). */
  async replacePressed(card: Card): Promise<boolean> {
    if (!this.responseUrl || this.uses >= RESPONSE_URL_USES) return false;
    this.uses++;
    try {
      await postToResponseUrl(this.responseUrl, card, true);
      return true;
    } catch {
      return false;
    }
  }

  async ephemeral(place: Place, user: UserId, card: Card): Promise<void> {
    if (this.responseUrl && user === this.asker && place === this.askedIn && this.uses < RESPONSE_URL_USES) {
      this.uses++;
      try {
        await postToResponseUrl(this.responseUrl, card);
        return;
      } catch {
        // Expired or refused: the Web API may still reach the person.
      }
    }
    await this.chat.ephemeral(place, user, card);
  }
}
