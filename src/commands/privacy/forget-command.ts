// `/balint forget <@user>`: a coordinator erases one person from everything the bot keeps
// (core/forget.ts) and is told what went, as counts. The answer is private: it names the
// person, and nobody else needs to learn that they were forgotten.
import { card, context, ephemeral, facts, heading, text } from '../../core/cards.js';
import type { ForgetReport } from '../../core/forget.js';
import { oneMention } from '../plumbing/mentions.js';
import type { CommandSpec } from '../plumbing/spec.js';

const count = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** "removed from 2 groups, 5 answers, 3 rotations, 1 calendar link, 6 attendance marks, 4 pending messages". */
export function erasedSummary(r: ForgetReport): string {
  const parts = [
    `removed from ${count(r.groups, 'group')}`,
    count(r.answers, 'answer'),
    count(r.rotations, 'rotation'),
    count(r.calendarLinks, 'calendar link'),
    count(r.attendance, 'attendance mark'),
    count(r.pendingMessages, 'pending message'),
  ];
  if (r.invites > 0) parts.push(count(r.invites, 'invite record'));
  if (r.other > 0) parts.push(count(r.other, 'platform record'));
  if (r.coordinator === 'removed') parts.push('no longer a coordinator');
  return `${parts.join(', ')}.`;
}

// Every count of the report, whatever kinds of data it lists: a person with none of them was
// never known to the bot (often a typo in the mention), and saying "Forgotten" would mislead.
const erasedNothing = (r: ForgetReport): boolean =>
  r.coordinator === 'none' && Object.values(r).every((v) => typeof v !== 'number' || v === 0);

const CONFIGURED =
  "They are a coordinator by the bot's configuration (BALINT_COORDINATORS), which I cannot change from chat: " +
  'whoever runs the bot removes them there. Everything else about them is gone.';

export const forgetCommand: CommandSpec = {
  verb: 'forget',
  args: '<@user>',
  summary: "Erase a person's data: group places, answers, rotations, calendar link, attendance and pending messages.",
  audience: 'coordinator',
  async run(ctx, args) {
    const user = oneMention(ctx, args, forgetCommand);
    const report = await ctx.services.rights.forget(user);
    if (erasedNothing(report)) {
      return [
        ephemeral(
          card(
            heading('Nothing to forget'),
            facts({ label: 'Person', value: { users: [user] } }),
            text('I keep no data about that person, so nothing was erased. Check the mention if you expected some.'),
          ),
        ),
      ];
    }
    return [
      ephemeral(
        card(
          heading('Forgotten'),
          facts({ label: 'Person', value: { users: [user] } }),
          text(`Erased: ${erasedSummary(report)}`),
          ...(report.coordinator === 'configured' ? [context(CONFIGURED)] : []),
        ),
      ),
    ];
  },
};
