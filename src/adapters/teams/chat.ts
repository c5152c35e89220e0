// The ChatPort on Teams. Posts and updates go to the stored conversation of a place; direct
// messages to the person's 1:1 chat, created through the connector the first time. Teams has
// no ephemeral messages: `ephemeral` throws NotSupported and deliver() falls back to `direct`.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Activity } from 'botbuilder';
import type { Card } from '../../core/cards.js';
import type { Place, UserId } from '../../core/plumbing/ids.js';
import type { ChatPort, Logger, MessageRef } from '../../core/ports.js';
import { NotSupported } from '../../core/ports.js';
import { ADAPTIVE_CARD_TYPE, type AdaptiveCard } from './adaptive.js';
import type { Connector } from './connector.js';
import type { DeliveryProblems } from './delivery-problems.js';
import { isGoneConversation, NoPersonalChat, TeamsSendError } from './errors.js';
import { placeOf } from './identity.js';
import type { PlaceRef, References } from './references.js';
import { Rosters } from './roster.js';
import { MAX_REFRESH_USERS, sharedView, timerIdOf, withRefresh } from './timer-views.js';
import { CARD_BUDGET_BYTES, fitCard } from './fit-card.js';
import { peopleIn, renderCard, summaryOf, type MentionLookup, type MentionTarget } from './render-card.js';

export function cardActivity(content: AdaptiveCard, summary: string): Partial<Activity> {
  return { type: 'message', summary, attachments: [{ contentType: ADAPTIVE_CARD_TYPE, content }] };
}

/** A neutral card as activities that each fit Teams' message size limit (see fit-card.ts). */
export function renderActivities(card: Card, lookup: MentionLookup = () => undefined): Partial<Activity>[] {
  const activity = (c: Card) => cardActivity(renderCard(c, lookup), summaryOf(c));
  const fits = (c: Card) => Buffer.byteLength(JSON.stringify(activity(c))) <= CARD_BUDGET_BYTES;
  return fitCard(card, fits).map(activity);
}

export interface TeamsChatDeps {
  refs: References;
  connector: Connector;
  problems: DeliveryProblems;
  logger: Logger;
  /** Wall clock for how long a listed team roster is reused (Date.now by default). */
  now?: () => number;
  /** Who steers a timer (its group's leader and co-leader): they get the card with the buttons. */
  facilitatorsOfTimer?: (timerId: string) => Promise<UserId[]>;
}

export class TeamsChat implements ChatPort {
  /** During a button's invoke: the card its message was updated to, for the invoke response. */
  private readonly captured = new AsyncLocalStorage<{ messageId: string; card?: AdaptiveCard }>();

  private readonly rosters: Rosters;

  constructor(private readonly deps: TeamsChatDeps) {
    this.rosters = new Rosters(deps.refs, deps.connector, deps.logger, deps.now);
  }

  async post(place: Place, card: Card): Promise<MessageRef> {
    try {
      const ref = await this.sendAll(place, await this.render(card));
      await this.deps.problems.clear(place);
      return ref;
    } catch (error) {
      if (error instanceof TeamsSendError && !error.retryable) {
        await this.deps.problems.record(place, error.code, error.reason);
        this.deps.logger.warn('teams.undeliverable', { place, code: error.reason ?? error.code });
      }
      throw error;
    }
  }

  async update(ref: MessageRef, card: Card): Promise<void> {
    const target = await this.placeRef(ref.place);
    // An updated message stays one message: the bot's updated cards (timer, reminder) are small.
    const [first, ...more] = await this.render(card);
    if (more.length > 0) this.deps.logger.warn('teams.card-too-large', { place: ref.place, count: more.length + 1 });
    const activity = { ...first, id: ref.id };
    const capture = this.captured.getStore();
    // The presser sees their own view at once: for a timer, the card with the buttons they steer by.
    if (capture && capture.messageId === ref.id) capture.card = await this.renderOne(card, 'own');
    await this.deps.connector.call(targetOf(target), (api) =>
      api.updateActivity(target.conversationId, ref.id, activity),
    );
  }

