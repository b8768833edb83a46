import { pino } from 'pino';
import type { Logger } from 'pino';
import type { LogLevel } from '../config.js';

export type { Logger };

/**
 * The process logger: JSON lines on stdout. Log lines carry codes, names and counts, never
 * request bodies, upstream tokens, ARNs or AppStream's own error messages.
 */
export function createLogger(level: LogLevel): Logger {
  return pino({ level, base: { service: 'appstream-graphql-gateway' } });
}
