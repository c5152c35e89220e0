// Neutral cards as Block Kit, with the `text` fallback Slack shows in notifications and to
// screen readers. Times become <!date^…> tokens (each reader sees their own zone), people
// become <@U…> mentions, and every string we did not write is escaped so that it can never
// turn into a mention, a link or a broadcast.
import type { types } from '@slack/bolt';
import {
  factText,
  isTimeValue,
  formatTime,
  type Block,
  type Button,
  type Card,
  type Confirmation,
  type Fact,
  type FactValue,
  type LinkButton,
  type MenuItem,
  type Select,
  type TimeValue,
} from '../../core/cards.js';
import { shortName, type UserId } from '../../core/plumbing/ids.js';
import { parseSlackId } from './ids.js';

type KnownBlock = types.KnownBlock;

export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

// Block Kit limits (docs.slack.dev "Blocks" and each block's reference page).
export const MAX_MESSAGE_BLOCKS = 50;
const MAX_HEADER = 150;
const MAX_SECTION_TEXT = 3000;
const MAX_FIELDS = 10;
const MAX_FIELD_TEXT = 2000;
const MAX_BUTTON_TEXT = 75;
const MAX_BUTTON_VALUE = 2000;
const MAX_ACTIONS = 25;
const MAX_FALLBACK = 4000;

export const escapeMrkdwn = (value: string): string =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export const clip = (value: string, max: number): string =>
  value.length <= max ? value : `${value.slice(0, max - 1)}…`;

/** `<!date^…>` with the group-zone time as the fallback for clients that cannot render it. */
export function dateToken(value: TimeValue): string {
  const fallback = formatTime(value).replace(/[|<>]/g, ' ');
  return `<!date^${Math.floor(value.time / 1000)}^{date_short_pretty} {time}|${fallback}>`;
}

/** A Slack mention for a Slack person; anyone else (another platform) by their short name. */
export function mention(user: UserId): string {
  const slack = parseSlackId(user);
  return slack ? `<@${slack.id}>` : `@${escapeMrkdwn(shortName(user))}`;
}

export function factValueMrkdwn(value: FactValue): string {
  if (typeof value === 'string') return escapeMrkdwn(value);
  if (isTimeValue(value)) return dateToken(value);
  return factText(value, mention);
}

export const plain = (value: string, max: number): types.PlainTextElement => ({
  type: 'plain_text',
  text: clip(value, max),
  emoji: true,
});
const mrkdwn = (value: string, max = MAX_SECTION_TEXT): types.MrkdwnElement => ({
  type: 'mrkdwn',
  text: clip(value, max),
});

export function progressBarText(fraction: number, width = 20): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return `${'▰'.repeat(filled)}${'▱'.repeat(width - filled)}`;
}

/** Progress as words: "40% done. 6 min left" (the label is ours, the share computed). */
export function progressSentence(block: { fraction: number; label: string }): string {
  return `${Math.round(Math.min(1, Math.max(0, block.fraction)) * 100)}% done. ${escapeMrkdwn(block.label)}`;
}

function factBlocks(facts: Fact[]): KnownBlock[] {
  const fields = facts.map((f) => `*${escapeMrkdwn(f.label)}*\n${factValueMrkdwn(f.value)}`);
  // Two columns read well for a few short facts (the timer card); a long list such as `help`
  // reads better one fact a line.
  if (fields.length <= MAX_FIELDS && fields.every((f) => f.length <= 120)) {
    return [{ type: 'section', fields: fields.map((f) => mrkdwn(f, MAX_FIELD_TEXT)) }];
  }
  const blocks: KnownBlock[] = [];
  let chunk = '';
  for (const f of facts) {
    const line = `*${escapeMrkdwn(f.label)}*  ${factValueMrkdwn(f.value)}`;
    if (chunk && chunk.length + 1 + line.length > MAX_SECTION_TEXT) {
      blocks.push({ type: 'section', text: mrkdwn(chunk) });
      chunk = '';
    }
    chunk = chunk ? `${chunk}\n${line}` : line;
  }
  if (chunk) blocks.push({ type: 'section', text: mrkdwn(chunk) });
  return blocks;
}

const MAX_CONFIRM_TITLE = 100;
const MAX_CONFIRM_TEXT = 300;
const MAX_CONFIRM_BUTTON = 30;
const MAX_ACCESSIBILITY_LABEL = 75;
const MAX_URL = 3000;

