import { describe, expect, it } from 'vitest';
import {
  caseCount,
  isPresetName,
  isValidPlan,
  parsePresetName,
  PHASE_IDS,
  planMinutes,
  PRESET_NAMES,
  presetMinutes,
  presetPlan,
} from '../../../src/core/timer/presets.js';

describe('presets', () => {
  it.each(PRESET_NAMES)('preset %s sums to its length in whole minutes of at least 1', (name) => {
    const plan = presetPlan(name);
    expect(plan.preset).toBe(name);
    expect(planMinutes(plan)).toBe(presetMinutes(name));
    expect(planMinutes(plan)).toBe(name === '90x2' ? 90 : Number(name));
    for (const p of plan.phases) {
      expect(Number.isInteger(p.minutes)).toBe(true);
      expect(p.minutes).toBeGreaterThanOrEqual(1);
    }
    expect(isValidPlan(plan)).toBe(true);
  });

  it.each(['45', '60', '75', '90'] as const)('preset %s runs every phase once, in order', (name) => {
    expect(presetPlan(name).phases.map((p) => p.phase)).toEqual([...PHASE_IDS]);
    expect(caseCount(presetPlan(name))).toBe(1);
  });

  it('75 is the published Fitzgerald and Hunter format', () => {
    expect(presetPlan('75').phases.map((p) => p.minutes)).toEqual([3, 7, 7, 40, 13, 5]);
  });

  it('60 starts with the case call too (2, 5, 5, the rest, 10, wrap up 5)', () => {
    // Changed on purpose (issue 14): the 60-minute preset had no case call.
    const plan = presetPlan('60');
    expect(plan.phases.map((p) => p.phase)).toEqual([...PHASE_IDS]);
    expect(plan.phases.map((p) => p.minutes)).toEqual([2, 5, 5, 33, 10, 5]);
  });

  it('90 keeps the push back the longest phase, within the published ranges', () => {
    const byPhase = Object.fromEntries(presetPlan('90').phases.map((p) => [p.phase, p.minutes]));
    expect(byPhase['presentation']).toBeGreaterThanOrEqual(10);
    expect(byPhase['presentation']).toBeLessThanOrEqual(15);
    expect(byPhase['push-back']).toBeGreaterThanOrEqual(30);
    expect(Math.max(...Object.values(byPhase))).toBe(byPhase['push-back']);
  });

  it('90x2 is two 45-minute cases back to back, each from case call to wrap up', () => {
    const plan = presetPlan('90x2');
    const one = plan.phases.filter((p) => p.case === 1);
    const two = plan.phases.filter((p) => p.case === 2);
    expect(one.map((p) => p.phase)).toEqual([...PHASE_IDS]);
    expect(two.map((p) => p.phase)).toEqual([...PHASE_IDS]);
    expect(one.reduce((s, p) => s + p.minutes, 0)).toBe(45);
    expect(two.map((p) => p.minutes)).toEqual(presetPlan('45').phases.map((p) => p.minutes));
    expect(plan.phases.slice(0, 6).every((p) => p.case === 1)).toBe(true);
    expect(caseCount(plan)).toBe(2);
  });

  it('hands out fresh copies, so changing one plan cannot change the preset', () => {
    const a = presetPlan('75');
    a.phases[0]!.minutes = 99;
    expect(presetPlan('75').phases[0]!.minutes).toBe(3);
  });

  it('parses preset names as people type them', () => {
    expect(parsePresetName('75')).toBe('75');
    expect(parsePresetName(' 45 min ')).toBe('45');
    expect(parsePresetName('60minutes')).toBe('60');
    expect(parsePresetName('90x2')).toBe('90x2');
    expect(parsePresetName('90 X 2')).toBe('90x2');
    expect(parsePresetName('2x45')).toBe('90x2');
    expect(parsePresetName('90-two-cases')).toBe('90x2');
    expect(parsePresetName('80')).toBeUndefined();
    expect(parsePresetName('')).toBeUndefined();
    expect(isPresetName('90')).toBe(true);
    expect(isPresetName('ninety')).toBe(false);
  });

  it('rejects plans that cannot run', () => {
    const ok = { preset: 'custom', phases: [{ phase: 'presentation', case: 1, minutes: 5 }] };
    expect(isValidPlan(ok)).toBe(true);
    expect(isValidPlan({ ...ok, phases: [] })).toBe(false);
    expect(isValidPlan({ ...ok, preset: 'nope' })).toBe(false);
    expect(isValidPlan({ ...ok, phases: [{ phase: 'presentation', case: 1, minutes: 0 }] })).toBe(false);
    expect(isValidPlan({ ...ok, phases: [{ phase: 'presentation', case: 1, minutes: 2.5 }] })).toBe(false);
    expect(isValidPlan({ ...ok, phases: [{ phase: 'gossip', case: 1, minutes: 5 }] })).toBe(false);
    expect(isValidPlan({ ...ok, phases: [{ phase: 'presentation', case: 3, minutes: 5 }] })).toBe(false);
    expect(
      isValidPlan({
        ...ok,
        phases: [
          { phase: 'presentation', case: 2, minutes: 5 },
          { phase: 'wrap-up', case: 1, minutes: 5 },
        ],
      }),
    ).toBe(false);
    expect(isValidPlan(null)).toBe(false);
  });
});
