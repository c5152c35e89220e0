// The bot's Prometheus metrics (GET /metrics), on a registry of its own. Labels carry only
// code constants (job kinds, command names, platforms, outcomes, error codes), checked by
// `label()` and capped in number, so a person, a group name or typed text can never become one.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Label values the code itself chooses: short identifiers, nothing with spaces or ids of people. */
const LABEL = /^[a-z][a-z0-9._-]{0,59}$/i;
/** More distinct values than this for one label means something unexpected: fold the rest. */
const MAX_VALUES_PER_LABEL = 100;

/** What the pending-jobs gauges read at each scrape: the kinds of the jobs pending in the store. */
export type PendingKinds = () => Promise<readonly string[]>;

export class Metrics {
  readonly registry = new Registry();
  private readonly seen = new Map<string, Set<string>>();
  private pendingKinds: PendingKinds | undefined;
  private timerKind: string | undefined;
  private inFlight: Promise<Map<string, number>> | undefined;

  readonly jobOutcomes = new Counter({
    name: 'balint_job_outcomes_total',
    help: 'Job attempts by kind, outcome (done, retry, failed, stale, error) and error code.',
    labelNames: ['kind', 'outcome', 'code'] as const,
    registers: [this.registry],
  });

  readonly deliveries = new Counter({
    name: 'balint_deliveries_total',
    help: 'Messages the bot sent or updated, by platform, operation and outcome (ok, failed, not_supported).',
    labelNames: ['platform', 'operation', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly commandSeconds = new Histogram({
    name: 'balint_command_duration_seconds',
    help: 'Time to answer a command, button or form, by kind, name and outcome.',
    labelNames: ['kind', 'name', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  constructor(options: { processMetrics?: boolean } = {}) {
    // prom-client calls collect() with the gauge as `this`, hence the arrow-captured counter.
    const countPending = () => this.countPending();
    const timerKind = () => this.timerKind;
    new Gauge({
      name: 'balint_jobs_pending',
      help: 'Durable jobs waiting in the store, by kind (read from the store at each scrape).',
      labelNames: ['kind'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const [kind, count] of await countPending()) this.set({ kind }, count);
      },
    });
    new Gauge({
      name: 'balint_timers_running',
      help: 'Session timers running (each has exactly one pending tick job).',
      registers: [this.registry],
      async collect() {
        const kind = timerKind();
        this.set(kind === undefined ? 0 : ((await countPending()).get(kind) ?? 0));
      },
    });
    if (options.processMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: 'balint_' });
  }

  /** Where the gauges read pending jobs, and which job kind is a running timer's tick. */
  readPendingFrom(pendingKinds: PendingKinds, timerKind: string): void {
    this.pendingKinds = pendingKinds;
    this.timerKind = timerKind;
  }

  /** A label value that is safe to publish: the value itself, or `other`. */
  label(name: string, value: unknown): string {
    if (typeof value !== 'string' || !LABEL.test(value)) return 'other';
    let values = this.seen.get(name);
    if (!values) this.seen.set(name, (values = new Set()));
    if (!values.has(value)) {
      if (values.size >= MAX_VALUES_PER_LABEL) return 'other';
      values.add(value);
    }
    return value;
  }

  /** One store scan serves both gauges of a scrape: a scan in flight is shared, never kept after. */
  private countPending(): Promise<Map<string, number>> {
    this.inFlight ??= this.scanPending().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async scanPending(): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (const kind of (await this.pendingKinds?.()) ?? []) {
      const safe = this.label('kind', kind);
      counts.set(safe, (counts.get(safe) ?? 0) + 1);
    }
    return counts;
  }
}
