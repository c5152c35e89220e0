import { card, ephemeral, facts } from '../core/cards.js';
import { invalid } from '../core/errors.js';
import { splitAtMentions } from './mentions.js';
import { usage, type CommandSpec } from './spec.js';

export const coordinatorAdd: CommandSpec = {
  verb: 'coordinator add',
  args: '<@user>',
  summary: 'Make someone a coordinator.',
  audience: 'coordinator',
  async run(ctx, args) {
    const { before, users, after } = splitAtMentions(ctx, args);
    if (users.length !== 1 || before.length > 0 || after.length > 0) throw invalid(`Mention one person. Usage: ${usage(coordinatorAdd, ctx.prefix)}`);
    const user = users[0] as string;
    const added = await ctx.services.roster.addCoordinator(user, ctx.services.clock.now());
    return [ephemeral(card(facts({ label: added ? 'Now a coordinator' : 'Already a coordinator', value: { users: [user] } })))];
  },
};
