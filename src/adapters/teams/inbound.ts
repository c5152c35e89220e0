// What an incoming activity asks of the bot, read tolerantly: a typed command, a button press
// (Action.Execute invoke or Action.Submit message), a form submission, or an installation
// or membership change. Nothing here is logged: text and values may be anything.
import { TurnContext, type Activity } from 'botbuilder';
import { FORM_VERB } from './render-form.js';

export const BOT_PREFIX = '@Balint ';

export interface MentionedMember {
  /** The token that stands for the mention in `text` (`@m1`). */
  token: string;
  memberId: string;
  name?: string;
}

export type Inbound =
  | { kind: 'command'; text: string; prefix: string; mentions: MentionedMember[] }
  | { kind: 'button'; actionId: string; value: string; invoke: boolean }
  | { kind: 'form'; formKey: string; data: Record<string, unknown>; invoke: boolean }
  | { kind: 'installed' }
  | { kind: 'uninstalled' }
  | { kind: 'bot-removed' }
  /** Teams asking for the presser's own view of a card (`refresh`, trigger automatic). */
  | { kind: 'refresh'; verb: string; value: string }
  | { kind: 'ignored' };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** A button's or form's data: `{verb, value, …inputs}` (see adaptive.ts's ActionData). */
function fromData(data: Record<string, unknown>, verb: string | undefined, invoke: boolean): Inbound {
  const route = verb ?? str(data.verb);
  const value = str(data.value) ?? '';
  if (!route) return { kind: 'ignored' };
  if (route === FORM_VERB) return { kind: 'form', formKey: value, data, invoke };
  return { kind: 'button', actionId: route, value, invoke };
}

/** Replaces each person mentioned (other than the bot) by a token the command grammar reads as a mention. */
function tokenizeMentions(activity: Partial<Activity>, text: string): { text: string; mentions: MentionedMember[] } {
  const mentions: MentionedMember[] = [];
  let out = text;
  for (const entity of activity.entities ?? []) {
    if (entity.type !== 'mention' || !isRecord(entity.mentioned)) continue;
    const memberId = str(entity.mentioned.id);
    const tag = str(entity.text);
    if (!memberId || !tag || memberId === activity.recipient?.id || !out.includes(tag)) continue;
    const token = `@m${mentions.length + 1}`;
    out = out.replace(tag, ` ${token} `);
    const name = str(entity.mentioned.name);
    mentions.push({ token, memberId, ...(name ? { name } : {}) });
  }
  return { text: out, mentions };
}

function command(activity: Activity): Inbound {
  const personal = activity.conversation?.conversationType === 'personal';
  // In channels and group chats the bot hears only messages that @mention it; in the personal
  // chat people @mention it out of habit. Either way the mention is not part of the command.
  const raw = TurnContext.removeRecipientMention(activity) ?? activity.text ?? '';
  const { text, mentions } = tokenizeMentions(activity, raw.replace(/&nbsp;/g, ' '));
  // Someone used to Slack may type the slash command, and `@Balint` typed as plain text (not
  // picked as a mention) means the bot too.
  const cleaned = text
    .replace(/^\s*[/@]?balint\b/i, '')
    .replace(/\s+/g, ' ')
    .trim();
  return { kind: 'command', text: cleaned, prefix: personal ? '' : BOT_PREFIX, mentions };
}

export function readInbound(activity: Activity): Inbound {
  switch (activity.type) {
    case 'message':
      // An Action.Submit press arrives as a message with no text and the action's data as `value`.
      if (isRecord(activity.value)) return fromData(activity.value, undefined, false);
      return typeof activity.text === 'string' && activity.text.trim() !== '' ? command(activity) : { kind: 'ignored' };
    case 'invoke': {
      if (activity.name !== 'adaptiveCard/action' || !isRecord(activity.value)) return { kind: 'ignored' };
      const action = isRecord(activity.value.action) ? activity.value.action : {};
      if (activity.value.trigger === 'automatic') {
        const data = isRecord(action.data) ? action.data : {};
        return { kind: 'refresh', verb: str(action.verb) ?? str(data.verb) ?? '', value: str(data.value) ?? '' };
      }
      return fromData(isRecord(action.data) ? action.data : {}, str(action.verb), true);
    }
    case 'installationUpdate': {
      const action = str((activity as { action?: unknown }).action) ?? '';
      return action.startsWith('remove') ? { kind: 'uninstalled' } : { kind: 'installed' };
    }
    case 'conversationUpdate': {
      const botId = activity.recipient?.id;
      if ((activity.membersRemoved ?? []).some((m) => m.id === botId)) return { kind: 'bot-removed' };
      if ((activity.membersAdded ?? []).some((m) => m.id === botId)) return { kind: 'installed' };
      return { kind: 'ignored' };
    }
    default:
      return { kind: 'ignored' };
  }
}
