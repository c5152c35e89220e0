// A form card sent to someone, remembered until it is accepted so its submission can be checked
// (the same person, the form we sent) and re-rendered with errors. The form holds the bot's own
// labels and opaque ids; the person's answers are never stored here. A form left unanswered
// lapses after a day (forms opened later sweep it away), and `/balint forget` takes a person's.
import { randomBytes } from 'node:crypto';
import type { Form } from '../../core/cards.js';
import type { Place, UserId } from '../../core/plumbing/ids.js';
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

/** Long enough to fill in a form over lunch, short enough that abandoned ones do not pile up. */
export const FORM_LIFETIME_MS = 24 * 60 * 60 * 1000;

export class PendingForms {
  constructor(
    private readonly store: Store,
    private readonly now: () => number,
  ) {}

  async open(pending: Omit<PendingForm, 'createdAt'>): Promise<string> {
    await this.removeWhere((form) => form.createdAt <= this.now() - FORM_LIFETIME_MS);
    const key = `frm_${randomBytes(8).toString('hex')}`;
    await this.store.set<PendingForm>(PENDING_FORMS, key, { ...pending, createdAt: this.now() });
    return key;
  }

  async get(key: string): Promise<PendingForm | undefined> {
    const pending = KEY.test(key) ? await this.store.get<PendingForm>(PENDING_FORMS, key) : undefined;
    return pending && pending.createdAt > this.now() - FORM_LIFETIME_MS ? pending : undefined;
  }

  /** Data rights: the forms opened by `user`; returns how many went. */
  forget(user: UserId): Promise<number> {
    return this.removeWhere((form) => form.actor === user);
  }

  private async removeWhere(match: (form: PendingForm) => boolean): Promise<number> {
    const keys: string[] = [];
    for await (const [key, form] of this.store.entries<PendingForm>(PENDING_FORMS)) if (match(form)) keys.push(key);
    for (const key of keys) await this.store.delete(PENDING_FORMS, key);
    return keys.length;
  }

  async close(key: string): Promise<void> {
    await this.store.delete(PENDING_FORMS, key);
  }
}
