// An authenticated activity is acted on once, even when it arrives twice (the channel's
// redelivery, a replay of a captured request within its token's life, or one request reaching
// several instances): its id, with its conversation's, is claimed in the shared store before the
// turn runs. A repeat is answered as harmlessly as the platform allows (an invoke gets an empty
// 200 answer) and logged `teams.replay-ignored`. The guard runs inside the adapter's turn, so
// only an activity whose token checked out can claim anything.
import type { TurnContext } from 'botbuilder';
import type { ClaimOnce } from '../../core/plumbing/claim-once.js';
import type { Logger } from '../../core/ports.js';

/**
 * How long an activity id is held: a Bot Framework token lives up to an hour, and the SDK
 * allows five minutes of clock skew; a little more for instances whose clocks differ.
 */
export const ACTIVITY_CLAIM_MS = 70 * 60_000;

const EMPTY_INVOKE_ANSWER = {
  status: 200,
  body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: '' },
};

export function onceOnly(
  logic: (context: TurnContext) => Promise<void>,
  claims: ClaimOnce,
  now: () => number,
  logger: Logger,
): (context: TurnContext) => Promise<void> {
  return async (context) => {
    const { id, conversation, type } = context.activity;
    // Without an id there is nothing to know it by again (the channel always sends one).
    if (typeof id === 'string' && id !== '') {
      const first = await claims.claim(`teams:${conversation.id}|${id}`, now() + ACTIVITY_CLAIM_MS);
      if (!first) {
        logger.info('teams.replay-ignored', { platform: 'teams', action: type ?? 'unknown' });
        if (type === 'invoke') await context.sendActivity({ type: 'invokeResponse', value: EMPTY_INVOKE_ANSWER });
        return;
      }
    }
    await logic(context);
  };
}
