// The group settings a coordinator may give at creation or change later, read and checked.
import { invalid } from '../../core/plumbing/errors.js';
import {
  isOneOf,
  PROGRAMS,
  PUSH_BACK_MODES,
  SESSION_PRESETS,
  type Program,
  type PushBackMode,
  type SessionPreset,
} from '../../core/model.js';
import { validateTimeZone } from '../../core/time-zones.js';

export function parseProgram(raw: string): Program {
  const value = raw.toUpperCase();
  if (!isOneOf(PROGRAMS, value)) throw invalid(`The program is one of ${PROGRAMS.join(', ')}.`);
  return value;
}

export function parsePreset(raw: string): SessionPreset {
  const value = raw.toLowerCase().replace(/min(utes)?$/, '');
  if (!isOneOf(SESSION_PRESETS, value))
    throw invalid(`The preset is one of ${SESSION_PRESETS.join(', ')} (minutes; 90x2 is two cases).`);
  return value;
}

export function parsePushBackMode(raw: string): PushBackMode {
  const value = raw.toLowerCase();
  if (!isOneOf(PUSH_BACK_MODES, value)) throw invalid(`The push-back mode is one of ${PUSH_BACK_MODES.join(', ')}.`);
  return value;
}

/** `led` (the facilitators move the phases on; the default) or `strict` (phases end at their targets). */
export function parsePacing(raw: string): 'led' | 'strict' {
  const value = raw.toLowerCase();
  if (value !== 'led' && value !== 'strict')
    throw invalid('The pacing is led (the facilitators move on, the clock holds the end) or strict.');
  return value;
}

export const parseTimeZone = validateTimeZone;

const WORDS_MAX = 500;

/**
 * A group's own opening or closing words, or `default` (undefined) for ours. No angle
 * brackets: a platform must never turn them into a mention or an @channel.
 */
export function parseGroupWords(raw: string): string | undefined {
  const words = raw.trim().replace(/\s+/g, ' ');
  if (words.toLowerCase() === 'default') return undefined;
  if (words.length > WORDS_MAX) throw invalid(`Keep it to ${WORDS_MAX} characters.`);
  if (/[<>]/.test(words)) throw invalid('The words cannot contain < or >.');
  return words;
}

const SESSIONS_MAX = 100;

/** An attendance requirement such as `6 of 8` (attend 6 of every 8 sessions), or `none`. */
export function parseAttendance(raw: string): { attended: number; of: number } | undefined {
  const words = raw.trim().toLowerCase().replace(/\s+/g, ' ');
  if (words === 'none') return undefined;
  const m = /^(\d{1,3}) of (\d{1,3})$/.exec(words);
  const attended = Number(m?.[1]);
  const of = Number(m?.[2]);
  if (!m || attended < 1 || of > SESSIONS_MAX || attended > of)
    throw invalid(
      `Give attendance as sessions attended of sessions, e.g. \`6 of 8\` (up to ${SESSIONS_MAX}), or \`none\`.`,
    );
  return { attended, of };
}
