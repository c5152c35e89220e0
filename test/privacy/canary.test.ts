// A unique marker pushed through every command, as arguments and as garbage, by people of
// every kind. It may be stored only as the group name the bot asked for, and shown back only
// as that name; it must never reach a log line.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { handleButton } from '../../src/commands/actions.js';
import { commands } from '../../src/commands/registry.js';
import { plainText, replyCard } from '../../src/core/cards.js';
import { createHarness } from '../support/harness.js';

const MARKER = `cnry${randomBytes(6).toString('hex')}`;

function inputsFor(verb: string): string[] {
  return [
    `${verb} ${MARKER}`,
    `${verb} "${MARKER} ${MARKER}"`,
    `${verb} ${MARKER} program ${MARKER} tz ${MARKER} preset ${MARKER}`,
    `${verb} PA Cohort A ${MARKER}`,
    `${verb} PA Cohort A @ann as ${MARKER}`,
    `${verb} PA Cohort A tz ${MARKER}`,
    `${verb} PA Cohort A pushback ${MARKER}`,
    `${verb} PA Cohort A pacing ${MARKER}`,
    `${verb} <@${MARKER}> ${MARKER}`,
    `${verb} ${MARKER}\u0000\n${MARKER}`,
  ];
}

describe('the privacy canary', () => {
  it('never logs, stores or echoes free text, except a group name where it was asked for', async () => {
    const h = createHarness(['console:coord']);
    await h.run('coord', 'group create PA Cohort A');
    await h.run('coord', 'group add PA Cohort A @lee as leader');
    await h.run('coord', 'group add PA Cohort A @ann');

    const echoed: Array<{ line: string; answer: string }> = [];
    for (const actor of ['coord', 'lee', 'ann', 'stranger']) {
      for (const line of [MARKER, `${MARKER} ${MARKER}`, ...commands.flatMap((spec) => inputsFor(spec.verb))]) {
        const sentBefore = h.chat.sent.length;
        const replies = await h.run(actor, line);
        // Every input is answered: privately, or (a timer command) by a post in the channel.
        expect(replies.length + h.chat.sent.length - sentBefore).toBeGreaterThan(0);
        // The one message that may carry it is an attendance card, headed by the group's name
        // (`attendance take` for the group named by the marker), sent to the facilitator only.
        for (const sent of h.chat.sent.slice(sentBefore))
          if (sent.text.includes(MARKER)) {
            expect(line.startsWith('attendance take')).toBe(true);
            expect(sent.kind).toBe('direct');
            expect(sent.text.replace(/^Attendance: [^,]+, /, '')).not.toContain(MARKER);
          }
        for (const reply of replies) {
          const answer = plainText(replyCard(reply));
          if (answer.includes(MARKER)) echoed.push({ line, answer });
        }
      }
    }
    // The one input that asks for free text is a group's name: a coordinator's `group create`
    // shows the new name back, and `group show` shows it to the group's people.
    expect(echoed.length).toBeGreaterThan(0);
    for (const { line, answer } of echoed) {
      // `sessions <group>` heads its list with the group's name, as `group show` does.
      if (line.startsWith('sessions')) expect(answer).toMatch(/^Upcoming sessions: /);
      // `rotations <group>` (coordinators) heads its list with the group's name too.
      else if (line.startsWith('rotations')) expect(answer).toMatch(/^Rotations: /);
      // `attendance <group>` heads a group's figures (or one's own) with its name too.
      else if (line.startsWith('attendance')) expect(answer).toMatch(/^(Your a|A)ttendance: /);
      // `survey list <group>` names each survey's group.
      else if (line.startsWith('survey list')) expect(answer).toMatch(/^Survey links\n/);
      else {
        expect(line.startsWith('group create')).toBe(true);
        expect(answer).toMatch(/^Group created: /);
      }
    }
    expect(await h.say('coord', `group show ${MARKER}`)).toMatch(new RegExp(`^${MARKER}\n`));
    expect(h.logs.lines.length).toBeGreaterThan(100);
    expect(h.logs.lines.filter((line) => line.includes(MARKER))).toEqual([]);

    const stored = JSON.parse(await h.snapshot()) as { groups: Record<string, { name: string }> };
    const names = Object.values(stored.groups).map((g) => g.name);
    expect(names).toContain(MARKER);
    for (const group of Object.values(stored.groups)) group.name = '(name)';
    // (Opening and closing words are asked-for fields too; see the test below.)
    expect(JSON.stringify(stored)).not.toContain(MARKER);
  });

  it("stores a group's own opening words where they were asked for, shows them only in its sessions, and logs them nowhere", async () => {
    const h = createHarness(['console:coord']);
    await h.start();
    await h.run('coord', 'group create PA Cohort A');
    await h.run('coord', `group set PA Cohort A opening ${MARKER} stays here`);
    await h.run('coord', 'start PA Cohort A');
    expect(h.chat.posts()[0]?.text).toContain(`${MARKER} stays here`);
    expect(h.logs.lines.join('\n')).not.toContain(MARKER);
    const stored = JSON.parse(await h.snapshot()) as { groups: Record<string, { openingText?: string }> } & Record<
      string,
      unknown
    >;
    for (const group of Object.values(stored.groups)) delete group.openingText;
    expect(JSON.stringify(stored)).not.toContain(MARKER);
  });

  it('stores a survey link where it was asked for, shows it to coordinators and members only, and logs it nowhere', async () => {
    const h = createHarness(['console:coord']);
    await h.start();
    await h.run('coord', 'group create PA Cohort A');
    await h.run('coord', 'group add PA Cohort A @lee as leader');
    await h.run('coord', 'group add PA Cohort A @ann');
    await h.run('coord', 'schedule PA Cohort A 2027-02-01 16:00');
    const link = `https://survey.example.edu/${MARKER}?t=${MARKER}`;
    expect(await h.say('coord', `survey add PA Cohort A ${link} after every`)).toContain(`Link: ${link}`);
    for (const bad of [`http://survey.example.edu/${MARKER}`, `https://${MARKER}:${MARKER}@survey.example.edu/`])
      expect(await h.say('coord', `survey add PA Cohort A ${bad} after last`)).not.toContain(MARKER);
    expect(await h.say('lee', 'survey list')).not.toContain(MARKER);
    // The other new inputs: a requirement, a survey id, the timing words, and card buttons.
    for (const line of [
      `group set PA Cohort A attendance ${MARKER} of 8`,
      `group set PA Cohort A attendance 6 of ${MARKER}`,
      `survey remove ${MARKER}`,
      `survey add PA Cohort A https://survey.example.edu/x ${MARKER} ${MARKER}`,
      `attendance take ${MARKER}`,
    ])
      expect(await h.say('coord', line)).not.toContain(MARKER);
    for (const [actionId, value] of [
      ['attendance:toggle', `${MARKER}/console:ann`],
      ['attendance:toggle', `ses_000000000000/${MARKER}`],
      ['attendance:submit', MARKER],
    ] as const) {
      const replies = await handleButton(h.services, {
        actionId,
        value,
        actor: 'console:lee',
        place: 'console:#general',
      });
      expect(replies.map((r) => plainText(replyCard(r))).join('\n')).not.toContain(MARKER);
    }
    expect(await h.say('ann', 'attendance')).not.toContain(MARKER);
    await h.clock.advanceTo(Date.UTC(2027, 1, 2));
    const sent = h.chat.sent.filter((s) => s.text.includes(MARKER));
    expect(sent.map((s) => [s.kind, s.user])).toEqual([['direct', 'console:ann']]);
    expect(h.logs.lines.join('\n')).not.toContain(MARKER);
    const stored = JSON.parse(await h.snapshot()) as { surveys: Record<string, { url?: string }> } & Record<
      string,
      unknown
    >;
    for (const survey of Object.values(stored.surveys)) delete survey.url;
    expect(JSON.stringify(stored)).not.toContain(MARKER);
  });

  it('never echoes, stores or logs the skip dates of a series', async () => {
    const h = createHarness(['console:coord']);
    await h.start();
    await h.run('coord', 'group create PA Cohort A');
    const before = await h.snapshot();
    for (const skip of [MARKER, `2027-03-09,${MARKER}`, `"${MARKER} ${MARKER}"`])
      expect(
        await h.say('coord', `schedule PA Cohort A 2027-03-02 16:00 every week for 3 sessions except ${skip}`),
      ).not.toContain(MARKER);
    expect(await h.snapshot()).toBe(before);
    expect(h.logs.lines.join('\n')).not.toContain(MARKER);
  });

  it('keeps an internal error message out of the logs and the answer', async () => {
    const h = createHarness(['console:coord']);
    const roster = h.services.roster;
    roster.groups = async () => {
      throw new Error(`database said ${MARKER}`);
    };
    const answer = await h.say('coord', `groups`);
    expect(answer).toBe('Something went wrong on my side. Please try again in a moment.');
    const failure = h.logs.lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.outcome === 'failed');
    expect(failure).toMatchObject({ event: 'command.done', command: 'groups', code: 'Error', level: 50 });
    expect(h.logs.lines.join('\n')).not.toContain(MARKER);
  });
});
