// Property: the `schedule` form (a Slack modal, a Teams card), submitted with any values in any
// field by anyone, never throws and never fails; a rejected form answers with an error beside
// each field at fault, quotes nothing back, and writes nothing.
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FORM_ERROR_FIELD, handleForm } from '../../src/commands/forms.js';
import { SCHEDULE_FORM, scheduleForm } from '../../src/commands/schedule/schedule-form.js';
import { createHarness, type Harness } from '../support/harness.js';

const RUNS = Number(process.env.FUZZ_RUNS_FORMS ?? 6_000);
const SEED = 20261128;
const MARKER = `zq${randomBytes(5).toString('hex')}`;
const FIELDS = new Set([...scheduleForm([]).fields.map((f) => f.id), FORM_ERROR_FIELD]);

const junk = fc.oneof(
  fc.string({ maxLength: 14 }),
  fc.constant(MARKER),
  fc.string({ maxLength: 4 }).map((s) => `${MARKER}${s}`),
  fc.constantFrom('', ' ', '\u0000', '\n'),
);
// Mostly left empty, as people leave optional fields; else a value, good or bad.
const optional = <T>(value: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: 2 }, { arbitrary: value, weight: 1 });
const mostly = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: good, weight: 4 }, { arbitrary: bad, weight: 1 });
const field = {
  date: mostly(
    fc.constantFrom('2027-02-01', '2027-03-14', '2028-02-29', '2027-11-07'),
    fc.oneof(
      fc.constantFrom('2027-02-01', '2027-03-14', '2027-02-29', '2028-02-29', '2026-01-01', '2027-13-01', '2027-11-07'),
      junk,
    ),
  ),
  time: mostly(
    fc.constantFrom('16:00', '12am', '12pm', '02:30', '4pm', '4:30 pm', '01:30'),
    fc.oneof(
      fc.constantFrom('16:00', '24:00', '12am', '12pm', '02:30', '4pm', '4:30 pm', '00:00', '23:59', '13pm'),
      junk,
    ),
  ),
  every: fc.oneof(fc.constantFrom('once', 'week', '2 weeks', 'month', 'year'), junk),
  count: fc.oneof(fc.integer({ min: -2, max: 205 }).map(String), fc.constantFrom('1e3', '3.5', '0x10'), junk),
  until: fc.oneof(fc.constantFrom('2027-03-01', '2027-01-01', '2031-01-01', '2027-02-29'), junk),
  length: fc.oneof(fc.integer({ min: 0, max: 300 }).map(String), fc.constantFrom('90 min', '60m', '1h'), junk),
  mode: fc.oneof(fc.constantFrom('in-person', 'online', 'hybrid', 'ONLINE', 'remote'), junk),
  place: fc.oneof(fc.constantFrom('Room 3, Main St', 'a'.repeat(101), '<@U123>', '@here', 'Room `3`'), junk),
  link: fc.oneof(
    fc.constantFrom(
      'https://meet.example.org/pa',
      'http://x.y',
      'javascript:alert(1)',
      'ftp://x.y',
      `https://x.y/${'a'.repeat(600)}`,
      'https://a b',
    ),
    junk,
  ),
};

describe('the schedule form under random input', () => {
  it(
    `answers every submission; a rejection names its fields, quotes nothing and writes nothing (${RUNS} cases)`,
    { timeout: 120_000 },
    async () => {
      let groupId = '';
      const fresh = async (): Promise<Harness> => {
        const h = createHarness(['console:coord']);
        await h.start();
        await h.run('coord', 'group create PA Cohort A tz America/New_York');
        await h.run('coord', 'group add PA Cohort A @lee as leader');
        await h.run('coord', 'group add PA Cohort A @ann');
        await h.run('coord', 'group create Other Group tz Pacific/Apia');
        groupId = (await h.services.roster.findGroup('PA Cohort A'))!.id;
        return h;
      };
      let h = await fresh();
      let dirty = false;
      const seen = { accepted: 0, rejected: 0 };
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('coord', 'lee', 'coord', 'lee', 'ann', 'zed'),
          fc.oneof({ arbitrary: fc.constant('mine'), weight: 4 }, fc.constant('other'), junk, fc.constant(undefined)),
          fc.record(
            Object.fromEntries(
              Object.entries(field).map(([k, v]) => [
                k,
                k === 'date' || k === 'time' ? mostly(v, fc.constant(undefined)) : optional(v),
              ]),
            ) as { [K in keyof typeof field]: fc.Arbitrary<string | undefined> },
          ),
          async (actor, group, values) => {
            if (dirty) {
              await h.crash();
              h = await fresh();
              dirty = false;
            }
            const other = (await h.services.roster.findGroup('Other Group'))!.id;
            const chosen = group === 'mine' ? groupId : group === 'other' ? other : group;
            const before = await h.snapshot();
            const logsBefore = h.logs.lines.length;
            const result = await handleForm(h.services, {
              formId: SCHEDULE_FORM,
              values: { ...values, group: chosen },
              actor: `console:${actor}`,
              place: 'console:#general',
            });
            const line = JSON.parse(h.logs.lines.at(-1) ?? '{}') as { event?: string; msg?: string; outcome?: string };
            expect(h.logs.lines.length).toBeGreaterThan(logsBefore);
            expect(line.outcome).not.toBe('failed');
            expect(h.logs.lines.slice(logsBefore).join('\n')).not.toContain(MARKER);
            if (result.accepted) {
              seen.accepted++;
              dirty = true;
              expect(result.replies.length).toBeGreaterThan(0);
              return;
            }
            seen.rejected++;
            const fields = Object.keys(result.errors);
            expect(fields.length).toBeGreaterThan(0);
            for (const f of fields) expect(FIELDS.has(f), `an error beside an unknown field ${f}`).toBe(true);
            expect(JSON.stringify(result.errors)).not.toContain(MARKER);
            expect(await h.snapshot()).toBe(before);
          },
        ),
        { numRuns: RUNS, seed: SEED },
      );
      await h.crash();
      expect(seen.accepted).toBeGreaterThan(RUNS / 100);
      expect(seen.rejected).toBeGreaterThan(RUNS / 2);
    },
  );
});
