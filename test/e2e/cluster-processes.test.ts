// Three real bot processes (`node --import tsx src/main.ts`) in Slack mode over one Redis, and
// again over one PostgreSQL, with one fake Slack Web API recording every call. Signed slash
// commands and button presses go round-robin to the three. Time runs 180× faster
// (BALINT_TEST_CLOCK_SPEED, one origin for every process), so a 45-minute session takes 15 s.
// From the fake's record: each reminder, invite and phase post goes out exactly once; the lease
// holder killed with SIGKILL just before a phase boundary, the boundary's post still arrives
// within the lease time, and the jobs it had taken on run on the next holder, once; 200
// simultaneous RSVP presses spread over the instances all land; presses in flight on an
// instance that is killed are lost or land whole, and the others go on.
import { DateTime } from 'luxon';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SharedStore } from '../../src/adapters/store/shared-store.js';
import type { Session } from '../../src/core/schedule/session.js';
import type { Timer } from '../../src/core/timer/service.js';
import {
  BOT_TOKEN,
  FakeSlack,
  fixture,
  payloadBody,
  sendSigned,
  SIGNING_SECRET,
  slashBody,
  type Call,
} from '../adapters/slack/fake-slack.js';
import { leaseHolder, startBotProcess, type BotProcess } from '../support/bot-process.js';
import { STORE_UNAVAILABLE_MESSAGE } from '../../src/commands/plumbing/run-logged.js';
import { dropPrefix, openShared, runPrefix, describeOnServices, urlOf } from '../support/services.js';

const SPEED = 180;
const MIN = 60_000;
/** One bot minute in real milliseconds. */
const REAL_MIN = MIN / SPEED;
const TTL = 2_000;
/** Room for a loaded 2-core machine between "due" and "arrived", beyond the lease time. */
const SLACK_MS = 2_000;
const TEAM = 'T0001';
const COORDINATOR = 'U0001';
const LEADER = 'U0002';
const STUDENTS = ['U0101', 'U0102', 'U0103', 'U0104'];
const CHANNEL = 'C0A01';
const GROUP = 'PA Cohort A';
const PRESSES = 200;
// The 45-minute preset under strict pacing: the case call waits until the leader says there is
// a case, then presentation 5, clarifying 5, push back 22, presenter returns 8, wrap up 3 (a
// warning 2 minutes before its end), on the clock. Boundaries in minutes from the case.
const PRESENTATION_ENDS = 5;
const POSTS_45 = [
  'Welcome to the Balint group',
  'Presentation',
  'Clarifying questions',
  'Push back',
  'Presenter returns',
  'Wrap up',
  'Two minutes left',
  'Thank you',
];

const firstLine = (call: Call) =>
  String(call.params.text ?? '')
    .split('\n')[0]
    ?.replace(/^\*|\*$/g, '') ?? '';
const hookPath = (url: string) => url.replace(/^http:\/\/127\.0\.0\.1:\d+/, '');

