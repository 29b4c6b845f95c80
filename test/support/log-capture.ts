// A real pino root logger whose JSON lines are parsed and kept, so tests assert on what Redrive
// actually writes (level, message, fields), as pino's own tests read the real stream; and a silent one
// for apps whose logs a test does not read. Test support only.
import { Writable } from 'node:stream';
import { createRootLogger, type Logger } from '../../src/adapters/outbound/logging/pino-logger.ts';

export interface LogLine {
  level: number;
  msg: string;
  component?: string;
  err?: { type?: string; message?: string; stack?: string; code?: string };
  [key: string]: unknown;
}

/** pino's numeric levels. */
export const LEVELS = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 } as const;

export const capturedLogger = (level: keyof typeof LEVELS = 'info'): { logger: Logger; lines: LogLine[] } => {
  const lines: LogLine[] = [];
  let pending = '';
  const destination = new Writable({
    write: (chunk, _enc, done) => {
      pending += String(chunk);
      const parts = pending.split('\n');
      pending = parts.pop() ?? '';
      for (const line of parts) if (line.trim() !== '') lines.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  return { logger: createRootLogger({ level, destination }), lines };
};

/** A real pino root logger at `level` (warn by default) whose lines go nowhere: for apps whose logs a test does not read. */
export const silentLogger = (level: keyof typeof LEVELS | 'silent' = 'warn'): Logger =>
  createRootLogger({ level, destination: new Writable({ write: (_c, _e, done) => done() }) });
