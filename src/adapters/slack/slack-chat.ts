// The core's ChatPort on Slack. Places and people are `slack:<team>:<id>` (ids.ts); a message's
// handle is its channel and `ts`, which chat.update needs to change it in place. A 429's
// Retry-After pauses the whole workspace (RatePauses, shared by every instance): until it has
// passed, posts, direct messages and card updates there are refused without a request, as a
// retryable `rate_limit_pending` carrying the wait, and the job queue holds them till then.
import type { Card } from '../../core/cards.js';
import type { Place, UserId } from '../../core/plumbing/ids.js';
import type { ChatPort, Clock, MessageRef } from '../../core/ports.js';
import type { RatePauses } from '../platform/rate-pauses.js';
import type { SlackClients } from './clients.js';
import { SlackCallError, slackCall } from './errors.js';
import { isPersonId, parseSlackId, slackPlace, slackUser } from './ids.js';
import { renderMessage, unfurlOff } from './blocks.js';
import type { TimeZoneCache } from './time-zones.js';

/** Direct-message channels by person: conversations.open is Tier 3, an invite run needs many. */
const MAX_DM_CHANNELS = 10_000;

function parseId(id: string): { team: string; id: string } {
  const slack = parseSlackId(id);
  if (!slack) throw new SlackCallError('not_a_slack_id', false);
  return slack;
}

/** Why a send to a stopped workspace fails: not retryable, so its jobs end instead of retrying. */
export const WORKSPACE_STOPPED = 'workspace_uninstalled';

/** Why a call was refused without a request: its workspace waits out a Retry-After. */
export const RATE_LIMIT_PENDING = 'rate_limit_pending';

/** The scope a Slack workspace's pauses are kept under: the platform and team of its places. */
export const slackWorkspace = (team: string): string => `slack:${team}`;

export class SlackChat implements ChatPort {
  private readonly dmChannels = new Map<UserId, string>();
  /** Workspaces that uninstalled the app or revoked its token: nothing more is sent there. */
  private readonly stopped = new Set<string>();

  constructor(
    private readonly clients: SlackClients,
    private readonly timeZones: TimeZoneCache,
    private readonly limits?: { pauses: RatePauses; clock: Pick<Clock, 'now'> },
  ) {}

  /** From now on every send to `team` fails at once with WORKSPACE_STOPPED (not retried). */
  stopWorkspace(team: string): void {
    this.stopped.add(team);
  }

  isStopped(team: string): boolean {
    return this.stopped.has(team);
  }

  private parse(id: string): { team: string; id: string } {
    const slack = parseId(id);
    if (this.stopped.has(slack.team)) throw new SlackCallError(WORKSPACE_STOPPED, false);
    return slack;
  }

  async post(place: Place, card: Card): Promise<MessageRef> {
    const { team, id } = this.parse(place);
    // A person as the place (a press on the App Home): their direct messages with the bot.
    if (isPersonId(id)) return this.direct(place, card);
    return this.postTo(team, id, card);
  }

  async update(ref: MessageRef, card: Card): Promise<void> {
    const { team, id: channel } = this.parse(ref.place);
    await this.call(team, () => this.clients.refresh.chat.update({ channel, ts: ref.id, ...renderMessage(card) }));
  }

  async ephemeral(place: Place, user: UserId, card: Card): Promise<void> {
    const { team, id: channel } = this.parse(place);
    if (isPersonId(channel)) {
      await this.direct(user, card);
      return;
    }
    const { id: userId } = this.parse(user);
    // Not held back by a pause: someone is waiting for this answer, and one request to tell
    // them is worth it. Its own 429 still pauses the workspace.
    await this.call(
      team,
      () => this.clients.interactive.chat.postEphemeral({ channel, user: userId, ...renderMessage(card) }),
      false,
    );
  }

  async direct(user: UserId, card: Card): Promise<MessageRef> {
    const { team, id } = this.parse(user);
    const channel = await this.dmChannel(team, user, id);
    return this.postTo(team, channel, card);
  }

  async userTimeZone(user: UserId): Promise<string | undefined> {
    return this.timeZones.zoneOf(user);
  }

  /** The workspace member with this email (scope users:read.email), for rotation imports. */
  async userByEmail(email: string): Promise<UserId | undefined> {
    try {
      const result = await slackCall(() => this.clients.background.users.lookupByEmail({ email }));
      const user = result.user;
      return user?.id && user.team_id && !user.deleted ? slackUser(user.team_id, user.id) : undefined;
    } catch (error) {
      if (error instanceof SlackCallError && error.code === 'users_not_found') return undefined;
      throw error;
    }
  }

  private async postTo(team: string, channel: string, card: Card): Promise<MessageRef> {
    const message = renderMessage(card);
    const result = await this.call(team, () =>
      this.clients.background.chat.postMessage({ channel, ...message, ...unfurlOff(message) }),
    );
    if (!result.ts) throw new SlackCallError('no_ts', true);
    return { place: slackPlace(team, result.channel ?? channel), id: result.ts };
  }

  private async dmChannel(team: string, user: UserId, id: string): Promise<string> {
    const known = this.dmChannels.get(user);
    if (known) return known;
    const result = await this.call(team, () => this.clients.background.conversations.open({ users: id }));
    const channel = result.channel?.id;
    if (!channel) throw new SlackCallError('no_channel', true);
    this.dmChannels.set(user, channel);
    if (this.dmChannels.size > MAX_DM_CHANNELS) this.dmChannels.delete(this.dmChannels.keys().next().value as string);
    return channel;
  }

  /**
   * One Web API call in `team`'s workspace. While a Retry-After runs there it is refused at once
   * (`hold`), without a request; a 429 it meets pauses the workspace for as long as Slack asks.
   */
  private async call<T>(team: string, call: () => Promise<T>, hold = true): Promise<T> {
    const limits = this.limits;
    if (!limits) return slackCall(call);
    const scope = slackWorkspace(team);
    const until = hold ? await limits.pauses.until(scope) : undefined;
    if (until !== undefined) throw new SlackCallError(RATE_LIMIT_PENDING, true, until - limits.clock.now());
    try {
      return await slackCall(call);
    } catch (error) {
      if (error instanceof SlackCallError && error.retryAfterMs !== undefined)
        await limits.pauses.pause(scope, limits.clock.now() + error.retryAfterMs);
      throw error;
    }
  }
}
