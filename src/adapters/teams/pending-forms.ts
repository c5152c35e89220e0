// A form card sent to someone, remembered until it is accepted so its submission can be checked
// (the same person, the form we sent) and re-rendered with errors. The form holds the bot's own
// labels and opaque ids; the person's answers are never stored here.
import { randomBytes } from 'node:crypto';
import type { Form } from '../../core/cards.js';
import type { Place, UserId } from '../../core/ids.js';
import type { Store } from '../../core/ports.js';

const PENDING_FORMS = 'teams-forms';
const KEY = /^frm_[0-9a-f]{16}$/;

export interface PendingForm {
  form: Form;
  actor: UserId;
  /** Where the command that opened the form was typed: the submission acts there. */
  place: Place;
  createdAt: number;
}

export class PendingForms {
  constructor(private readonly store: Store) {}

  async open(pending: PendingForm): Promise<string> {
    const key = `frm_${randomBytes(8).toString('hex')}`;
    await this.store.set(PENDING_FORMS, key, pending);
    return key;
  }

  async get(key: string): Promise<PendingForm | undefined> {
    return KEY.test(key) ? this.store.get<PendingForm>(PENDING_FORMS, key) : undefined;
  }

  async close(key: string): Promise<void> {
    await this.store.delete(PENDING_FORMS, key);
  }
}
