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

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function tenantOf(activity: ActivityParties): string | undefined {
  const tenant = activity.conversation?.tenantId ?? activity.channelData?.tenant?.id;
  return tenant && GUID.test(tenant) ? tenant.toLowerCase() : undefined;
}

export function teamsUser(tenant: string, aadObjectId: string | undefined): UserId | undefined {
  if (!aadObjectId || !GUID.test(aadObjectId)) return undefined;
  const id = `teams:${tenant}:${aadObjectId.toLowerCase()}`;
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
