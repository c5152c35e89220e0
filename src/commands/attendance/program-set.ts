// `/balint program set <program> attendance 6 of 8|none`: the attendance a whole program asks of
// its groups' members. A group's own requirement (`group set <group> attendance …`) overrides it,
// so the answer says which groups follow the program's and which keep their own.
import { card, context, ephemeral, facts, heading } from '../../core/cards.js';
import { describeRequirement } from '../../core/attendance/requirement.js';
import { PROGRAM_NAMES } from '../../core/model.js';
import { invalid } from '../../core/plumbing/errors.js';
import { parseAttendance, parseProgram } from '../roster/group-settings.js';
import { usage, type CommandSpec } from '../plumbing/spec.js';
import { joinWords } from '../plumbing/tokens.js';

/** Past a handful of names a line stops being readable; `groups` lists them all anyway. */
const NAMES_SHOWN = 8;

function namesText(names: string[]): string {
  if (names.length === 0) return 'none';
  const shown = names.slice(0, NAMES_SHOWN).join(', ');
  return names.length > NAMES_SHOWN ? `${shown} and ${names.length - NAMES_SHOWN} more` : shown;
}

export const programSet: CommandSpec = {
  verb: 'program set',
  args: '<program> attendance <N> of <M>|none',
  summary:
    "Set the attendance a program asks of its groups' members (e.g. 6 of 8, or none); a group's own requirement overrides it.",
  audience: 'coordinator',
  async run(ctx, args) {
    const [programWord, setting, ...values] = args;
    if (!programWord || setting?.value.toLowerCase() !== 'attendance' || values.length === 0)
      throw invalid(`Usage: ${usage(programSet, ctx.prefix)}`);
    // Both read before anything is written: a bad program or figure changes nothing.
    const program = parseProgram(programWord.value);
    const requirement = parseAttendance(joinWords(values));
    await ctx.services.attendance.programs.set(program, requirement);
    const groups = (await ctx.services.roster.groups()).filter((g) => g.program === program);
    const own = groups.filter((g) => g.attendance);
    const following = groups.filter((g) => !g.attendance);
    return [
      ephemeral(
        card(
          heading(`${PROGRAM_NAMES[program]} (${program}): attendance asked`),
          facts(
            { label: 'Program requirement', value: describeRequirement(requirement) },
            {
              label: requirement ? 'Groups it applies to' : 'Groups without one',
              value: namesText(following.map((g) => g.name)),
            },
            {
              label: 'Groups with their own',
              value: namesText(own.map((g) => `${g.name} (${describeRequirement(g.attendance)})`)),
            },
          ),
          context(
            `A group's own requirement overrides the program's; \`${ctx.prefix}group set <group> attendance none\` makes a group follow the program's again.`,
          ),
        ),
      ),
    ];
  },
};