await describeOnServices('three bot processes on %s', (kind) => {
  const prefix = runPrefix();
  const fake = new FakeSlack({ directChannelPerUser: true });
  const bots: BotProcess[] = [];
  let reader: SharedStore | undefined;
  let origin = 0;
  /** The rotation invite's instant, fixed in each process's environment at start. */
  let inviteAt = 0;
  let turn = 0;
  const botNow = () => origin + (Date.now() - origin) * SPEED;
  const realAt = (botTime: number) => origin + (botTime - origin) / SPEED;

  const env = (): Record<string, string> => ({
    NODE_ENV: 'test',
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    STORE_URL: urlOf(kind),
    BALINT_STORE_PREFIX: prefix,
    BALINT_LEASE_TTL_MS: String(TTL),
    BALINT_TEST_CLOCK_SPEED: String(SPEED),
    BALINT_TEST_CLOCK_ORIGIN: String(origin),
    BALINT_COORDINATORS: `slack:${TEAM}:${COORDINATOR}`,
    BALINT_DEFAULT_TIMEZONE: 'UTC',
    BALINT_ROTATION_INVITE_TIME: DateTime.fromMillis(inviteAt, { zone: 'UTC' }).toFormat('HH:mm'),
    LOG_LEVEL: 'info',
    PORT: '0',
  });

  /** The next living instance, round-robin. */
  const nextBot = (): BotProcess => {
    const living = bots.filter((b) => b.alive());
    return living[turn++ % living.length] as BotProcess;
  };

  /** A signed slash command to the next instance; resolves with its private answer. */
  async function command(user: string, text: string, channel = 'C0001'): Promise<string> {
    const body = slashBody(fake, { user_id: user, text, channel_id: channel, team_id: TEAM });
    const hook = hookPath(new URLSearchParams(body).get('response_url') ?? '');
    const sent = await sendSigned(nextBot().port, 'slash-command', body);
    expect(sent.status).toBe(200);
    await fake.until(() => fake.hooks.some((h) => h.path === hook), 15_000);
    return fake.hooks
      .filter((h) => h.path === hook)
      .map((h) => String(h.body.text))
      .join('\n');
  }

  const postsTo = (channel: string) => fake.callsOf('chat.postMessage').filter((c) => c.params.channel === channel);
  /** The opening and the announcements: not the live card re-posted under each of them. */
  const announcedIn = (channel: string) =>
    postsTo(channel).filter((c) => !JSON.stringify(c.params.blocks ?? []).includes('timer:next'));
  const held = () => leaseHolder(bots);

  beforeAll(async () => {
    await fake.start();
    origin = Date.now();
    // 45 bot minutes (15 s) from now: the processes start and the rotation is added first.
    inviteAt = Math.ceil((botNow() + 45 * MIN) / MIN) * MIN;
    bots.push(...(await Promise.all([0, 1, 2].map((i) => startBotProcess(`${kind}-${i}`, env())))));
    reader = await openShared(kind, prefix);
    for (const began = Date.now(); !held(); await sleep(20))
      if (Date.now() - began > 10_000) throw new Error('no instance took the lease');
  }, 60_000);

  afterAll(async () => {
    await Promise.all(bots.map((b) => b.stop()));
    await reader?.store.close();
    await fake.stop();
    await dropPrefix(kind, prefix);
  }, 30_000);

  it('sends each reminder, invite and phase post once, and goes on within the lease time after the holder is killed', async () => {
    const people = [LEADER, ...STUDENTS];
    expect(await command(COORDINATOR, `group create ${GROUP} program PA tz UTC preset 45`)).toContain('Group created');
    await command(COORDINATOR, `group add ${GROUP} <@${LEADER}> as leader`);
    await command(COORDINATOR, `group add ${GROUP} ${STUDENTS.map((s) => `<@${s}>`).join(' ')}`);
    await command(COORDINATOR, `group set ${GROUP} reminders 10m,5m`);
    // The session the rotation invite points to, with reminders 2 and 7 minutes after the invite.
    const sessionAt = DateTime.fromMillis(inviteAt + 12 * MIN, { zone: 'UTC' });
    await command(COORDINATOR, `schedule ${GROUP} ${sessionAt.toFormat('yyyy-MM-dd')} ${sessionAt.toFormat('HH:mm')}`);
    const end = DateTime.fromMillis(inviteAt, { zone: 'UTC' });
    expect(
      await command(
        COORDINATOR,
        `rotation add <@${STUDENTS[0]}> Surgery ${end.minus({ days: 27 }).toFormat('yyyy-MM-dd')} ${end.toFormat('yyyy-MM-dd')}`,
      ),
    ).toContain('Rotation added');
    // The invite and the reminders come due after the takeover below (at most ttl = 6 minutes).
    expect(botNow(), 'the processes took so long to start that the invite would come before the takeover').toBeLessThan(
      inviteAt - 10 * MIN,
    );

    // Strict pacing: after the case call, the phases run on the clock (set after the check above,
    // which is about the processes' start-up alone).
    await command(COORDINATOR, `group set ${GROUP} pacing strict`);
    const startedOn = nextBot();
    const startBody = slashBody(fake, { user_id: LEADER, text: `start ${GROUP}`, channel_id: CHANNEL, team_id: TEAM });
    expect((await sendSigned(startedOn.port, 'slash-command', startBody)).status).toBe(200);
    await fake.until(() => postsTo(CHANNEL).length >= 2, 10_000);
    const timerId = await reader?.store.get<string>('channel-timers', `slack:${TEAM}:${CHANNEL}`);
    // We have a case: the presentation begins, and from here the phases run on the clock.
    const nextBody = slashBody(fake, { user_id: LEADER, text: 'next', channel_id: CHANNEL, team_id: TEAM });
    expect((await sendSigned(nextBot().port, 'slash-command', nextBody)).status).toBe(200);
    await fake.until(() => announcedIn(CHANNEL).some((c) => firstLine(c) === 'Presentation'), 10_000);
    const timer = timerId ? await reader?.store.get<Timer>('timers', timerId) : undefined;
    const caseAt = timer?.events.find((e) => e.type === 'advanced')?.at;
    if (caseAt === undefined) throw new Error('no case in the store');

    // Killed half a minute after the case: the tick enqueued on whichever instance took the
    // command is the holder's by now; the invite, reminders and every later tick (the end of the
    // presentation first) are the next holder's.
    const boundary = caseAt + PRESENTATION_ENDS * MIN;
    await sleep(realAt(caseAt + 0.5 * MIN) - Date.now());
    const holder = held();
    if (!holder) throw new Error('nobody holds the lease');
    await holder.kill9();
    const killedAt = Date.now();
    expect(killedAt, 'killed after the boundary: the machine was too slow to mean anything').toBeLessThan(
      realAt(boundary),
    );
    expect(announcedIn(CHANNEL).map(firstLine)).toEqual(POSTS_45.slice(0, 2));
    const others = bots.filter((b) => b !== holder);
    // Another instance takes the lease within the ttl (+ one retry) and posts the boundary.
    await fake.until(() => leaseHolder(others) !== undefined, TTL * 3, 10);
    const takeover = Date.now() - killedAt;
    await fake.until(
      () => announcedIn(CHANNEL).some((c) => firstLine(c) === 'Clarifying questions'),
      TTL * 3 + 2 * SLACK_MS,
      10,
    );
    const boundaryPost = announcedIn(CHANNEL).find((c) => firstLine(c) === 'Clarifying questions') as Call;
    expect(takeover).toBeLessThanOrEqual(TTL + SLACK_MS);
    expect(boundaryPost.at).toBeLessThanOrEqual(realAt(boundary) + TTL + SLACK_MS);
    console.info(
      `${kind}: lease taken over ${takeover} ms after the kill; the boundary's post came ${Math.round(boundaryPost.at - realAt(boundary))} ms after its time`,
    );

    // The session runs to its end on the survivors, every announcement once and in order.
    await fake.until(() => announcedIn(CHANNEL).some((c) => firstLine(c) === 'Thank you'), 48 * REAL_MIN + TTL, 20);
    await sleep(3 * REAL_MIN);
    expect(announcedIn(CHANNEL).map(firstLine)).toEqual(POSTS_45);

    await sleep(Math.max(0, realAt(inviteAt + 8 * MIN) - Date.now()));
    // Two reminders to each of the five, one invite to the student whose rotation ended, the leader's
    // debrief note and attendance card; nothing else.
    for (const person of people) {
      // The attendance card goes to the leader once the session ended: counted once, whatever its tally.
      const direct = postsTo(`D${person}`)
        .map(firstLine)
        .map((line) => (line.startsWith(`Attendance: ${GROUP}`) ? 'Attendance card' : line));
      const expected =
        person === STUDENTS[0]
          ? [`Welcome back: ${GROUP}`, `Balint session: ${GROUP}`, `Balint session: ${GROUP}`]
          : person === LEADER
            ? [`Balint session: ${GROUP}`, `Balint session: ${GROUP}`, 'A moment for the two of you', 'Attendance card']
            : [`Balint session: ${GROUP}`, `Balint session: ${GROUP}`];
      expect(direct.sort(), person).toEqual(expected.sort());
    }
    const reminders = people.flatMap((p) => postsTo(`D${p}`).filter((c) => firstLine(c).startsWith('Balint session')));
    // Each reminder came at its time (10 and 5 minutes before the session), not one lease later.
    for (const call of reminders) {
      const due = [inviteAt + 2 * MIN, inviteAt + 7 * MIN].map(realAt);
      expect(due.some((d) => call.at >= d - 50 && call.at <= d + SLACK_MS)).toBe(true);
    }
    const invite = postsTo(`D${STUDENTS[0]}`).find((c) => firstLine(c).startsWith('Welcome back')) as Call;
    expect(invite.at).toBeGreaterThanOrEqual(realAt(inviteAt) - 50);
    expect(invite.at).toBeLessThanOrEqual(realAt(inviteAt) + SLACK_MS);
    // Only the three kinds of post, to these channels: no digest (nobody waits), nothing twice.
    const channels = new Set(fake.callsOf('chat.postMessage').map((c) => String(c.params.channel)));
    expect([...channels].sort()).toEqual([CHANNEL, ...people.map((p) => `D${p}`)].sort());
  }, 90_000);

  let rsvpSession: Session | undefined;
  const members = Array.from({ length: PRESSES }, (_, i) => `U1${String(i).padStart(4, '0')}`);
  const press = fixture<
    Record<string, unknown> & { user: Record<string, unknown>; actions: Array<Record<string, unknown>> }
  >('block-actions-button.json');
  /** An RSVP press as Slack sends it, answered at its own response_url (returned as a path). */
  const rsvpPress = (user: string, answer: 'yes' | 'no', sessionId: string, tag: string) => {
    const url = fake.hookUrl(`rsvp/${tag}/${user}`);
    const payload = {
      ...press,
      user: { ...press.user, id: user },
      response_url: url,
      actions: [{ ...press.actions[0], action_id: `rsvp:${answer}`, value: `${answer}:${sessionId}` }],
    };
    return { body: payloadBody(payload), hook: hookPath(url) };
  };
  const answerAt = (hook: string) => fake.hooks.find((h) => h.path === hook)?.body.text as string | undefined;
  const storedRsvps = async () =>
    (await (reader as SharedStore).store.get<Session>('sessions', (rsvpSession as Session).id))?.rsvps ?? {};
  const slackId = (user: string) => `slack:${TEAM}:${user}`;

  it(`lands ${PRESSES} simultaneous RSVP presses spread over the instances`, async () => {
    // The killed instance comes back (same settings, same time line), so presses go to three.
    const dead = bots.findIndex((b) => !b.alive());
    if (dead >= 0) bots[dead] = await startBotProcess(`${kind}-${dead}-again`, env());
    const big = 'RSVP Cohort';
    await command(COORDINATOR, `group create ${big} program PA tz UTC preset 60`);
    await command(COORDINATOR, `group set ${big} reminders none`);
    for (let i = 0; i < members.length; i += 25) {
      await command(
        COORDINATOR,
        `group add ${big} ${members
          .slice(i, i + 25)
          .map((m) => `<@${m}>`)
          .join(' ')}`,
      );
    }
    const day = DateTime.fromMillis(botNow() + 3 * 24 * 60 * MIN, { zone: 'UTC' }).toFormat('yyyy-MM-dd');
    await command(COORDINATOR, `schedule ${big} ${day} 16:00`);
    let session: Session | undefined;
    for await (const [, s] of (reader as SharedStore).store.entries<Session>('sessions'))
      if (s.date === day && s.time === '16:00') session = s;
    if (!session) throw new Error('the session was not stored');
    rsvpSession = session;
    const sessionId = session.id;

    const hooks: string[] = [];
    const answers = members.map((user, i) => ({ user, answer: i % 3 === 0 ? 'no' : 'yes' }) as const);
    const ports = new Map<number, number>();
    const results = await Promise.all(
      answers.map(({ user, answer }) => {
        const { body, hook } = rsvpPress(user, answer, sessionId, 'first');
        hooks.push(hook);
        const bot = nextBot();
        ports.set(bot.port, (ports.get(bot.port) ?? 0) + 1);
        return sendSigned(bot.port, 'interactivity', body);
      }),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect([...ports.values()]).toEqual([67, 67, 66]);
    await fake.until(() => hooks.every((h) => fake.hooks.some((x) => x.path === h)), 30_000, 20);
    const replies = fake.hooks.filter((h) => hooks.includes(h.path)).map((h) => String(h.body.text));
    expect(replies.filter((r) => r.startsWith("Thanks, you're down as going"))).toHaveLength(
      answers.filter((a) => a.answer === 'yes').length,
    );
    expect(replies.filter((r) => r.startsWith("Noted: you can't make it"))).toHaveLength(
      answers.filter((a) => a.answer === 'no').length,
    );

    expect(await storedRsvps()).toEqual(Object.fromEntries(answers.map(({ user, answer }) => [slackId(user), answer])));
  }, 60_000);

  it('loses or lands whole the presses in flight on an instance that is killed, and the others go on', async () => {
    const before = await storedRsvps();
    const sessionId = (rsvpSession as Session).id;
    const flip = (user: string) => (before[slackId(user)] === 'yes' ? 'no' : 'yes');
    // 100 presses to one instance (not the lease holder: this is about requests, not jobs).
    const victim = bots.find((b) => b.alive() && b !== held()) as BotProcess;
    const doomed = members.slice(0, 100).map((user) => ({ user, ...rsvpPress(user, flip(user), sessionId, 'doomed') }));
    const acks = await Promise.all(doomed.map((p) => sendSigned(victim.port, 'interactivity', p.body)));
    // Slack has its 200s: the work after the acks is under way when the process dies.
    expect(acks.every((a) => a.status === 200)).toBe(true);
    await fake.until(() => doomed.some((p) => answerAt(p.hook) !== undefined), 10_000, 1);
    await victim.kill9();
    const killedAt = Date.now();

    // Straight after, presses on the survivors for other people: they may wait for the dead
    // instance's lock on the session (10 s ttl) but are answered, and those that say so land.
    const survivors = bots.filter((b) => b.alive());
    const later = members.slice(100, 150).map((user) => ({ user, ...rsvpPress(user, flip(user), sessionId, 'later') }));
    await Promise.all(
      later.map((p, i) => sendSigned((survivors[i % survivors.length] as BotProcess).port, 'interactivity', p.body)),
    );
    await fake.until(() => later.every((p) => answerAt(p.hook) !== undefined), 25_000, 20);
    const waited = Date.now() - killedAt;
    const after = await storedRsvps();
    const retry = later.filter((p) => answerAt(p.hook) === STORE_UNAVAILABLE_MESSAGE);
    for (const p of later) {
      const answer = answerAt(p.hook) as string;
      if (answer === STORE_UNAVAILABLE_MESSAGE) expect(after[slackId(p.user)], p.user).toBe(before[slackId(p.user)]);
      else expect(after[slackId(p.user)], `${p.user}: ${answer}`).toBe(flip(p.user));
    }
    // The victim's presses: those it confirmed landed; the rest landed whole or not at all.
    const confirmed = doomed.filter((p) => answerAt(p.hook) !== undefined);
    for (const p of confirmed) expect(after[slackId(p.user)]).toBe(flip(p.user));
    const lost = doomed.filter((p) => after[slackId(p.user)] === before[slackId(p.user)]);
    expect(Object.keys(after)).toHaveLength(PRESSES);
    for (const answer of Object.values(after)) expect(['yes', 'no']).toContain(answer);
    console.info(
      `${kind}: killed with ${doomed.length} presses acknowledged: ${confirmed.length} confirmed, ${doomed.length - confirmed.length - lost.length} landed unconfirmed, ${lost.length} lost; ${later.length} presses on the survivors answered within ${waited} ms of the kill (${retry.length} asked to try again)`,
    );
  }, 60_000);
});
