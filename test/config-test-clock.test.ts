// The compressed clock the crash tests run the server on: refused outside NODE_ENV=test, and
// checked like every other variable.
import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '../src/app/config.js';
import { scaledClock } from '../src/adapters/clock/scaled-clock.js';

const slack = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'secret' };
const problems = (env: NodeJS.ProcessEnv): string[] => {
  try {
    readConfig(env);
    return [];
  } catch (error) {
    return error instanceof ConfigError ? error.problems : ['not a ConfigError'];
  }
};

describe('BALINT_TEST_CLOCK_SPEED', () => {
  it('runs the server on a scaled clock from a fixed origin under NODE_ENV=test', () => {
    const config = readConfig({
      ...slack,
      NODE_ENV: 'test',
      BALINT_TEST_CLOCK_SPEED: '150',
      BALINT_TEST_CLOCK_ORIGIN: '1790000000000',
    });
    expect(config.testClock).toEqual({ speed: 150, origin: 1_790_000_000_000 });
    expect(readConfig({ ...slack }).testClock).toBeUndefined();
  });

  it('is refused outside tests, and needs a valid speed and origin', () => {
    expect(problems({ ...slack, BALINT_TEST_CLOCK_SPEED: '150', BALINT_TEST_CLOCK_ORIGIN: '1790000000000' })).toEqual([
      'BALINT_TEST_CLOCK_SPEED: for automated tests only (NODE_ENV=test); unset it and BALINT_TEST_CLOCK_ORIGIN',
    ]);
    expect(problems({ ...slack, NODE_ENV: 'production', BALINT_TEST_CLOCK_ORIGIN: '1' })).toHaveLength(1);
    expect(
      problems({ ...slack, NODE_ENV: 'test', BALINT_TEST_CLOCK_SPEED: '0', BALINT_TEST_CLOCK_ORIGIN: '1' }),
    ).toEqual(['BALINT_TEST_CLOCK_SPEED: must be a number from 1 to 3600']);
    expect(problems({ ...slack, NODE_ENV: 'test', BALINT_TEST_CLOCK_SPEED: '60' })[0]).toMatch(
      /^BALINT_TEST_CLOCK_ORIGIN: required/,
    );
  });

  it('continues one time line across restarts: the same origin gives the same simulated time', () => {
    let real = 1_000_000;
    const origin = real;
    const first = scaledClock(60, () => real, origin);
    real += 5_000;
    const atKill = first.now();
    real += 2_000; // the restart
    const second = scaledClock(60, () => real, origin);
    expect(atKill).toBe(origin + 5_000 * 60);
    expect(second.now()).toBe(origin + 7_000 * 60);
    expect(second.now()).toBeGreaterThan(atKill);
  });
});
