import { card, ephemeral, facts, heading } from '../core/cards.js';
import { invalid } from '../core/errors.js';
import type { GroupSettings } from '../core/roster.js';
import { findVisibleGroup } from './group-lookup.js';
import { parsePreset, parseProgram, parsePushBackMode, parseTimeZone } from './group-settings.js';
import { usage, type CommandSpec } from './spec.js';

const SETTINGS: Record<string, (raw: string) => GroupSettings> = {
  program: (raw) => ({ program: parseProgram(raw) }),
  tz: (raw) => ({ timeZone: parseTimeZone(raw) }),
  preset: (raw) => ({ preset: parsePreset(raw) }),
  pushback: (raw) => ({ pushBackMode: parsePushBackMode(raw) }),
};

export const groupSet: CommandSpec = {
  verb: 'group set',
  args: '<group> program|tz|preset|pushback <value>',
  summary: "Change a group's program, time zone, session preset or online push-back mode.",
  audience: 'coordinator',
  async run(ctx, args) {
    const settingAt = args.findIndex((t) => !t.quoted && t.value.toLowerCase() in SETTINGS);
    const setting = args[settingAt]?.value.toLowerCase();
    const value = args[settingAt + 1];
    if (settingAt < 0 || setting === undefined || value === undefined || args.length !== settingAt + 2) {
      throw invalid(`Usage: ${usage(groupSet, ctx.prefix)}`);
    }
    const change = (SETTINGS[setting] as (raw: string) => GroupSettings)(value.value);
    const group = await findVisibleGroup(ctx, args.slice(0, settingAt));
    const updated = await ctx.services.roster.configureGroup(group.id, change);
    return [
      ephemeral(
        card(
          heading(`${updated.name}: settings changed`),
          facts(
            { label: 'Program', value: updated.program ?? 'not set' },
            { label: 'Time zone', value: updated.timeZone },
            { label: 'Session', value: `${updated.preset} minutes` },
            { label: 'Push back online', value: updated.pushBackMode },
          ),
        ),
      ),
    ];
  },
};
