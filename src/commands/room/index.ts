// `/balint room` answers privately with the channel's room display link (the timer on the room's
// screen or the Teams meeting stage); `/balint room reset` replaces it, the old one answers 404.
// The link is a secret: it is only ever shown privately, to the group's facilitators and coordinators.
import { card, context, ephemeral, heading, text, type Reply } from '../../core/cards.js';
import { invalid, refused } from '../../core/plumbing/errors.js';
import type { Group } from '../../core/model.js';
import { isFacilitatorOf } from '../../core/roster.js';
import type { Feature } from '../plumbing/feature.js';
import { findVisibleGroup } from '../plumbing/group-lookup.js';
import { usage, type CommandContext, type CommandSpec } from '../plumbing/spec.js';

export const ROOM_NOT_CONFIGURED =
  'The room display is not configured on this bot: an administrator sets BALINT_PUBLIC_URL (the address people reach the bot at) to turn it on.';
export const ROOM_ONLY_FACILITATORS =
  "Only this group's leader and co-leader (and coordinators) can open its room display.";

/**
 * The group whose sessions run here: the one whose timer runs in the channel, the one named, or
 * the only one the person leads.
 */
async function groupHere(ctx: CommandContext, spec: CommandSpec): Promise<Group> {
  const timer = await ctx.services.timers.inChannel(ctx.place);
  const running = timer && (await ctx.services.roster.getGroup(timer.groupId));
  if (running) return running;
  const mine = (await ctx.services.roster.groups()).filter((g) => isFacilitatorOf(ctx.access, g.id));
  if (mine.length === 1) return mine[0] as Group;
  throw invalid(`Which group's sessions run in this channel? Name it: \`${usage(spec, ctx.prefix)}\`.`);
}

function linkReply(url: string, prefix: string, fresh: boolean): Reply {
  return ephemeral(
    card(
      heading(fresh ? "This channel's new room display link" : "This channel's room display link"),
      text(url),
      context(
        'Open it on the screen in the room, or add it as a tab in the Teams meeting: it shows the running timer, its phase and its rule, and never a name. ' +
          `Anyone with the link sees the timer, so keep it to the facilitators. \`${prefix}room reset\` makes a new link and stops this one.`,
      ),
    ),
  );
}

function roomCommand(verb: 'room' | 'room reset', summary: string, fresh: boolean): CommandSpec {
  const spec: CommandSpec = {
    verb,
    args: '[group]',
    summary,
    audience: 'facilitator',
    async run(ctx, args) {
      const group = args.length > 0 ? await findVisibleGroup(ctx, args) : await groupHere(ctx, spec);
      if (!ctx.access.coordinator && !isFacilitatorOf(ctx.access, group.id)) throw refused(ROOM_ONLY_FACILITATORS);
      const rooms = ctx.services.rooms;
      const url = fresh ? await rooms.reset(ctx.place, group.id) : await rooms.urlFor(ctx.place, group.id);
      return [url ? linkReply(url, ctx.prefix, fresh) : ephemeral(card(text(ROOM_NOT_CONFIGURED)))];
    },
  };
  return spec;
}

export const roomLinkCommand = roomCommand(
  'room',
  "This channel's private room display link: the timer on the room's screen or the meeting stage.",
  false,
);
export const roomResetCommand = roomCommand(
  'room reset',
  'Replace the room display link; the old one stops working.',
  true,
);

export const roomFeature: Feature = { commands: [roomLinkCommand, roomResetCommand] };
