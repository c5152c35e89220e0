// Neutral Forms → Adaptive Card input forms (Teams has no modals for bots; a card with inputs
// is the form). Submitting sends the inputs back with our form key; when the handler rejects
// fields, the same card comes back with the person's values kept and each error by its field.
import type { Form, FormField } from '../../core/cards.js';
import type { UserId } from '../../core/plumbing/ids.js';
import { FORM_ERROR_FIELD } from '../../commands/forms.js';
import { adaptiveCard, escapeText, executeAction, type AdaptiveCard, type AdaptiveElement } from './adaptive.js';

/** The verb of a form's submit button; its value is the key of the stored pending form. */
export const FORM_VERB = 'balint.form';

/** Input ids are prefixed: the inputs merge into the action's data beside `verb` and `value`. */
export const inputId = (fieldId: string): string => `f_${fieldId}`;

/** Beyond this many choices a drop-down is typed into (the `filtered` style) rather than scrolled. */
const FILTER_FROM = 20;

/**
 * Teams' people picker: a choice set searching the organisation's directory (Microsoft Graph),
 * sending back the chosen people's AAD object ids, comma-separated.
 */
export const PEOPLE_DATASET = 'graph.microsoft.com/users';

function input(field: FormField, value: string | undefined): AdaptiveElement {
  const common: AdaptiveElement = {
    id: inputId(field.id),
    label: escapeText(field.label),
    ...(field.optional ? {} : { isRequired: true, errorMessage: `${escapeText(field.label)} is required.` }),
    ...(value !== undefined && value !== '' ? { value } : {}),
  };
  switch (field.kind) {
    case 'select':
    case 'choice':
      return {
        type: 'Input.ChoiceSet',
        ...common,
        // `compact` (a drop-down) is the default; radio buttons must be asked for.
        ...(field.kind === 'choice'
          ? { style: 'expanded' }
          : field.options.length > FILTER_FROM
            ? { style: 'filtered' }
            : {}),
        choices: field.options.map((o) => ({ title: escapeText(o.label), value: o.value })),
      };
    case 'people': {
      // A value kept from last time is ids of ours: the picker is given back AAD ids.
      const { value: kept, ...rest } = common;
      const aad = typeof kept === 'string' ? kept.split(/\s+/).map((u) => u.split(':')[2] ?? '') : [];
      return {
        type: 'Input.ChoiceSet',
        ...rest,
        isMultiSelect: true,
        choices: [],
        'choices.data': { type: 'Data.Query', dataset: PEOPLE_DATASET },
        ...(aad.some((a) => a !== '') ? { value: aad.filter((a) => a !== '').join(',') } : {}),
      };
    }
    case 'date':
      return { type: 'Input.Date', ...common };
    case 'time':
      return { type: 'Input.Time', ...common };
    case 'text':
      return {
        type: 'Input.Text',
        ...common,
        ...(field.placeholder ? { placeholder: escapeText(field.placeholder) } : {}),
        ...(field.maxLength ? { maxLength: field.maxLength } : {}),
      };
    case 'number': {
      // Input.Number's value is a number: a non-number typed last time is not shown again.
      const { value: typed, ...rest } = common;
      const n = typeof typed === 'string' ? Number(typed) : NaN;
      const range = `${field.min}–${field.max}`;
      return {
        type: 'Input.Number',
        ...rest,
        ...(Number.isFinite(n) ? { value: n } : {}),
        placeholder: range,
        // Microsoft's renderer reads an empty Input.Number as NaN, and NaN fails min/max: an
        // optional number with a range could never be left empty (and says nothing). So only a
        // required number carries its range; the bot checks every range and answers by the field.
        ...(field.optional
          ? {}
          : { min: field.min, max: field.max, errorMessage: `${escapeText(field.label)}: a number, ${range}.` }),
      };
    }
  }
}

const errorLine = (message: string): AdaptiveElement => ({
  type: 'TextBlock',
  text: escapeText(message),
  color: 'Attention',
  wrap: true,
  spacing: 'None',
});

export interface FormState {
  /** Field id → what the person entered last time (to keep it when showing errors). */
  values?: Record<string, string | undefined>;
  errors?: Record<string, string>;
}

export function renderForm(form: Form, formKey: string, state: FormState = {}): AdaptiveCard {
  const body: AdaptiveElement[] = [
    { type: 'TextBlock', text: escapeText(form.title), size: 'Medium', weight: 'Bolder', wrap: true },
  ];
  const formError = state.errors?.[FORM_ERROR_FIELD];
  if (formError) body.push(errorLine(formError));
  for (const field of form.fields) {
    body.push(input(field, state.values?.[field.id] ?? field.initial));
    const error = state.errors?.[field.id];
    if (error) body.push(errorLine(error));
  }
  body.push({
    type: 'ActionSet',
    actions: [executeAction(form.submitLabel, { verb: FORM_VERB, value: formKey }, 'positive')],
  });
  return adaptiveCard(body, { fallbackText: form.title });
}

/**
 * The submitted values of `form`'s fields, from an action's data (empty → undefined). People
 * picked come back as AAD object ids and are read with `person` (the tenant's ids); one that
 * reads as nobody spoils the field, so the form says so rather than drop them.
 */
export function formValues(
  form: Form,
  data: Record<string, unknown>,
  person: (aadObjectId: string) => UserId | undefined = () => undefined,
): Record<string, string | undefined> {
  const values: Record<string, string | undefined> = {};
  for (const field of form.fields) {
    const raw = data[inputId(field.id)];
    let value = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : undefined;
    if (field.kind === 'people' && value) {
      const people = value.split(',').map((id) => person(id.trim()));
      value = people.some((p) => p === undefined) ? '?' : people.join(' ');
    }
    values[field.id] = value === '' ? undefined : value;
  }
  return values;
}
