// `group add` and `group remove`. `group add` with nothing after it opens the form
// (group-add-form.ts); typed, it takes the group, the mentions and the role.
import { card, ephemeral, facts, heading, type Fact } from '../../core/cards.js';
import { invalid } from '../../core/plumbing/errors.js';
import { GROUP_ROLES, isOneOf, type GroupRole } from '../../core/model.js';
import { addedReply } from './added-reply.js';
import { groupAddReply } from './group-add-form.js';
import { findVisibleGroup } from '../plumbing/group-lookup.js';
import { splitAtMentions } from '../plumbing/mentions.js';
import { usage, type CommandSpec } from '../plumbing/spec.js';
import { isKeyword } from '../plumbing/tokens.js';

export const groupAdd: CommandSpec = {
  verb: 'group add',
  args: '<group> <@user…> [as leader|co-leader|member]',
  summary: 'Add people to a group, or change their role.',
  audience: 'coordinator',
  async run(ctx, args) {
    if (args.length === 0) return [await groupAddReply(ctx.services, usage(groupAdd, ctx.prefix))];
    const { before, users, after } = splitAtMentions(ctx, args);
    if (users.length === 0) throw invalid(`Mention the people to add. Usage: ${usage(groupAdd, ctx.prefix)}`);
    let role: GroupRole = 'member';
    if (after.length > 0) {
      const roleWord = after[1]?.value.toLowerCase() ?? '';
      if (after.length !== 2 || !isKeyword(after[0], 'as') || !isOneOf(GROUP_ROLES, roleWord)) {
        throw invalid(
          `The role goes last, as \`as leader\`, \`as co-leader\` or \`as member\`. Usage: ${usage(groupAdd, ctx.prefix)}`,
        );
      }
      role = roleWord;
    }
    const group = await findVisibleGroup(ctx, before);
    return [addedReply(group, role, await ctx.services.roster.addMembers(group.id, users, role))];
  },
};

export const groupRemove: CommandSpec = {
  verb: 'group remove',
  args: '<group> <@user…>',
  summary: 'Take people out of a group.',
  audience: 'coordinator',
  async run(ctx, args) {
    const { before, users, after } = splitAtMentions(ctx, args);
    if (users.length === 0 || after.length > 0)
      throw invalid(`Mention the people to remove. Usage: ${usage(groupRemove, ctx.prefix)}`);
    const group = await findVisibleGroup(ctx, before);
    const { removed, absent } = await ctx.services.roster.removeMembers(group.id, users);
    const lines: Fact[] = [];
    if (removed.length) lines.push({ label: 'Removed', value: { users: removed } });
    if (absent.length) lines.push({ label: 'Not in the group', value: { users: absent } });
    return [ephemeral(card(heading(group.name), facts(...lines)))];
  },
};
