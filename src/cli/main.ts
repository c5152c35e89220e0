// The administrator's command line: `npm run balint -- import rotations <file.csv>`,
// `npm run balint -- import roster <file.csv>` and `npm run balint -- export attendance […]`,
// against the store the bot is configured with (the same environment and .env file as `npm start`).
// Exit codes: 0 done, 1 the file was rejected (every bad row listed), 2 usage or configuration,
// 3 the store failed part-way (run the same import again: it converges).
import { existsSync } from 'node:fs';
import { systemClock } from '../adapters/clock/system-clock.js';
import { createPinoLogger } from '../adapters/log/pino-logger.js';
import { openCheckedStore, StoreStartError } from '../adapters/store/open-checked.js';
import { EXPORT_USAGE, exportAttendanceCommand } from './export-attendance.js';
import { importFile, type ImportKind } from './import-file.js';
import { ConfigError, readConfig, type Config } from '../app/config.js';
import { errorCode } from '../core/plumbing/logger.js';
import type { Store } from '../core/ports.js';

const USAGE = [
  'usage: npm run balint -- import rotations <file.csv>',
  '       npm run balint -- import roster <file.csv>',
  `       ${EXPORT_USAGE}`,
].join('\n');

const out = (line: string) => process.stdout.write(`${line}\n`);
const err = (line: string) => process.stderr.write(`${line}\n`);

function loadConfig(): Config | undefined {
  if (existsSync('.env')) process.loadEnvFile('.env');
  try {
    return readConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const problem of error.problems) err(`config error: ${problem}`);
    return undefined;
  }
}

async function main(argv: string[]): Promise<number> {
  const [verb, kind, path, ...rest] = argv;
  const exporting = verb === 'export' && kind === 'attendance';
  const importing = verb === 'import' && (kind === 'rotations' || kind === 'roster') && path && rest.length === 0;
  if (!exporting && !importing) {
    err(USAGE);
    return 2;
  }
  const config = loadConfig();
  if (!config) return 2;
  const logger = createPinoLogger(config.logLevel ?? 'warn');
  let store: Store;
  try {
    store = (await openCheckedStore(config.storeUrl, config.storePrefix ?? 'balint', logger)).store;
  } catch (error) {
    err(error instanceof StoreStartError ? error.line : `STORE_URL: cannot open the store (${errorCode(error)})`);
    return 2;
  }
  try {
    if (exporting)
      return await exportAttendanceCommand(argv.slice(2), {
        store,
        coordinators: config.coordinators ?? [],
        write: (text) => process.stdout.write(text),
        err,
      });
    return await importFile(kind as ImportKind, path as string, {
      store,
      clock: systemClock,
      coordinators: config.coordinators ?? [],
      defaultTimeZone: config.defaultTimeZone,
      out,
      err,
    });
  } finally {
    await store.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    // The store failed part-way: running the same import again finishes it (imports converge).
    err(`fatal: ${errorCode(error)}`);
    process.exit(3);
  },
);
