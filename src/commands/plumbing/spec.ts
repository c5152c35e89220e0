// What a command is: its words, who may run it, how it is written, and what it does.
// `help` is generated from these specs, so a command is documented where it is defined.
import type { AttendanceService } from '../../core/attendance/service.js';
import type { SurveyService } from '../../core/attendance/survey-service.js';
import type { Reply } from '../../core/cards.js';
import type { Place, UserId } from '../../core/plumbing/ids.js';
import type { DataRights } from '../../core/forget.js';
import type { Clock, Logger } from '../../core/ports.js';
import type { Access, Roster } from '../../core/roster.js';
import type { RoomLinks } from '../../core/room/links.js';
import type { RotationService } from '../../core/rotations/service.js';
import type { CalendarFeeds } from '../../core/schedule/feeds.js';
import type { ScheduleService } from '../../core/schedule/service.js';
import type { TimerService } from '../../core/timer/service.js';
import type { Token } from './tokens.js';

/**
 * Who a command is for. The dispatcher refuses anyone outside the audience before the command
 * runs; a command still checks group-specific rights itself (a leader of *this* group).
 */
export type Audience = 'anyone' | 'member' | 'facilitator' | 'leader' | 'coordinator';

export interface Services {
  roster: Roster;
  timers: TimerService;
  schedule: ScheduleService;
  calendars: CalendarFeeds;
  /** The room display's private link per channel. */
  rooms: RoomLinks;
  rotations: RotationService;
  attendance: AttendanceService;
  surveys: SurveyService;
  /** `forget`: erases one person from everything the bot keeps. */
  rights: DataRights;
  clock: Clock;
  logger: Logger;
  defaultTimeZone: string;
}

export interface CommandContext {
  actor: UserId;
  place: Place;
  access: Access;
  services: Services;
  /** How commands are typed on this platform (`/balint ` on Slack and the terminal). */
  prefix: string;
  /** The user a mention token stands for, or undefined when the token is not a mention. */
  mention(token: string): UserId | undefined;
  /** The person's IANA zone where the platform knows it; else show times in the group's zone. */
  actorTimeZone?: string;
}

export interface CommandSpec {
  /** The words that select the command, e.g. `group add`. */
  verb: string;
  /** Arguments after the verb, e.g. `<group> <@user…> [as leader|co-leader|member]`. */
  args: string;
  summary: string;
  audience: Audience;
  run(ctx: CommandContext, args: Token[]): Promise<Reply[]>;
}

export const usage = (spec: Pick<CommandSpec, 'verb' | 'args'>, prefix: string): string =>
  `${prefix}${spec.verb}${spec.args ? ` ${spec.args}` : ''}`;
