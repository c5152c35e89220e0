// Submitted forms (a Slack modal, a Teams form card) go to the form spec that owns their id.
// The answer is either "accepted" with replies, or errors per field for the platform to show
// beside each field. Nothing is written unless the whole form is accepted.
import { UserError } from '../core/plumbing/errors.js';
import { errorCode } from '../core/plumbing/logger.js';
import type { FormResult, FormSpec, FormSubmission } from './plumbing/form-spec.js';
import { forms as allForms } from './registry.js';
import { FAILED_MESSAGE } from './plumbing/run-logged.js';
import type { Services } from './plumbing/spec.js';

export type { FormResult, FormSubmission } from './plumbing/form-spec.js';

/** The field an error is shown beside when it belongs to no one field. */
export const FORM_ERROR_FIELD = '_form';

export async function handleForm(
  services: Services,
  submission: FormSubmission,
  specs: readonly FormSpec[] = allForms,
): Promise<FormResult> {
  const started = Date.now();
  const spec = specs.find((s) => s.formId === submission.formId);
  const log = (outcome: 'ok' | 'invalid' | 'refused' | 'not-found' | 'conflict' | 'failed', code?: string) =>
    services.logger[outcome === 'failed' ? 'error' : 'info']('form.done', {
      actor: submission.actor,
      place: submission.place,
      action: spec?.formId ?? 'unknown',
      outcome,
      durationMs: Date.now() - started,
      ...(code ? { code } : {}),
    });
  if (!spec) {
    log('invalid');
    return { accepted: false, errors: { [FORM_ERROR_FIELD]: 'This form is no longer in use. Please start again.' } };
  }
  try {
    const result = await spec.submit(services, submission);
    log(result.accepted ? 'ok' : 'invalid');
    return result;
  } catch (error) {
    if (error instanceof UserError) {
      log(error.code);
      return { accepted: false, errors: { [FORM_ERROR_FIELD]: error.message } };
    }
    log('failed', errorCode(error));
    return { accepted: false, errors: { [FORM_ERROR_FIELD]: FAILED_MESSAGE } };
  }
}