function confirmation(c: Confirmation): types.ConfirmationDialog {
  return {
    title: plain(c.title, MAX_CONFIRM_TITLE),
    text: plain(c.text, MAX_CONFIRM_TEXT),
    confirm: plain(c.confirm, MAX_CONFIRM_BUTTON),
    deny: plain(c.deny, MAX_CONFIRM_BUTTON),
  };
}

function button(b: Button): types.Button {
  return {
    type: 'button',
    action_id: b.actionId,
    text: plain(b.label, MAX_BUTTON_TEXT),
    value: b.value.slice(0, MAX_BUTTON_VALUE),
    ...(b.style ? { style: b.style } : {}),
    ...(b.confirm ? { confirm: confirmation(b.confirm) } : {}),
    ...(b.accessibilityLabel ? { accessibility_label: clip(b.accessibilityLabel, MAX_ACCESSIBILITY_LABEL) } : {}),
  };
}

/** A link button opens its address; its action id only has to be unique in the message. */
function linkButton(link: LinkButton, index: number): types.Button {
  return {
    type: 'button',
    action_id: `link:${index}`,
    text: plain(link.label, MAX_BUTTON_TEXT),
    url: link.url.slice(0, MAX_URL),
  };
}

function actionBlocks(block: Extract<Block, { type: 'actions' }>, index: number): KnownBlock[] {
  const out: KnownBlock[] = [];
  // Only web addresses become link buttons; anything else is left out rather than sent.
  const links = (block.links ?? []).filter((l) => /^https?:\/\/\S+$/i.test(l.url) && l.url.length <= MAX_URL);
  const elements = [...block.buttons.map(button), ...links.map((l, i) => linkButton(l, i))];
  for (let i = 0; i < elements.length; i += MAX_ACTIONS) {
    out.push({
      type: 'actions',
      block_id: `actions:${index}:${i / MAX_ACTIONS}`,
      elements: elements.slice(i, i + MAX_ACTIONS),
    });
  }
  return out;
}

/** An overflow holds 2 to 5 options (Block Kit); a menu of one is a plain button. */
const MAX_OVERFLOW = 5;
const MAX_OPTION_TEXT = 75;
const MAX_OPTION_VALUE = 150;
/** The action id of every menu's overflow: the chosen option names the real action. */
export const MENU_ACTION = 'menu';

/** An option's value: the item's action id and value, one space apart (neither has spaces). */
export const menuOptionValue = (item: MenuItem): string => `${item.actionId} ${item.value}`;

/** The action and value a chosen overflow option stands for, or undefined if not one of ours. */
export function readMenuOption(value: string): { actionId: string; value: string } | undefined {
  const match = /^([a-z][a-z0-9:-]{0,63}) (\S{1,85})$/.exec(value);
  return match ? { actionId: match[1] as string, value: match[2] as string } : undefined;
}

function menuBlock(block: Extract<Block, { type: 'menu' }>, index: number): KnownBlock | undefined {
  const items = block.items.filter((i) => menuOptionValue(i).length <= MAX_OPTION_VALUE).slice(0, MAX_OVERFLOW);
  const only = items[0];
  if (!only) return undefined;
  const accessory: types.Button | types.Overflow =
    items.length === 1
      ? button({ actionId: only.actionId, label: only.label, value: only.value })
      : {
          type: 'overflow',
          action_id: MENU_ACTION,
          options: items.map((i) => ({ text: plain(i.label, MAX_OPTION_TEXT), value: menuOptionValue(i) })),
        };
  // An overflow has no words of its own: the section's text says what it is for.
  return { type: 'section', block_id: `menu:${index}`, text: mrkdwn(escapeMrkdwn(block.label)), accessory };
}

const MAX_OPTIONS = 100;
const MAX_OPTION_GROUP_LABEL = 75;

/**
 * A select as a section with a static_select beside its label. Up to 100 options as they are;
 * more in option groups of 100 (Slack's limits: 100 options, or 100 groups of 100), each
 * labelled by the first and last names in it so a long list can still be scrolled to.
 */
