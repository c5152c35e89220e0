// Every call the bot makes to Teams goes through here: paced per conversation, retried by our
// own bounded policy, and made with the connector of the turn in progress when there is one
// (no second client for a reply) or of a proactive turn (`continueConversationAsync`) otherwise.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Activity, CloudAdapter, ConversationParameters, TurnContext } from 'botbuilder';
import { authHealth } from '../platform/auth-health.js';
import { TeamsSendError, toTeamsError } from './errors.js';
import { ConversationPacer, DEFAULT_RETRY, HELD_BY_PACER, withRetry, type RetryPolicy, type Timing } from './pacing.js';

/** The connector operations the bot uses (botframework-connector's `conversations`). */
export interface ConversationsApi {
  sendToConversation(conversationId: string, activity: Partial<Activity>): Promise<{ id?: string }>;
  updateActivity(conversationId: string, activityId: string, activity: Partial<Activity>): Promise<{ id?: string }>;
  createConversation(parameters: ConversationParameters): Promise<{ id?: string }>;
  getConversationMember(
    conversationId: string,
    memberId: string,
  ): Promise<{ id?: string; aadObjectId?: string; name?: string }>;
  /** A page of a team's (or chat's) members; Teams adds email and userPrincipalName to each. */
  getConversationPagedMembers(
    conversationId: string,
    options?: { pageSize?: number; continuationToken?: string },
  ): Promise<{ continuationToken?: string; members?: RosterMember[] }>;
}

/** A member as Teams lists it (botbuilder's TeamsChannelAccount). */
export interface RosterMember {
  id?: string;
  aadObjectId?: string;
  email?: string;
  userPrincipalName?: string;
}

interface ConnectorLike {
  conversations: ConversationsApi;
  /** @azure/core-client's ServiceClient, private in the SDK's types. */
  client?: { pipeline?: { removePolicy(policy: { name: string }): unknown } };
}

function connectorOf(context: TurnContext): ConnectorLike | undefined {
  return context.turnState.get(context.adapter.ConnectorClientKey) as ConnectorLike | undefined;
}

/**
 * The SDK's HTTP pipeline retries 429s itself (three times, sleeping Retry-After each time) and
 * 5xx answers, under our pacing and on top of our retries. We take its retry policy out of every
 * connector the adapter creates, so there is one policy, ours; a test proves it (one 429 = one
 * request more, not four).
 */
export function ownRetries(adapter: CloudAdapter): void {
  adapter.use({
    async onTurn(context, next) {
      connectorOf(context)?.client?.pipeline?.removePolicy({ name: 'defaultRetryPolicy' });
      await next();
    },
  });
}

interface TurnScope {
  serviceUrl: string;
  api: ConversationsApi;
  /**
   * While an invoke is being answered: no call waits (pace, Retry-After, backoff) past this, and
   * none starts after it. Removed when the turn ends, since timers armed inside it inherit the scope.
   */
  deadline?: number;
}

export interface Target {
  serviceUrl: string;
  /** The bot's `28:…` id there. */
  botId: string;
  /** What the per-conversation pace is counted on (a conversation id, or a service URL for creates). */
  paceKey: string;
}

