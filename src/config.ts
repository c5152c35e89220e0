// Reads and checks the environment once, at start-up. Every mistake is reported on its own
// line naming the variable; values of secrets are never repeated back.
import { IANAZone } from 'luxon';
import { isUserId, type UserId } from './core/ids.js';
import type { LogLevel } from './core/ports.js';

export interface Config {
  storeUrl: string;
  coordinators: UserId[] | undefined;
  defaultTimeZone: string;
  /** Undefined when not set: the terminal chat then keeps quiet below warnings. */
  logLevel: LogLevel | 'silent' | undefined;
  /** Terminal chat only: run time this many times faster, to watch a session in a minute. */
  clockSpeed: number;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
const NOT_YET = ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN', 'MICROSOFT_APP_ID', 'TEAMS_ENABLED'];

export function readConfig(env: NodeJS.ProcessEnv): Config {
  const problems: string[] = [];
  const value = (name: string): string | undefined => {
    const raw = env[name]?.trim();
    return raw === '' ? undefined : raw;
  };

  const storeUrl = value('STORE_URL') ?? 'sqlite://./data/balint.sqlite';
  if (!/^sqlite:\/\/.+/.test(storeUrl) && storeUrl !== 'memory://') {
    problems.push('STORE_URL: must be sqlite://<path> (e.g. sqlite://./data/balint.sqlite) or memory://');
  }

  let coordinators: UserId[] | undefined;
  const coordinatorList = value('BALINT_COORDINATORS');
  if (coordinatorList !== undefined) {
    coordinators = coordinatorList.split(',').map((id) => id.trim()).filter(Boolean);
    const bad = coordinators.filter((id) => !isUserId(id));
    if (bad.length > 0 || coordinators.length === 0) {
      problems.push(
        `BALINT_COORDINATORS: expected comma-separated user ids such as slack:T0123:U0456, teams:<tenant>:<user>, console:alice; ${bad.length || 'no'} entr${bad.length === 1 ? 'y is' : 'ies are'} not`,
      );
    }
  }

  const defaultTimeZone = value('BALINT_DEFAULT_TIMEZONE') ?? 'UTC';
  if (!IANAZone.isValidZone(defaultTimeZone)) problems.push(`BALINT_DEFAULT_TIMEZONE: "${defaultTimeZone}" is not an IANA time zone (e.g. America/New_York)`);

  const logLevel = value('LOG_LEVEL')?.toLowerCase();
  if (logLevel !== undefined && !(LOG_LEVELS as readonly string[]).includes(logLevel)) problems.push(`LOG_LEVEL: must be one of ${LOG_LEVELS.join(', ')}`);

  const speedText = value('BALINT_CLOCK_SPEED') ?? '1';
  const clockSpeed = Number(speedText);
  if (!Number.isFinite(clockSpeed) || clockSpeed < 1 || clockSpeed > 3600) problems.push('BALINT_CLOCK_SPEED: must be a number from 1 to 3600');

  for (const name of NOT_YET) {
    if (value(name) !== undefined) problems.push(`${name}: the Slack and Teams adapters are not in this build yet; unset it to use the terminal chat`);
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return { storeUrl, coordinators, defaultTimeZone, logLevel: logLevel as Config['logLevel'], clockSpeed };
}