  /** Runs `work` and reports the card message `messageId` was updated to meanwhile, if it was. */
  async capturing(messageId: string, work: () => Promise<void>): Promise<AdaptiveCard | undefined> {
    const capture: { messageId: string; card?: AdaptiveCard } = { messageId };
    await this.captured.run(capture, work);
    return capture.card;
  }

  async ephemeral(): Promise<void> {
    throw new NotSupported('ephemeral');
  }

  async direct(user: UserId, card: Card): Promise<MessageRef> {
    try {
      const ref = await this.toPerson(user, await this.render(card));
      await this.deps.problems.clear(user);
      return ref;
    } catch (error) {
      if (error instanceof TeamsSendError && !error.retryable) {
        await this.deps.problems.record(user, error.code, error.reason);
        this.deps.logger.warn('teams.undeliverable', { user, code: error.reason ?? error.code });
      }
      throw error;
    }
  }

  async userTimeZone(user: UserId): Promise<string | undefined> {
    return (await this.deps.refs.person(user))?.timeZone;
  }

  /**
   * The person with this email or UPN (any case) in a team the bot is installed in, from the
   * team's member list; undefined when no team lists it or no team is known. Throws (retryable)
   * when a team could not be listed.
   */
  async userByEmail(email: string): Promise<UserId | undefined> {
    return this.rosters.userByEmail(email);
  }

  /** Sends a ready activity to a place (forms use it too). */
  async send(place: Place, activity: Partial<Activity>): Promise<MessageRef> {
    const target = await this.placeRef(place);
    const result = await this.deps.connector.call(targetOf(target), (api) =>
      api.sendToConversation(target.conversationId, activity),
    );
    if (!result.id) throw new TeamsSendError('teams_failed');
    return { place, id: result.id };
  }

  /** Replaces a sent message with a ready activity (a re-rendered form). */
  async replace(ref: MessageRef, activity: Partial<Activity>): Promise<void> {
    const target = await this.placeRef(ref.place);
    await this.deps.connector.call(targetOf(target), (api) =>
      api.updateActivity(target.conversationId, ref.id, { ...activity, id: ref.id }),
    );
  }

  /**
   * Sends ready activities, in order, to the person's 1:1 chat (created when there is none). A
   * stored chat Teams answers 404 for (ConversationNotFound: the app was removed and added again,
   * the chat was reset) is created anew and the message sent there once; the new reference
   * replaces the stale one.
   */
  async toPerson(user: UserId, parts: readonly Partial<Activity>[]): Promise<MessageRef> {
    const [first, ...rest] = parts;
    if (!first) throw new TeamsSendError('teams_failed');
    let chat = await this.personalChatOf(user);
    let ref: MessageRef;
    try {
      ref = await this.send(chat.place, first);
    } catch (error) {
      // A chat created just now is not stale: its 404 is the answer.
      if (chat.created || !isGoneConversation(error)) throw error;
      const gone = error as TeamsSendError;
      this.deps.logger.info('teams.personal-chat-renewed', { user, code: gone.reason ?? gone.code });
      await this.deps.refs.forgetPlace(chat.place);
      await this.deps.refs.forgetPersonal(user);
      chat = await this.personalChatOf(user);
      ref = await this.send(chat.place, first);
    }
    for (const part of rest) await this.send(chat.place, part);
    return ref;
  }

  /** The person's 1:1 chat with the bot, created (and remembered) when there is none yet. */
  async personalChat(user: UserId): Promise<Place> {
    return (await this.personalChatOf(user)).place;
  }

