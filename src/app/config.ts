// Reads and checks the environment once, at start-up. Every mistake is reported on its own
// line naming the variable; values of secrets are never repeated back.
import { IANAZone } from 'luxon';
import { isUserId, type UserId } from '../core/plumbing/ids.js';
import type { SlackConfig } from '../adapters/slack/config.js';
import type { TeamsConfig } from '../adapters/teams/config.js';
import type { LogLevel } from '../core/ports.js';
import { DEFAULT_RETENTION_DAYS, MAX_RETENTION_DAYS, MIN_RETENTION_DAYS } from '../core/retention.js';

export interface Config {
  storeUrl: string;
  /** Redis/Postgres: names this deployment's keys, tables and channels (default balint). */
  storePrefix?: string;
  /** Redis/Postgres: how long the job lease outlives an instance that died (default 8000 ms). */
  leaseTtlMs?: number;
  coordinators: UserId[] | undefined;
  defaultTimeZone: string;
  /** Undefined when not set: the terminal chat then keeps quiet below warnings. */
  logLevel: LogLevel | 'silent' | undefined;
  /** Terminal chat only: run time this many times faster, to watch a session in a minute. */
  clockSpeed: number;
  /**
   * Tests only (NODE_ENV=test): the server's clock runs `speed` times faster from the fixed
   * `origin` (epoch ms), so every restart of one crash trial shares one time line.
   */
  testClock?: { speed: number; origin: number };
  port: number;
  /** Where people reach the bot's HTTP server (calendar feed links). */
  publicUrl?: string;
  /** Post-rotation invites: the local time on a rotation's last day, and how many days ahead a session counts. */
  rotations?: { inviteTime?: string; windowDays?: number };
  /** Days sessions (with their RSVPs), timers and rotations are kept after they ended. */
  retentionDays?: number;
  slack?: SlackConfig;
  teams?: TeamsConfig;
  production: boolean;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
const APP_TYPES = ['SingleTenant', 'MultiTenant', 'UserAssignedMSI'] as const;
const STORE_SCHEMES = /^(sqlite:\/\/.+|memory:\/\/|redis(s)?:\/\/.+|postgres(ql)?:\/\/.+)$/;

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

export function readConfig(env: NodeJS.ProcessEnv): Config {
  const problems: string[] = [];
  const value = (name: string): string | undefined => {
    const raw = env[name]?.trim();
    return raw === '' ? undefined : raw;
  };

  const storeUrl = value('STORE_URL') ?? 'sqlite://./data/balint.sqlite';
  if (!STORE_SCHEMES.test(storeUrl)) {
    problems.push(
      'STORE_URL: must be sqlite://<path> (e.g. sqlite://./data/balint.sqlite), memory://, redis://… or postgres://…',
    );
  }

  const storePrefix = value('BALINT_STORE_PREFIX');
  if (storePrefix !== undefined && !/^[a-z][a-z0-9_]{0,30}$/.test(storePrefix))
    problems.push(
      'BALINT_STORE_PREFIX: lower-case letters, digits and underscores, starting with a letter (e.g. balint)',
    );
  const leaseTtl = value('BALINT_LEASE_TTL_MS');
  const leaseTtlMs = leaseTtl === undefined ? undefined : Number(leaseTtl);
  if (leaseTtlMs !== undefined && (!Number.isInteger(leaseTtlMs) || leaseTtlMs < 500 || leaseTtlMs > 60_000))
    problems.push('BALINT_LEASE_TTL_MS: a whole number of milliseconds from 500 to 60000');

  let coordinators: UserId[] | undefined;
  const coordinatorList = value('BALINT_COORDINATORS');
  if (coordinatorList !== undefined) {
    coordinators = coordinatorList
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean);
    const bad = coordinators.filter((id) => !isUserId(id));
    if (bad.length > 0 || coordinators.length === 0) {
      problems.push(
        `BALINT_COORDINATORS: expected comma-separated user ids such as slack:T0123:U0456, teams:<tenant>:<user>, console:alice; ${bad.length || 'no'} entr${bad.length === 1 ? 'y is' : 'ies are'} not`,
      );
    }
  }

