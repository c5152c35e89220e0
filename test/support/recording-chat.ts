// A ChatPort that remembers everything the bot sent, in order, as plain text.
import { plainText, type Card } from '../../src/core/cards.js';
import type { Place, UserId } from '../../src/core/plumbing/ids.js';
import { NotSupported, type ChatPort, type MessageRef } from '../../src/core/ports.js';

export interface Sent {
  kind: 'post' | 'update' | 'ephemeral' | 'direct';
  place: Place;
  user?: UserId;
  ref?: MessageRef;
  card: Card;
  text: string;
  /** Clock time of the call, when the chat was given a clock. */
  at?: number;
}

export class RecordingChat implements ChatPort {
  readonly sent: Sent[] = [];
  private sequence = 0;
  /** Makes the next calls of a kind fail, to test what the bot does then. */
  failNext: Partial<Record<Sent['kind'], Error>> = {};

  constructor(
    private readonly now: () => number = () => 0,
    private readonly hasEphemeral = true,
  ) {}

  private check(kind: Sent['kind']): void {
    const error = this.failNext[kind];
    if (error) {
      delete this.failNext[kind];
      throw error;
    }
  }

  async post(place: Place, card: Card): Promise<MessageRef> {
    this.check('post');
    const ref = { place, id: `m${++this.sequence}` };
    this.sent.push({ kind: 'post', place, ref, card, text: plainText(card), at: this.now() });
    return ref;
  }

  async update(ref: MessageRef, card: Card): Promise<void> {
    this.check('update');
    this.sent.push({ kind: 'update', place: ref.place, ref, card, text: plainText(card), at: this.now() });
  }

  async ephemeral(place: Place, user: UserId, card: Card): Promise<void> {
    if (!this.hasEphemeral) throw new NotSupported('ephemeral');
    this.check('ephemeral');
    this.sent.push({ kind: 'ephemeral', place, user, card, text: plainText(card), at: this.now() });
  }

  async direct(user: UserId, card: Card): Promise<MessageRef> {
    this.check('direct');
    const ref = { place: `dm:${user}`, id: `m${++this.sequence}` };
    this.sent.push({ kind: 'direct', place: ref.place, user, ref, card, text: plainText(card), at: this.now() });
    return ref;
  }

  posts(): Sent[] {
    return this.sent.filter((s) => s.kind === 'post');
  }
}