  private async personalChatOf(user: UserId): Promise<{ place: Place; created: boolean }> {
    const person = await this.deps.refs.person(user);
    if (!person) throw new NoPersonalChat('teams_unknown_person');
    if (person.personal && (await this.deps.refs.place(person.personal)))
      return { place: person.personal, created: false };
    let created: { id?: string };
    try {
      created = await this.deps.connector.call(
        { serviceUrl: person.serviceUrl, botId: person.botId, paceKey: person.serviceUrl },
        (api) =>
          api.createConversation({
            isGroup: false,
            bot: { id: person.botId, name: 'Balint' },
            members: [{ id: person.memberId, name: '' }],
            tenantId: person.tenant,
            channelData: { tenant: { id: person.tenant } },
          } as Parameters<typeof api.createConversation>[0]),
      );
    } catch (error) {
      // 403/404 on create: the app is not installed for them. Anything else may pass, or is ours.
      if (error instanceof TeamsSendError && (error.code === 'teams_forbidden' || error.code === 'teams_not_found'))
        throw NoPersonalChat.from(error);
      throw error;
    }
    if (!created.id) throw new TeamsSendError('teams_failed');
    const place = placeOf(person.tenant, created.id);
    await this.deps.refs.rememberPlace(place, {
      conversationId: created.id,
      serviceUrl: person.serviceUrl,
      tenant: person.tenant,
      botId: person.botId,
      kind: 'personal',
    });
    await this.deps.refs.rememberPerson(user, { ...person, personal: place });
    return { place, created: true };
  }

  /**
   * The card as one activity, or several in order when one would be over Teams' size limit.
   * A timer card is drawn as its shared view (no steering buttons) unless `view` is 'own', and
   * asks Teams to refresh it for the group's facilitators (see timer-views.ts).
   */
  async render(card: Card, view: 'shared' | 'own' = 'shared'): Promise<Partial<Activity>[]> {
    const timerId = timerIdOf(card);
    const shown = timerId && view === 'shared' ? sharedView(card) : card;
    const people = peopleIn(shown);
    const targets = new Map<UserId, MentionTarget>();
    for (const user of people) {
      const person = await this.deps.refs.person(user);
      if (person?.name) targets.set(user, { id: person.memberId, name: person.name });
    }
    const parts = renderActivities(shown, (u) => targets.get(u));
    const attachment = parts[0]?.attachments?.[0];
    if (!timerId || !attachment) return parts;
    attachment.content = withRefresh(attachment.content as AdaptiveCard, timerId, await this.refreshIds(timerId));
    return parts;
  }

  /** The card as one Adaptive Card (an answer in place of a pressed card, a timer's own view). */
  async renderOne(card: Card, view: 'shared' | 'own' = 'shared'): Promise<AdaptiveCard> {
    const [first] = await this.render(card, view);
    return first?.attachments?.[0]?.content as AdaptiveCard;
  }

  /** The member ids (`29:…`) of a timer's facilitators the bot knows, for `refresh.userIds`. */
  private async refreshIds(timerId: string): Promise<string[]> {
    const ids: string[] = [];
    for (const user of (await this.deps.facilitatorsOfTimer?.(timerId)) ?? []) {
      const person = await this.deps.refs.person(user);
      if (person && ids.length < MAX_REFRESH_USERS) ids.push(person.memberId);
    }
    return ids;
  }

  /** Sends the parts of one card in order; the first part is the message the card is. */
  private async sendAll(place: Place, parts: readonly Partial<Activity>[]): Promise<MessageRef> {
    let first: MessageRef | undefined;
    for (const part of parts) {
      const ref = await this.send(place, part);
      first ??= ref;
    }
    if (!first) throw new TeamsSendError('teams_failed');
    return first;
  }

  private async placeRef(place: Place): Promise<PlaceRef> {
    const ref = await this.deps.refs.place(place);
    if (!ref) throw new TeamsSendError('teams_unknown_place');
    return ref;
  }
}

export const targetOf = (ref: PlaceRef) => ({
  serviceUrl: ref.serviceUrl,
  botId: ref.botId,
  paceKey: ref.conversationId,
});