function selectBlock(block: Select, index: number): KnownBlock {
  const option = (o: { value: string; label: string }): types.PlainTextOption => ({
    text: plain(o.label, MAX_OPTION_TEXT),
    value: o.value.slice(0, MAX_OPTION_VALUE),
  });
  const options = block.options.slice(0, MAX_OPTIONS * MAX_OPTIONS);
  const initial = options.find((o) => o.value === block.initial);
  const list =
    options.length <= MAX_OPTIONS
      ? { options: options.map(option) }
      : {
          option_groups: Array.from({ length: Math.ceil(options.length / MAX_OPTIONS) }, (_, g) => {
            const chunk = options.slice(g * MAX_OPTIONS, (g + 1) * MAX_OPTIONS);
            const label = `${chunk[0]?.label ?? ''} … ${chunk.at(-1)?.label ?? ''}`;
            return { label: plain(label, MAX_OPTION_GROUP_LABEL), options: chunk.map(option) };
          }),
        };
  return {
    type: 'section',
    block_id: `select:${index}`,
    text: mrkdwn(`*${escapeMrkdwn(block.label)}*`),
    accessory: {
      type: 'static_select',
      action_id: block.actionId,
      placeholder: plain(block.placeholder, MAX_OPTION_TEXT),
      ...list,
      ...(initial ? { initial_option: option(initial) } : {}),
    },
  };
}

export function renderBlocks(card: Card): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  card.blocks.forEach((block, index) => {
    switch (block.type) {
      case 'heading':
        blocks.push({ type: 'header', text: plain(block.text, MAX_HEADER) });
        break;
      case 'text':
        blocks.push({ type: 'section', text: mrkdwn(escapeMrkdwn(block.text)) });
        break;
      case 'context':
        blocks.push({ type: 'context', elements: [mrkdwn(escapeMrkdwn(block.text))] });
        break;
      case 'facts':
        if (block.facts.length > 0) blocks.push(...factBlocks(block.facts));
        break;
      case 'progress':
        // The bar is for the eye; the sentence before it is what a screen reader says.
        blocks.push({
          type: 'context',
          elements: [mrkdwn(`${progressSentence(block)}  \`${progressBarText(block.fraction)}\``)],
        });
        break;
      case 'actions':
        if (block.buttons.length > 0 || (block.links?.length ?? 0) > 0) blocks.push(...actionBlocks(block, index));
        break;
      case 'menu': {
        const rendered = menuBlock(block, index);
        if (rendered) blocks.push(rendered);
        break;
      }
      case 'select':
        if (block.options.length > 0) blocks.push(selectBlock(block, index));
        break;
    }
  });
  return blocks;
}

/** The `text` of a message: every block as a line, with the same mentions and date tokens. */
export function fallbackText(card: Card): string {
  const lines: string[] = [];
  for (const block of card.blocks) {
    switch (block.type) {
      case 'heading':
        lines.push(`*${escapeMrkdwn(block.text)}*`);
        break;
      case 'text':
      case 'context':
        lines.push(escapeMrkdwn(block.text));
        break;
      case 'facts':
        for (const f of block.facts) lines.push(`${escapeMrkdwn(f.label)}: ${factValueMrkdwn(f.value)}`);
        break;
      case 'progress':
        lines.push(progressSentence(block));
        break;
      case 'actions':
      case 'menu':
        break;
      case 'select':
        lines.push(escapeMrkdwn(block.label));
        break;
    }
  }
  return clip(lines.join('\n'), MAX_FALLBACK) || ' ';
}

/**
 * Previews off for a message that carries a web address (a private calendar-feed URL, a
 * meeting link): an unfurl would fetch the secret from Slack's servers and show its page to
 * everyone in the conversation.
 */
export function unfurlOff(message: SlackMessage): { unfurl_links?: false; unfurl_media?: false } {
  const hasLink = /https?:\/\//i.test(message.text) || /https?:\/\//i.test(JSON.stringify(message.blocks));
  return hasLink ? { unfurl_links: false, unfurl_media: false } : {};
}

/** A message: blocks within Slack's limit, and the text fallback. */
export function renderMessage(card: Card): SlackMessage {
  const blocks = renderBlocks(card);
  if (blocks.length > MAX_MESSAGE_BLOCKS) {
    blocks.length = MAX_MESSAGE_BLOCKS - 1;
    blocks.push({ type: 'context', elements: [mrkdwn('(more than fits in one message)')] });
  }
  return { text: fallbackText(card), blocks };
}
