// Phase plans: which phases a session runs, in what order, for how many whole minutes.
// The numbers come from the published timings in docs/balint.md; a group picks a preset (or,
// later, its own lengths, which must pass `isValidPlan`).
import { isOneOf, SESSION_PRESETS, type SessionPreset } from '../model.js';

export const PHASE_IDS = [
  'case-call',
  'presentation',
  'clarifying',
  'push-back',
  'presenter-returns',
  'wrap-up',
] as const;
export type PhaseId = (typeof PHASE_IDS)[number];

/** One preset name per published session format; the same list a group's settings use. */
export type PresetName = SessionPreset;
export const PRESET_NAMES: readonly PresetName[] = SESSION_PRESETS;

export type CaseNumber = 1 | 2;

export interface PlannedPhase {
  phase: PhaseId;
  /** Which case of the session this phase belongs to (2 only in '90x2'). */
  case: CaseNumber;
  /** Whole minutes, at least 1. */
  minutes: number;
}

export interface PhasePlan {
  /** The preset it came from, or 'custom' for a group's own lengths. */
  preset: PresetName | 'custom';
  phases: PlannedPhase[];
}

type Lengths = Readonly<Record<PhaseId, number>>;

// 45 minutes, one case. American Balint Society intensives use 45-minute case sessions and
// Balint ANZ runs two cases of about 45 minutes; neither publishes per-phase lengths, so these
// are the 75-minute proportions (Fitzgerald and Hunter 2003) scaled to 45 and rounded, with
// at least 2 minutes of case call and 3 of wrap up so the warning has room.
const FORTY_FIVE: Lengths = {
  'case-call': 2,
  presentation: 5,
  clarifying: 5,
  'push-back': 22,
  'presenter-returns': 8,
  'wrap-up': 3,
};

// 60 minutes, Primary Care Progress: presentation 5, clarifying 5, push back "the rest"
// (~35–40), presenter returns "last ~10", wrap up on the clock (we keep 5 so the two-minute
// warning means something). PCP counts the case call within the presentation; we give it its
// own phase (a 2-minute target taken from the push back), because every session starts by
// sitting through the silence until someone has a case, and the card must say so.
const SIXTY: Lengths = {
  'case-call': 2,
  presentation: 5,
  clarifying: 5,
  'push-back': 33,
  'presenter-returns': 10,
  'wrap-up': 5,
};

// 75 minutes, Fitzgerald and Hunter 2003 (one case, 8 members): 3, 7, 7, 40, 13, 5, as published.
const SEVENTY_FIVE: Lengths = {
  'case-call': 3,
  presentation: 7,
  clarifying: 7,
  'push-back': 40,
  'presenter-returns': 13,
  'wrap-up': 5,
};

// 90 minutes, one case, Hungarian Balint format ranges: case call 3, presentation 10–15 (12),
// clarifying ~10, push back 30–60 and the longest (50), presenter returns ~10, wrap up ~5.
const NINETY: Lengths = {
  'case-call': 3,
  presentation: 12,
  clarifying: 10,
  'push-back': 50,
  'presenter-returns': 10,
  'wrap-up': 5,
};

const PRESET_MINUTES: Readonly<Record<PresetName, number>> = { '45': 45, '60': 60, '75': 75, '90': 90, '90x2': 90 };

function oneCase(lengths: Lengths, caseNo: CaseNumber): PlannedPhase[] {
  return PHASE_IDS.map((phase) => ({ phase, case: caseNo, minutes: lengths[phase] }));
}

/** A fresh copy of a preset's plan (callers may keep or change it freely). */
export function presetPlan(preset: PresetName): PhasePlan {
  switch (preset) {
    case '45':
      return { preset, phases: oneCase(FORTY_FIVE, 1) };
    case '60':
      return { preset, phases: oneCase(SIXTY, 1) };
    case '75':
      return { preset, phases: oneCase(SEVENTY_FIVE, 1) };
    case '90':
      return { preset, phases: oneCase(NINETY, 1) };
    case '90x2':
      // Balint ANZ: two cases of about 45 minutes each, back to back, one closing at the end.
      return { preset, phases: [...oneCase(FORTY_FIVE, 1), ...oneCase(FORTY_FIVE, 2)] };
  }
}

/** The session length a preset promises, in minutes. */
export function presetMinutes(preset: PresetName): number {
  return PRESET_MINUTES[preset];
}

/** Total planned minutes of a plan. */
export function planMinutes(plan: PhasePlan): number {
  return plan.phases.reduce((sum, p) => sum + p.minutes, 0);
}

/** How many cases a plan holds (1 or 2). */
export function caseCount(plan: PhasePlan): CaseNumber {
  return plan.phases.some((p) => p.case === 2) ? 2 : 1;
}

export function isPresetName(value: string): value is PresetName {
  return isOneOf(PRESET_NAMES, value);
}

/**
 * Reads a preset name as people type it: `75`, `75min`, `75 minutes`, `90x2`, `90 x 2`,
 * `2x45`, `90-two-cases`. Undefined when it is none of them.
 */
export function parsePresetName(raw: string): PresetName | undefined {
  const value = raw
    .trim()
    .toLowerCase()
    .replace(/\s+/g, '')
    .replace(/(min|mins|minutes)$/, '');
  if (isPresetName(value)) return value;
  if (['2x45', '90-two-cases', '90twocases', '90-2', '90x2cases'].includes(value)) return '90x2';
  return undefined;
}

/**
 * True when a plan can run: at least one phase, known phase ids, whole minutes of at least 1,
 * cases 1 then 2 (never back to 1).
 */
export function isValidPlan(plan: unknown): plan is PhasePlan {
  if (typeof plan !== 'object' || plan === null) return false;
  const { preset, phases } = plan as { preset?: unknown; phases?: unknown };
  if (typeof preset !== 'string' || (preset !== 'custom' && !isPresetName(preset))) return false;
  if (!Array.isArray(phases) || phases.length === 0) return false;
  let lastCase = 1;
  for (const p of phases as unknown[]) {
    if (typeof p !== 'object' || p === null) return false;
    const { phase, case: caseNo, minutes } = p as { phase?: unknown; case?: unknown; minutes?: unknown };
    if (typeof phase !== 'string' || !isOneOf(PHASE_IDS, phase)) return false;
    if (caseNo !== 1 && caseNo !== 2) return false;
    if (caseNo < lastCase) return false;
    lastCase = caseNo;
    if (typeof minutes !== 'number' || !Number.isInteger(minutes) || minutes < 1) return false;
  }
  return true;
}
