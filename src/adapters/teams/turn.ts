// One Teams turn: remember where the activity came from (first contact), then route it to the
// same dispatcher, button and form handlers every platform uses, and deliver the answers.
// Errors end here as a log line with a code: nothing reaches the SDK's console logging.
import type { Activity, TurnContext } from 'botbuilder';
import { handleButton } from '../../commands/actions.js';
import { dispatch } from '../../commands/dispatch.js';
import { handleForm } from '../../commands/forms.js';
import type { ButtonSpec } from '../../commands/plumbing/button-spec.js';
import type { FormSpec } from '../../commands/plumbing/form-spec.js';
import type { CommandSpec, Services } from '../../commands/plumbing/spec.js';
import { card, heading, replyCard, text, type Form } from '../../core/cards.js';
import { deliver } from '../../core/deliver.js';
import type { Place, UserId } from '../../core/plumbing/ids.js';
import { errorCode } from '../../core/plumbing/logger.js';
import type { ChatPort, Logger, Store } from '../../core/ports.js';
import { isValidZone } from './time-zone.js';
import { ADAPTIVE_CARD_TYPE, type AdaptiveCard } from './adaptive.js';
import { cardActivity, type TeamsChat } from './chat.js';
import type { Connector } from './connector.js';
import { NoPersonalChat, TeamsSendError } from './errors.js';
import { actorOf, channelConversationId, dropReason, placeOf, teamsUser, tenantOf } from './identity.js';
import { readInbound, type Inbound, type MentionedMember } from './inbound.js';
import type { PendingForms } from './pending-forms.js';
import type { PlaceRef, References } from './references.js';
import { renderCard } from './render-card.js';
import { formValues, renderForm } from './render-form.js';
import { TIMER_REFRESH_VERB } from './timer-views.js';
import { timerForOwnView } from './timer-facilitators.js';
import { TurnChat } from './turn-chat.js';
import { firstWelcome, forgetWelcome, welcomeCard } from './welcome.js';

export interface TurnDeps {
  chat: TeamsChat;
  connector: Connector;
  refs: References;
  forms: PendingForms;
  logger: Logger;
  services: () => Services | undefined;
  specs?: TeamsSpecs;
  /** A single-tenant bot's tenant: activities from any other are refused. */
  onlyTenant?: string;
  /** Where the once-per-place welcome is marked. */
  store: Store;
  now: () => number;
}

/** The commands, buttons and forms the bot answers: the registry's unless a test or bench says otherwise. */
export interface TeamsSpecs {
  commands?: readonly CommandSpec[];
  buttons?: readonly ButtonSpec[];
  forms?: readonly FormSpec[];
}

const MESSAGE_TYPE = 'application/vnd.microsoft.activity.message';
const MENTION_NOT_FOUND_HERE =
  "I couldn't find everyone you mentioned in the teams Balint is in. Run this command in your team's channel, with @Balint in front, so I can see who they are.";
const NO_PRIVATE_CHAT =
  "I couldn't send you a private answer: open Balint in your personal chat (Apps → Balint → Add) and try again.";
const PRIVATE_ANSWER_FAILED = "I couldn't deliver my answer just now. Please try again in a moment.";
/**
 * Teams shows an error when an invoke (a card button) is not answered within about 5 s. Calls
 * made while answering one wait (pace, Retry-After, backoff) only within this budget; what does
 * not fit fails as throttled and is retried by its own job (a timer's next tick). The rest of the
 * 5 s covers the one request in flight at the deadline and writing the answer.
 */
export const INVOKE_BUDGET_MS = 3_000;

type InvokeBody = { statusCode: number; type: string; value: AdaptiveCard | string };

interface Turn {
  activity: Activity;
  tenant: string;
  place: Place;
  actor: UserId | undefined;
  timeZone: string | undefined;
}

