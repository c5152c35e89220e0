// The ChatPort of the terminal chat. One screen shows what everybody would see, each message
// labelled with where it went and who can see it.
import { progressBar, type Button, type Card } from '../../core/cards.js';
import { shortName, type Place, type UserId } from '../../core/plumbing/ids.js';
import type { ChatPort, MessageRef } from '../../core/ports.js';
import { renderCard } from './render.js';

export interface PressableButton {
  button: Button;
  place: Place;
  message: MessageRef | undefined;
}

export const channelName = (place: Place): string => place.slice('console:'.length);

export class ConsoleChat implements ChatPort {
  private sequence = 0;
  /** Buttons of the most recent card that had any, numbered from 1 for `/press N`. */
  lastButtons: PressableButton[] = [];

  constructor(private readonly write: (line: string) => void) {}

  async post(place: Place, card: Card): Promise<MessageRef> {
    const ref = { place, id: String(++this.sequence) };
    this.show(`[${channelName(place)}] Balint (message ${ref.id}):`, card, place, ref);
    return ref;
  }

  /**
   * A terminal cannot redraw an old message, so an update prints one line: the card's heading
   * and its progress. (Press buttons of the latest full card; `/balint status` shows it again.)
   */
  async update(ref: MessageRef, card: Card): Promise<void> {
    // A card without a heading (the one-line "further down" pointer) shows its first line instead.
    const first = card.blocks.find((b) => b.type === 'heading' || b.type === 'text' || b.type === 'context');
    const headingText = first && 'text' in first ? first.text : '';
    const progressBlock = card.blocks.find((b) => b.type === 'progress');
    const progressText = progressBlock ? ` ${progressBar(progressBlock.fraction, 30)} ${progressBlock.label}` : '';
    this.write(`[${channelName(ref.place)}] Balint (message ${ref.id}, updated): ${headingText}${progressText}`);
  }

  async ephemeral(place: Place, user: UserId, card: Card): Promise<void> {
    this.show(`[${channelName(place)}] Balint, only @${shortName(user)} sees this:`, card, place, undefined);
  }

  async direct(user: UserId, card: Card): Promise<MessageRef> {
    const place = `console:dm-${shortName(user)}`;
    const ref = { place, id: String(++this.sequence) };
    this.show(`[direct message to @${shortName(user)}] Balint (message ${ref.id}):`, card, place, ref);
    return ref;
  }

  private show(title: string, card: Card, place: Place, message: MessageRef | undefined): void {
    const { lines, buttons } = renderCard(card);
    this.write(title);
    for (const line of lines) this.write(`  ${line}`);
    this.write('');
    if (buttons.length > 0) this.lastButtons = buttons.map((button) => ({ button, place, message }));
  }
}
