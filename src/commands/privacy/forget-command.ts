// `/balint forget <@user>`: a coordinator erases one person from everything the bot keeps
// (core/forget.ts) and is told what went, as counts. Someone with data is erased only after a
// press of the confirmation button (forget-button.ts), so a wrong mention costs nothing. The
// answers are private: they name the person, and nobody else needs to learn of it.
import { actions, card, context, ephemeral, facts, heading, text, type Reply } from '../../core/cards.js';
import { previewIsEmpty, type ForgetPreview, type ForgetReport } from '../../core/forget.js';
import type { UserId } from '../../core/plumbing/ids.js';
import { count } from '../../core/plumbing/plural.js';
import { oneMention } from '../plumbing/mentions.js';
import type { CommandSpec, Services } from '../plumbing/spec.js';

export const FORGET_CONFIRM_ACTION = 'forget:confirm';

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

/** "2 groups, a coordinator, 1 rotation, 3 pending messages". */
export function previewSummary(p: ForgetPreview): string {
  const parts = [count(p.groups, 'group'), count(p.rotations, 'rotation'), count(p.pendingMessages, 'pending message')];
  if (p.coordinator) parts.push('a coordinator');
  return parts.join(', ');
}

function confirmation(user: UserId, preview: ForgetPreview): Reply {
  return ephemeral(
    card(
      heading('Forget this person?'),
      facts({ label: 'Person', value: { users: [user] } }),
      text(
        `This erases: ${previewSummary(preview)}, with their answers, attendance marks and calendar link. ` +
          'It cannot be undone.',
      ),
      actions({
        actionId: FORGET_CONFIRM_ACTION,
        label: 'Forget them',
        value: user,
        style: 'danger',
        confirm: {
          title: 'Forget this person?',
          text: 'Everything the bot keeps about them is erased. It cannot be undone.',
          confirm: 'Forget them',
          deny: 'Keep',
        },
      }),
    ),
  );
}

/** Erases now and says what went; used by the button, and by the command for leftovers. */
export async function forgetNow(services: Services, user: UserId): Promise<Reply[]> {
  const report = await services.rights.forget(user);
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
}

export const forgetCommand: CommandSpec = {
  verb: 'forget',
  args: '<@user>',
  summary: "Erase a person's data: group places, answers, rotations, calendar link, attendance and pending messages.",
  audience: 'coordinator',
  async run(ctx, args) {
    const user = oneMention(ctx, args, forgetCommand);
    const preview = await ctx.services.rights.preview(user);
    // In no group, no rotation, no role and no message waiting: at most leftovers (an answer, a
    // calendar link), erased at once; there is nothing a wrong mention could cost.
    if (previewIsEmpty(preview)) return forgetNow(ctx.services, user);
    return [confirmation(user, preview)];
  },
};
