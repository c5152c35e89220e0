// `npm run audit` is CI's gate on advisories in production packages. The advisory endpoint is
// out of reach here, so the gate is tested against a stand-in `npm` first on the PATH that
// prints a chosen `npm audit --json` answer: each way the real one can answer.
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../support/run-npm.js';

const dir = mkdtempSync(join(tmpdir(), 'balint-audit-'));
writeFileSync(join(dir, 'npm'), '#!/bin/sh\ncat "$FAKE_AUDIT"\nexit "${FAKE_AUDIT_EXIT:-0}"\n');
chmodSync(join(dir, 'npm'), 0o755);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function gate(
  answer: unknown,
  exit: number,
  env: Record<string, string> = {},
): Promise<{ code: number | null; out: string }> {
  const file = join(dir, `answer-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(answer));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/audit.ts'], {
      cwd: projectRoot,
      env: {
        PATH: `${dir}:${process.env.PATH ?? ''}`,
        HOME: process.env.HOME ?? tmpdir(),
        FAKE_AUDIT: file,
        FAKE_AUDIT_EXIT: String(exit),
        ...env,
      },
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

const counts = (high: number, critical: number) => ({
  info: 0,
  low: 1,
  moderate: 2,
  high,
  critical,
  total: 3 + high + critical,
});
const unreachable = {
  message: '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk',
  statusCode: 405,
};

describe('the advisory gate (npm run audit)', () => {
  it('passes a report with nothing high or critical, and says what it saw', async () => {
    const result = await gate(
      {
        vulnerabilities: { 'some-lib': { severity: 'moderate', via: [] } },
        metadata: { vulnerabilities: counts(0, 0) },
      },
      1,
    );
    expect(result.code).toBe(0);
    expect(result.out).toContain('no high or critical advisory');
    expect(result.out).toContain('moderate 2');
  });

  it('fails on a high or critical advisory and names the package', async () => {
    const result = await gate(
      {
        vulnerabilities: { tar: { severity: 'high', via: [] }, 'some-lib': { severity: 'low', via: [] } },
        metadata: { vulnerabilities: counts(1, 0) },
      },
      1,
    );
    expect(result.code).toBe(1);
    expect(result.out).toContain('tar (high)');
    expect(result.out).not.toContain('some-lib');
  });

  it('says loudly that nothing was checked when the endpoint cannot be reached', async () => {
    const result = await gate(unreachable, 1);
    expect(result.code).toBe(0);
    expect(result.out).toContain('NOT CHECKED');
    expect(result.out).toContain('405');
  });

  it('fails an unreachable endpoint where a check is required (BALINT_REQUIRE_AUDIT=1)', async () => {
    const result = await gate(unreachable, 1, { BALINT_REQUIRE_AUDIT: '1' });
    expect(result.code).toBe(1);
    expect(result.out).toContain('NOT CHECKED');
  });
});
