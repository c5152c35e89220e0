import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '../src/config.js';

const problemsOf = (env: NodeJS.ProcessEnv): string[] => {
  try {
    readConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('configuration', () => {
  it('has working defaults: the embedded SQLite store and the terminal chat', () => {
    expect(readConfig({})).toEqual({
      storeUrl: 'sqlite://./data/balint.sqlite',
      coordinators: undefined,
      defaultTimeZone: 'UTC',
      logLevel: undefined,
      clockSpeed: 1,
    });
  });

  it('reads every variable', () => {
    expect(
      readConfig({
        STORE_URL: 'memory://',
        BALINT_COORDINATORS: 'slack:T0001:U0001, console:alice',
        BALINT_DEFAULT_TIMEZONE: 'Europe/Budapest',
        LOG_LEVEL: 'DEBUG',
        BALINT_CLOCK_SPEED: '60',
      }),
    ).toEqual({
      storeUrl: 'memory://',
      coordinators: ['slack:T0001:U0001', 'console:alice'],
      defaultTimeZone: 'Europe/Budapest',
      logLevel: 'debug',
      clockSpeed: 60,
    });
  });

  it('names each mistake on its own line, and never repeats a secret', () => {
    const problems = problemsOf({
      STORE_URL: 'mysql://db',
      BALINT_COORDINATORS: 'alice,slack:T1:U1',
      BALINT_DEFAULT_TIMEZONE: 'Mars/Olympus',
      LOG_LEVEL: 'loud',
      BALINT_CLOCK_SPEED: '0',
      SLACK_BOT_TOKEN: 'xoxb-secret-value',
    });
    expect(problems.map((p) => p.split(':')[0])).toEqual([
      'STORE_URL', 'BALINT_COORDINATORS', 'BALINT_DEFAULT_TIMEZONE', 'LOG_LEVEL', 'BALINT_CLOCK_SPEED', 'SLACK_BOT_TOKEN',
    ]);
    expect(problems.join('\n')).not.toContain('xoxb-secret-value');
    expect(problems[1]).toContain('1 entry is not');
  });
});
