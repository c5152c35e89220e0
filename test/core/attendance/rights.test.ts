// Data rights for attendance: `forget` erases a member's marks (and says how many), and a
// facilitator's name from the marks they made, leaving the other members' records; survey
// links waiting for the person are cancelled with their other pending messages.
import { describe, expect, it } from 'vitest';
import { handleButton } from '../../../src/commands/actions.js';
import { plainText, replyCard } from '../../../src/core/cards.js';
import { createHarness, type Harness } from '../../support/harness.js';

async function world(): Promise<{ h: Harness; session: string }> {
  const h = createHarness(['console:coord']);
  await h.start();
  for (const line of [
    'group create PA Cohort A program PA tz America/New_York',
    'group add PA Cohort A @lee as leader',
    'group add PA Cohort A @ann @bo',
    'schedule PA Cohort A 2027-01-16 10:00',
    'schedule PA Cohort A 2027-03-16 10:00',
    'survey add PA Cohort A https://survey.example.edu/post after last',
  ])
    await h.run('coord', line);
  const group = await h.services.roster.findGroup('PA Cohort A');
  const session = (await h.services.schedule.upcoming(group?.id ?? ''))[0];
  await h.services.schedule.rsvp(session?.id ?? '', 'console:ann', 'yes');
  await h.clock.advanceTo(session?.start ?? 0);
  await h.run('lee', 'start PA Cohort A');
  await h.run('lee', 'end');
  await h.clock.advance(0);
  const card = h.chat.sent.find((s) => s.user === 'console:lee' && s.text.startsWith('Attendance: '))?.card;
  for (const b of card?.blocks.flatMap((x) => (x.type === 'actions' ? x.buttons : [])) ?? [])
    if (b.actionId === 'attendance:submit' || b.value.endsWith('/console:bo'))
      await handleButton(h.services, { actionId: b.actionId, value: b.value, actor: 'console:lee', place: 'dm' });
  return { h, session: session?.id ?? '' };
}

/** `forget` of someone with data asks first; the press of its button erases and answers. */
async function forget(h: Harness, name: string): Promise<string> {
  expect(await h.say('coord', `forget @${name}`)).toContain('Forget this person?');
  const replies = await handleButton(h.services, {
    actionId: 'forget:confirm',
    value: `console:${name}`,
    actor: 'console:coord',
    place: 'console:#general',
  });
  return replies.map((r) => plainText(replyCard(r))).join('\n');
}

describe('forget and attendance', () => {
  it("erases a member's attendance, says so, and leaves the others'", async () => {
    const { h, session } = await world();
    expect(await h.snapshot()).toContain('console:ann');
    expect(await forget(h, 'ann')).toContain('1 attendance mark,');
    expect(await h.snapshot()).not.toContain('console:ann');
    const sheet = await h.services.attendance.records.get(session);
    expect(Object.keys(sheet?.marks ?? {})).toEqual(['console:bo']);
    expect(await h.say('lee', 'attendance PA Cohort A')).toContain('Member: @bo\nAttendance: attended 1 of 1');
  });

  it("takes a facilitator's name off the marks they made and their card, keeping the marks", async () => {
    const { h, session } = await world();
    expect(await forget(h, 'lee')).toContain('0 attendance marks,');
    expect(await h.snapshot()).not.toContain('console:lee');
    const sheet = await h.services.attendance.records.get(session);
    expect(sheet?.marks['console:bo']?.present).toBe(true);
    expect(sheet?.marks['console:bo']?.by).toBeUndefined();
    expect(sheet?.cards).toEqual({});
  });

  it('cancels the survey links still waiting for the person', async () => {
    const { h } = await world();
    await forget(h, 'ann');
    await h.clock.advanceTo(Date.UTC(2027, 3, 1));
    const surveys = h.chat.sent.filter((s) => s.text.startsWith('A survey for'));
    expect(surveys.map((s) => s.user)).toEqual(['console:bo']);
  });
});
