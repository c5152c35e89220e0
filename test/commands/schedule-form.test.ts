// The `schedule` form: accepted as a whole or refused field by field, nothing stored on refusal,
// and a group id in the submission is checked again.
import { beforeEach, describe, expect, it } from 'vitest';
import { handleForm } from '../../src/commands/forms.js';
import { plainText, replyCard } from '../../src/core/cards.js';
import type { Group } from '../../src/core/model.js';
import { createHarness, type Harness } from '../support/harness.js';

let h: Harness;
let pa: Group;
let pt: Group;

beforeEach(async () => {
  h = createHarness(['console:coord']);
  await h.start();
  await h.run('coord', 'group create PA Cohort A tz America/New_York');
  await h.run('coord', 'group add PA Cohort A @lee as leader');
  await h.run('coord', 'group create PT Group');
  pa = (await h.services.roster.findGroup('PA Cohort A')) as Group;
  pt = (await h.services.roster.findGroup('PT Group')) as Group;
});

const submit = (actor: string, values: Record<string, string | undefined>) =>
  handleForm(h.services, { formId: 'schedule', values, actor: `console:${actor}`, place: 'console:#general' });

describe('the schedule form', () => {
  it('stores a series and answers privately', async () => {
    const result = await submit('lee', {
      group: pa.id,
      date: '2027-03-04',
      time: '16:00',
      every: '2 weeks',
      count: '3',
      mode: 'online',
      link: 'https://meet.example.org/x',
    });
    expect(result.accepted).toBe(true);
    if (!result.accepted) return;
    expect(plainText(replyCard(result.replies[0] as never))).toContain('3 sessions scheduled: PA Cohort A');
    const sessions = await h.services.schedule.upcoming(pa.id);
    expect(sessions.map((s) => s.date)).toEqual(['2027-03-04', '2027-03-18', '2027-04-01']);
    expect(sessions[0]).toMatchObject({ mode: 'online', link: 'https://meet.example.org/x', minutes: 60 });
  });

  it('skips the dates of the Skip dates field, and refuses one outside the series beside it', async () => {
    const base = { group: pa.id, date: '2027-03-04', time: '16:00', every: 'week', count: '3' };
    const before = await h.snapshot();
    expect(await submit('lee', { ...base, except: '2027-03-12' })).toEqual({
      accepted: false,
      errors: { except: expect.stringMatching(/not one of the series' dates/) },
    });
    expect(await submit('lee', { ...base, except: 'zzsecretzz' })).toEqual({
      accepted: false,
      errors: { except: expect.stringMatching(/Skip dates are written YYYY-MM-DD/) },
    });
    expect(await h.snapshot()).toBe(before);
    const result = await submit('lee', { ...base, except: '2027-03-11' });
    expect(result.accepted).toBe(true);
    expect((await h.services.schedule.upcoming(pa.id)).map((s) => s.date)).toEqual(['2027-03-04', '2027-03-18']);
  });

  it('reports each bad field beside its field id, and stores nothing', async () => {
    const before = await h.snapshot();
    const result = await submit('lee', {
      group: pa.id,
      date: '2027-02-30',
      time: '25:00',
      every: 'week',
      length: '5',
      place: '<@U1>',
      link: 'ftp://x',
    });
    expect(result).toEqual({
      accepted: false,
      errors: {
        date: expect.stringMatching(/not a date I can use/),
        time: expect.stringMatching(/not a time I can use/),
        length: expect.stringMatching(/from 15 to 240/),
        place: expect.stringMatching(/without < > @/),
        link: expect.stringMatching(/web address/),
        count: expect.stringMatching(/needs an end/),
      },
    });
    expect(await submit('lee', { group: pa.id, date: '2027-01-02', time: '16:00', every: 'once' })).toEqual({
      accepted: false,
      errors: { date: expect.stringMatching(/already passed/) },
    });
    expect(
      await submit('lee', { group: pa.id, date: '2027-03-04', time: '16:00', every: 'week', count: '201' }),
    ).toEqual({
      accepted: false,
      errors: { count: expect.stringMatching(/at most 200/) },
    });
    expect(
      await submit('lee', { group: pa.id, date: '2027-03-04', time: '16:00', every: 'week', until: '2032-01-01' }),
    ).toEqual({
      accepted: false,
      errors: { until: expect.stringMatching(/at most 200/) },
    });
    expect(
      await submit('lee', { group: pa.id, date: '2027-03-04', time: '16:00', every: 'fortnight', count: '3' }),
    ).toEqual({
      accepted: false,
      errors: { every: expect.stringMatching(/every week, every 2 weeks or every month/) },
    });
    expect(await h.snapshot()).toBe(before);
  });

  it('refuses a group the person may not plan for, or one that does not exist', async () => {
    const before = await h.snapshot();
    for (const group of [pt.id, 'grp_0000000000000000', undefined]) {
      expect(await submit('lee', { group, date: '2027-03-04', time: '16:00' })).toEqual({
        accepted: false,
        errors: { group: 'Pick one of the groups you plan for.' },
      });
    }
    expect(await h.snapshot()).toBe(before);
  });
});
