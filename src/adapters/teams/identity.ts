// How Teams people and conversations become the bot's self-describing ids. People are
// `teams:<tenant>:<aad object id>` (stable across bots and chats; the `29:…` id is per bot).
// A conversation id holds ':' and ';' and is long, so a place is a short hash of it:
// `teams:<tenant>:c<16 hex>`; the stored reference maps it back (see references.ts).
import { createHash } from 'node:crypto';
import { isUserId, type Place, type UserId } from '../../core/plumbing/ids.js';

/** The parts of an activity the bot reads; the SDK's Activity type has them all. */
export interface ActivityParties {
  from?: { id?: string; aadObjectId?: string };
  conversation?: { id?: string; tenantId?: string; conversationType?: string };
  channelData?: { tenant?: { id?: string } };
}

/**
 * Teams sends GUIDs, but the Agents Playground's defaults are not (`00000000-…-0000000000001`,
 * 13 digits in the last group), and other test clients send other shapes. What the ids must
 * be is what keeps them safe inside ours: no ':' (our separator), nothing that is not a plain
 * id character, and a sane length.
 */
const ID_PART = /^[A-Za-z0-9._-]{1,64}$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A GUID in any case is one id: written in lower case. Other shapes are kept as they came. */
export const canonicalId = (id: string): string => (GUID.test(id) ? id.toLowerCase() : id);

export const isIdPart = (value: string): boolean => ID_PART.test(value);

/** Why an activity is not one the bot can act on, as a reason code for the log. */
export type DropReason = 'no_tenant' | 'bad_tenant' | 'no_conversation';

export function tenantOf(activity: ActivityParties): string | undefined {
  const tenant = activity.conversation?.tenantId ?? activity.channelData?.tenant?.id;
  return tenant && ID_PART.test(tenant) ? canonicalId(tenant) : undefined;
}

/** The reason an activity has no usable tenant or conversation, or undefined when it has both. */
export function dropReason(activity: ActivityParties): DropReason | undefined {
  const tenant = activity.conversation?.tenantId ?? activity.channelData?.tenant?.id;
  if (!tenant) return 'no_tenant';
  if (!ID_PART.test(tenant)) return 'bad_tenant';
  return activity.conversation?.id ? undefined : 'no_conversation';
}

export function teamsUser(tenant: string, aadObjectId: string | undefined): UserId | undefined {
  if (!aadObjectId || !ID_PART.test(aadObjectId)) return undefined;
  const id = `teams:${tenant}:${canonicalId(aadObjectId)}`;
  return isUserId(id) ? id : undefined;
}

/** The person who sent the activity, or undefined (a bot, or an activity without an AAD id). */
export function actorOf(activity: ActivityParties): UserId | undefined {
  const tenant = tenantOf(activity);
  return tenant ? teamsUser(tenant, activity.from?.aadObjectId) : undefined;
}

/**
 * A channel message's conversation id names its thread (`…;messageid=<root>`); the place is
 * the channel itself, so a timer started in any thread of a channel is that channel's timer.
 */
export function channelConversationId(conversationId: string): string {
  const cut = conversationId.indexOf(';messageid=');
  return cut < 0 ? conversationId : conversationId.slice(0, cut);
}

export function placeOf(tenant: string, conversationId: string): Place {
  const hash = createHash('sha256').update(channelConversationId(conversationId)).digest('hex').slice(0, 16);
  return `teams:${tenant}:c${hash}`;
}

const PLACE = /^teams:[A-Za-z0-9._-]{1,64}:c[0-9a-f]{16}$/;
export const isTeamsPlace = (value: string): boolean => PLACE.test(value);

/** `teams:<tenant>:<aad>` → its tenant and AAD object id. */
export function splitUser(user: UserId): { tenant: string; aadObjectId: string } | undefined {
  const [platform, tenant, aad, extra] = user.split(':');
  return platform === 'teams' && tenant && aad && extra === undefined && ID_PART.test(tenant) && ID_PART.test(aad)
    ? { tenant, aadObjectId: aad }
    : undefined;
}
