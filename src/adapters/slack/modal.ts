// Forms as Slack modals, and submitted modals back as form values. Each field is one input
// block whose block_id and action_id are the field's id, so a field error goes beside the
// field it belongs to. `private_metadata` carries where the form was opened and the form's own
// opaque context (ids only); Slack hands it back untouched with the submission.
import type { types } from '@slack/bolt';
import { isHidden, type Form, type FormField } from '../../core/cards.js';
import type { Place, UserId } from '../../core/plumbing/ids.js';
import { clip, plain } from './blocks.js';

const MAX_TITLE = 24;
const MAX_LABEL = 2000;
const MAX_OPTION_TEXT = 75;
const MAX_OPTION_VALUE = 150;
const MAX_SELECT_OPTIONS = 100;
const MAX_RADIO_OPTIONS = 10;
const MAX_METADATA = 3000;
const MAX_MODAL_BLOCKS = 100;
const MAX_PEOPLE = 100;
/** An external select asks for options once this many characters are typed. */
export const MIN_QUERY_LENGTH = 1;

interface Metadata {
  v: 1;
  place: Place;
  context?: string;
}

export const option = (o: { value: string; label: string }): types.PlainTextOption => ({
  text: plain(o.label, MAX_OPTION_TEXT),
  value: o.value.slice(0, MAX_OPTION_VALUE),
});

function options(field: Extract<FormField, { options: unknown }>): types.PlainTextOption[] {
  return field.options.slice(0, MAX_SELECT_OPTIONS).map(option);
}

/** Slack ids of the people in a `people` field's initial value (ids of this workspace only). */
const slackIdsOf = (value: string | undefined): string[] =>
  (value ?? '')
    .split(/\s+/)
    .map((id) => /^slack:T[A-Z0-9]+:([UW][A-Z0-9]+)$/.exec(id)?.[1])
    .filter((id): id is string => id !== undefined);

function element(field: FormField): types.InputBlock['element'] {
  const base = { action_id: field.id };
  switch (field.kind) {
    case 'select':
    case 'choice': {
      // Beyond what a static select holds, the person searches: Slack asks the bot's options
      // handler (block_suggestion) as they type, so every option stays reachable.
      if (field.options.length > MAX_SELECT_OPTIONS) {
        const chosen = field.options.find((o) => o.value === field.initial);
        return {
          ...base,
          type: 'external_select',
          placeholder: plain('Type to search…', 150),
          min_query_length: MIN_QUERY_LENGTH,
          ...(chosen ? { initial_option: option(chosen) } : {}),
        };
      }
      const list = options(field);
      const initial = list.find((o) => o.value === field.initial);
      if (field.kind === 'choice' && list.length <= MAX_RADIO_OPTIONS) {
        return { ...base, type: 'radio_buttons', options: list, ...(initial ? { initial_option: initial } : {}) };
      }
      return {
        ...base,
        type: 'static_select',
        placeholder: plain('Choose…', 150),
        options: list,
        ...(initial ? { initial_option: initial } : {}),
      };
    }
    case 'people': {
      const initial = slackIdsOf(field.initial);
      return {
        ...base,
        type: 'multi_users_select',
        placeholder: plain('Type a name…', 150),
        max_selected_items: Math.min(field.max ?? MAX_PEOPLE, MAX_PEOPLE),
        ...(initial.length > 0 ? { initial_users: initial } : {}),
      };
    }
    case 'date':
      return { ...base, type: 'datepicker', ...(field.initial ? { initial_date: field.initial } : {}) };
    case 'time':
      return {
        ...base,
        type: 'timepicker',
        ...(field.initial ? { initial_time: field.initial } : {}),
        // Slack names the zone under the picker, so nobody mistakes it for their own.
        ...(field.zone ? { timezone: field.zone } : {}),
      };
    case 'text':
      return {
        ...base,
        type: 'plain_text_input',
        ...(field.maxLength ? { max_length: field.maxLength } : {}),
        ...(field.placeholder ? { placeholder: plain(field.placeholder, 150) } : {}),
        ...(field.initial ? { initial_value: field.initial } : {}),
      };
    case 'number':
      return {
        ...base,
        type: 'number_input',
        is_decimal_allowed: false,
        min_value: String(field.min),
        max_value: String(field.max),
        ...(field.initial ? { initial_value: field.initial } : {}),
      };
  }
}

export class FormTooLargeError extends Error {
  override readonly name = 'FormTooLargeError';
  readonly code = 'form_too_large';
  readonly retryable = false;
}

/**
 * The modal for `form`, opened by someone in `place`. `values` are the person's entries so far
 * (a redraw): they become the fields' initial values, so nothing typed is lost, and they decide
 * which fields are hidden. A field others depend on answers each change (`dispatch_action`).
 */
