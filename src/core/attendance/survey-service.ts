// Sends survey links on each group's schedule. Two steps, as reminders do: one job per survey
// and session (`survey:<survey>:<session>:<start>`) at the link's time, which fans out one job
// per member (`surveyto:<survey>:<session>:<user>`), each persisted before its message goes.
// A program's survey is the same per group of the program ("before first" is each group's own
// first session); session ids are unique across groups, so the keys stay one per group too.
// Jobs read the truth when they run: a removed survey, a cancelled or moved session, a session
// that is no longer its group's first or last, or a group that left the program sends nothing.
import { card, context, heading, text, type Card } from '../cards.js';
import { notFound } from '../plumbing/errors.js';
import type { UserId } from '../plumbing/ids.js';
import type { Job, JobQueue } from '../jobs/queue.js';
import type { Group, Program } from '../model.js';
import type { ChatPort, Clock, Logger, Store } from '../ports.js';
import type { Roster } from '../roster.js';
import type { ScheduleService } from '../schedule/service.js';
import { endOf, type Session } from '../schedule/session.js';
import { SurveyRecords } from './survey-records.js';
import { newSurveyId, surveyAppliesTo, type Survey, type SurveyTiming } from './survey.js';

export const SURVEY_JOB = 'survey.due';
export const SURVEY_TO_JOB = 'survey.send';

type DuePayload = { survey: string; session: string; start: number; until?: number };
type SendPayload = DuePayload & { user: string };

/** "Before first": the day before the group's first session. */
const BEFORE_MS = 24 * 3_600_000;

export interface SurveyDeps {
  store: Store;
  roster: Roster;
  schedule: ScheduleService;
  chat: ChatPort;
  jobs: JobQueue;
  clock: Clock;
  logger: Logger;
  newId?: () => string;
}

/** A "before first" link is of no use once the session has begun. */
const stale = (job: Job, lateMs: number): boolean => {
  const until = (job.payload as DuePayload).until;
  return until !== undefined && job.dueAt + lateMs >= until;
};

export function surveyCard(groupName: string, url: string): Card {
  return card(
    heading(`A survey for ${groupName}`),
    text('Your program asks you to fill in a short survey. It opens in the program’s own survey tool:'),
    // The address as text too: every renderer shows it (and makes it a link), with or without link buttons.
    text(url),
    { type: 'actions', buttons: [], links: [{ label: 'Open the survey', url }] },
    context('The Balint bot only sends this link: it never sees your answers.'),
  );
}

export class SurveyService {
  readonly records: SurveyRecords;
  private readonly newId: () => string;

  constructor(private readonly deps: SurveyDeps) {
    this.records = new SurveyRecords(deps.store);
    this.newId = deps.newId ?? newSurveyId;
    deps.jobs.register<DuePayload>(SURVEY_JOB, (job) => this.fanOut(job), { staleAfterMs: stale });
    deps.jobs.register<SendPayload>(SURVEY_TO_JOB, (job) => this.send(job.payload), {
      staleAfterMs: stale,
      maxAttempts: 3,
    });
  }

  /** Attaches a link to one group, or to every group of a program (those added later too). */
  async add(
    target: { group: Group } | { program: Program },
    url: string,
    timing: SurveyTiming,
  ): Promise<{ survey: Survey; armed: number }> {
    const survey: Survey = {
      id: this.newId(),
      ...('group' in target ? { groupId: target.group.id } : { program: target.program }),
      url,
      timing,
      createdAt: this.deps.clock.now(),
      sent: 0,
    };
    await this.records.put(survey);
    this.deps.logger.info('survey.added', { ...('group' in target ? { group: target.group.id } : {}), action: timing });
    let armed = 0;
    for (const group of await this.groupsOf(survey)) armed += await this.arm(survey, group.id);
    return { survey, armed };
  }

  async remove(id: string): Promise<Survey> {
    const survey = await this.records.get(id);
    if (!survey || !(await this.records.remove(id)))
      throw notFound("I don't see that survey. `survey list` shows them.");
    // Its pending jobs find it gone and send nothing; cancelling them keeps the queue tidy.
    for (const job of await this.deps.jobs.pending())
      if (job.idempotencyKey.startsWith(`survey:${id}:`) || job.idempotencyKey.startsWith(`surveyto:${id}:`))
        await this.deps.jobs.cancel(job.idempotencyKey);
    return survey;
  }

