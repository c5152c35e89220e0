// The Logger port on pino: JSON lines, fields filtered by the core's allow-list.
import { pino, type DestinationStream } from 'pino';
import { safeEvent, safeFields } from '../../core/plumbing/logger.js';
import type { LogFields, Logger, LogLevel } from '../../core/ports.js';

export function createPinoLogger(level: LogLevel | 'silent', destination?: DestinationStream): Logger {
  const log = pino(
    { level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime, messageKey: 'event' },
    destination ?? pino.destination({ dest: 2, sync: true }),
  );
  const emit = (lvl: LogLevel) => (event: string, fields?: LogFields) => log[lvl](safeFields(fields), safeEvent(event));
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}