export function renderModal(form: Form, place: Place, values?: Record<string, string | undefined>): types.ModalView {
  const metadata: Metadata = { v: 1, place, ...(form.context !== undefined ? { context: form.context } : {}) };
  const privateMetadata = JSON.stringify(metadata);
  if (privateMetadata.length > MAX_METADATA || form.fields.length > MAX_MODAL_BLOCKS)
    throw new FormTooLargeError('form too large for a modal');
  const controlling = new Set(form.fields.flatMap((f) => (f.hiddenWhen ? [f.hiddenWhen.field] : [])));
  const shown = form.fields
    .filter((field) => !isHidden(field, form, values))
    .map((field): FormField => {
      if (!values || !(field.id in values)) return field;
      // What the person chose replaces the initial value; a field they cleared starts empty.
      const rest = { ...field };
      delete rest.initial;
      const value = values[field.id];
      return value === undefined ? rest : { ...rest, initial: value };
    });
  return {
    type: 'modal',
    callback_id: form.formId,
    title: plain(form.title, MAX_TITLE),
    submit: plain(form.submitLabel, MAX_TITLE),
    close: plain('Cancel', MAX_TITLE),
    private_metadata: privateMetadata,
    blocks: shown.map((field) => ({
      type: 'input',
      block_id: field.id,
      optional: field.optional === true,
      ...(controlling.has(field.id) ? { dispatch_action: true } : {}),
      label: plain(field.label, MAX_LABEL),
      element: element(field),
    })),
  };
}

/** One input's value as Slack sends it in `view.state.values[block][action]`. */
interface StateValue {
  type?: string;
  value?: string | null;
  selected_option?: { value?: string } | null;
  selected_date?: string | null;
  selected_time?: string | null;
  selected_users?: string[] | null;
}

/** Turns a Slack user id picked in a modal into the bot's id for them (their workspace's). */
export type PersonReader = (slackUserId: string) => UserId | undefined;

function readValue(state: StateValue, person: PersonReader): string | undefined {
  switch (state.type) {
    case 'static_select':
    case 'external_select':
    case 'radio_buttons':
      return state.selected_option?.value ?? undefined;
    case 'multi_users_select': {
      const people = (state.selected_users ?? []).map((u) => (typeof u === 'string' ? person(u) : undefined));
      // One id that is not a person's spoils the list: the form says so rather than drop them.
      if (people.some((p) => p === undefined)) return '?';
      return people.length > 0 ? people.join(' ') : undefined;
    }
    case 'datepicker':
      return state.selected_date ?? undefined;
    case 'timepicker':
      return state.selected_time ?? undefined;
    case 'plain_text_input':
    case 'number_input':
      return state.value === null || state.value === undefined || state.value === '' ? undefined : state.value;
    default:
      return undefined;
  }
}

export interface ReadView {
  formId: string;
  values: Record<string, string | undefined>;
  context?: string;
  place?: Place;
  /** The input blocks, in order: where errors may be shown. */
  blockIds: string[];
}

/**
 * Reads a submitted modal tolerantly: unknown element types and odd metadata read as absent.
 * People picked are read with `person` (without it, as nobody).
 */
export function readView(
  view: {
    callback_id?: string;
    private_metadata?: string;
    state?: { values?: Record<string, Record<string, StateValue>> };
    blocks?: Array<{ type?: string; block_id?: string }>;
  },
  person: PersonReader = () => undefined,
): ReadView {
  const values: Record<string, string | undefined> = {};
  for (const [blockId, actions] of Object.entries(view.state?.values ?? {})) {
    const state = actions[blockId] ?? Object.values(actions)[0];
    values[blockId] = state ? readValue(state, person) : undefined;
  }
  const blockIds = (view.blocks ?? [])
    .filter((b) => b.type === 'input' && typeof b.block_id === 'string')
    .map((b) => b.block_id as string);
  let metadata: Partial<Metadata> = {};
  try {
    const parsed: unknown = JSON.parse(view.private_metadata || '{}');
    if (parsed && typeof parsed === 'object') metadata = parsed as Partial<Metadata>;
  } catch {
    metadata = {};
  }
  return {
    formId: view.callback_id ?? '',
    values,
    blockIds: blockIds.length > 0 ? blockIds : Object.keys(values),
    ...(typeof metadata.place === 'string' ? { place: metadata.place } : {}),
    ...(typeof metadata.context === 'string' ? { context: metadata.context } : {}),
  };
}

/**
 * Field errors as `response_action: errors` wants them: keyed by input block. An error that
 * belongs to no field (or to a field not in this modal) is shown beside the first one.
 */
export function errorsByBlock(errors: Record<string, string>, blockIds: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const first = blockIds[0];
  for (const [field, message] of Object.entries(errors)) {
    const block = blockIds.includes(field) ? field : first;
    if (block === undefined) continue;
    out[block] = clip(out[block] ? `${out[block]} ${message}` : message, MAX_LABEL);
  }
  return out;
}
