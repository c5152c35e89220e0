// Submitted forms (a Slack modal, a Teams form card) go to the form spec that owns their id.
// The answer is either "accepted" with replies, or errors per field for the platform to show
// beside each field. Nothing is written unless the whole form is accepted.
// `checkForm` answers in two steps (the verdict now, the work after) for a platform that must
// acknowledge quickly; `handleForm` does both before answering.
import { card, ephemeral, text, type Form } from '../core/cards.js';
import { UserError } from '../core/plumbing/errors.js';
import { errorCode } from '../core/plumbing/logger.js';
import { PlanError } from '../core/schedule/plan-error.js';
import type { FormCheck, FormOpened, FormOption, FormResult, FormSpec, FormSubmission } from './plumbing/form-spec.js';
import { forms as allForms } from './registry.js';
import { FAILED_MESSAGE } from './plumbing/run-logged.js';
import type { Services } from './plumbing/spec.js';

export type { FormCheck, FormOpened, FormOption, FormResult, FormSubmission } from './plumbing/form-spec.js';

/** The field an error is shown beside when it belongs to no one field. */
export const FORM_ERROR_FIELD = '_form';

type Outcome = 'ok' | 'invalid' | 'refused' | 'not-found' | 'conflict' | 'failed';
type Log = (event: 'form.done' | 'form.run', outcome: Outcome, code?: string) => void;

/** An error as the field errors to show, logged by outcome (a non-user error by code only). */
function asErrors(error: unknown, log: (outcome: Outcome, code?: string) => void): Record<string, string> {
  if (error instanceof UserError) {
    log(error.code);
    return { [error instanceof PlanError ? error.field : FORM_ERROR_FIELD]: error.message };
  }
  log('failed', errorCode(error));
  return { [FORM_ERROR_FIELD]: FAILED_MESSAGE };
}

/** The verdict, with the work still to run (and free to throw). */
async function judge(
  services: Services,
  submission: FormSubmission,
  specs: readonly FormSpec[],
): Promise<{ checked: FormCheck; log: Log }> {
  const started = Date.now();
  const spec = specs.find((s) => s.formId === submission.formId);
  const log: Log = (event, outcome, code) =>
    services.logger[outcome === 'failed' ? 'error' : 'info'](event, {
      actor: submission.actor,
      place: submission.place,
      action: spec?.formId ?? 'unknown',
      outcome,
      durationMs: Date.now() - started,
      ...(code ? { code } : {}),
    });
  if (!spec || (!spec.check && !spec.submit)) {
    log('form.done', 'invalid');
    const errors = { [FORM_ERROR_FIELD]: 'This form is no longer in use. Please start again.' };
    return { checked: { accepted: false, errors }, log };
  }
  try {
    let checked: FormCheck;
    if (spec.check) checked = await spec.check(services, submission);
    else {
      const result = await (spec.submit as NonNullable<FormSpec['submit']>)(services, submission);
      checked = result.accepted ? { accepted: true, run: () => Promise.resolve(result.replies) } : result;
    }
    log('form.done', checked.accepted ? 'ok' : 'invalid');
    return { checked, log };
  } catch (error) {
    return { checked: { accepted: false, errors: asErrors(error, (o, c) => log('form.done', o, c)) }, log };
  }
}

/**
 * Judges a submission without doing its work. The `run` handed back never throws: a failure
 * after the verdict (a conflict found while writing) becomes a private answer saying why.
 */
export async function checkForm(
  services: Services,
  submission: FormSubmission,
  specs: readonly FormSpec[] = allForms,
): Promise<FormCheck> {
  const { checked, log } = await judge(services, submission, specs);
  if (!checked.accepted) return checked;
  return {
    accepted: true,
    run: async () => {
      try {
        const replies = await checked.run();
        log('form.run', 'ok');
        return replies;
      } catch (error) {
        const errors = asErrors(error, (o, c) => log('form.run', o, c));
        return [ephemeral(card(text(Object.values(errors)[0] ?? FAILED_MESSAGE)))];
      }
    },
  };
}

/** Checks and carries out a submission; a failure while working shows in the form itself. */
export async function handleForm(
  services: Services,
  submission: FormSubmission,
  specs: readonly FormSpec[] = allForms,
): Promise<FormResult> {
  const { checked, log } = await judge(services, submission, specs);
  if (!checked.accepted) return checked;
  try {
    return { accepted: true, replies: await checked.run() };
  } catch (error) {
    return { accepted: false, errors: asErrors(error, (o, c) => log('form.run', o, c)) };
  }
}

/** An open form rebuilt for redrawing (undefined: no such form, or no longer the person's). */
export async function reopenForm(
  services: Services,
  formId: string,
  opened: FormOpened,
  specs: readonly FormSpec[] = allForms,
): Promise<Form | undefined> {
  const spec = specs.find((s) => s.formId === formId);
  if (!spec?.reopen) return undefined;
  try {
    return await spec.reopen(services, opened);
  } catch (error) {
    services.logger.warn('form.reopen-failed', { actor: opened.actor, action: spec.formId, code: errorCode(error) });
    return undefined;
  }
}

/** The options of a searched select field; none where the form or field does not search. */
export async function formOptions(
  services: Services,
  formId: string,
  fieldId: string,
  query: string,
  opened: FormOpened,
  specs: readonly FormSpec[] = allForms,
): Promise<FormOption[]> {
  const spec = specs.find((s) => s.formId === formId);
  if (!spec?.options) return [];
  try {
    return await spec.options(services, opened, fieldId, query);
  } catch (error) {
    services.logger.warn('form.options-failed', { actor: opened.actor, action: spec.formId, code: errorCode(error) });
    return [];
  }
}
