// The terminal chat: the bot on the embedded store, talking to one person at a keyboard (or a pipe).
import { stdin, stdout } from 'node:process';
import { scaledClock } from '../adapters/clock/scaled-clock.js';
import { systemClock } from '../adapters/clock/system-clock.js';
import { ConsoleChat } from '../adapters/console/console-chat.js';
import { createTerminal } from '../adapters/console/terminal.js';
import { openCheckedStore } from '../adapters/store/open-checked.js';
import { calendarRoute } from '../adapters/http/calendar-route.js';
import { createHttpServer, listen } from '../adapters/http/server.js';
import { createApp } from './compose.js';
import { startRoomDisplay, type RoomDisplay } from './room-display.js';
import type { Config } from './config.js';
import type { Logger } from '../core/ports.js';

/** `http`: PORT was set, so the bot's web pages (room display, calendar feeds) are served too. */
export async function runConsole(config: Config, logger: Logger, options: { http?: boolean } = {}): Promise<void> {
  // Output piped into `head` or a closed terminal: stop quietly, as any command-line tool does.
  stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  const { store } = await openCheckedStore(config.storeUrl, config.storePrefix ?? 'balint', logger);
  const chat = new ConsoleChat((line) => stdout.write(`${line}\n`));
  const clock = config.clockSpeed === 1 ? systemClock : scaledClock(config.clockSpeed);
  const { services, jobs, retention, paceDigest } = createApp({
    store,
    chat,
    clock,
    logger,
    coordinators: config.coordinators ?? ['console:you'],
    defaultTimeZone: config.defaultTimeZone,
    ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}),
    ...(config.rotations ? { rotations: config.rotations } : {}),
    ...(config.retentionDays ? { retentionDays: config.retentionDays } : {}),
  });
  logger.info('bot.start', { platform: 'console', store: config.storeUrl.split(':')[0] });
  await jobs.start();
  await retention.arm();
  await paceDigest.arm();
  let room: RoomDisplay | undefined;
  let server: ReturnType<typeof createHttpServer> | undefined;
  if (options.http) {
    room = await startRoomDisplay({ services, clock, logger, clockRate: config.clockSpeed });
    server = createHttpServer([calendarRoute(services.calendars, logger), ...room.routes], logger);
    const port = await listen(server, config.port);
    logger.info('http.listening', { count: port });
    stdout.write(`The bot's web pages are served on port ${port}.\n`);
  }
  // The safety net for a timer lost to a sleeping laptop or a clock jump.
  const sweep = setInterval(() => void jobs.sweep(), 60_000 / config.clockSpeed);
  // Rotation imports made by the CLI meanwhile: once a real minute, whatever the clock speed.
  const rotationPoll = setInterval(() => void services.rotations.poll(), 60_000);
  rotationPoll.unref();
  sweep.unref();
  const terminal = createTerminal({ input: stdin, output: stdout, services, chat, interactive: Boolean(stdin.isTTY) });
  try {
    await terminal.run();
  } finally {
    clearInterval(sweep);
    clearInterval(rotationPoll);
    await room?.stop();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    await jobs.stop();
    await store.close();
    logger.info('bot.stop', { platform: 'console' });
  }
}
