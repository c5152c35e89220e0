// What a form handler is: it receives a submitted form and either accepts it (answering with
// replies) or rejects it field by field, so the platform can show each error beside its field.
// A handler may split the two: `check` validates (fast, writes nothing) and hands back the
// work, which a platform with a deadline (Slack's 3 s for a modal) runs after answering.
import type { Form, Reply } from '../../core/cards.js';
import type { Place, UserId } from '../../core/plumbing/ids.js';
import type { Services } from './spec.js';

export interface FormSubmission {
  formId: string;
  /** Field id → the value as submitted (undefined for an empty optional field). */
  values: Record<string, string | undefined>;
  /** The form's context, as the bot set it when it opened the form (opaque, check it). */
  context?: string;
  actor: UserId;
  place: Place;
  actorTimeZone?: string;
}

export type FormResult = { accepted: true; replies: Reply[] } | { accepted: false; errors: Record<string, string> };

/** A checked form: its field errors, or the work that carries it out (which may still throw). */
export type FormCheck =
  { accepted: true; run: () => Promise<Reply[]> } | { accepted: false; errors: Record<string, string> };

export interface FormSpec {
  formId: string;
  /** Validates and does the work in one go (forms that are quick either way). */
  submit?(services: Services, submission: FormSubmission): Promise<FormResult>;
  /** Validates only; the work is `run`, once the platform has been answered. */
  check?(services: Services, submission: FormSubmission): Promise<FormCheck>;
  /**
   * The form again, for the same person and context: a platform that redraws an open form as
   * the person changes a field (Slack's views.update) rebuilds it from here. Undefined when the
   * person may no longer have it.
   */
  reopen?(services: Services, opened: FormOpened): Promise<Form | undefined>;
  /**
   * A `select` field's options matching `query`, for a platform that searches them as the
   * person types (Slack's external select, used beyond 100 options). Filtered by the person's
   * rights as the form itself is.
   */
  options?(services: Services, opened: FormOpened, fieldId: string, query: string): Promise<FormOption[]>;
}

export interface FormOpened {
  actor: UserId;
  place: Place;
  context?: string;
}

export interface FormOption {
  value: string;
  label: string;
}
