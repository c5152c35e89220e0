// The timer card's two views on Teams. Everyone in the channel sees the shared view, without the
// steering buttons (Next, Pause, +2 min, End); the group's leader and co-leader are listed in
// the card's Universal Actions `refresh.userIds`, so Teams asks the bot (an automatic refresh
// invoke) for their own view, the card with the buttons. Teams triggers that refresh only for
// the ids listed (at most 60) and only in conversations of at most 60 members; elsewhere the
// facilitators see the shared view too and steer by typing `@Balint next`.
import { TIMER_ACTIONS } from '../../core/timer/cards.js';
import type { Block, Card } from '../../core/cards.js';
import { executeAction, type AdaptiveCard } from './adaptive.js';

/** The verb of the refresh action a shared timer card carries; its value is the timer id. */
export const TIMER_REFRESH_VERB = 'timer:refresh';
/** Teams reads at most 60 ids in `refresh.userIds`. */
export const MAX_REFRESH_USERS = 60;

const STEERING = new Set<string>(Object.values(TIMER_ACTIONS));

/** The timer id a card's steering buttons carry (`<timerId>:…`), or undefined for any other card. */
export function timerIdOf(card: Card): string | undefined {
  for (const block of card.blocks) {
    if (block.type !== 'actions') continue;
    const steering = block.buttons.find((b) => STEERING.has(b.actionId));
    if (steering) return steering.value.split(':')[0] || undefined;
  }
  return undefined;
}

/** The card without its steering buttons (an actions row left empty goes too). */
export function sharedView(card: Card): Card {
  return {
    blocks: card.blocks.flatMap((block): Block[] => {
      if (block.type !== 'actions') return [block];
      const buttons = block.buttons.filter((b) => !STEERING.has(b.actionId));
      if (buttons.length === 0 && (block.links ?? []).length === 0) return [];
      return [{ ...block, buttons }];
    }),
  };
}

/** Adds the refresh that asks Teams for the listed people's own view of the timer. */
export function withRefresh(content: AdaptiveCard, timerId: string, memberIds: readonly string[]): AdaptiveCard {
  const action = executeAction('Refresh', { verb: TIMER_REFRESH_VERB, value: timerId });
  delete action.fallback;
  return { ...content, refresh: { action, userIds: [...memberIds].slice(0, MAX_REFRESH_USERS) } };
}
