// Whether this instance should be sent traffic (GET /readyz). Each part of start-up reports its
// check here (the store, each platform's credentials, the job queue's load); a check that has
// not reported yet, or reported a problem, makes the instance not ready. Problems are reason
// codes (`not_reported`, `invalid_auth`, …), never free text: the answer is public.

export interface ReadinessStatus {
  ready: boolean;
  /** Each check's state: `ok` or its reason code. */
  checks: Record<string, string>;
  /** The first failing check as `check:reason`, when not ready. */
  reason?: string;
}

/** A live check made on each request (the store answering now, not only at start-up). */
export type Probe = () => Promise<void>;

const CODE = /^[A-Za-z0-9_.-]{1,60}$/;

export class Readiness {
  private readonly problems = new Map<string, string | undefined>();
  private readonly probes = new Map<string, Probe>();

  /** A probe that has not answered within `probeTimeoutMs` counts as failed (`timeout`). */
  constructor(private readonly probeTimeoutMs = 2_000) {}

  /** A check that must report before the instance is ready (until then: `not_reported`). */
  expect(check: string): void {
    if (!this.problems.has(check)) this.problems.set(check, 'not_reported');
  }

  /** Records a check's outcome: `undefined` when it passed, a reason code when it did not. */
  report(check: string, problem: string | undefined): void {
    this.problems.set(check, problem === undefined ? undefined : CODE.test(problem) ? problem : 'failed');
  }

  /** A check run on every status request; it fails by throwing or by not answering in time. */
  probe(check: string, probe: Probe): void {
    this.probes.set(check, probe);
  }

  async status(): Promise<ReadinessStatus> {
    const checks: Record<string, string> = {};
    for (const [check, problem] of this.problems) checks[check] = problem ?? 'ok';
    await Promise.all(
      [...this.probes].map(async ([check, probe]) => {
        checks[check] = (await withTimeout(probe, this.probeTimeoutMs)) ?? checks[check] ?? 'ok';
      }),
    );
    const failing = Object.entries(checks).find(([, state]) => state !== 'ok');
    return failing ? { ready: false, checks, reason: `${failing[0]}:${failing[1]}` } : { ready: true, checks };
  }
}

/** The probe's problem as a code (`unreachable`, `timeout`), or undefined when it answered. */
async function withTimeout(probe: Probe, timeoutMs: number): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
    timer.unref();
  });
  try {
    return await Promise.race([probe().then(() => undefined), timeout]);
  } catch {
    return 'unreachable';
  } finally {
    clearTimeout(timer);
  }
}
