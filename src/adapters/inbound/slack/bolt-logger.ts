// Adapts a pino logger to Bolt's Logger interface so Bolt's own lines land in the same stream.

import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../../outbound/logging/pino-logger.ts';

export const boltLogger = (logger: Logger): BoltLogger => {
  let level: LogLevel = LogLevel.INFO;
  return {
    debug: (...msg: unknown[]) => logger.debug({ bolt: true }, msg.map(String).join(' ')),
    info: (...msg: unknown[]) => logger.info({ bolt: true }, msg.map(String).join(' ')),
    warn: (...msg: unknown[]) => logger.warn({ bolt: true }, msg.map(String).join(' ')),
    error: (...msg: unknown[]) => logger.error({ bolt: true }, msg.map(String).join(' ')),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
};
