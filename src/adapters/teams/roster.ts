// Finding a Teams person by email: the members of the teams the bot is installed in, listed
// through the connector (GET /v3/conversations/{id}/pagedmembers) from the stored channel
// references. A roster is kept in memory briefly, so an import of many emails lists each team
// once; it holds hashes of the emails, never the emails themselves, and nothing is stored.
import { createHash } from 'node:crypto';
import type { UserId } from '../../core/plumbing/ids.js';
import type { Logger } from '../../core/ports.js';
import type { Connector } from './connector.js';
import { TeamsSendError } from './errors.js';
import { teamsUser } from './identity.js';
import type { PlaceRef, References } from './references.js';

/** How long a listed roster answers before the team is listed again. */
export const ROSTER_TTL_MS = 5 * 60_000;
/** Rosters kept at once; the oldest goes first. */
const MAX_ROSTERS = 50;
/** The largest page Teams gives. */
const PAGE_SIZE = 500;
/** A team has at most 25,000 members: 50 pages of 500. */
const MAX_PAGES = 60;

interface Roster {
  at: number;
  /** sha256 of the lower-cased email or UPN → the person. */
  byEmail: Map<string, UserId>;
}

const hashOf = (email: string): string => createHash('sha256').update(email.trim().toLowerCase()).digest('hex');

export class Rosters {
  private readonly rosters = new Map<string, Promise<Roster>>();

  constructor(
    private readonly refs: References,
    private readonly connector: Connector,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** The person with this email in any team the bot is in; throws when a team could not be listed. */
  async userByEmail(email: string): Promise<UserId | undefined> {
    const wanted = hashOf(email);
    for (const ref of await this.refs.channels()) {
      let roster: Roster;
      try {
        roster = await this.roster(ref);
      } catch (error) {
        // A team the bot was removed from (403/404) knows nobody; anything else is asked again later.
        if (error instanceof TeamsSendError && !error.retryable) {
          this.logger.warn('teams.roster_unavailable', { platform: 'teams', code: error.reason ?? error.code });
          continue;
        }
        throw error;
      }
      const user = roster.byEmail.get(wanted);
      if (user) return user;
    }
    return undefined;
  }

  private roster(ref: PlaceRef): Promise<Roster> {
    const key = `${ref.serviceUrl} ${ref.conversationId}`;
    const cached = this.rosters.get(key);
    // A roster being listed is shared; a listed one answers until it is older than the TTL.
    if (cached) return cached.then((r) => (this.now() - r.at < ROSTER_TTL_MS ? r : this.list(key, ref)));
    return this.list(key, ref);
  }

  private list(key: string, ref: PlaceRef): Promise<Roster> {
    const listing = this.fetch(ref);
    this.rosters.delete(key);
    this.rosters.set(key, listing);
    while (this.rosters.size > MAX_ROSTERS) this.rosters.delete(this.rosters.keys().next().value as string);
    listing.catch(() => {
      if (this.rosters.get(key) === listing) this.rosters.delete(key);
    });
    return listing;
  }

  private async fetch(ref: PlaceRef): Promise<Roster> {
    const byEmail = new Map<string, UserId>();
    const target = { serviceUrl: ref.serviceUrl, botId: ref.botId, paceKey: ref.conversationId };
    let continuationToken: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const token = continuationToken;
      const result = await this.connector.call(target, (api) =>
        api.getConversationPagedMembers(ref.conversationId, {
          pageSize: PAGE_SIZE,
          ...(token ? { continuationToken: token } : {}),
        }),
      );
      for (const member of result.members ?? []) {
        const user = teamsUser(ref.tenant, member.aadObjectId);
        if (!user) continue;
        for (const address of [member.email, member.userPrincipalName]) {
          if (typeof address === 'string' && address.includes('@')) byEmail.set(hashOf(address), user);
        }
      }
      continuationToken = result.continuationToken || undefined;
      if (!continuationToken) break;
    }
    return { at: this.now(), byEmail };
  }
}
