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

/**
 * Writes the process's warnings (`process.emitWarning`: the AWS SDK's `NodeVersionSupportWarning`,
 * deprecations) as one JSON log line each, in place of Node's multi-line text on stderr, which a
 * log collector reading JSON lines would split or drop.
 */
export function logProcessWarnings(logger: Logger, target: NodeJS.EventEmitter = process): void {
  target.removeAllListeners('warning');
  target.on('warning', (warning: Error) => {
    const message = warning.message.replace(/\s+/g, ' ').trim();
    logger.warn({ warning: { name: warning.name, message } }, 'Node.js warning');
  });
}
