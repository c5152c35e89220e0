// Strict at the door: a signed payload must carry, with the right types, every field the
// handlers read, or it is refused (400) before Bolt routes it. Without this a command missing
// user_id ran as the user `undefined`, a press with `user: null` or a submission without a view
// threw inside Bolt (500), and some shapes hung until Bolt's 3-second fallback (404).
// Cheap checks of types only: what the values mean is the handlers' business.

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const absentOr = (v: unknown, check: (v: unknown) => boolean): boolean => v === undefined || v === null || check(v);

/** The user who acted, and a workspace from `team.id` or `user.team_id`. */
function actorIsWellFormed(body: Json): boolean {
  const user = body.user;
  if (!isObject(user) || !isString(user.id) || !absentOr(user.team_id, isString)) return false;
  if (!absentOr(body.team, (t) => isObject(t) && absentOr(t.id, isString))) return false;
  return isString((body.team as Json | null | undefined)?.id) || isString(user.team_id);
}

function viewIsWellFormed(view: unknown): boolean {
  if (!isObject(view)) return false;
  for (const field of ['id', 'callback_id', 'private_metadata', 'type'])
    if (!absentOr(view[field], isString)) return false;
  if (!absentOr(view.blocks, (b) => Array.isArray(b) && b.every(isObject))) return false;
  return absentOr(
    view.state,
    (s) => isObject(s) && absentOr(s.values, (v) => isObject(v) && Object.values(v).every(isObject)),
  );
}

function actionsAreWellFormed(actions: unknown): boolean {
  return (
    Array.isArray(actions) &&
    actions.every(
      (a) =>
        isObject(a) &&
        absentOr(a.action_id, isString) &&
        absentOr(a.value, isString) &&
        absentOr(a.selected_option, (o) => isObject(o) && absentOr(o.value, isString)),
    )
  );
}

function eventIsWellFormed(body: Json): boolean {
  const event = body.event;
  if (!isString(body.team_id) || !isString(body.event_id) || !isObject(event) || !isString(event.type)) return false;
  if (event.type === 'app_home_opened') return isString(event.user) && absentOr(event.tab, isString);
  if (event.type === 'tokens_revoked')
    return isObject(event.tokens) && absentOr(event.tokens.bot, (b) => Array.isArray(b));
  return true;
}

/** Form fields of a slash command: all strings (a repeated field arrives as an array). */
const COMMAND_FIELDS = ['team_id', 'channel_id', 'user_id', 'command', 'text'] as const;

/**
 * Undefined when the parsed body (a slash command's form, an interactivity payload, an event)
 * is well-formed for what the bot reads of it; otherwise the part that is not, as a word for the log.
 */
export function malformedPart(body: unknown): string | undefined {
  if (!isObject(body)) return 'body';
  if (body.command !== undefined) return COMMAND_FIELDS.find((f) => !isString(body[f]));
  if (!isString(body.type)) return 'type';
  switch (body.type) {
    case 'url_verification':
      return isString(body.challenge) ? undefined : 'challenge';
    case 'event_callback':
      return eventIsWellFormed(body) ? undefined : 'event';
    case 'block_actions':
      if (!actorIsWellFormed(body)) return 'user';
      return actionsAreWellFormed(body.actions) ? undefined : 'actions';
    case 'view_submission':
    case 'view_closed':
      if (!actorIsWellFormed(body)) return 'user';
      return viewIsWellFormed(body.view) ? undefined : 'view';
    default:
      // Kinds the bot does not listen to (shortcuts, suggestions): nothing of them is read.
      return undefined;
  }
}