  const defaultTimeZone = value('BALINT_DEFAULT_TIMEZONE') ?? 'UTC';
  if (!IANAZone.isValidZone(defaultTimeZone))
    problems.push(`BALINT_DEFAULT_TIMEZONE: "${defaultTimeZone}" is not an IANA time zone (e.g. America/New_York)`);

  const logLevel = value('LOG_LEVEL')?.toLowerCase();
  if (logLevel !== undefined && !(LOG_LEVELS as readonly string[]).includes(logLevel))
    problems.push(`LOG_LEVEL: must be one of ${LOG_LEVELS.join(', ')}`);

  const clockSpeed = Number(value('BALINT_CLOCK_SPEED') ?? '1');
  if (!Number.isFinite(clockSpeed) || clockSpeed < 1 || clockSpeed > 3600)
    problems.push('BALINT_CLOCK_SPEED: must be a number from 1 to 3600');

  const port = Number(value('PORT') ?? '3000');
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push('PORT: must be a port number from 0 to 65535');

  const publicUrl = value('BALINT_PUBLIC_URL')?.replace(/\/+$/, '');
  if (publicUrl !== undefined && !isHttpUrl(publicUrl))
    problems.push('BALINT_PUBLIC_URL: must be an http(s) URL such as https://balint.example.edu');

  const inviteTime = value('BALINT_ROTATION_INVITE_TIME');
  if (inviteTime !== undefined && !/^([01]\d|2[0-3]):[0-5]\d$/.test(inviteTime))
    problems.push('BALINT_ROTATION_INVITE_TIME: must be a 24-hour time HH:MM, such as 17:00');
  const windowText = value('BALINT_ROTATION_WINDOW_DAYS');
  const windowDays = windowText === undefined ? undefined : Number(windowText);
  if (windowDays !== undefined && (!Number.isInteger(windowDays) || windowDays < 1 || windowDays > 90))
    problems.push('BALINT_ROTATION_WINDOW_DAYS: must be a whole number of days from 1 to 90');
  const rotations =
    inviteTime || windowDays
      ? { ...(inviteTime ? { inviteTime } : {}), ...(windowDays ? { windowDays } : {}) }
      : undefined;

  const retentionText = value('BALINT_RETENTION_DAYS');
  const retentionDays = retentionText === undefined ? undefined : Number(retentionText);
  if (
    retentionDays !== undefined &&
    (!/^\d+$/.test(retentionText ?? '') || retentionDays < MIN_RETENTION_DAYS || retentionDays > MAX_RETENTION_DAYS)
  ) {
    problems.push(
      `BALINT_RETENTION_DAYS: must be a whole number of days from ${MIN_RETENTION_DAYS} to ${MAX_RETENTION_DAYS} (default ${DEFAULT_RETENTION_DAYS})`,
    );
  }

  const production = value('NODE_ENV') === 'production';
  const testClock = readTestClock(value, problems);
  const slack = readSlack(value, problems);
  const teams = readTeams(value, problems, ['development', 'test'].includes(value('NODE_ENV') ?? ''));
  if (clockSpeed !== 1 && (slack || teams))
    problems.push('BALINT_CLOCK_SPEED: only for the terminal chat; unset it when Slack or Teams is configured');

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    storeUrl,
    ...(storePrefix ? { storePrefix } : {}),
    ...(leaseTtlMs !== undefined ? { leaseTtlMs } : {}),
    coordinators,
    defaultTimeZone,
    logLevel: logLevel as Config['logLevel'],
    clockSpeed,
    port,
    production,
    ...(testClock ? { testClock } : {}),
    ...(publicUrl ? { publicUrl } : {}),
    ...(rotations ? { rotations } : {}),
    ...(retentionDays !== undefined ? { retentionDays } : {}),
    ...(slack ? { slack } : {}),
    ...(teams ? { teams } : {}),
  };
}

type Read = (name: string) => string | undefined;

/**
 * BALINT_TEST_CLOCK_SPEED and BALINT_TEST_CLOCK_ORIGIN: the crash-restart tests compress a
 * session into seconds. Refused outside NODE_ENV=test: a bot on a fast clock would send real
 * reminders at the wrong times.
 */
