// The neutral message model. Commands and jobs build Cards; each adapter renders them its own
// way (Block Kit, Adaptive Cards, terminal text). Every card also has a plain-text form, used
// for notifications, screen readers and platforms that cannot show the richer one.
import { DateTime } from 'luxon';
import type { UserId } from './plumbing/ids.js';
import { shortName } from './plumbing/ids.js';

/** A moment shown in the reader's own zone where the platform can, else in `zone`. */
export interface TimeValue {
  time: number;
  zone: string;
}
/** People, rendered as mentions by the platform. */
export interface PeopleValue {
  users: UserId[];
  /** Plain words after the people (a table row's other column: "@ann · invited"). */
  note?: string;
}
export type FactValue = string | TimeValue | PeopleValue;

export interface Fact {
  label: string;
  value: FactValue;
}

export interface Button {
  /** Routes the press (e.g. `timer:next`); unique within its card. */
  actionId: string;
  label: string;
  /** Opaque context for the handler (e.g. a session id); never free text. */
  value: string;
  style?: 'primary' | 'danger';
  /** Asks "are you sure?" before the press is sent (Slack `confirm`; Teams shows it as it can). */
  confirm?: Confirmation;
  /** What a screen reader says instead of the label (icon-like labels such as "+2 min"). */
  accessibilityLabel?: string;
}

export interface Confirmation {
  title: string;
  text: string;
  confirm: string;
  deny: string;
}

/** A button that opens a web address (a meeting's Join link) instead of coming back to the bot. */
export interface LinkButton {
  label: string;
  url: string;
}

/**
 * One choice of a menu: a press like a button's (same `actionId` and `value` routing), plus the
 * typed command that does the same, for a platform without menus (the terminal).
 */
export interface MenuItem {
  actionId: string;
  label: string;
  value: string;
  typed: string;
}

/** A pick from a list that answers as a press (`actionId`, the option's value): the Home's group picker. */
export interface Select {
  type: 'select';
  actionId: string;
  /** What the list is for, shown beside it. */
  label: string;
  placeholder: string;
  options: Array<{ value: string; label: string }>;
  /** The value picked now, if any (one of the options). */
  initial?: string;
}

export type Block =
  | { type: 'heading'; text: string }
  | { type: 'text'; text: string }
  | { type: 'facts'; facts: Fact[] }
  | { type: 'progress'; fraction: number; label: string }
  | { type: 'actions'; buttons: Button[]; links?: LinkButton[] }
  /** A few actions on one item, out of the way (Slack: an overflow menu; at most 5 items). */
  | { type: 'menu'; label: string; items: MenuItem[] }
  | { type: 'context'; text: string }
  | Select;

export interface Card {
  blocks: Block[];
}

export type Visibility = 'ephemeral' | 'channel' | 'direct';

/** One input of a form. Values come back as strings: dates `YYYY-MM-DD`, times `HH:MM`. */
export type FormField = {
  id: string;
  label: string;
  optional?: boolean;
  initial?: string;
  /**
   * Hidden while another field's value is one of `in` (a series' end, for a one-off). Where a
   * platform cannot hide fields as the person changes one, every field is shown.
   */
  hiddenWhen?: { field: string; in: readonly string[] };
} & (
  | { kind: 'select' | 'choice'; options: Array<{ value: string; label: string }> }
  /** People of the person's workspace, picked by name; values are user ids separated by spaces. */
  | { kind: 'people'; max?: number }
  | { kind: 'date' }
  /** `zone`: the IANA zone the time is in, named beside the picker where the platform can. */
  | { kind: 'time'; zone?: string }
  | { kind: 'text'; placeholder?: string; maxLength?: number }
  | { kind: 'number'; min: number; max: number }
);

/**
 * A form the person fills in (a Slack modal, a Teams card). `formId` routes the submission;
 * `context` is opaque state handed back with it (ids only, never free text).
 */
export interface Form {
  formId: string;
  title: string;
  submitLabel: string;
  fields: FormField[];
  context?: string;
}

