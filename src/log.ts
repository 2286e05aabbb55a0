// The one pino logger factory: JSON to stdout, a child logger per component.
import { pino, type Logger } from 'pino';

export type { Logger };

export interface LoggerOptions {
  readonly level?: string;
  readonly name?: string;
  readonly destination?: NodeJS.WritableStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const base = { name: options.name ?? 'dugong' };
  const level = options.level ?? 'info';
  if (options.destination !== undefined) return pino({ level, base }, options.destination);
  return pino({ level, base });
}

export function componentLogger(parent: Logger, component: string): Logger {
  return parent.child({ component });
}

/** A logger that drops everything, for library callers and tests that do not care. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
