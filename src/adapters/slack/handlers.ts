// What the bot does with each kind of Slack request, as plain functions over the parsed
// payload (listeners.ts wires them to Bolt). Every handler runs after Slack has been answered,
// except a modal submission, whose answer is the verdict on its fields.
import { unescapeSlackText } from './unescape.js';
import type { ClaimOnce } from '../../core/plumbing/claim-once.js';
import type { InFlight } from '../platform/in-flight.js';
import { handleButton } from '../../commands/actions.js';
import type { ButtonSpec } from '../../commands/plumbing/button-spec.js';
import { dispatch } from '../../commands/dispatch.js';
import type { FormSpec } from '../../commands/plumbing/form-spec.js';
import { checkForm, formOptions, reopenForm } from '../../commands/forms.js';
import { ALL_GROUPS, homeCards } from '../../commands/help/home.js';
import { HOME_ACTIONS } from '../../commands/help/home-buttons.js';
import type { CommandSpec, Services } from '../../commands/plumbing/spec.js';
import { card, text, type Form, type Reply } from '../../core/cards.js';
import { deliver } from '../../core/deliver.js';
import type { Place, UserId } from '../../core/plumbing/ids.js';
import { errorCode } from '../../core/plumbing/logger.js';
import type { ChatPort, Logger } from '../../core/ports.js';
import type { SlackClients } from './clients.js';
import { slackCall } from './errors.js';
import { renderHome } from './home-view.js';
import { mentionReader, parseSlackId, slackPlace, slackUser } from './ids.js';
import { readMenuOption } from './blocks.js';
import { errorsByBlock, option, readView, renderModal } from './modal.js';
import { FormAnswerChat } from './form-answer-chat.js';
import type { HomeRefresher } from './home-refresher.js';
import { ReplyChat } from './reply-chat.js';
import type { SeenEvents } from './seen-events.js';
import type { SlackChat } from './slack-chat.js';
import type { TimeZoneCache } from './time-zones.js';

export const REPLY_FAILED =
  'Slack did not accept my answer just now, so that may not have gone through. Please try again in a moment.';
export const FORM_FAILED = 'I could not open the form in time. Please run the command again.';
/** How long an accepted view's id is remembered: far longer than Slack keeps a modal open. */
export const VIEW_CLAIM_TTL_MS = 24 * 60 * 60 * 1000;
/** A modal's trigger lives 3 s: a profile look-up may not hold up opening it for long. */
const TIME_ZONE_WAIT_MS = 500;

export interface SlackHandlers {
  services: Services;
  chat: SlackChat;
  clients: SlackClients;
  timeZones: TimeZoneCache;
  seen: SeenEvents;
  /** Republishes the Homes a change affects. */
  homes: HomeRefresher;
  /**
   * Modals already accepted (team and view id), claimed in the store every instance shares: a
   * second submit of one, to this instance or another, creates nothing.
   */
  submitted: ClaimOnce;
  logger: Logger;
  /** Work acknowledged to Slack and not yet done: a clean stop waits for it. */
  inFlight: InFlight;
  /** The registry's specs unless a test brings its own. */
  commands?: readonly CommandSpec[];
  buttons?: readonly ButtonSpec[];
  forms?: readonly FormSpec[];
}

/** The fields of a slash command we read (Bolt's SlashCommand; every value a string). */
export interface SlashCommand {
  team_id: string;
  channel_id: string;
  user_id: string;
  command: string;
  text: string;
  response_url?: string;
  trigger_id?: string;
}

/** The fields of a block_actions payload we read; real payloads carry many more, and nulls. */
export interface BlockActions {
  team?: { id?: string } | null;
  user: { id: string; team_id?: string };
  channel?: { id?: string } | null;
  container?: { type?: string; channel_id?: string; is_ephemeral?: boolean } | null;
  /** The surface pressed on: the App Home, or an open modal (then with its state and hash). */
  view?: (Parameters<typeof readView>[0] & { type?: string; id?: string; hash?: string }) | null;
  response_url?: string;
  trigger_id?: string;
  actions?: Array<{
    type?: string;
    action_id?: string;
    value?: string;
    selected_option?: { value?: string } | null;
  }>;
}

