// Properties over dates, times and time zones: the schedule grammar and its field readers,
// the local-time policy (a time that does not exist moves forward by the gap; a time that
// happens twice is the first one), weekly series in every IANA zone the runtime knows, and the
// typed `schedule` command end to end, where a rejected line must leave the store as it was.
import fc from 'fast-check';
import { DateTime, IANAZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import { readPlan } from '../../src/commands/schedule/schedule-fields.js';
import { splitScheduleLine } from '../../src/commands/schedule/schedule-line.js';
import { tokenize } from '../../src/commands/plumbing/tokens.js';
import { UserError } from '../../src/core/plumbing/errors.js';
import { isLocalDate, isLocalTime, resolveLocal } from '../../src/core/schedule/local-time.js';
import { expandDates, TooManySessions } from '../../src/core/schedule/recurrence.js';
import { createHarness, type Harness } from '../support/harness.js';

const runs = (name: string, fallback: number): number =>
  Number(process.env[name] ?? process.env.FUZZ_RUNS_DATES ?? fallback);
const RUNS_GRAMMAR = runs('FUZZ_RUNS_SCHEDULE_GRAMMAR', 15_000);
const RUNS_RESOLVE = runs('FUZZ_RUNS_LOCAL_TIME', 12_000);
const RUNS_SERIES = runs('FUZZ_RUNS_WEEKLY', 2_000);
const RUNS_COMMAND = runs('FUZZ_RUNS_SCHEDULE_COMMAND', 3_000);
const SEED = 20261128;
const MINUTE = 60_000;
const DAY = 86_400_000;

const ZONES = Intl.supportedValuesOf('timeZone');
// Zones with unusual changes: half-hour shifts, a skipped day, 45-minute offsets.
const ODD_ZONES = [
  'Australia/Lord_Howe',
  'Pacific/Apia',
  'Asia/Kathmandu',
  'America/St_Johns',
  'Antarctica/Troll',
  'Pacific/Chatham',
  'America/Havana',
  'Asia/Tehran',
];

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const validDate = fc
  .date({ min: new Date(Date.UTC(1970, 0, 1)), max: new Date(Date.UTC(2100, 0, 1)), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const validTime = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
  .map(([h, m]) => `${pad(h)}:${pad(m)}`);
const anyDate = fc.oneof(
  { arbitrary: validDate, weight: 3 },
  fc
    .tuple(fc.integer({ min: 1900, max: 2200 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }))
    .map(([y, m, d]) => `${y}-${pad(m)}-${pad(d)}`),
  fc.constantFrom(
    '2027-02-29',
    '2028-02-29',
    '2100-02-29',
    '2000-02-29',
    '2027-04-31',
    '2027-12-31',
    '2027-03-14',
    '2027-11-07',
    '2027-03-28',
    '2027-10-31',
    '2011-12-30',
    '0000-01-01',
  ),
  fc.string({ maxLength: 12 }),
  fc.constantFrom('2027/03/04', '4.3.2027', '27-3-4', '2027-3-4', '20270304', ' 2027-03-04 '),
);
const anyTime = fc.oneof(
  { arbitrary: validTime, weight: 3 },
  fc.tuple(fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 61 })).map(([h, m]) => `${pad(h)}:${pad(m)}`),
  fc
    .tuple(
      fc.integer({ min: 0, max: 13 }),
      fc.option(fc.integer({ min: 0, max: 60 }), { nil: undefined }),
      fc.constantFrom('am', 'pm', 'AM', ' pm', 'p.m.'),
    )
    .map(([h, m, s]) => `${h}${m === undefined ? '' : `:${pad(m)}`}${s}`),
  fc.constantFrom(
    '24:00',
    '12am',
    '12pm',
    '0am',
    '00:00',
    '23:59',
    '02:30',
    '01:30',
    '2:30am',
    '1:30 am',
    '4pm',
    '16:00',
    '-1:00',
    '9',
  ),
  fc.string({ maxLength: 8 }),
);
const anyZone = fc.oneof(
  { arbitrary: fc.constantFrom(...ZONES), weight: 4 },
  fc.constantFrom(...ODD_ZONES),
  fc.string({ maxLength: 20 }),
  fc.constantFrom('Mars/Base', 'EST5EDT', 'UTC', 'Etc/GMT+14', 'utc', ''),
);

/** Wall-clock minutes of an instant in a zone, counted from the epoch as if it were UTC. */
const wallMinutes = (instant: number, zone: string): number => {
  const d = DateTime.fromMillis(instant, { zone });
  return Date.UTC(d.year, d.month - 1, d.day, d.hour, d.minute) / MINUTE;
};

/**
 * The policy of local-time.ts, checked from outside: the instant shows the asked-for wall time,
 * or (the time does not exist that day) a later one, moved by exactly the clock change there.
 */
function checkResolved(date: string, time: string, zone: string, instant: number): void {
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  const [h, mi] = time.split(':').map(Number) as [number, number];
  const asked = Date.UTC(y, mo - 1, d, h, mi) / MINUTE;
  const shown = wallMinutes(instant, zone);
  const tz = IANAZone.create(zone);
  if (shown === asked) {
    // A time that happens twice is the first: no earlier instant within a day shows it too.
    for (const offset of new Set([tz.offset(instant - DAY), tz.offset(instant + DAY)])) {
      const other = (asked - offset) * MINUTE;
      if (other < instant)
        expect(wallMinutes(other, zone), `${date} ${time} ${zone}: an earlier occurrence`).not.toBe(asked);
    }
    return;
  }
  const moved = shown - asked;
  expect(moved, `${date} ${time} ${zone} moved backwards`).toBeGreaterThan(0);
  // Moved by the gap: the offset after the change minus the offset just before it.
  expect(moved, `${date} ${time} ${zone}: moved by other than the gap`).toBe(
    tz.offset(instant) - tz.offset(instant - moved * MINUTE),
  );
}

describe('dates, times and zones under random input', () => {
  it(`the schedule grammar and field readers throw nothing but user errors (${RUNS_GRAMMAR} cases)`, () => {
    const word = fc.oneof(
      anyDate,
      anyTime,
      fc.constantFrom(
        'every',
        'week',
        '2 weeks',
        'weeks',
        'month',
        'until',
        'for',
        'sessions',
        'session',
        'length',
        'mode',
        'at',
        'link',
        'online',
        'hybrid',
        'in-person',
        'https://meet.example.org/x',
        'http://',
        'javascript:alert(1)',
        'Room 3',
        '@here',
        '<!channel>',
        '90',
        '0',
        '999999',
        '15',
        '241',
        'PA',
        '"PA Cohort A"',
        'am',
        'pm',
      ),
      fc.string({ maxLength: 10 }),
    );
    let planned = 0;
    fc.assert(
      fc.property(fc.array(word, { maxLength: 12 }), (words) => {
        try {
          const { raw } = splitScheduleLine(tokenize(words.join(' ')), 'usage');
          const { plan, errors } = readPlan(raw, 60);
          if (plan) {
            planned++;
            expect(errors).toEqual([]);
            expect(isLocalDate(plan.date) && isLocalTime(plan.time)).toBe(true);
            expect(plan.minutes).toBeGreaterThanOrEqual(15);
            expect(plan.minutes).toBeLessThanOrEqual(240);
            if (plan.rule) expect(() => expandDates(plan.date, plan.rule!)).not.toThrow(TypeError);
          } else expect(errors.length).toBeGreaterThan(0);
        } catch (error) {
          if (!(error instanceof UserError)) throw error;
        }
      }),
      { numRuns: RUNS_GRAMMAR, seed: SEED },
    );
    expect(planned).toBeGreaterThan(0);
  });

  it(`resolves any local date and time in any zone by the policy, or refuses it with a RangeError (${RUNS_RESOLVE} cases)`, () => {
    let resolved = 0;
    fc.assert(
      fc.property(anyDate, anyTime, anyZone, (date, time, zone) => {
        let instant: number;
        try {
          instant = resolveLocal(date, time, zone);
        } catch (error) {
          expect(error).toBeInstanceOf(RangeError);
          expect(isLocalDate(date) && isLocalTime(time) && IANAZone.isValidZone(zone)).toBe(false);
          return;
        }
        expect(Number.isFinite(instant)).toBe(true);
        expect(isLocalDate(date) && isLocalTime(time)).toBe(true);
        // Before 1970 the zone database holds local mean times with offsets in seconds, and
        // sessions are never planned in the past anyway: the policy is checked from 1970 on.
        if (date >= '1970') {
          checkResolved(date, time, zone, instant);
          resolved++;
        }
      }),
      { numRuns: RUNS_RESOLVE, seed: SEED },
    );
    expect(resolved).toBeGreaterThan(RUNS_RESOLVE / 4);
  });

  it(`a weekly series in any zone keeps its wall-clock time, or moves forward by the gap (${RUNS_SERIES} cases)`, () => {
    const time = fc.oneof(
      fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${pad(h)}:${pad(m)}`),
      fc.constantFrom('00:00', '00:30', '01:30', '02:00', '02:30', '03:00', '23:30', '23:59'),
    );
    const first = fc
      .date({ min: new Date(Date.UTC(1970, 0, 1)), max: new Date(Date.UTC(2060, 0, 1)), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(
        fc.oneof(fc.constantFrom(...ZONES), fc.constantFrom(...ODD_ZONES)),
        first,
        time,
        fc.integer({ min: 1, max: 12 }),
        (zone, date, at, count) => {
          const dates = expandDates(date, { every: 'week', count });
          expect(dates).toHaveLength(count);
          dates.forEach((d, n) => {
            // Dates, not instants: exactly n weeks after the first, whatever the clocks do.
            expect(Date.parse(`${d}T00:00Z`) - Date.parse(`${date}T00:00Z`)).toBe(n * 7 * DAY);
            checkResolved(d, at, zone, resolveLocal(d, at, zone));
          });
        },
      ),
      { numRuns: RUNS_SERIES, seed: SEED },
    );
  });

  it('has a checker that would catch another policy', () => {
    const ny = 'America/New_York';
    // 02:30 on the spring-forward day is 03:30 EDT; 01:30 on the fall-back day is the EDT one.
    expect(() => checkResolved('2027-03-14', '02:30', ny, Date.UTC(2027, 2, 14, 7, 30))).not.toThrow();
    expect(() => checkResolved('2027-11-07', '01:30', ny, Date.UTC(2027, 10, 7, 5, 30))).not.toThrow();
    // Moved backwards (01:30 EST), or the second occurrence (01:30 EST on fall-back): caught.
    expect(() => checkResolved('2027-03-14', '02:30', ny, Date.UTC(2027, 2, 14, 6, 30))).toThrow();
    expect(() => checkResolved('2027-11-07', '01:30', ny, Date.UTC(2027, 10, 7, 6, 30))).toThrow();
    // Moved by more than the gap.
    expect(() => checkResolved('2027-03-14', '02:30', ny, Date.UTC(2027, 2, 14, 8, 30))).toThrow();
  });

  it('rejects a series past its limit as such, and an end before the start', () => {
    expect(() => expandDates('2027-01-01', { every: 'week', count: 201 })).toThrow(TooManySessions);
    expect(() => expandDates('2027-01-01', { every: 'week', until: '2026-12-31' })).toThrow(RangeError);
  });

  it(
    `the typed schedule command answers every date, time and zone, and a refusal changes nothing (${RUNS_COMMAND} cases)`,
    { timeout: 120_000 },
    async () => {
      const zonesUsed = new Set<string>();
      const fresh = async (): Promise<Harness> => {
        const h = createHarness(['console:coord']);
        await h.start();
        await h.run('coord', 'group create G');
        await h.run('coord', 'group add G @lee as leader');
        return h;
      };
      let h = await fresh();
      let done = 0;
      let accepted = 0;
      let dirty = false;
      const repeat = fc.option(fc.constantFrom('every week', 'every 2 weeks', 'every month', 'every fortnight'), {
        nil: undefined,
      });
      const end = fc.option(
        fc.oneof(
          anyDate.map((d) => `until ${d}`),
          fc.integer({ min: -1, max: 12 }).map((n) => `for ${n} sessions`),
          fc.constantFrom('for 201 sessions', 'for 0 sessions', 'for x sessions'),
        ),
        { nil: undefined },
      );
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...ZONES, ...ODD_ZONES),
          anyDate,
          anyTime,
          repeat,
          end,
          fc.constantFrom('coord', 'lee', 'zed'),
          async (zone, date, time, every, until, actor) => {
            // A bot that stored sessions is replaced, so every snapshot stays small.
            if (dirty) {
              await h.crash();
              h = await fresh();
              dirty = false;
            }
            const group = await h.services.roster.findGroup('G');
            await h.services.roster.configureGroup(group!.id, { timeZone: zone });
            zonesUsed.add(zone);
            const before = await h.snapshot();
            const line = ['schedule G', date, time, every, until].filter(Boolean).join(' ');
            const replies = await h.run(actor, line);
            expect(replies.length).toBeGreaterThan(0);
            const outcome = (JSON.parse(h.logs.lines.at(-1) ?? '{}') as { outcome?: string }).outcome;
            expect(outcome).not.toBe('failed');
            if (outcome === 'ok') {
              accepted++;
              dirty = true;
            } else expect(await h.snapshot()).toBe(before);
            done++;
          },
        ),
        { numRuns: RUNS_COMMAND, seed: SEED },
      );
      await h.crash();
      expect(done).toBe(RUNS_COMMAND);
      expect(accepted).toBeGreaterThan(0);
      expect(zonesUsed.size).toBeGreaterThan(Math.min(100, RUNS_COMMAND / 20));
    },
  );
});
