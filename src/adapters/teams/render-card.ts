// Neutral Cards → Adaptive Cards 1.5. Times use the card's DATE/TIME functions so each reader
// sees their own zone; people are Teams mentions where the bot knows their member id and name.
import {
  plainText,
  progressBar,
  selectedLabel,
  type Block,
  type Button,
  type Card,
  type Fact,
  type FactValue,
  type LinkButton,
  type TimeValue,
} from '../../core/cards.js';
import { isTimeValue } from '../../core/cards.js';
import { shortName, type UserId } from '../../core/plumbing/ids.js';
import {
  adaptiveCard,
  escapeText,
  executeAction,
  type AdaptiveCard,
  type AdaptiveElement,
  type MentionEntity,
} from './adaptive.js';

/** How to mention a person: their `29:…` id (or AAD id) and display name. */
export interface MentionTarget {
  id: string;
  name: string;
}
export type MentionLookup = (user: UserId) => MentionTarget | undefined;

/** `2026-01-22T21:30:00Z`: the form Adaptive Cards' DATE() and TIME() accept. */
const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function timeText(value: TimeValue): string {
  const at = iso(value.time);
  return `{{DATE(${at}, SHORT)}} {{TIME(${at})}}`;
}

export const isPeople = (value: FactValue): value is { users: UserId[] } =>
  typeof value === 'object' && 'users' in value;

class Mentions {
  readonly entities: MentionEntity[] = [];
  constructor(private readonly lookup: MentionLookup) {}

  text(user: UserId): string {
    const target = this.lookup(user);
    if (!target) return `@${shortName(user)}`;
    const text = `<at>${target.name.replace(/[<>]/g, '')}</at>`;
    if (!this.entities.some((e) => e.mentioned.id === target.id))
      this.entities.push({ type: 'mention', text, mentioned: { id: target.id, name: target.name } });
    return text;
  }
}

function factSet(facts: Fact[]): AdaptiveElement {
  return {
    type: 'FactSet',
    facts: facts.map((f) => ({
      title: escapeText(f.label),
      value: typeof f.value === 'string' ? escapeText(f.value) : isTimeValue(f.value) ? timeText(f.value) : '',
    })),
  };
}

function factsBlock(facts: Fact[], mentions: Mentions): AdaptiveElement[] {
  // Mentions render in TextBlocks, so each list of people is its own line; other facts stay a FactSet.
  const out: AdaptiveElement[] = [];
  let run: Fact[] = [];
  const flush = () => {
    if (run.length > 0) out.push(factSet(run));
    run = [];
  };
  for (const fact of facts) {
    if (!isPeople(fact.value)) {
      run.push(fact);
      continue;
    }
    flush();
    const names = fact.value.users.length === 0 ? '(nobody)' : fact.value.users.map((u) => mentions.text(u)).join(', ');
    const people = fact.value.note ? `${names} · ${escapeText(fact.value.note)}` : names;
    out.push({ type: 'TextBlock', text: `**${escapeText(fact.label)}**: ${people}`, wrap: true, spacing: 'Small' });
  }
  flush();
  return out;
}

const styleOf = (b: Button) => (b.style === 'primary' ? 'positive' : b.style === 'danger' ? 'destructive' : undefined);

/**
 * A button. `accessibilityLabel` becomes the action's tooltip: Microsoft's renderer makes it the
 * button's title (a screen reader's description), the label staying its name; that is as close as
 * Adaptive Cards come. Adaptive Cards have no "are you sure?" dialog, so a button
 * with `confirm` opens (Action.ShowCard) a small card with the question and the real button.
 */
function button(b: Button): AdaptiveElement {
  const label: AdaptiveElement = b.accessibilityLabel ? { tooltip: escapeText(b.accessibilityLabel) } : {};
  const action: AdaptiveElement = {
    ...executeAction(b.label, { verb: b.actionId, value: b.value }, styleOf(b)),
    ...label,
  };
  if (!b.confirm) return action;
  return {
    type: 'Action.ShowCard',
    title: b.label,
    ...label,
    card: {
      type: 'AdaptiveCard',
      body: [
        { type: 'TextBlock', text: escapeText(b.confirm.title), weight: 'Bolder', wrap: true },
        { type: 'TextBlock', text: escapeText(b.confirm.text), wrap: true },
      ],
      actions: [
        { ...action, title: b.confirm.confirm, fallback: { ...(action.fallback as object), title: b.confirm.confirm } },
      ],
    },
  };
}

/** A link button: opens the address in the browser (or in Teams, for a Teams meeting link). */
const openUrl = (link: LinkButton): AdaptiveElement => ({ type: 'Action.OpenUrl', title: link.label, url: link.url });

function element(block: Block, mentions: Mentions): AdaptiveElement[] {
  switch (block.type) {
    case 'heading':
      return [{ type: 'TextBlock', text: escapeText(block.text), size: 'Medium', weight: 'Bolder', wrap: true }];
    case 'text':
      return [{ type: 'TextBlock', text: escapeText(block.text), wrap: true }];
    case 'context':
      return [{ type: 'TextBlock', text: escapeText(block.text), size: 'Small', isSubtle: true, wrap: true }];
    case 'facts':
      return factsBlock(block.facts, mentions);
    case 'progress':
      // Version 1.5 has no progress bar element; a monospaced bar reads the same everywhere.
      return [
        {
          type: 'TextBlock',
          text: `${progressBar(block.fraction)} ${escapeText(block.label)}`,
          fontType: 'Monospace',
          wrap: true,
        },
      ];
    case 'actions':
      return [{ type: 'ActionSet', actions: [...block.buttons.map(button), ...(block.links ?? []).map(openUrl)] }];
    case 'menu':
      // No menus in Adaptive Cards: one button unfolds (Action.ShowCard) the choices, each an
      // Action.Execute routed like any button, so the card stays as short as Slack's overflow.
      if (block.items.length === 0) return [];
      return [
        {
          type: 'ActionSet',
          actions: [
            {
              type: 'Action.ShowCard',
              title: escapeText(block.label),
              card: {
                type: 'AdaptiveCard',
                body: [{ type: 'TextBlock', text: escapeText(block.label), weight: 'Bolder', wrap: true }],
                actions: block.items.map((i) => executeAction(i.label, { verb: i.actionId, value: i.value })),
              },
            },
          ],
        },
      ];
    case 'select':
      // Only the Slack Home picks with it; on a card it reads as what is picked.
      return [
        {
          type: 'TextBlock',
          text: escapeText(`${block.label}: ${selectedLabel(block) ?? block.placeholder}`),
          wrap: true,
        },
      ];
  }
}

export function renderCard(card: Card, lookup: MentionLookup = () => undefined): AdaptiveCard {
  const mentions = new Mentions(lookup);
  const body = card.blocks.flatMap((b) => element(b, mentions));
  return adaptiveCard(body, { fallbackText: plainText(card), entities: mentions.entities });
}

/** Everyone a card mentions, to look their names up before rendering. */
export function peopleIn(card: Card): UserId[] {
  const users = new Set<UserId>();
  for (const block of card.blocks) {
    if (block.type !== 'facts') continue;
    for (const fact of block.facts) if (isPeople(fact.value)) for (const u of fact.value.users) users.add(u);
  }
  return [...users];
}

/** A notification line for the activity (`summary`): the card's heading or first line. */
export function summaryOf(card: Card): string {
  const first = card.blocks.find((b) => b.type === 'heading' || b.type === 'text');
  return first && 'text' in first ? first.text.slice(0, 120) : 'Balint';
}