/** What a command answers: a card and who should see it, or a form to open for the person. */
export type Reply =
  | {
      visibility: Visibility;
      card: Card;
      /** For `direct`: the person to message; defaults to whoever ran the command. */
      to?: UserId;
      /**
       * For `ephemeral` answers to a button press: the card pressed becomes this one where the
       * platform can change it for the presser alone (Slack: an ephemeral card or a direct
       * message); elsewhere it is an ordinary private answer.
       */
      replacesPressed?: boolean;
    }
  | {
      visibility: 'form';
      form: Form;
      /** Shown where a form cannot be opened (the terminal chat): usually the typed usage. */
      fallback: Card;
    };

export const card = (...blocks: Block[]): Card => ({ blocks });
export const heading = (text: string): Block => ({ type: 'heading', text });
export const text = (value: string): Block => ({ type: 'text', text: value });
export const facts = (...items: Fact[]): Block => ({ type: 'facts', facts: items });
export const context = (value: string): Block => ({ type: 'context', text: value });
export const actions = (...buttons: Button[]): Block => ({ type: 'actions', buttons });
export const menu = (label: string, ...items: MenuItem[]): Block => ({ type: 'menu', label, items });
export const progress = (fraction: number, label: string): Block => ({
  type: 'progress',
  fraction: Math.min(1, Math.max(0, fraction)),
  label,
});

export const ephemeral = (c: Card): Reply => ({ visibility: 'ephemeral', card: c });
/** A private answer to a press that takes the pressed card's place where it can. */
export const inPlaceOfPressed = (c: Card): Reply => ({ visibility: 'ephemeral', card: c, replacesPressed: true });
export const inChannel = (c: Card): Reply => ({ visibility: 'channel', card: c });
export const direct = (to: UserId, c: Card): Reply => ({ visibility: 'direct', card: c, to });
export const openForm = (form: Form, fallback: Card): Reply => ({ visibility: 'form', form, fallback });

/** Whether `field` is hidden given the form's values so far (each field's initial where absent). */
export function isHidden(field: FormField, form: Form, values: Record<string, string | undefined> = {}): boolean {
  if (!field.hiddenWhen) return false;
  const rule = field.hiddenWhen;
  const value = rule.field in values ? values[rule.field] : form.fields.find((f) => f.id === rule.field)?.initial;
  return value !== undefined && rule.in.includes(value);
}

/** The people of a `people` field's value (user ids separated by spaces). */
export const peopleOf = (value: string | undefined): string[] => (value ?? '').split(/\s+/).filter((v) => v !== '');

/** The card a reply shows (a form's fallback where no form can open). */
export const replyCard = (reply: Reply): Card => (reply.visibility === 'form' ? reply.fallback : reply.card);

/** The label of the option a select shows as picked, if any. */
export const selectedLabel = (block: Select): string | undefined =>
  block.options.find((o) => o.value === block.initial)?.label;

export function isTimeValue(value: FactValue): value is TimeValue {
  return typeof value === 'object' && 'time' in value;
}

export function formatTime(value: TimeValue): string {
  return DateTime.fromMillis(value.time, { zone: value.zone }).toFormat('ccc d LLL yyyy, HH:mm ZZZZ');
}

/** How a fact's value reads as plain text. */
export function factText(value: FactValue, mention: (user: UserId) => string = (u) => `@${shortName(u)}`): string {
  if (typeof value === 'string') return value;
  if (isTimeValue(value)) return formatTime(value);
  const people = value.users.length === 0 ? '(nobody)' : value.users.map(mention).join(', ');
  return value.note ? `${people} · ${value.note}` : people;
}

export function progressBar(fraction: number, width = 20): string {
  const filled = Math.round(fraction * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}

/** The plain-text fallback of a card, one line per block. */
export function plainText(c: Card): string {
  const lines: string[] = [];
  for (const block of c.blocks) {
    switch (block.type) {
      case 'heading':
      case 'text':
      case 'context':
        lines.push(block.text);
        break;
      case 'facts':
        for (const f of block.facts) lines.push(`${f.label}: ${factText(f.value)}`);
        break;
      case 'progress':
        lines.push(`${progressBar(block.fraction)} ${block.label}`);
        break;
      case 'actions':
        lines.push(block.buttons.map((b) => `[${b.label}]`).join(' '));
        break;
      case 'menu':
        for (const item of block.items) lines.push(`${item.label}: ${item.typed}`);
        break;
      case 'select':
        lines.push(`${block.label}: ${selectedLabel(block) ?? block.placeholder}`);
        break;
    }
  }
  return lines.join('\n');
}
