// A survey link a coordinator attaches to a group, or to a whole program (every group of it,
// including groups added later): the program's own survey tool (a pre/post empathy or burnout
// survey, a per-session questionnaire). The bot sends the link and counts that it was sent; it
// never sees, asks for or keeps an answer.
import { randomBytes } from 'node:crypto';
import type { Group, Program } from '../model.js';
import { invalid } from '../plumbing/errors.js';

export const SURVEY_TIMINGS = ['before first', 'after last', 'after every'] as const;
export type SurveyTiming = (typeof SURVEY_TIMINGS)[number];

export interface Survey {
  /** `srv_` + 8 hex digits: typed in `survey remove`, safe to log. */
  id: string;
  /** Exactly one of the two: the group it is for, or the program whose every group it is for. */
  groupId?: string;
  program?: Program;
  /** Asked for, checked (https, no credentials); shown to coordinators and sent to members, never logged. */
  url: string;
  timing: SurveyTiming;
  createdAt: number;
  /** Direct messages sent with the link, counted: who got one is not kept. */
  sent: number;
}

export const SURVEY_ID = /^srv_[0-9a-f]{8}$/;

/** Whether the survey goes to this group's members: attached to it, or to its program. */
export const surveyAppliesTo = (survey: Survey, group: Group): boolean =>
  survey.groupId !== undefined
    ? survey.groupId === group.id
    : survey.program !== undefined && survey.program === group.program;
export const newSurveyId = (): string => `srv_${randomBytes(4).toString('hex')}`;

const URL_MAX = 500;

/**
 * An https address with a host, no user name or password in it, and nothing a platform could
 * turn into markup. The error never repeats the address: it may hold a token or case text.
 */
export function validateSurveyUrl(raw: string): string {
  const value = raw.trim();
  if (value.length === 0 || value.length > URL_MAX || /[\s<>"`|]/.test(value))
    throw invalid(`A survey link is one https address, at most ${URL_MAX} characters.`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid('That is not a web address I can read. Give the survey link as https://…');
  }
  if (url.protocol !== 'https:') throw invalid('Survey links must start with https://.');
  if (url.username || url.password)
    throw invalid('Survey links cannot contain a user name or password. Use the link your survey tool shares.');
  if (!url.hostname.includes('.')) throw invalid('That survey link has no proper host name.');
  return url.toString();
}
