// The environment of a real bot process serving the room display: Slack mode against the fake
// Slack on loopback, a fresh SQLite file in `dir`, a scaled test clock. Shared by the room
// display's browser test and its benchmark, so both run the bot the same way.
import { join } from 'node:path';
import { BOT_TOKEN, SIGNING_SECRET } from '../adapters/slack/fake-slack.js';

export interface RoomBotOptions {
  apiUrl: string;
  dir: string;
  /** `slack:<team>:<user>` of the one coordinator. */
  coordinator: string;
  speed: number;
  origin: number;
}

export function roomBotEnv(o: RoomBotOptions): Record<string, string> {
  return {
    NODE_ENV: 'test',
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: o.apiUrl,
    PORT: '0',
    STORE_URL: `sqlite://${join(o.dir, 'balint.sqlite')}`,
    BALINT_COORDINATORS: o.coordinator,
    BALINT_DEFAULT_TIMEZONE: 'UTC',
    BALINT_PUBLIC_URL: 'https://balint.example.edu',
    BALINT_TEST_CLOCK_SPEED: String(o.speed),
    BALINT_TEST_CLOCK_ORIGIN: String(o.origin),
    LOG_LEVEL: 'info',
  };
}