/** The fields of a block_suggestion payload (an external select asking for options) we read. */
export interface BlockSuggestion {
  team?: { id?: string } | null;
  user: { id: string; team_id?: string };
  action_id?: string;
  block_id?: string;
  value?: string;
  view?: Parameters<typeof readView>[0] | null;
}

export interface ViewSubmission {
  team?: { id?: string } | null;
  user: { id: string; team_id?: string };
  view: Parameters<typeof readView>[0] & { id?: string };
}

async function deliverAnswers(
  h: SlackHandlers,
  chat: ChatPort,
  replies: readonly Reply[],
  actor: UserId,
  place: Place,
  openForm?: (form: Form) => Promise<void>,
): Promise<void> {
  try {
    await deliver(chat, replies, actor, place, openForm);
  } catch (error) {
    h.logger.warn('slack.reply-failed', { actor, place, code: errorCode(error) });
    try {
      await chat.ephemeral(place, actor, card(text(REPLY_FAILED)));
    } catch (again) {
      h.logger.error('slack.reply-failed', { actor, place, code: errorCode(again) });
    }
  }
}

function modalOpener(h: SlackHandlers, chat: ReplyChat, actor: UserId, place: Place, triggerId: string | undefined) {
  return async (form: Form): Promise<void> => {
    try {
      if (!triggerId) throw new Error('no trigger');
      await slackCall(() =>
        h.clients.interactive.views.open({ trigger_id: triggerId, view: renderModal(form, place) }),
      );
    } catch (error) {
      h.logger.warn('slack.form-failed', { actor, place, action: form.formId, code: errorCode(error) });
      await chat.ephemeral(place, actor, card(text(FORM_FAILED)));
    }
  };
}

export async function onCommand(h: SlackHandlers, command: SlashCommand): Promise<void> {
  const team = command.team_id;
  const actor = slackUser(team, command.user_id);
  const place = slackPlace(team, command.channel_id);
  const chat = new ReplyChat(h.chat, actor, place, command.response_url);
  const actorTimeZone = await h.timeZones.zoneWithin(actor, TIME_ZONE_WAIT_MS);
  const replies = await dispatch(
    h.services,
    {
      actor,
      place,
      text: unescapeSlackText(command.text),
      prefix: `${command.command} `,
      mention: mentionReader(team),
      ...(actorTimeZone ? { actorTimeZone } : {}),
    },
    h.commands,
  );
  await deliverAnswers(h, chat, replies, actor, place, modalOpener(h, chat, actor, place, command.trigger_id));
  h.homes.touch(actor);
}

/**
 * Whether the pressed message is seen by the presser alone, so that an answer may take its
 * place: an ephemeral card, or a message in the person's direct messages with the bot. A
 * channel message is never replaced (everyone would see the change).
 */
function pressedIsPrivate(body: BlockActions): boolean {
  if (body.container?.type !== 'message') return false;
  return body.container.is_ephemeral === true || /^D[A-Z0-9]+$/.test(body.container.channel_id ?? '');
}

