import { UserError } from '../plumbing/errors.js';

/** The form fields a plan problem belongs to, so a form can show it beside the right input. */
export type PlanField =
  'group' | 'date' | 'time' | 'every' | 'count' | 'until' | 'length' | 'mode' | 'place' | 'link' | 'except';

/** A bad plan, with the field at fault. A typed command shows the message; a form, beside the field. */
export class PlanError extends UserError {
  constructor(
    readonly field: PlanField,
    message: string,
  ) {
    super('invalid', message);
  }
}
