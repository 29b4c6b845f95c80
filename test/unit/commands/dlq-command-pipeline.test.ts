// The /dlq pipeline's order, with string replies and no I/O: help answers before any check, the role
// check runs before "not available", the steps wrap the handler outermost first, and the audit step
// writes a failure only when the command's own audit scope holds none.
import { describe, expect, it } from 'vitest';
import { createDlqPipeline } from '../../../src/app/commands/dlq-command-pipeline.ts';
import { throughMiddlewares, type CommandPresenter, type Middleware } from '../../../src/app/commands/command-middleware.ts';
import { auditFailures } from '../../../src/app/commands/audit.middleware.ts';
import { writeAudit } from '../../../src/app/shared/audit-trail.ts';
import type { AuditRecord, AuditRecordInput } from '../../../src/core/model.ts';
import { fixedClock } from '../../../src/ports/clock.port.ts';
import { noopMetrics } from '../../../src/ports/metrics.port.ts';
import type { Store } from '../../../src/ports/store.port.ts';

const presenter: CommandPresenter<string> = {
  help: (prefix, topic) => `help ${prefix}${topic ? ` ${topic}` : ''}`,
  usageError: (error) => `usage: ${error}`,
  unavailable: (op) => `unavailable ${op}`,
  denied: (denial) => `denied ${denial.action}`,
  duplicate: (op, id) => `duplicate ${op} ${id}`,
};
const slack = { actor: 'U_A', channelId: 'C1', transport: 'slack' as const };

describe('createDlqPipeline', () => {
  it('answers help and usage errors itself, checks roles before "not available", then runs the handler', async () => {
    const asked: string[] = [];
    const pipeline = createDlqPipeline<string>({
      handlers: { status: async () => 'status ok' },
      presenter,
      authorize: async (command) => {
        asked.push(command.op);
        return command.op === 'redrive-all' ? ({ kind: 'denied', action: 'redrive-all' } as never) : null;
      },
    });
    expect(await pipeline.handleText('help', slack)).toBe('help /dlq');
    expect(await pipeline.handleArgs(['help'], { ...slack, transport: 'cli' })).toBe('help redrive dlq');
    expect(await pipeline.handleText('nonsense', slack)).toMatch(/^usage: /);
    expect(await pipeline.handleText('redrive-all orders', slack)).toBe('denied redrive-all');
    expect(await pipeline.handleText('peek orders', slack)).toBe('unavailable peek');
    expect(await pipeline.handleText('status', slack)).toBe('status ok');
    expect(asked).toEqual(['redrive-all', 'peek', 'status']);
  });

  it('runs middlewares outermost first', async () => {
    const seen: string[] = [];
    const step = (name: string): Middleware<string> => async (command, context, next) => {
      seen.push(`${name}>`);
      const answer = await next(command, context);
      seen.push(`<${name}`);
      return answer;
    };
    const handler = throughMiddlewares([step('a'), step('b')], async () => (seen.push('handler'), 'done'));
    expect(await handler({ op: 'status', queue: null }, slack)).toBe('done');
    expect(seen).toEqual(['a>', 'b>', 'handler', '<b', '<a']);
  });
});

describe('the audit step', () => {
  const setup = () => {
    const written: AuditRecord[] = [];
    const store = {
      appendAudit: async (input: AuditRecordInput) => {
        const record = { ...input, id: written.length + 1, jobId: input.jobId ?? null, details: input.details ?? {} } as AuditRecord;
        written.push(record);
        return record;
      },
      findOpenIncident: async () => null,
    } as unknown as Store;
    return { written, deps: { store, clock: fixedClock(new Date('2026-01-01T00:00:00Z')), metrics: noopMetrics } };
  };

  it('writes a failure for a handler that threw before auditing, and none when the use case audited it', async () => {
    const { written, deps } = setup();
    const unaudited = throughMiddlewares<string>([auditFailures(deps)], async () => {
      throw new Error('no such operation here');
    });
    await expect(unaudited({ op: 'peek', queue: 'orders', count: 1 }, slack)).rejects.toThrow('no such operation here');
    expect(written).toEqual([expect.objectContaining({ action: 'peek', queue: 'orders', actor: 'U_A', result: 'failure', error: 'no such operation here' })]);
    const audited = throughMiddlewares<string>([auditFailures(deps)], async () => {
      await writeAudit(deps, { action: 'replay', queue: 'orders', actor: 'U_A' }, 'failure', 'destination down');
      throw new Error('destination down');
    });
    await expect(audited({ op: 'replay', queue: 'orders', id: 'm-1' } as never, slack)).rejects.toThrow('destination down');
    expect(written.map((r) => `${r.action}:${r.result}`)).toEqual(['peek:failure', 'replay:failure']);
  });
});
