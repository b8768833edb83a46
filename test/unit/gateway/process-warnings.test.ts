import { EventEmitter } from 'node:events';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { logProcessWarnings } from '../../../src/server/logger.js';

describe('logProcessWarnings', () => {
  it('writes a warning as one JSON line instead of the default handler', () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = pino(
      { level: 'info' },
      { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
    );
    const target = new EventEmitter();
    let printed = 0;
    target.on('warning', () => (printed += 1));
    logProcessWarnings(logger, target);
    const warning = new Error(
      'The AWS SDK for JavaScript (v3)\nversions published later\n\nwill require node >=22.',
    );
    warning.name = 'NodeVersionSupportWarning';
    target.emit('warning', warning);
    expect(printed).toBe(0);
    expect(lines).toEqual([
      expect.objectContaining({
        level: 40,
        msg: 'Node.js warning',
        warning: {
          name: 'NodeVersionSupportWarning',
          message:
            'The AWS SDK for JavaScript (v3) versions published later will require node >=22.',
        },
      }),
    ]);
  });
});
