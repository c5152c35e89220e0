// What a button handler is. Each feature registers the action ids it owns (timer:…, rsvp:…);
// a press with any other id gets a polite "no longer does anything".
import type { Reply } from '../../core/cards.js';
import type { Place, UserId } from '../../core/plumbing/ids.js';
import type { Services } from './spec.js';

export interface ButtonPress {
  actionId: string;
  /** The button's value as the platform sent it back: opaque, checked by the handler. */
  value: string;
  actor: UserId;
  place: Place;
  /** The reader's IANA zone where the platform knows it. */
  actorTimeZone?: string;
}

export interface ButtonSpec {
  /** Action ids this handler owns. */
  actionIds: readonly string[];
  handle(services: Services, press: ButtonPress): Promise<Reply[]>;
}