export async function onButton(h: SlackHandlers, body: BlockActions): Promise<void> {
  // The press's identity comes from the payload consistently: a team that disagrees with the
  // user's own, or no user at all, is refused rather than guessed at.
  const userTeam = (body.user as { team_id?: unknown } | null | undefined)?.team_id;
  const pressTeam = body.team?.id;
  if (
    typeof body.user?.id !== 'string' ||
    (typeof pressTeam === 'string' && typeof userTeam === 'string' && pressTeam !== userTeam) ||
    typeof (pressTeam ?? userTeam) !== 'string'
  ) {
    h.logger.warn('slack.press-refused', { platform: 'slack', code: 'inconsistent_identity' });
    return;
  }
  const team = body.team?.id ?? body.user.team_id ?? '';
  const actor = slackUser(team, body.user.id);
  const channel = body.channel?.id ?? body.container?.channel_id;
  const onHome = body.container?.type === 'view' && body.view?.type === 'home';
  // A press on the App Home has no channel: answers go to the person's direct messages.
  const place = channel ? slackPlace(team, channel) : actor;
  const action = body.actions?.[0];
  if (body.view?.type === 'modal') {
    await onModalAction(h, team, body);
    return;
  }
  // A menu's overflow has one action id; the option chosen names the action and its value.
  const chosen = action?.type === 'overflow' ? readMenuOption(action.selected_option?.value ?? '') : undefined;
  const chat = new ReplyChat(h.chat, actor, place, body.response_url);
  const actorTimeZone = await h.timeZones.zoneWithin(actor, TIME_ZONE_WAIT_MS);
  const replies = await handleButton(
    h.services,
    {
      actionId: chosen?.actionId ?? action?.action_id ?? '',
      value: chosen?.value ?? action?.value ?? action?.selected_option?.value ?? '',
      actor,
      place,
      ...(actorTimeZone ? { actorTimeZone } : {}),
    },
    h.buttons,
  );
  const rest: Reply[] = [];
  const shownByHome: Reply[] = [];
  for (const reply of replies) {
    const inPlace = reply.visibility === 'ephemeral' && reply.replacesPressed === true;
    if (inPlace && onHome) shownByHome.push(reply);
    else if (inPlace && pressedIsPrivate(body) && (await chat.replacePressed(reply.card))) continue;
    else rest.push(reply);
  }
  await deliverAnswers(h, chat, rest, actor, place, modalOpener(h, chat, actor, place, body.trigger_id));
  if (!onHome) {
    h.homes.touch(actor);
    return;
  }
  // A press on the Home is answered by the Home itself, republished; if that fails, by a message.
  h.homes.opened(actor);
  // The group picked stays on the Home until another is picked. Kept for anyone: the Home
  // shows a picked group to coordinators only, so a forged pick shows nothing.
  if (action?.action_id === HOME_ACTIONS.group) {
    const picked = action.selected_option?.value;
    h.homes.focus(actor, picked && picked !== ALL_GROUPS ? picked : undefined);
  }
  if (!(await publishHome(h, team, body.user.id))) await deliverAnswers(h, chat, shownByHome, actor, place);
}

/** The place in a modal's metadata, if it is in the person's own workspace; else their DMs. */
function placeIn(team: string, actor: UserId, read: { place?: Place }): Place {
  return read.place && parseSlackId(read.place)?.team === team ? read.place : actor;
}

/** Reads a person picked in a modal: a Slack user id of this workspace. */
const personIn =
  (team: string) =>
  (id: string): UserId | undefined =>
    /^[UW][A-Z0-9]{1,20}$/.test(id) ? slackUser(team, id) : undefined;

/**
 * A change inside an open modal (a field with `dispatch_action`, such as the schedule form's
 * Repeat): the form is rebuilt for the person and redrawn with views.update, their entries so
 * far kept and the fields that no longer apply hidden. The view's hash makes a redraw based on
 * an older state fail rather than undo a newer one.
 */
async function onModalAction(h: SlackHandlers, team: string, body: BlockActions): Promise<void> {
  const view = body.view;
  if (!view?.id) return;
  const actor = slackUser(team, body.user.id);
  const read = readView(view, personIn(team));
  const place = placeIn(team, actor, read);
  const form = await reopenForm(
    h.services,
    read.formId,
    { actor, place, ...(read.context !== undefined ? { context: read.context } : {}) },
    h.forms,
  );
  if (!form) return;
  try {
    await slackCall(() =>
      h.clients.interactive.views.update({
        view_id: view.id as string,
        ...(view.hash ? { hash: view.hash } : {}),
        view: renderModal(form, place, read.values),
      }),
    );
    h.logger.info('slack.form-redrawn', { actor, action: form.formId });
  } catch (error) {
    h.logger.warn('slack.form-redraw-failed', { actor, action: form.formId, code: errorCode(error) });
  }
}

