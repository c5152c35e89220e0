// Feeds the metrics from the structured log events the code already writes (job.done,
// job.failed, command.done, …), so that counting needs no change in the job queue, the
// commands or the adapters. Every call is passed on to the real logger unchanged.
import type { LogFields, Logger } from '../../core/ports.js';
import type { Metrics } from './metrics.js';

/** Job events and the outcome each one counts as. */
const JOB_OUTCOMES: Readonly<Record<string, string>> = {
  'job.done': 'done',
  'job.retry': 'retry',
  'job.failed': 'failed',
  'job.stale': 'stale',
  'job.error': 'error',
};

/** Handler events (runLogged, handleForm) and the field that names what ran: a code constant. */
const HANDLED: Readonly<Record<string, { kind: string; field: 'command' | 'action' }>> = {
  'command.done': { kind: 'command', field: 'command' },
  'action.done': { kind: 'button', field: 'action' },
  'form.done': { kind: 'form', field: 'action' },
};

export function countingLogger(inner: Logger, metrics: Metrics): Logger {
  const count = (event: string, fields: LogFields | undefined): void => {
    const jobOutcome = JOB_OUTCOMES[event];
    if (jobOutcome) {
      metrics.jobOutcomes.inc({
        kind: metrics.label('kind', fields?.jobKind),
        outcome: jobOutcome,
        code: fields?.code === undefined ? 'none' : metrics.label('code', fields.code),
      });
      return;
    }
    const handled = HANDLED[event];
    if (handled && typeof fields?.durationMs === 'number') {
      metrics.commandSeconds.observe(
        {
          kind: handled.kind,
          name: metrics.label('name', fields[handled.field]),
          outcome: metrics.label('outcome', fields.outcome),
        },
        fields.durationMs / 1000,
      );
    }
  };
  const level =
    (name: keyof Logger) =>
    (event: string, fields?: LogFields): void => {
      try {
        count(event, fields);
      } catch {
        // Counting must never stop a log line or the work that wrote it.
      }
      inner[name](event, fields);
    };
  return { debug: level('debug'), info: level('info'), warn: level('warn'), error: level('error') };
}