function readTestClock(value: Read, problems: string[]): Config['testClock'] {
  const speedText = value('BALINT_TEST_CLOCK_SPEED');
  const originText = value('BALINT_TEST_CLOCK_ORIGIN');
  if (speedText === undefined && originText === undefined) return undefined;
  if (value('NODE_ENV') !== 'test') {
    problems.push(
      'BALINT_TEST_CLOCK_SPEED: for automated tests only (NODE_ENV=test); unset it and BALINT_TEST_CLOCK_ORIGIN',
    );
    return undefined;
  }
  const speed = Number(speedText ?? '1');
  const origin = Number(originText);
  if (!Number.isFinite(speed) || speed < 1 || speed > 3600)
    problems.push('BALINT_TEST_CLOCK_SPEED: must be a number from 1 to 3600');
  if (originText === undefined || !/^\d{1,15}$/.test(originText))
    problems.push(
      'BALINT_TEST_CLOCK_ORIGIN: required with BALINT_TEST_CLOCK_SPEED, the epoch milliseconds the trial began',
    );
  return { speed, origin };
}

function readSlack(value: Read, problems: string[]): SlackConfig | undefined {
  const botToken = value('SLACK_BOT_TOKEN');
  const signingSecret = value('SLACK_SIGNING_SECRET');
  const appToken = value('SLACK_APP_TOKEN');
  const apiUrl = value('SLACK_API_URL');
  if (!botToken && !signingSecret && !appToken) return undefined;
  if (!botToken) problems.push('SLACK_BOT_TOKEN: required with the other SLACK_ variables (a bot token, xoxb-…)');
  else if (!botToken.startsWith('xoxb-')) problems.push('SLACK_BOT_TOKEN: must be a bot token starting with xoxb-');
  if (!signingSecret)
    problems.push(
      "SLACK_SIGNING_SECRET: required with SLACK_BOT_TOKEN (Basic Information → Signing Secret in the app's settings)",
    );
  if (appToken && !appToken.startsWith('xapp-'))
    problems.push('SLACK_APP_TOKEN: must be an app-level token starting with xapp- (for Socket Mode)');
  if (apiUrl && !isHttpUrl(apiUrl))
    problems.push('SLACK_API_URL: must be an http(s) URL such as https://slack.com/api/');
  if (!botToken || !signingSecret) return undefined;
  return { botToken, signingSecret, ...(appToken ? { appToken } : {}), ...(apiUrl ? { apiUrl } : {}) };
}

/**
 * Teams without an app id accepts any activity as anyone. That is for emulators and tests only,
 * so it has to be asked for by NODE_ENV=development or test: a deploy that forgets NODE_ENV, or
 * names its stage "staging", is refused rather than left open.
 */
function readTeams(value: Read, problems: string[], unauthenticatedAllowed: boolean): TeamsConfig | undefined {
  const appId = value('MICROSOFT_APP_ID');
  const enabled = value('TEAMS_ENABLED');
  if (enabled !== undefined && enabled !== 'true' && enabled !== 'false')
    problems.push('TEAMS_ENABLED: must be true or false');
  if (!appId && enabled !== 'true') return undefined;
  const appType = value('MICROSOFT_APP_TYPE') ?? 'SingleTenant';
  if (!(APP_TYPES as readonly string[]).includes(appType))
    problems.push(`MICROSOFT_APP_TYPE: must be one of ${APP_TYPES.join(', ')}`);
  const appPassword = value('MICROSOFT_APP_PASSWORD');
  const tenantId = value('MICROSOFT_APP_TENANT_ID');
  if (appId) {
    if (!appPassword && appType !== 'UserAssignedMSI')
      problems.push('MICROSOFT_APP_PASSWORD: required with MICROSOFT_APP_ID');
    if (appType === 'SingleTenant' && !tenantId)
      problems.push('MICROSOFT_APP_TENANT_ID: required for a SingleTenant bot');
  } else if (!unauthenticatedAllowed) {
    problems.push(
      'TEAMS_ENABLED: Teams without MICROSOFT_APP_ID runs unauthenticated, which is allowed only with NODE_ENV=development or test',
    );
  }
  return {
    appType: appType as TeamsConfig['appType'],
    ...(appId ? { appId } : {}),
    ...(appPassword ? { appPassword } : {}),
    ...(tenantId ? { tenantId } : {}),
  };
}
