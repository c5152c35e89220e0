// What a form handler is: it receives a submitted form and either accepts it (answering with
// replies) or rejects it field by field, so the platform can show each error beside its field.
import type { Reply } from '../../core/cards.js';
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

export interface FormSpec {
  formId: string;
  submit(services: Services, submission: FormSubmission): Promise<FormResult>;
}