export function createTurnHandler(deps: TurnDeps): (context: TurnContext) => Promise<void> {
  const { chat, refs, logger } = deps;

  async function remember(turn: Turn, kind: Inbound['kind']): Promise<void> {
    const { activity, tenant, place, actor } = turn;
    const botId = activity.recipient?.id;
    const conversationId = activity.conversation?.id;
    if (!botId || !conversationId || !activity.serviceUrl) return;
    const type = activity.conversation.conversationType;
    const ref: PlaceRef = {
      conversationId: channelConversationId(conversationId),
      serviceUrl: activity.serviceUrl,
      tenant,
      botId,
      kind: type === 'personal' ? 'personal' : type === 'groupChat' ? 'groupChat' : 'channel',
    };
    if (kind === 'bot-removed' || kind === 'uninstalled') await forgetWelcome(deps.store, place);
    if (kind === 'bot-removed' || (kind === 'uninstalled' && ref.kind !== 'personal')) {
      await refs.forgetPlace(place);
      return;
    }
    if (kind === 'uninstalled') {
      await refs.forgetPlace(place);
      if (actor) await refs.forgetPersonal(actor);
      return;
    }
    await refs.rememberPlace(place, ref);
    if (actor && activity.from?.id) {
      await refs.rememberPerson(actor, {
        memberId: activity.from.id,
        serviceUrl: activity.serviceUrl,
        tenant,
        botId,
        ...(ref.kind === 'personal' ? { personal: place } : {}),
        ...(activity.from.name ? { name: activity.from.name } : {}),
        ...(turn.timeZone ? { timeZone: turn.timeZone } : {}),
      });
    }
  }

  /**
   * Where to look a mentioned member up: the conversation itself, or from the personal chat
   * (where nobody else is a member) the channels of the teams the bot is installed in.
   */
  async function lookupPlaces(turn: Turn): Promise<PlaceRef[]> {
    const here = await refs.place(turn.place);
    if (here && here.kind !== 'personal') return [here];
    const seen = new Set<string>();
    return (await refs.channels()).filter(
      (ref) => ref.tenant === turn.tenant && !seen.has(ref.conversationId) && seen.add(ref.conversationId),
    );
  }

  async function lookUpMember(turn: Turn, memberId: string): Promise<UserId | undefined> {
    for (const ref of await lookupPlaces(turn)) {
      try {
        const member = await deps.connector.call(
          { serviceUrl: ref.serviceUrl, botId: ref.botId, paceKey: ref.conversationId },
          (api) => api.getConversationMember(ref.conversationId, memberId),
        );
        const user = teamsUser(turn.tenant, member.aadObjectId);
        if (user) return user;
      } catch (error) {
        // Not a member there (404), or that team is gone: try the next one.
        logger.warn('teams.member-lookup-failed', { place: turn.place, code: errorCode(error) });
      }
    }
    return undefined;
  }

  /** Mentioned people → their UserIds: known members from the store, others from the connector. */
  async function resolveMentions(turn: Turn, mentions: MentionedMember[]): Promise<Map<string, UserId>> {
    const found = new Map<string, UserId>();
    const { activity, tenant } = turn;
    for (const m of mentions) {
      let user = await refs.userByMember(m.memberId);
      if (!user) {
        user = await lookUpMember(turn, m.memberId);
        if (user && activity.serviceUrl && activity.recipient?.id) {
          await refs.rememberPerson(user, {
            memberId: m.memberId,
            serviceUrl: activity.serviceUrl,
            tenant,
            botId: activity.recipient.id,
            ...(m.name ? { name: m.name } : {}),
          });
        }
      }
      if (user) found.set(m.token, user);
    }
    return found;
  }

  async function welcome(turn: Turn): Promise<void> {
    // Teams announces an install twice, as installationUpdate and as conversationUpdate (the
    // bot among membersAdded, also sent when the bot is re-added to a roster): welcome on the first.
    if (turn.activity.type !== 'installationUpdate') return;
    const type = turn.activity.conversation.conversationType;
    // A group chat gets no welcome: the card speaks of teams and personal chats.
    if (type !== 'personal' && type !== 'channel') return;
    if (!(await firstWelcome(deps.store, turn.place, deps.now()))) return;
    await chat.post(turn.place, welcomeCard(type === 'personal' ? 'personal' : 'team'));
  }

  async function openForm(turn: Turn, actor: UserId, form: Form): Promise<void> {
    const key = await deps.forms.open({ form, actor, place: turn.place });
    await chat.toPerson(actor, [cardActivity(renderForm(form, key), form.title)]);
  }

  /**
   * Says a line in the conversation the turn came from. Not in a personal chat: there the
   * failure was that chat's own, and a second message would only spend more requests on it.
   */
  async function sayHere(turn: Turn, line: string): Promise<void> {
    if (turn.activity.conversation.conversationType === 'personal') return;
    try {
      await chat.post(turn.place, card(text(line)));
    } catch (error) {
      logger.warn('teams.notice-undelivered', { place: turn.place, code: errorCode(error) });
    }
  }

  /**
   * Delivers replies. A private answer that cannot go out is said where the person can act on
   * it (`tell`: this conversation, or an invoke's own answer): "open your personal chat" only
   * when there is none and none can be created; for anything else (throttling, an outage, a
   * refusal) "try again in a moment".
   */
  async function deliverAll(
    turn: Turn,
    actor: UserId,
    replies: Parameters<typeof deliver>[1],
    turnChat: ChatPort,
    tell: (line: string) => Promise<void> | void = (line) => sayHere(turn, line),
  ): Promise<void> {
    try {
      await deliver(turnChat, replies, actor, turn.place, (form) => openForm(turn, actor, form));
    } catch (error) {
      if (!(error instanceof TeamsSendError)) throw error;
      logger.warn('teams.reply-undelivered', { place: turn.place, code: error.reason ?? error.code });
      await tell(error instanceof NoPersonalChat ? NO_PRIVATE_CHAT : PRIVATE_ANSWER_FAILED);
    }
  }

  async function onCommand(
    turn: Turn,
    actor: UserId,
    inbound: Extract<Inbound, { kind: 'command' }>,
    services: Services,
  ): Promise<void> {
    const mentions = await resolveMentions(turn, inbound.mentions);
    if (mentions.size < inbound.mentions.length && turn.activity.conversation.conversationType === 'personal') {
      await chat.direct(actor, card(text(MENTION_NOT_FOUND_HERE)));
      return;
    }
    const replies = await dispatch(
      services,
      {
        actor,
        place: turn.place,
        text: inbound.text,
        prefix: inbound.prefix,
        mention: (token) => mentions.get(token),
        ...(turn.timeZone ? { actorTimeZone: turn.timeZone } : {}),
      },
      deps.specs?.commands,
    );
    await deliverAll(turn, actor, replies, chat);
  }

  async function onButton(
    turn: Turn,
    actor: UserId,
    inbound: Extract<Inbound, { kind: 'button' }>,
    services: Services,
  ): Promise<InvokeBody | undefined> {
    const turnChat = new TurnChat(chat, inbound.invoke ? actor : undefined);
    const press = {
      actionId: inbound.actionId,
      value: inbound.value,
      actor,
      place: turn.place,
      ...(turn.timeZone ? { actorTimeZone: turn.timeZone } : {}),
    };
    const messageId = turn.activity.replyToId ?? '';
    let answer: AdaptiveCard | undefined;
    let notice: string | undefined;
    const updated = await chat.capturing(messageId, async () => {
      const replies = await handleButton(services, press, deps.specs?.buttons);
      const inPlace = replies.find((r) => r.visibility === 'ephemeral' && r.replacesPressed === true);
      // The pressed card becomes the answer for the presser alone: an invoke's card response is
      // shown only to them; a plain Action.Submit can only change the message for everyone, so
      // it is changed only in the presser's own 1:1 chat.
      const replaceable =
        inbound.invoke || (messageId !== '' && turn.activity.conversation.conversationType === 'personal');
      if (inPlace && replaceable) answer = await chat.renderOne(replyCard(inPlace));
      await deliverAll(
        turn,
        actor,
        replies.filter((r) => !(answer && r === inPlace)),
        turnChat,
        inbound.invoke ? (line) => void (notice = line) : undefined,
      );
    });
    if (!inbound.invoke) {
      if (answer) await chat.replace({ place: turn.place, id: messageId }, cardActivity(answer, 'Balint'));
      return undefined;
    }
    if (notice !== undefined) return { statusCode: 200, type: MESSAGE_TYPE, value: notice };
    if (answer) return { statusCode: 200, type: ADAPTIVE_CARD_TYPE, value: answer };
    if (turnChat.message !== undefined) return { statusCode: 200, type: MESSAGE_TYPE, value: turnChat.message };
    return updated
      ? { statusCode: 200, type: ADAPTIVE_CARD_TYPE, value: updated }
      : { statusCode: 200, type: MESSAGE_TYPE, value: 'Done.' };
  }

  async function onForm(
    turn: Turn,
    actor: UserId,
    inbound: Extract<Inbound, { kind: 'form' }>,
    services: Services,
  ): Promise<InvokeBody | undefined> {
    const pending = await deps.forms.get(inbound.formKey);
    const answer = async (content: AdaptiveCard | string): Promise<InvokeBody | undefined> => {
      if (inbound.invoke)
        return typeof content === 'string'
          ? { statusCode: 200, type: MESSAGE_TYPE, value: content }
          : { statusCode: 200, type: ADAPTIVE_CARD_TYPE, value: content };
      if (typeof content === 'string') await chat.direct(actor, card(text(content)));
      else if (turn.activity.replyToId)
        await chat.replace({ place: turn.place, id: turn.activity.replyToId }, cardActivity(content, 'Balint'));
      return undefined;
    };
    // A form belongs to the person it was sent to; anyone else's submission changes nothing.
    if (!pending || pending.actor !== actor) return answer('This form is no longer in use. Please start again.');
    const values = formValues(pending.form, inbound.data, (aad) => teamsUser(turn.tenant, aad));
    const result = await handleForm(
      services,
      {
        formId: pending.form.formId,
        values,
        ...(pending.form.context !== undefined ? { context: pending.form.context } : {}),
        actor,
        place: pending.place,
        ...(turn.timeZone ? { actorTimeZone: turn.timeZone } : {}),
      },
      deps.specs?.forms,
    );
    if (!result.accepted) return answer(renderForm(pending.form, inbound.formKey, { values, errors: result.errors }));
    await deps.forms.close(inbound.formKey);
    let notice: string | undefined;
    await deliverAll({ ...turn, place: pending.place }, actor, result.replies, chat, (line) => void (notice = line));
    if (notice !== undefined) return answer(notice);
    // Names nobody: no mentions to look up.
    return answer(renderCard(card(heading(pending.form.title), text('Sent. Thank you.'))));
  }

  /**
   * A timer card's automatic refresh: its own view (with the steering buttons) for someone who
   * may steer it, the shared view for anyone else; any other card stays as it is.
   */
  async function onRefresh(
    actor: UserId,
    inbound: Extract<Inbound, { kind: 'refresh' }>,
    services: Services,
  ): Promise<InvokeBody> {
    const unchanged: InvokeBody = { statusCode: 200, type: MESSAGE_TYPE, value: '' };
    if (inbound.verb !== TIMER_REFRESH_VERB) return unchanged;
    const timer = await services.timers.get(inbound.value);
    if (!timer) return unchanged;
    const own = await timerForOwnView(services, actor, timer.id);
    const value = await chat.renderOne(services.timers.card(timer), own ? 'own' : 'shared');
    return { statusCode: 200, type: ADAPTIVE_CARD_TYPE, value };
  }

  async function route(turn: Turn, inbound: Inbound): Promise<InvokeBody | undefined> {
    const services = deps.services();
    if (!services) return undefined;
    if (!turn.actor) {
      // Bots and activities without an AAD object id: nobody the bot could answer as a person.
      if (inbound.kind !== 'ignored')
        logger.warn('teams.dropped', { place: turn.place, action: inbound.kind, code: 'no_user' });
      return undefined;
    }
    switch (inbound.kind) {
      case 'command':
        await onCommand(turn, turn.actor, inbound, services);
        return undefined;
      case 'button':
        return onButton(turn, turn.actor, inbound, services);
      case 'form':
        return onForm(turn, turn.actor, inbound, services);
      case 'refresh':
        return onRefresh(turn.actor, inbound, services);
      case 'installed':
        await welcome(turn);
        return undefined;
      default:
        return undefined;
    }
  }

  return async (context) => {
    const activity = context.activity;
    const tenant = tenantOf(activity);
    const inbound = readInbound(activity);
    const dropped =
      dropReason(activity) ?? (deps.onlyTenant && tenant !== deps.onlyTenant ? 'other_tenant' : undefined);
    if (!tenant || !activity.conversation?.id || dropped) {
      // Warn: a bot that silently answers nothing is the hardest thing to set up.
      logger.warn('teams.dropped', { action: activity.type ?? 'unknown', code: dropped ?? 'no_tenant' });
      return;
    }
    const zone =
      typeof activity.localTimezone === 'string' && isValidZone(activity.localTimezone)
        ? activity.localTimezone
        : undefined;
    const turn: Turn = {
      activity,
      tenant,
      place: placeOf(tenant, activity.conversation.id),
      actor: actorOf(activity),
      timeZone: zone,
    };
    const started = Date.now();
    let body: InvokeBody | undefined;
    try {
      body = await deps.connector.inTurn(
        context,
        async () => {
          await remember(turn, inbound.kind);
          return route(turn, inbound);
        },
        activity.type === 'invoke' ? INVOKE_BUDGET_MS : undefined,
      );
    } catch (error) {
      logger.error('teams.turn-failed', { place: turn.place, action: inbound.kind, code: errorCode(error) });
      if (inbound.kind === 'button' || inbound.kind === 'form')
        body = {
          statusCode: 200,
          type: MESSAGE_TYPE,
          value: 'Something went wrong on my side. Please try again in a moment.',
        };
    }
    if (activity.type === 'invoke') {
      await context.sendActivity({
        type: 'invokeResponse',
        value: { status: 200, body: body ?? { statusCode: 200, type: MESSAGE_TYPE, value: '' } },
      });
    }
    logger.debug('teams.turn', { place: turn.place, action: inbound.kind, durationMs: Date.now() - started });
  };
}
