import { card, ephemeral, facts } from '../../core/cards.js';
import { oneMention } from '../plumbing/mentions.js';
import type { CommandSpec } from '../plumbing/spec.js';

export const coordinatorAdd: CommandSpec = {
  verb: 'coordinator add',
  args: '<@user>',
  summary: 'Make someone a coordinator.',
  audience: 'coordinator',
  async run(ctx, args) {
    const user = oneMention(ctx, args, coordinatorAdd);
    const added = await ctx.services.roster.addCoordinator(user, ctx.services.clock.now());
    return [
      ephemeral(
        card(facts({ label: added ? 'Now a coordinator' : 'Already a coordinator', value: { users: [user] } })),
      ),
    ];
  },
};
