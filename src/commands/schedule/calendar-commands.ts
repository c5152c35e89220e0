// `/balint calendar` shows the person's private feed URL; `/balint calendar reset` replaces it
// (the old one stops working). The URL is a secret: it is only ever shown privately.
import { card, context, ephemeral, heading, text, type Reply } from '../../core/cards.js';
import { invalid } from '../../core/plumbing/errors.js';
import type { CommandSpec } from '../plumbing/spec.js';

const NOT_CONFIGURED =
  'The calendar feed is not configured on this bot: an administrator sets BALINT_PUBLIC_URL to turn it on.';

function feedReply(url: string, prefix: string, fresh: boolean): Reply {
  return ephemeral(
    card(
      heading(fresh ? 'Your new private calendar feed' : 'Your private calendar feed'),
      text(url),
      context(
        'Subscribe to it from Outlook, Google Calendar or Apple Calendar (add a calendar from a URL); moves and cancellations show up there. ' +
          `Anyone with this link sees your groups' sessions, so keep it to yourself. \`${prefix}calendar reset\` makes a new link and stops this one.`,
      ),
    ),
  );
}

export const calendarCommand: CommandSpec = {
  verb: 'calendar',
  args: '',
  summary: 'Your private calendar feed URL, with the sessions of your groups.',
  audience: 'member',
  async run(ctx, args) {
    if (args.length > 0) throw invalid(`\`${ctx.prefix}calendar\` takes nothing after it (or \`reset\`).`);
    const url = await ctx.services.calendars.urlFor(ctx.actor);
    return url ? [feedReply(url, ctx.prefix, false)] : [ephemeral(card(text(NOT_CONFIGURED)))];
  },
};

export const calendarResetCommand: CommandSpec = {
  verb: 'calendar reset',
  args: '',
  summary: 'Replace your calendar feed URL; the old one stops working.',
  audience: 'member',
  async run(ctx, args) {
    if (args.length > 0) throw invalid(`\`${ctx.prefix}calendar reset\` takes nothing after it.`);
    const url = await ctx.services.calendars.reset(ctx.actor);
    return url ? [feedReply(url, ctx.prefix, true)] : [ephemeral(card(text(NOT_CONFIGURED)))];
  },
};
