// The root pino logger. Security: every path that can carry a secret is redacted here, so a token
// passed by mistake into a log line is never written.

import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

export const REDACTED_PATHS = [
  'token',
  '*.token',
  'botToken',
  '*.botToken',
  'appToken',
  '*.appToken',
  'signingSecret',
  '*.signingSecret',
  'password',
  '*.password',
  'secret',
  '*.secret',
  'databaseUrl',
  '*.databaseUrl',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'headers["x-slack-signature"]',
  '*.headers["x-slack-signature"]',
  'secrets',
  '*.secrets',
];

/** `stream: 'stderr'` keeps log lines out of a terminal command's output (`redrive dlq ... > file`). */
export const createRootLogger = (options: { level: string; destination?: DestinationStream; name?: string; stream?: 'stdout' | 'stderr' }): Logger =>
  pino(
    {
      name: options.name ?? 'redrive',
      level: options.level,
      redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination ?? pino.destination({ dest: options.stream === 'stderr' ? 2 : 1, sync: false }),
  );
