// The logger port is structural: pino's Logger (the root logger and its children) satisfies it.

import { describe, expect, expectTypeOf, it } from 'vitest';
import { createRootLogger, type Logger as PinoLogger } from '../../../src/adapters/outbound/logging/pino-logger.ts';
import type { Logger } from '../../../src/ports/logger.port.ts';

describe('logger port', () => {
  it('is satisfied by pino and its children', () => {
    expectTypeOf<PinoLogger>().toMatchTypeOf<Logger>();
    const logger: Logger = createRootLogger({ level: 'silent' });
    expect(typeof logger.child({ component: 'test' }).warn).toBe('function');
  });
});
