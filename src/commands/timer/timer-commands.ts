// The session timer's commands: start it in a channel, steer it, ask where it is.
import { card, ephemeral, text } from '../../core/cards.js';
import { conflict, invalid, notFound, refused } from '../../core/plumbing/errors.js';
import type { Group } from '../../core/model.js';
import { isFacilitatorOf } from '../../core/roster.js';
import type { Steer } from '../../core/timer/service.js';
import { MAX_EXTEND_MINUTES } from '../../core/timer/service.js';
import { findVisibleGroup } from '../plumbing/group-lookup.js';
import { parsePreset } from '../roster/group-settings.js';
import { parseOptions } from '../plumbing/options.js';
import { usage, type CommandContext, type CommandSpec } from '../plumbing/spec.js';
import { assertMayEnd, assertMaySteer, mayEnd } from './timer-access.js';
import { endOf } from '../../core/schedule/session.js';
import type { Token } from '../plumbing/tokens.js';

async function groupToStart(ctx: CommandContext, words: Token[]): Promise<Group> {
  if (words.length > 0) return findVisibleGroup(ctx, words);
  const mine = (await ctx.services.roster.groups()).filter((g) => isFacilitatorOf(ctx.access, g.id));
  if (mine.length === 1) return mine[0] as Group;
  throw invalid(`Which group's session is this? Name it: \`${usage(timerStart, ctx.prefix)}\`.`);
}

export const timerStart: CommandSpec = {
  verb: 'start',
  args: '[group] [preset 45|60|75|90|90x2]',
  summary: "Start the session timer in this channel (the group's preset unless you name one).",
  audience: 'facilitator',
  async run(ctx, args) {
    const { leading, options } = parseOptions(args, ['preset'], usage(timerStart, ctx.prefix));
    const preset = options.has('preset') ? parsePreset(options.get('preset') as string) : undefined;
    const group = await groupToStart(ctx, leading);
    if (!ctx.access.coordinator && !isFacilitatorOf(ctx.access, group.id)) {
      throw refused("Only this group's leader and co-leader (and coordinators) can start its timer.");
    }
    // Nobody is locked out of their own room: another group's timer running here is ended
    // (with its closing) when this group's facilitator may end it.
    const running = await ctx.services.timers.inChannel(ctx.place);
    if (running && running.groupId !== group.id) {
      if (!mayEnd(ctx.access, running, await ctx.services.timers.groupsMeetingIn(ctx.place))) {
        throw conflict(
          "Another group's timer is running in this channel. Its facilitators, a coordinator, or the facilitators of a group that meets here can end it.",
        );
      }
      await ctx.services.timers.steerTimer(running.id, { kind: 'end' });
    }
    // Started from a scheduled session (now within it, or up to 30 minutes before): its end
    // holds, and an online or hybrid one opens with the online rules.
    const now = ctx.services.clock.now();
    const scheduled = (await ctx.services.schedule.upcoming(group.id)).find(
      (s) => s.start - 30 * 60_000 <= now && now < endOf(s),
    );
    await ctx.services.timers.start(group, ctx.place, preset ?? group.preset, {
      ...(scheduled && !preset ? { endsAt: endOf(scheduled) } : {}),
      online: scheduled !== undefined && scheduled.mode !== 'in-person',
    });
    return [];
  },
};

function steering(
  verb: string,
  summary: string,
  read: (args: Token[], ctx: CommandContext) => Steer,
  args = '',
): CommandSpec {
  return {
    verb,
    args,
    summary,
    audience: 'facilitator',
    async run(ctx, tokens) {
      const command = read(tokens, ctx);
      const timer = await ctx.services.timers.inChannel(ctx.place);
      if (!timer) throw notFound('No timer is running in this channel.');
      if (command.kind === 'end') assertMayEnd(ctx.access, timer, await ctx.services.timers.groupsMeetingIn(ctx.place));
      else assertMaySteer(ctx.access, timer.groupId);
      // Typed `next` moves on from the phase the card shows now: if the clock has just moved
      // past it, nothing changes and the answer says where the timer is.
      const step = command.kind === 'next' ? ctx.services.timers.typedStep(timer) : undefined;
      await ctx.services.timers.steerTimer(timer.id, command, step);
      return [];
    },
  };
}

const nothingAfter =
  (verb: string, command: Steer) =>
  (args: Token[], ctx: CommandContext): Steer => {
    if (args.length > 0) throw invalid(`\`${ctx.prefix}${verb}\` takes nothing after it.`);
    return command;
  };

export const timerNext = steering(
  'next',
  'Move on from the phase the card shows to the next one (in the case call: we have a case).',
  nothingAfter('next', { kind: 'next' }),
);
export const timerPause = steering(
  'pause',
  'Pause the timer (the phase and the session stop).',
  nothingAfter('pause', { kind: 'pause' }),
);
export const timerResume = steering('resume', 'Resume a paused timer.', nothingAfter('resume', { kind: 'resume' }));
export const timerEnd = steering(
  'end',
  'End the session now, with the closing reminder.',
  nothingAfter('end', { kind: 'end' }),
);
export const timerExtend = steering(
  'extend',
  'Give the session more minutes: moves the wrap up and the end (strict pacing: adds them to the current phase).',
  (args, ctx) => {
    const minutes = args.length === 1 && /^\d{1,3}$/.test(args[0]?.value ?? '') ? Number(args[0]?.value) : NaN;
    if (!(minutes >= 1 && minutes <= MAX_EXTEND_MINUTES)) {
      throw invalid(`Extend by a whole number of minutes, 1 to ${MAX_EXTEND_MINUTES}: \`${ctx.prefix}extend 3\`.`);
    }
    return { kind: 'extend', minutes };
  },
  '<minutes>',
);

export const timerStatus: CommandSpec = {
  verb: 'status',
  args: '',
  summary: 'Show the session timer running in this channel.',
  audience: 'anyone',
  async run(ctx, args) {
    if (args.length > 0) throw invalid(`\`${ctx.prefix}status\` takes nothing after it.`);
    const timer = await ctx.services.timers.inChannel(ctx.place);
    if (!timer) return [ephemeral(card(text('No timer is running in this channel.')))];
    return [ephemeral(ctx.services.timers.card(timer))];
  },
};