  /** After sessions were scheduled or moved: every survey of the group is armed for them. */
  async sync(groupId: string): Promise<number> {
    const group = await this.deps.roster.getGroup(groupId);
    if (!group) return 0;
    let armed = 0;
    for (const survey of await this.records.forGroup(group)) armed += await this.arm(survey, group.id);
    return armed;
  }

  /** The groups a survey is for now: its group, or every group of its program. */
  private async groupsOf(survey: Survey): Promise<Group[]> {
    return (await this.deps.roster.groups()).filter((g) => surveyAppliesTo(survey, g));
  }

  /** The sessions of one group a survey goes out for, with when. Idempotent. */
  private async arm(survey: Survey, groupId: string): Promise<number> {
    const now = this.deps.clock.now();
    let armed = 0;
    for (const { session, dueAt, until } of await this.targets(survey, groupId)) {
      if (until !== undefined && until <= now) continue;
      // Sessions that ended before the survey was added get no "after every" link.
      if (survey.timing === 'after every' && dueAt < now) continue;
      const payload: DuePayload = {
        survey: survey.id,
        session: session.id,
        start: session.start,
        ...(until !== undefined ? { until } : {}),
      };
      await this.deps.jobs.enqueue(
        SURVEY_JOB,
        Math.max(dueAt, now),
        payload,
        `survey:${survey.id}:${session.id}:${session.start}`,
      );
      armed++;
    }
    return armed;
  }

  private async sessions(groupId: string): Promise<Session[]> {
    const ids = await this.deps.schedule.records.idsFrom(groupId, 0);
    return (await this.deps.schedule.records.load(ids)).filter((s) => s.status === 'scheduled');
  }

  private async targets(
    survey: Survey,
    groupId: string,
  ): Promise<Array<{ session: Session; dueAt: number; until?: number }>> {
    const sessions = await this.sessions(groupId);
    const first = sessions[0];
    const last = sessions.at(-1);
    switch (survey.timing) {
      case 'before first':
        return first ? [{ session: first, dueAt: first.start - BEFORE_MS, until: first.start }] : [];
      case 'after last':
        return last ? [{ session: last, dueAt: endOf(last) }] : [];
      case 'after every':
        return sessions.map((s) => ({ session: s, dueAt: endOf(s) }));
    }
  }

  /** The survey and group a job is still for, or undefined when it should send nothing. */
  private async current(payload: DuePayload): Promise<{ survey: Survey; group: Group } | undefined> {
    const survey = await this.records.get(payload.survey);
    const session = survey && (await this.deps.schedule.records.get(payload.session));
    const group = session && (await this.deps.roster.getGroup(session.groupId));
    if (!survey || !group || !surveyAppliesTo(survey, group)) return undefined;
    const still = (await this.targets(survey, group.id)).some(
      (t) => t.session.id === payload.session && t.session.start === payload.start,
    );
    return still ? { survey, group } : undefined;
  }

  private async fanOut(job: Job<DuePayload>): Promise<void> {
    const found = await this.current(job.payload);
    if (!found) return;
    const members = found.group.members.filter((m) => m.role === 'member');
    for (const m of members)
      await this.deps.jobs.enqueue<SendPayload>(
        SURVEY_TO_JOB,
        this.deps.clock.now(),
        { ...job.payload, user: m.user },
        `surveyto:${job.payload.survey}:${job.payload.session}:${m.user}`,
      );
    this.deps.logger.info('survey.due', { group: found.group.id, session: job.payload.session, count: members.length });
  }

  private async send(payload: SendPayload): Promise<void> {
    const found = await this.current(payload);
    const user: UserId = payload.user;
    if (!found || !found.group.members.some((m) => m.user === user && m.role === 'member')) return;
    await this.deps.chat.direct(user, surveyCard(found.group.name, found.survey.url));
    await this.records.countSent(found.survey.id);
  }
}