export class Connector {
  private readonly scope = new AsyncLocalStorage<TurnScope>();
  private readonly pacer: ConversationPacer;
  /**
   * Retry-After is a fact about a conversation (or a service, for creates), not about one call:
   * until it has passed, every call there waits or is refused without a request, so reminders,
   * notices and invites wait their turn instead of spending requests on refusals.
   */
  private readonly pausedUntil = new Map<string, number>();

  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
    private readonly timing: Timing,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
  ) {
    this.pacer = new ConversationPacer(timing);
  }

  /**
   * Runs `work` with this turn's connector available to every call made inside it. With
   * `budgetMs` (an invoke, answered only once `work` is done), calls give up waiting when it runs
   * out and fail as throttled, so that what they were for is retried later by its own job.
   */
  async inTurn<T>(context: TurnContext, work: () => Promise<T>, budgetMs?: number): Promise<T> {
    const connector = connectorOf(context);
    if (!connector) return work();
    const scope: TurnScope = { serviceUrl: context.activity.serviceUrl, api: connector.conversations };
    if (budgetMs !== undefined) scope.deadline = this.timing.now() + budgetMs;
    try {
      return await this.scope.run(scope, work);
    } finally {
      delete scope.deadline;
    }
  }

  /**
   * One call, paced and retried. While the bot's credentials are refused (a 401), calls are held
   * back without a request, one a minute going through to see whether they work again.
   */
  async call<T>(target: Target, op: (api: ConversationsApi) => Promise<T>): Promise<T> {
    if (authHealth.shouldHold('teams'))
      throw new TeamsSendError('teams_unauthorized', 401, authHealth.problem('teams'));
    const deadline = this.scope.getStore()?.deadline;
    if (deadline !== undefined && this.timing.now() >= deadline)
      throw new TeamsSendError('teams_throttled', 429, ANSWER_FIRST);
    let result: T;
    try {
      result = await withRetry(
        async () => {
          await this.waitOutPause(target.paceKey, deadline);
          await this.pacer.acquire(target.paceKey, deadline);
          return this.withApi(target, op);
        },
        this.timing,
        this.retry,
        deadline,
      );
    } catch (error) {
      const failure = toTeamsError(error);
      if (failure.credentials) authHealth.failed('teams', failure.code);
      // Only the service's own Retry-After pauses the conversation; our own holds say nothing new.
      if (failure.retryAfterSeconds !== undefined && !HELD_HERE.has(failure.reason ?? ''))
        this.pause(target.paceKey, failure);
      throw failure;
    }
    this.pausedUntil.delete(target.paceKey);
    authHealth.succeeded('teams');
    return result;
  }

  private pause(key: string, failure: TeamsSendError): void {
    const now = this.timing.now();
    // Kept small: entries whose pause is over go first.
    if (this.pausedUntil.size >= MAX_PAUSES)
      for (const [k, until] of this.pausedUntil) if (until <= now) this.pausedUntil.delete(k);
    if (this.pausedUntil.size >= MAX_PAUSES) return;
    this.pausedUntil.set(key, now + (failure.retryAfterSeconds ?? 0) * 1000);
  }

  /** Sleeps out a short pause; refuses at once (a retryable throttle) when it is longer. */
  private async waitOutPause(key: string, deadline?: number): Promise<void> {
    const until = this.pausedUntil.get(key);
    if (until === undefined) return;
    const left = until - this.timing.now();
    if (left <= 0) {
      this.pausedUntil.delete(key);
      return;
    }
    if (left > this.retry.maxWaitMs || (deadline !== undefined && until > deadline))
      throw new TeamsSendError('teams_throttled', 429, PAUSED, Math.ceil(left / 1000));
    await this.timing.sleep(left);
  }

  private async withApi<T>(target: Target, op: (api: ConversationsApi) => Promise<T>): Promise<T> {
    const turn = this.scope.getStore();
    if (turn && sameService(turn.serviceUrl, target.serviceUrl)) return op(turn.api);
    let result: { value: T } | undefined;
    const reference = {
      channelId: 'msteams',
      serviceUrl: target.serviceUrl,
      bot: { id: target.botId, name: 'Balint' },
      conversation: { id: target.paceKey, isGroup: false, conversationType: 'personal', name: '' },
    };
    await this.adapter.continueConversationAsync(this.appId, reference, async (context) => {
      const connector = connectorOf(context);
      if (!connector) throw new Error('no connector in a proactive turn');
      result = { value: await op(connector.conversations) };
    });
    if (!result) throw new Error('proactive turn did not run');
    return result.value;
  }
}

/** The reason of a call refused by us while a Retry-After runs, without a request. */
const PAUSED = 'RetryAfterPending';
/** The reason of a call not made because the invoke it belongs to must be answered now. */
const ANSWER_FIRST = 'InvokeAnswerDue';
const HELD_HERE = new Set([PAUSED, HELD_BY_PACER, ANSWER_FIRST]);
const MAX_PAUSES = 10_000;

const sameService = (a: string, b: string): boolean => a.replace(/\/+$/, '') === b.replace(/\/+$/, '');
