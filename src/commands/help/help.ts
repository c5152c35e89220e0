import { card, context, facts, heading, ephemeral } from '../../core/cards.js';
import { mayRun } from '../plumbing/audience.js';
import { usage, type CommandSpec } from '../plumbing/spec.js';

/** `help`, built from the command specs: each person sees only what they may run. */
export function makeHelp(allCommands: () => readonly CommandSpec[]): CommandSpec {
  return {
    verb: 'help',
    args: '',
    summary: 'Show the commands you can use.',
    audience: 'anyone',
    async run(ctx) {
      const mine = allCommands().filter((spec) => mayRun(spec.audience, ctx.access));
      return [
        ephemeral(
          card(
            heading('Balint bot: what you can do'),
            facts(...mine.map((spec) => ({ label: usage(spec, ctx.prefix), value: spec.summary }))),
            context('The bot never reads, stores or logs what is said about a case.'),
          ),
        ),
      ];
    },
  };
}
