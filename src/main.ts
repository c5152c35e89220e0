// The composition root: read the configuration, then run the terminal chat (no platform
// credentials) or the server for Slack and/or Teams.
import { existsSync } from 'node:fs';
import { createPinoLogger } from './adapters/log/pino-logger.js';
import { ConfigError, readConfig, type Config } from './app/config.js';
import { errorCode } from './core/plumbing/logger.js';
import { StoreStartError } from './adapters/store/open-checked.js';

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
  const onServer = Boolean(config.slack || config.teams);
  // The terminal chat shares the screen with the logs, so it shows warnings and errors only.
  const logger = createPinoLogger(config.logLevel ?? (onServer ? 'info' : 'warn'));
  // Each way of running is loaded only when chosen: the server's platform SDKs take about a
  // second to import, which the terminal chat (and its first answer) would otherwise wait for.
  if (!onServer) {
    const { runConsole } = await import('./app/run-console.js');
    await runConsole(config, logger, { http: process.env.PORT !== undefined });
    process.exit(0);
  }
  const { runServer } = await import('./app/run-server.js');
  const server = await runServer(config, logger);
  const shutdown = () => {
    server.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((error: unknown) => {
  // The store could not be opened: one line that names it and the reason, exit 2 (configuration).
  if (error instanceof StoreStartError) {
    process.stderr.write(`${error.line}\n`);
    process.exit(2);
  }
  process.stderr.write(`fatal: ${errorCode(error)}\n`);
  process.exit(1);
});
