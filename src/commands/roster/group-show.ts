import { count } from '../../core/plumbing/plural.js';
import { card, context, ephemeral, facts, heading, text, type Block } from '../../core/cards.js';
import { invalid } from '../../core/plumbing/errors.js';
import { PROGRAM_NAMES, type Group } from '../../core/model.js';
import { findVisibleGroup } from '../plumbing/group-lookup.js';
import type { CommandSpec } from '../plumbing/spec.js';

const byRole = (group: Group, role: string) => group.members.filter((m) => m.role === role).map((m) => m.user);

export const groupShow: CommandSpec = {
  verb: 'group show',
  args: '<group>',
  summary: "Show a group's facilitators, members and settings (for its own people and coordinators).",
  audience: 'member',
  async run(ctx, args) {
    const group = await findVisibleGroup(ctx, args);
    return [
      ephemeral(
        card(
          heading(group.name),
          facts(
            { label: 'Program', value: group.program ? PROGRAM_NAMES[group.program] : 'not set' },
            { label: 'Time zone', value: group.timeZone },
            { label: 'Session', value: `${group.preset} minutes` },
            { label: 'Push back online', value: group.pushBackMode },
            { label: 'Pacing', value: group.pacing ?? 'led' },
            { label: 'Leader', value: { users: byRole(group, 'leader') } },
            { label: 'Co-leader', value: { users: byRole(group, 'co-leader') } },
            { label: 'Members', value: { users: byRole(group, 'member') } },
          ),
          context('Membership is shown only to this group, its facilitators and coordinators.'),
        ),
      ),
    ];
  },
};

export const groupsList: CommandSpec = {
  verb: 'groups',
  args: '',
  summary: 'List the groups you can see (coordinators see all).',
  audience: 'anyone',
  async run(ctx, args) {
    if (args.length > 0) throw invalid(`\`${ctx.prefix}groups\` takes nothing after it.`);
    const all = await ctx.services.roster.groups();
    const visible = all.filter((g) => ctx.access.coordinator || ctx.access.roles.has(g.id));
    const blocks: Block[] = [heading(ctx.access.coordinator ? 'All groups' : 'Your groups')];
    if (visible.length === 0) {
      blocks.push(
        text(
          ctx.access.coordinator
            ? `No groups yet. Create one with \`${ctx.prefix}group create\`.`
            : 'You are not in a group yet. Your coordinator adds you.',
        ),
      );
    } else {
      blocks.push(
        facts(
          ...visible.map((g) => ({
            label: g.name,
            value: [
              g.program ?? 'no program',
              count(g.members.length, 'person', 'people'),
              ctx.access.roles.get(g.id) ? `you: ${ctx.access.roles.get(g.id)}` : '',
            ]
              .filter(Boolean)
              .join(' · '),
          })),
        ),
      );
    }
    return [ephemeral(card(...blocks))];
  },
};
