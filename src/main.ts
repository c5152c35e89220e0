// The composition root: read the configuration, open the store, build the services and start
// the chat. Without platform credentials that chat is the terminal.
import { existsSync } from 'node:fs';
import { stdin, stdout } from 'node:process';
import { createTerminal } from './adapters/console/terminal.js';
import { createPinoLogger } from './adapters/log/pino-logger.js';
import { openStore } from './adapters/store/open-store.js';
import { scaledClock } from './adapters/clock/scaled-clock.js';
import { systemClock } from './adapters/clock/system-clock.js';
import { ConsoleChat } from './adapters/console/console-chat.js';
import { createApp } from './app.js';
import { ConfigError, readConfig, type Config } from './config.js';
import { errorCode } from './core/logger.js';

function loadConfig(): Config {
  // A .env file beside package.json, if there is one, fills in what the environment leaves unset.
  if (existsSync('.env')) process.loadEnvFile('.env');
  try {
    return readConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const problem of error.problems) process.stderr.write(`config error: ${problem}\n`);
    process.exit(2);
  }
}

async function main(): Promise<void> {
  const config = loadConfig();
  // The terminal chat shares the screen with the logs, so it shows warnings and errors only.
  const logger = createPinoLogger(config.logLevel ?? 'warn');
  const store = openStore(config.storeUrl);
  const chat = new ConsoleChat((line) => stdout.write(`${line}\n`));
  const clock = config.clockSpeed === 1 ? systemClock : scaledClock(config.clockSpeed);
  const { services, jobs } = createApp({
    store,
    chat,
    clock,
    logger,
    coordinators: config.coordinators ?? ['console:you'],
    defaultTimeZone: config.defaultTimeZone,
  });
  logger.info('bot.start', { platform: 'console', store: config.storeUrl.split(':')[0] });
  await jobs.start();
  // The safety net for a timer lost to a sleeping laptop or a clock jump.
  const sweep = setInterval(() => void jobs.sweep(), 60_000 / config.clockSpeed);
  sweep.unref();
  const terminal = createTerminal({ input: stdin, output: stdout, services, chat, interactive: Boolean(stdin.isTTY) });
  try {
    await terminal.run();
  } finally {
    clearInterval(sweep);
    await jobs.stop();
    await store.close();
    logger.info('bot.stop', { platform: 'console' });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`fatal: ${errorCode(error)}\n`);
    process.exit(1);
  },
);