/**
 * Options for an external select as the person types: the form's own search, filtered by the
 * person's rights. A request that names no form of ours gets none.
 */
export async function onOptions(
  h: SlackHandlers,
  body: BlockSuggestion,
): Promise<{ options: ReturnType<typeof option>[] }> {
  const team = body.team?.id ?? body.user.team_id ?? '';
  const actor = slackUser(team, body.user.id);
  const read = readView(body.view ?? {});
  const found = await formOptions(
    h.services,
    read.formId,
    body.action_id ?? '',
    (body.value ?? '').slice(0, 100),
    { actor, place: placeIn(team, actor, read), ...(read.context !== undefined ? { context: read.context } : {}) },
    h.forms,
  );
  h.logger.info('slack.form-options', { actor, action: read.formId || 'unknown', count: found.length });
  return { options: found.map(option) };
}

/**
 * Judges a submitted modal, writing nothing. Returns the field errors to show in the modal
 * (keyed by block), or, when accepted, the work to do once Slack has been answered: storing
 * what the form asked for and answering the person. A second submission of a view already
 * accepted (a double click, a retry after a slow answer) is closed with nothing done.
 */
export async function onViewSubmission(
  h: SlackHandlers,
  body: ViewSubmission,
): Promise<{ errors: Record<string, string> } | { work: () => Promise<void> }> {
  const team = body.team?.id ?? body.user.team_id ?? '';
  const actor = slackUser(team, body.user.id);
  const read = readView(body.view, personIn(team));
  // The view id alone: a modal updated in place (views.update) keeps its id and changes its hash,
  // and it is the same form however often it changed before it was sent.
  const viewKey = body.view.id ? `slack-view:${team}:${body.view.id}` : undefined;
  const repeat = () => {
    h.logger.info('slack.view-repeat', { actor, action: read.formId });
    return { work: () => Promise.resolve() };
  };
  if (viewKey && (await h.submitted.held(viewKey))) return repeat();
  // The place comes back from our own metadata; one from another workspace is not believed.
  const place = placeIn(team, actor, read);
  const actorTimeZone = await h.timeZones.zoneWithin(actor, TIME_ZONE_WAIT_MS);
  const result = await checkForm(
    h.services,
    {
      formId: read.formId,
      values: read.values,
      actor,
      place,
      ...(read.context !== undefined ? { context: read.context } : {}),
      ...(actorTimeZone ? { actorTimeZone } : {}),
    },
    h.forms,
  );
  if (!result.accepted) return { errors: errorsByBlock(result.errors, read.blockIds) };
  // Claimed under the store's lock: of two copies judged side by side, on one instance or two,
  // one does the work and the other is closed with nothing done.
  if (viewKey && !(await h.submitted.claim(viewKey, Date.now() + VIEW_CLAIM_TTL_MS))) return repeat();
  // No response_url with a modal submission: the ephemeral goes by the Web API, and where it
  // cannot (a conversation without the bot) the answer goes to the person's direct messages.
  const chat = new FormAnswerChat(h.chat, h.logger);
  return {
    work: async () => {
      await deliverAnswers(h, chat, await result.run(), actor, place);
      h.homes.touch(actor);
    },
  };
}

/** Publishes the person's Home as it is now; false when Slack did not take it. */
export async function publishHome(h: SlackHandlers, team: string, user: string): Promise<boolean> {
  const person = slackUser(team, user);
  try {
    const focus = h.homes.focusOf(person);
    const cards = await homeCards(h.services, person, focus ? { focus } : {});
    await slackCall(() => h.clients.interactive.views.publish({ user_id: user, view: renderHome(cards) }));
    h.logger.info('slack.home-published', { user: person });
    return true;
  } catch (error) {
    h.logger.warn('slack.home-failed', { user: person, code: errorCode(error) });
    return false;
  }
}

export async function onHomeOpened(h: SlackHandlers, team: string, user: string): Promise<void> {
  h.homes.opened(slackUser(team, user));
  await publishHome(h, team, user);
}
