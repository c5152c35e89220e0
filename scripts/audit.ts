// `npm run audit`: fails on any high or critical advisory in the packages the bot runs with
// (`npm audit --omit=dev`). Where the advisory endpoint cannot be reached (the build machine's
// registry answers 405), it says so loudly and does not pass it off as a clean report; with
// BALINT_REQUIRE_AUDIT=1 that is a failure too.
import { spawnSync } from 'node:child_process';

interface Report {
  metadata?: { vulnerabilities?: Record<string, number> };
  vulnerabilities?: Record<string, { severity: string; via: unknown[] }>;
  message?: string;
  statusCode?: number;
}

const run = spawnSync('npm', ['audit', '--omit=dev', '--json'], { encoding: 'utf8', timeout: 120_000 });
let report: Report;
try {
  report = JSON.parse(run.stdout) as Report;
} catch {
  report = { message: (run.stderr || 'no answer').trim().split('\n')[0] };
}

const counts = report.metadata?.vulnerabilities;
if (!counts) {
  const why = report.message ?? `exit ${String(run.status)}`;
  process.stdout.write(`npm audit: NOT CHECKED, the advisory endpoint could not be reached (${why}).\n`);
  process.exit(process.env.BALINT_REQUIRE_AUDIT === '1' ? 1 : 0);
}

const serious = Object.entries(report.vulnerabilities ?? {}).filter(
  ([, v]) => v.severity === 'high' || v.severity === 'critical',
);
const summary = Object.entries(counts)
  .map(([level, n]) => `${level} ${n}`)
  .join(', ');
if (serious.length > 0) {
  process.stdout.write(
    `npm audit: high or critical advisories in production packages: ${serious.map(([name, v]) => `${name} (${v.severity})`).join(', ')}\n`,
  );
  process.exit(1);
}
process.stdout.write(`npm audit: no high or critical advisory in production packages (${summary}).\n`);
