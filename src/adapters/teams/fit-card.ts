// Teams refuses a message over about 28 KB (the whole activity: card, mention entities and
// envelope). A roster of about 90 people with their mentions is already over. A card that does
// not fit is split into several that do, in order: long lists of people and long texts are cut
// into pieces, blocks are packed greedily, each continuation repeats the heading, and the buttons
// stay on the last card. Nothing is dropped.
import type { Block, Card, Fact } from '../../core/cards.js';
import { isPeople } from './render-card.js';

/** What we allow one activity to weigh, JSON bytes: Teams' ~28 KB, less room for its envelope. */
export const CARD_BUDGET_BYTES = 25 * 1024;
/** People per line of a roster piece: a line of mentions stays a few kilobytes. */
const PEOPLE_PER_PIECE = 25;
/** Characters per piece of a long text block. */
const TEXT_PER_PIECE = 4000;

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A long text cut at line or word ends near `size` characters. */
function cutText(text: string, size: number): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > size) {
    const window = rest.slice(0, size);
    const at = Math.max(window.lastIndexOf('\n'), window.lastIndexOf(' '));
    const cut = at > size / 2 ? at : size;
    out.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest) out.push(rest);
  return out;
}

function factPieces(fact: Fact): Block[] {
  if (!isPeople(fact.value) || fact.value.users.length <= PEOPLE_PER_PIECE) return [{ type: 'facts', facts: [fact] }];
  return chunk(fact.value.users, PEOPLE_PER_PIECE).map((users, i) => ({
    type: 'facts',
    facts: [{ label: i === 0 ? fact.label : `${fact.label} (continued)`, value: { users } }],
  }));
}

/** The card's blocks in pieces small enough to pack: one fact, one slice of a list, one paragraph. */
function pieces(blocks: readonly Block[]): Block[] {
  return blocks.flatMap((block): Block[] => {
    switch (block.type) {
      case 'facts':
        return block.facts.flatMap(factPieces);
      case 'text':
      case 'context':
        return cutText(block.text, TEXT_PER_PIECE).map((text) => ({ type: block.type, text }));
      default:
        return [block];
    }
  });
}

/** Merges neighbouring single-fact blocks back together (one FactSet, as the card had it). */
function merged(blocks: readonly Block[]): Block[] {
  const out: Block[] = [];
  for (const block of blocks) {
    const last = out.at(-1);
    if (block.type === 'facts' && last?.type === 'facts')
      out[out.length - 1] = { ...last, facts: [...last.facts, ...block.facts] };
    else out.push(block);
  }
  return out;
}

/**
 * `card` as one or more cards that each `fits`. A single piece that does not fit on its own card
 * (it cannot happen with the bot's cards) goes alone on one: Teams then refuses that one only.
 */
export function fitCard(card: Card, fits: (card: Card) => boolean): Card[] {
  if (fits(card)) return [card];
  const first = card.blocks[0];
  const heading = first?.type === 'heading' ? first.text : undefined;
  const rest = heading === undefined ? card.blocks : card.blocks.slice(1);
  const continued: Block[] = heading === undefined ? [] : [{ type: 'heading', text: `${heading} (continued)` }];
  const cards: Block[][] = [];
  let current: Block[] = heading === undefined ? [] : [first!];
  let empty = true;
  for (const piece of pieces(rest)) {
    const tried = [...current, piece];
    if (empty || fits({ blocks: merged(tried) })) {
      current = tried;
      empty = false;
      continue;
    }
    cards.push(current);
    current = [...continued, piece];
  }
  cards.push(current);
  return cards.map((blocks) => ({ blocks: merged(blocks) }));
}
