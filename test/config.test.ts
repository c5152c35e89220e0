import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '../src/app/config.js';

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
      port: 3000,
      production: false,
    });
  });

  it('reads every variable', () => {
    expect(
      readConfig({
        STORE_URL: 'redis://127.0.0.1:6379',
        BALINT_COORDINATORS: 'slack:T0001:U0001, console:alice',
        BALINT_DEFAULT_TIMEZONE: 'Europe/Budapest',
        LOG_LEVEL: 'DEBUG',
        PORT: '0',
        BALINT_PUBLIC_URL: 'https://balint.example.edu/',
        SLACK_BOT_TOKEN: 'xoxb-1',
        SLACK_SIGNING_SECRET: 'secret',
        SLACK_APP_TOKEN: 'xapp-1',
        SLACK_API_URL: 'http://127.0.0.1:9999/api/',
        MICROSOFT_APP_ID: 'app',
        MICROSOFT_APP_PASSWORD: 'pw',
        MICROSOFT_APP_TENANT_ID: 'tenant',
      }),
    ).toEqual({
      storeUrl: 'redis://127.0.0.1:6379',
      coordinators: ['slack:T0001:U0001', 'console:alice'],
      defaultTimeZone: 'Europe/Budapest',
      logLevel: 'debug',
      clockSpeed: 1,
      port: 0,
      production: false,
      publicUrl: 'https://balint.example.edu',
      slack: { botToken: 'xoxb-1', signingSecret: 'secret', appToken: 'xapp-1', apiUrl: 'http://127.0.0.1:9999/api/' },
      teams: { appId: 'app', appPassword: 'pw', appType: 'SingleTenant', tenantId: 'tenant' },
    });
  });

  it('names each mistake on its own line, and never repeats a secret', () => {
    const problems = problemsOf({
      STORE_URL: 'mysql://db',
      BALINT_COORDINATORS: 'alice,slack:T1:U1',
      BALINT_DEFAULT_TIMEZONE: 'Mars/Olympus',
      LOG_LEVEL: 'loud',
      BALINT_CLOCK_SPEED: '0',
      PORT: 'http',
      BALINT_PUBLIC_URL: 'balint.example.edu',
      SLACK_BOT_TOKEN: 'xoxp-secret-value',
    });
    expect(problems.map((p) => p.split(':')[0])).toEqual([
      'STORE_URL',
      'BALINT_COORDINATORS',
      'BALINT_DEFAULT_TIMEZONE',
      'LOG_LEVEL',
      'BALINT_CLOCK_SPEED',
      'PORT',
      'BALINT_PUBLIC_URL',
      'SLACK_BOT_TOKEN',
      'SLACK_SIGNING_SECRET',
    ]);
    expect(problems.join('\n')).not.toContain('xoxp-secret-value');
    expect(problems[1]).toContain('1 entry is not');
  });

  it('refuses Teams without authentication unless asked for by NODE_ENV=development or test', () => {
    for (const env of ['production', 'staging', undefined]) {
      expect(problemsOf({ TEAMS_ENABLED: 'true', ...(env ? { NODE_ENV: env } : {}) })).toEqual([
        'TEAMS_ENABLED: Teams without MICROSOFT_APP_ID runs unauthenticated, which is allowed only with NODE_ENV=development or test',
      ]);
    }
    expect(readConfig({ TEAMS_ENABLED: 'true', NODE_ENV: 'development' }).teams).toEqual({ appType: 'SingleTenant' });
    expect(readConfig({ TEAMS_ENABLED: 'true', NODE_ENV: 'test' }).teams).toEqual({ appType: 'SingleTenant' });
    expect(problemsOf({ MICROSOFT_APP_ID: 'app' })).toEqual([
      'MICROSOFT_APP_PASSWORD: required with MICROSOFT_APP_ID',
      'MICROSOFT_APP_TENANT_ID: required for a SingleTenant bot',
    ]);
  });

  it('keeps the fast clock to the terminal chat', () => {
    expect(problemsOf({ BALINT_CLOCK_SPEED: '60', SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' })).toEqual([
      'BALINT_CLOCK_SPEED: only for the terminal chat; unset it when Slack or Teams is configured',
    ]);
  });
});
