// The allow-list every log line passes through. The type of LogFields already limits what
// code can write; this runtime filter also catches a field smuggled in through a cast.
import type { LogFields, Logger } from '../ports.js';

const ALLOWED_FIELDS: ReadonlySet<string> = new Set<keyof LogFields>([
  'user',
  'actor',
  'place',
  'group',
  'session',
  'command',
  'action',
  'outcome',
  'code',
  'count',
  'phase',
  'durationMs',
  'job',
  'jobKind',
  'platform',
  'store',
  'attempt',
  'lateMs',
  'reason',
  'delayMs',
  'usefulUntil',
]);

/** Event names are code constants such as `command.done`; anything else is dropped. */
const EVENT_NAME = /^[a-z][a-z0-9]*(?:[._-][a-z0-9]+)*$/;
const MAX_STRING = 160;

export function safeEvent(event: string): string {
  return EVENT_NAME.test(event) && event.length <= 60 ? event : 'invalid-event-name';
}

export function safeFields(fields: LogFields | undefined): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  if (!fields) return out;
  for (const [key, value] of Object.entries(fields)) {
    if (!ALLOWED_FIELDS.has(key)) continue;
    if (typeof value === 'number' && Number.isFinite(value)) out[key] = value;
    else if (typeof value === 'boolean') out[key] = value;
    else if (typeof value === 'string' && value.length <= MAX_STRING && !/\s/.test(value)) out[key] = value;
  }
  return out;
}

/** Error codes only: an error's message may quote whatever text caused it. */
export function errorCode(error: unknown): string {
  if (error && typeof error === 'object') {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Za-z0-9_.-]{1,60}$/.test(code)) return code;
    const name = (error as { name?: unknown }).name;
    if (typeof name === 'string' && /^[A-Za-z0-9_]{1,60}$/.test(name)) return name;
  }
  return 'unknown';
}

export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
