// The administrator's command line: `npm run balint -- import rotations <file.csv>`,
// `npm run balint -- import roster <file.csv>` and `npm run balint -- export attendance […]`,
// against the store the bot is configured with (the same environment and .env file as `npm start`).
// Each import prints its plan first. One that only adds or changes is applied; one that removes,
// moves or cancels anything asks at a terminal and needs --yes otherwise; --dry-run only prints.
// Exit codes: 0 done, 1 the file was rejected (every bad row listed) or its plan needs --yes,
// 2 usage or configuration,
// 3 the store failed part-way (run the same import again: it converges).
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { systemClock } from '../adapters/clock/system-clock.js';
import { createPinoLogger } from '../adapters/log/pino-logger.js';
import { openCheckedStore, StoreStartError } from '../adapters/store/open-checked.js';
import { EXPORT_USAGE, exportAttendanceCommand } from './export-attendance.js';
import { importFile, type ImportKind } from './import-file.js';
import { ConfigError, readConfig, type Config } from '../app/config.js';
import { errorCode } from '../core/plumbing/logger.js';
import type { Store } from '../core/ports.js';
import { validateTimeZone } from '../core/time-zones.js';

const USAGE = [
  'usage: npm run balint -- import rotations <file.csv> [--dry-run] [--yes]',
  '       npm run balint -- import roster <file.csv> [--tz <zone>] [--dry-run] [--yes]',
  `       ${EXPORT_USAGE}`,
].join('\n');

interface Args {
  kind: ImportKind;
  path: string;
  yes: boolean;
  dryRun: boolean;
  timeZone?: string;
}

function parseArgs(argv: string[]): Args | undefined {
  const [verb, kind, ...rest] = argv;
  if (verb !== 'import' || (kind !== 'rotations' && kind !== 'roster')) return undefined;
  const args: Partial<Args> = { kind, yes: false, dryRun: false };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] as string;
    if (arg === '--yes' || arg === '-y') args.yes = true;
    else if (arg === '--dry-run') args.dryRun = true;
    else if (arg === '--tz' && kind === 'roster' && rest[i + 1] !== undefined) args.timeZone = rest[++i];
    else if (!arg.startsWith('--') && args.path === undefined) args.path = arg;
    else return undefined;
  }
  return args.path === undefined ? undefined : (args as Args);
}

/** A yes or no at the terminal; anything but y or yes is no. */
async function ask(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^\s*y(es)?\s*$/i.test(await rl.question(question));
  } finally {
    rl.close();
  }
}

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
  const exporting = argv[0] === 'export' && argv[1] === 'attendance';
  const args = exporting ? undefined : parseArgs(argv);
  if (!exporting && !args) {
    err(USAGE);
    return 2;
  }
  let timeZone: string | undefined;
  if (args?.timeZone !== undefined) {
    try {
      timeZone = validateTimeZone(args.timeZone);
    } catch (error) {
      err(`--tz: ${error instanceof Error ? error.message : 'not a time zone'}`);
      return 2;
    }
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
    if (exporting || !args)
      return await exportAttendanceCommand(argv.slice(2), {
        store,
        coordinators: config.coordinators ?? [],
        write: (text) => process.stdout.write(text),
        err,
      });
    return await importFile(args.kind, args.path, {
      store,
      yes: args.yes,
      dryRun: args.dryRun,
      ...(timeZone ? { timeZone } : {}),
      ...(process.stdin.isTTY && process.stdout.isTTY ? { ask } : {}),
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
