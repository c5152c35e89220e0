// Finds the session a command names by id. A session of a group the person may not see
// answers exactly like one that does not exist.
import { invalid, notFound } from '../../core/plumbing/errors.js';
import type { Group } from '../../core/model.js';
import { canSeeGroup } from '../../core/roster.js';
import { SESSION_ID, type Session } from '../../core/schedule/session.js';
import type { CommandContext } from '../plumbing/spec.js';
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
