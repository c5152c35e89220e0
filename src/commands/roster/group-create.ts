import { card, context, ephemeral, facts, heading } from '../../core/cards.js';
import { PROGRAM_NAMES } from '../../core/model.js';
import { parsePreset, parseProgram, parseTimeZone } from './group-settings.js';
import { parseOptions } from '../plumbing/options.js';
import { usage, type CommandSpec } from '../plumbing/spec.js';
import { joinWords } from '../plumbing/tokens.js';

export const groupCreate: CommandSpec = {
  verb: 'group create',
  args: '<name> [program PA|PT|OT|GC|CSD] [tz <IANA zone>] [preset 45|60|75|90|90x2]',
  summary: 'Create a Balint group.',
  audience: 'coordinator',
  async run(ctx, args) {
    const { leading, options } = parseOptions(args, ['program', 'tz', 'preset'], usage(groupCreate, ctx.prefix));
    const program = options.has('program') ? parseProgram(options.get('program') as string) : undefined;
    const timeZone = parseTimeZone(options.get('tz') ?? ctx.services.defaultTimeZone);
    const preset = parsePreset(options.get('preset') ?? '60');
    const group = await ctx.services.roster.createGroup(
      { name: joinWords(leading), ...(program ? { program } : {}), timeZone, preset },
      ctx.services.clock.now(),
    );
    return [
      ephemeral(
        card(
          heading(`Group created: ${group.name}`),
          facts(
            { label: 'Program', value: group.program ? PROGRAM_NAMES[group.program] : 'not set' },
            { label: 'Time zone', value: group.timeZone },
            { label: 'Session', value: `${group.preset} minutes` },
          ),
          context(`Add people with \`${ctx.prefix}group add ${group.name} @someone as leader\`.`),
        ),
      ),
    ];
  },
};
