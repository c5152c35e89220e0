// Finds the group a command names. A group the person may not see answers exactly like a
// group that does not exist, so membership and even existence stay private.
import { invalid, notFound } from '../../core/plumbing/errors.js';
import type { Group } from '../../core/model.js';
import { canSeeGroup } from '../../core/roster.js';
import type { CommandContext } from './spec.js';
import { joinWords, type Token } from './tokens.js';

export async function findVisibleGroup(ctx: CommandContext, words: Token[]): Promise<Group> {
  if (words.length === 0) throw invalid(`Which group? Name it, or see \`${ctx.prefix}groups\`.`);
  const group = await ctx.services.roster.findGroup(joinWords(words));
  if (!group || !canSeeGroup(ctx.access, group)) {
    throw notFound(`I don't see a group by that name. \`${ctx.prefix}groups\` lists the ones you can see.`);
  }
  return group;
}
