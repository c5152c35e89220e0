import { card, ephemeral, facts, heading } from '../../core/cards.js';
import { invalid } from '../../core/plumbing/errors.js';
import type { GroupSettings } from '../../core/roster.js';
import { describeRequirement } from '../../core/attendance/requirement.js';
import { reminderOffsets } from '../../core/schedule/reminders.js';
import { findVisibleGroup } from '../plumbing/group-lookup.js';
import {
  parseAttendance,
  parseGroupWords,
  parsePacing,
  parsePreset,
  parseProgram,
  parsePushBackMode,
  parseTimeZone,
} from './group-settings.js';
import { describeReminders, parseReminders } from '../schedule/reminder-list.js';
import { usage, type CommandSpec } from '../plumbing/spec.js';
import { joinWords } from '../plumbing/tokens.js';

interface Setting {
  read: (raw: string) => GroupSettings;
  /** Takes the rest of the line as its value (the group's own words), not a single word. */
  sentence?: true;
}

const SETTINGS: Record<string, Setting> = {
  program: { read: (raw) => ({ program: parseProgram(raw) }) },
  tz: { read: (raw) => ({ timeZone: parseTimeZone(raw) }) },
  preset: { read: (raw) => ({ preset: parsePreset(raw) }) },
  pushback: { read: (raw) => ({ pushBackMode: parsePushBackMode(raw) }) },
  pacing: { read: (raw) => ({ pacing: parsePacing(raw) }) },
  reminders: { read: (raw) => ({ reminderMinutes: parseReminders(raw) }) },
  opening: { read: (raw) => ({ openingText: parseGroupWords(raw) }), sentence: true },
  closing: { read: (raw) => ({ closingText: parseGroupWords(raw) }), sentence: true },
  attendance: { read: (raw) => ({ attendance: parseAttendance(raw) }), sentence: true },
};

export const groupSet: CommandSpec = {
  verb: 'group set',
  args: '<group> program|tz|preset|pushback|pacing|reminders|opening|closing|attendance <value>',
  summary:
    "Change a group's program, time zone, session preset, online push-back mode, pacing (led or strict), reminders (e.g. 24h,1h), attendance asked of members (e.g. 6 of 8, or none), or its own opening and closing words (added to ours; `default` removes them).",
  audience: 'coordinator',
  async run(ctx, args) {
    const settingAt = args.findIndex((t) => !t.quoted && t.value.toLowerCase() in SETTINGS);
    const setting = SETTINGS[args[settingAt]?.value.toLowerCase() ?? ''];
    const values = args.slice(settingAt + 1);
    if (settingAt < 0 || !setting || values.length === 0 || (!setting.sentence && values.length !== 1)) {
      throw invalid(`Usage: ${usage(groupSet, ctx.prefix)}`);
    }
    const change = setting.read(joinWords(values));
    const group = await findVisibleGroup(ctx, args.slice(0, settingAt));
    const updated = await ctx.services.roster.configureGroup(group.id, change);
    // Upcoming sessions follow the new list at once.
    if (change.reminderMinutes) await ctx.services.schedule.rearm(updated, reminderOffsets(group));
    // A group joining a program gets the program's survey links for its sessions.
    if (change.program) await ctx.services.surveys.sync(updated.id);
    // The requirement that applies: with `none`, the program's (if it has one) takes over.
    const attendance = await ctx.services.attendance.requirementOf(updated);
    return [
      ephemeral(
        card(
          heading(`${updated.name}: settings changed`),
          facts(
            { label: 'Program', value: updated.program ?? 'not set' },
            { label: 'Time zone', value: updated.timeZone },
            { label: 'Session', value: `${updated.preset} minutes` },
            { label: 'Push back online', value: updated.pushBackMode },
            { label: 'Pacing', value: updated.pacing ?? 'led' },
            { label: 'Reminders', value: describeReminders(reminderOffsets(updated)) },
            { label: 'Opening', value: updated.openingText ? 'the group’s own words' : 'the standard opening' },
            { label: 'Closing', value: updated.closingText ? 'the group’s own words' : 'the standard closing' },
            { label: 'Attendance asked', value: describeRequirement(attendance) },
          ),
        ),
      ),
    ];
  },
};
