// Splits a typed `schedule` line into the group's name and the raw plan fields:
//   <group> <YYYY-MM-DD> <HH:MM|4pm> [every week|every 2 weeks|every month]
//   [until <YYYY-MM-DD> | for <N> sessions] [length <minutes>] [mode in-person|online|hybrid]
//   [except <YYYY-MM-DD>,<YYYY-MM-DD>…] [at <place>] [link <url>]
// Only the shape is checked here; schedule-fields.ts checks the values.
import { invalid } from '../../core/plumbing/errors.js';
import { PlanError } from '../../core/schedule/plan-error.js';
import { DATE_HELP } from './schedule-fields.js';
import type { RawPlan } from './schedule-fields.js';
import { isKeyword, joinWords, type Token } from '../plumbing/tokens.js';

const OPTION_WORDS = ['every', 'until', 'for', 'length', 'mode', 'at', 'link', 'except'] as const;
type Option = (typeof OPTION_WORDS)[number];

// Anything that looks like a date starts the plan; the group's name is everything before it.
const DATE_LIKE = /^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}$/;

const optionAt = (tokens: Token[], i: number): Option | undefined => OPTION_WORDS.find((w) => isKeyword(tokens[i], w));

/** The time may be typed as one word (`4pm`, `16:00`) or two (`4 pm`). */
export function readTime(tokens: Token[], i: number): { time: string | undefined; next: number } {
  const first = tokens[i];
  if (!first) return { time: undefined, next: i };
  const second = tokens[i + 1];
  if (second && !second.quoted && /^(am|pm)$/i.test(second.value))
    return { time: `${first.value}${second.value}`, next: i + 2 };
  return { time: first.value, next: i + 1 };
}

export function splitScheduleLine(tokens: Token[], usage: string): { groupWords: Token[]; raw: RawPlan } {
  const dateAt = tokens.findIndex((t) => !t.quoted && DATE_LIKE.test(t.value));
  if (dateAt < 0) throw invalid(`Give the group, the date and the time. ${DATE_HELP} Usage: ${usage}`);
  const groupWords = tokens.slice(0, dateAt);
  const { time, next } = readTime(tokens, dateAt + 1);
  if (time === undefined || optionAt(tokens, dateAt + 1))
    throw invalid(`Give the time after the date. Usage: ${usage}`);
  const raw: RawPlan = { date: tokens[dateAt]?.value, time };
  const seen = new Set<Option>();
  let i = next;
  while (i < tokens.length) {
    const option = optionAt(tokens, i);
    if (!option) throw invalid(`I could not read that. Usage: ${usage}`);
    if (seen.has(option)) throw invalid(`\`${option}\` is given twice. Usage: ${usage}`);
    seen.add(option);
    // The option's words run to the next option word (a quoted word is never an option).
    let end = i + 1;
    while (end < tokens.length && !optionAt(tokens, end)) end++;
    const words = tokens.slice(i + 1, end);
    if (words.length === 0) throw invalid(`\`${option}\` needs a value. Usage: ${usage}`);
    const value = joinWords(words);
    switch (option) {
      case 'every':
        raw.every = value;
        break;
      case 'until':
        raw.until = value;
        break;
      case 'for': {
        const unit = words.at(-1)?.value.toLowerCase();
        if (words.length !== 2 || (unit !== 'sessions' && unit !== 'session')) {
          throw new PlanError('count', `Write the number of sessions as \`for 10 sessions\`. Usage: ${usage}`);
        }
        raw.count = words[0]?.value;
        break;
      }
      case 'length':
        raw.length = value;
        break;
      case 'mode':
        raw.mode = value;
        break;
      case 'at':
        raw.place = value;
        break;
      case 'link':
        raw.link = value;
        break;
      case 'except':
        raw.except = value;
        break;
    }
    i = end;
  }
  return { groupWords, raw };
}
