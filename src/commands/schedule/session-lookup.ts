// Finds the session a command (or a press, a form) names by id. A session of a group the person
// may not see answers exactly like one that does not exist.
import { invalid, notFound } from '../../core/plumbing/errors.js';
import type { UserId } from '../../core/plumbing/ids.js';
import type { Group } from '../../core/model.js';
import { canSeeGroup } from '../../core/roster.js';
import { SESSION_ID, type Session } from '../../core/schedule/session.js';
import type { CommandContext, Services } from '../plumbing/spec.js';
import { assertMayPlan } from './schedule-access.js';
import type { Token } from '../plumbing/tokens.js';

export async function findVisibleSession(
  ctx: CommandContext,
  token: Token | undefined,
): Promise<{ session: Session; group: Group }> {
  if (!token) throw invalid(`Which session? \`${ctx.prefix}sessions\` lists them with their ids.`);
  const unknown = notFound(
    `I don't see that session. \`${ctx.prefix}sessions\` lists the upcoming ones with their ids.`,
  );
  const id = token.value.toLowerCase();
  if (!SESSION_ID.test(id)) throw unknown;
  const session = await ctx.services.schedule.get(id);
  const group = session && (await ctx.services.roster.getGroup(session.groupId));
  if (!session || !group || !canSeeGroup(ctx.access, group)) throw unknown;
  return { session, group };
}

/** The session behind a press or a form, if `actor` may change it. */
export async function plannedSession(
  services: Services,
  actor: UserId,
  id: string,
): Promise<{ session: Session; group: Group }> {
  const gone = notFound('That session is no longer planned. `/balint sessions` lists the upcoming ones.');
  if (!SESSION_ID.test(id)) throw gone;
  const [session, access] = await Promise.all([services.schedule.get(id), services.roster.access(actor)]);
  const group = session && (await services.roster.getGroup(session.groupId));
  if (!session || !group || !canSeeGroup(access, group)) throw gone;
  assertMayPlan(access, group.id);
  if (session.status !== 'scheduled' || session.start <= services.clock.now()) throw gone;
  return { session, group };
}
