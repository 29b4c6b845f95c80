import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createRootLogger } from '../../../src/adapters/outbound/logging/pino-logger.ts';

const capture = () => {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, stream };
};

describe('root logger', () => {
  it('writes JSON lines and redacts secrets in nested fields and child loggers', () => {
    const { lines, stream } = capture();
    const logger = createRootLogger({ level: 'info', destination: stream });
    const child = logger.child({ component: 'slack' });
    child.info({ slack: { botToken: 'xoxb-secret-1', signingSecret: 'shh' }, req: { headers: { authorization: 'Bearer abc' } } }, 'starting');
    logger.info({ password: 'hunter2', token: 'xapp-1', queue: 'frontier-dlq' }, 'configured');
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({
      component: 'slack',
      msg: 'starting',
      slack: { botToken: '[REDACTED]', signingSecret: '[REDACTED]' },
      req: { headers: { authorization: '[REDACTED]' } },
    });
    expect(records[1]).toMatchObject({ password: '[REDACTED]', token: '[REDACTED]', queue: 'frontier-dlq' });
    expect(lines.join('\n')).not.toMatch(/xoxb-secret-1|hunter2|xapp-1|Bearer abc/);
  });
});
