// The ChatPort for answering a submitted modal. A modal brings no response_url, so a private
// answer goes by chat.postEphemeral, which fails where the bot is not a member (a direct
// message between people, a channel it was never invited to). The work is done by then:
// the answer goes to the person's direct messages instead of nowhere.
import type { Card } from '../../core/cards.js';
import type { Place, UserId } from '../../core/plumbing/ids.js';
import { errorCode } from '../../core/plumbing/logger.js';
import type { ChatPort, Logger, MessageRef } from '../../core/ports.js';

export class FormAnswerChat implements ChatPort {
  constructor(
    private readonly chat: ChatPort,
    private readonly logger: Logger,
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

  async ephemeral(place: Place, user: UserId, card: Card): Promise<void> {
    try {
      await this.chat.ephemeral(place, user, card);
    } catch (error) {
      if (place === user) throw error;
      this.logger.info('slack.form-answer-direct', { actor: user, place, code: errorCode(error) });
      await this.chat.direct(user, card);
    }
  }
}
