import { describe, expect, it } from 'vitest';
import { PUSH_BACK_MODES } from '../../../src/core/model.js';
import * as texts from '../../../src/core/texts.js';
import { PHASE_IDS, PRESET_NAMES, presetPlan } from '../../../src/core/timer/presets.js';

/** Every string the texts module can produce, with every input it takes. */
function everyText(): string[] {
  const out: string[] = [];
  for (const phase of PHASE_IDS) {
    out.push(texts.phaseName(phase), texts.phaseGuidance(phase));
    for (const mode of PUSH_BACK_MODES) out.push(texts.phaseRule(phase, mode), texts.pushBackOnlineText(mode));
  }
  for (const name of PRESET_NAMES) out.push(...texts.planSummaryLines(presetPlan(name).phases));
  out.push(texts.openingText(), texts.openingText(''), texts.closingText(), texts.closingText('   '));
  out.push(texts.warningText(true), texts.warningText(false));
  out.push(texts.caseLabel(1, 2)!, texts.caseLabel(2, 2)!);
  for (const value of Object.values(texts)) if (typeof value === 'string') out.push(value);
  for (const value of Object.values(texts.TIMER_LABELS)) out.push(typeof value === 'string' ? value : value(2));
  return out;
}

describe('texts', () => {
  it('never contain a placeholder or an empty sentence', () => {
    const all = everyText();
    expect(all.length).toBeGreaterThan(60);
    for (const t of all) {
      expect(t.trim().length).toBeGreaterThan(0);
      expect(t).not.toMatch(/undefined|null|NaN|\[object|\$\{|\{|\}/);
    }
  });

  it('never name anyone: the bot says "the presenter"', () => {
    const all = everyText().join('\n');
    expect(all).toContain('the presenter');
    expect(all).not.toMatch(/@|<@|\bname\b/i);
  });

  it('gives every phase a display name, guidance and a rule', () => {
    expect(PHASE_IDS.map(texts.phaseName)).toEqual([
      'Case call',
      'Presentation',
      'Clarifying questions',
      'Push back',
      'Presenter returns',
      'Wrap up',
    ]);
    for (const phase of PHASE_IDS) {
      expect(texts.phaseGuidance(phase)).not.toBe(texts.phaseRule(phase, 'camera-off'));
      expect(texts.phaseGuidance(phase).split('\n').length).toBeLessThanOrEqual(2);
    }
  });

  it('keeps the clarifying questions factual and holds the whys for the push back', () => {
    const rule = texts.phaseRule('clarifying', 'camera-off');
    for (const word of ['who', 'what', 'when', 'how']) expect(rule).toContain(word);
    expect(rule).toMatch(/no why questions/i);
    expect(rule).toContain('push back');
  });

  it.each(PUSH_BACK_MODES)("states the push-back rules and the group's online mode (%s)", (mode) => {
    const rule = texts.phaseRule('push-back', mode);
    expect(rule).toContain(texts.PUSH_BACK_MODE_TEXT[mode]);
    expect(rule).toMatch(/only listens/);
    for (const banned of [
      'No advice',
      'no judgement',
      'why did they',
      'should they have',
      'no similar cases of your own',
    ])
      expect(rule).toContain(banned);
  });

  it('says each online mode differently', () => {
    expect(new Set(PUSH_BACK_MODES.map(texts.pushBackOnlineText)).size).toBe(PUSH_BACK_MODES.length);
    expect(texts.pushBackOnlineText('camera-off')).toBe('Online, the presenter turns their camera off.');
  });

  it('makes speaking optional when the presenter returns, and ends the wrap up on the clock without a summary', () => {
    expect(texts.phaseRule('presenter-returns', 'look-away')).toMatch(/optional for the presenter/);
    expect(texts.phaseRule('wrap-up', 'look-away')).toMatch(/on the clock/);
    expect(texts.phaseRule('wrap-up', 'look-away')).toMatch(/No summary/);
  });

  it('opens with confidentiality, no notes, no phones or tablets; a group adds its own words, never replaces ours', () => {
    expect(texts.openingText()).toContain('What happens in Balint stays in Balint');
    expect(texts.openingText()).toMatch(/no notes/i);
    expect(texts.openingText()).toMatch(/phones or tablets/);
    // Changed on purpose (issue 14): the group's words come after the confidentiality lines.
    expect(texts.openingText('Our own welcome.')).toBe(`${texts.DEFAULT_OPENING}\n\nOur own welcome.`);
    expect(texts.openingText('  ')).toBe(texts.DEFAULT_OPENING);
    const online = texts.openingText('Our own welcome.', { online: true });
    expect(online).toContain(texts.DEFAULT_OPENING);
    expect(online).toMatch(/cameras are off, say who you are before you speak/);
    expect(online).toMatch(/chat only to say your connection dropped/);
    expect(online.indexOf('Our own welcome.')).toBeGreaterThan(online.indexOf('cameras'));
    expect(texts.openingText()).not.toMatch(/cameras/);
  });

  it('closes by keeping the case in the room and away from the presenter afterwards; a group adds its own words', () => {
    const closing = texts.closingText();
    expect(closing).toContain('stays in this room');
    expect(closing).toMatch(/do not bring it up with the presenter afterwards, not even to console them/);
    expect(closing).toMatch(/No summary/);
    // Changed on purpose (issue 14): the reminder is always said, the group's words follow it.
    expect(texts.closingText('Our own goodbye.')).toBe(`${texts.DEFAULT_CLOSING}\n\nOur own goodbye.`);
  });

  it('warns gently, naming the next case only when there is one', () => {
    expect(texts.warningText(true)).toMatch(/^Two minutes left\./);
    expect(texts.warningText(false)).toMatch(/next case/);
    expect(texts.warningText(true)).not.toMatch(/next case/);
  });

  it('formats time left in minutes, and in seconds in the last minute', () => {
    expect(texts.formatTimeLeft(12 * 60_000)).toBe('12 min');
    expect(texts.formatTimeLeft(11 * 60_000 + 1)).toBe('12 min');
    expect(texts.formatTimeLeft(60_000)).toBe('1 min');
    expect(texts.formatTimeLeft(45_000)).toBe('45 s');
    expect(texts.formatTimeLeft(44_001)).toBe('45 s');
    expect(texts.formatTimeLeft(0)).toBe('0 s');
    expect(texts.formatTimeLeft(-5)).toBe('0 s');
  });

  it('labels cases only in two-case sessions', () => {
    expect(texts.caseLabel(1, 2)).toBe('Case 1 of 2');
    expect(texts.caseLabel(1, 1)).toBeUndefined();
  });

  it('summarises the plan per case', () => {
    expect(texts.planSummaryLines(presetPlan('75').phases)).toEqual([
      "Today's session: 75 min.",
      'Case call 3 min · Presentation 7 min · Clarifying questions 7 min · Push back 40 min · Presenter returns 13 min · Wrap up 5 min',
    ]);
    const two = texts.planSummaryLines(presetPlan('90x2').phases);
    expect(two).toHaveLength(3);
    expect(two[0]).toBe("Today's session: 90 min, two cases.");
    expect(two[2]).toMatch(/^Case 2: Case call 2 min/);
  });
});
