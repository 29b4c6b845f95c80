// The pipeline's once-per-click rule (idempotency.middleware.ts) on the real SqliteStore: replay and resolve from a button run
// once per (operation, queue, message, clicked message); concurrent clicks run the operation once and
// the others are told who did it; a failed attempt frees the button; commands without a clicked
// message (typed /dlq, the terminal) are never held back.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../../src/adapters/outbound/sqlite/sqlite-store.ts';
import { slackCommandPresenter, type OperationHandlers } from '../../../src/presentation/slack/commands/dlq-router.ts';
import { throughMiddlewares, type CommandHandler } from '../../../src/app/commands/command-middleware.ts';
import { oncePerClick } from '../../../src/app/commands/idempotency.middleware.ts';
import type { Reply } from '../../../src/presentation/slack/block-kit/blocks.ts';
import type { CommandContext } from '../../../src/app/shared/command-context.ts';
import type { QueueDeps } from '../../../src/app/shared/queue-deps.ts';
import { createQueueRegistry } from '../../../src/app/shared/queue-registry.ts';
import { section } from '../../../src/presentation/slack/block-kit/blocks.ts';
import { noopMetrics } from '../../../src/ports/metrics.port.ts';
import { systemClock } from '../../../src/ports/clock.port.ts';
import { realTimers } from '../../../src/ports/timers.port.ts';

describe('once-per-click replay and resolve (SqliteStore)', () => {
  let dir: string;
  let store: SqliteStore;
  let deps: QueueDeps;
  const runs: string[] = [];
  let failNext = false;

  /** A replay/resolve handler that records the run and its audit record, like the real use cases. */
  const handlers = (): OperationHandlers => {
    const run = (action: 'replay' | 'resolve') => async (command: { queue: string; id: string }, ctx: CommandContext) => {
      runs.push(`${action}:${command.id}:${ctx.actor}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
      const failed = failNext;
      failNext = false;
      await store.appendAudit({ at: new Date(), action, queue: command.queue, messageId: command.id, traceId: null, partition: null, offset: null, actor: ctx.actor, result: failed ? 'failure' : 'success', error: failed ? 'destination down' : null, incidentId: null });
      if (failed) throw new Error('destination down');
      return { text: `${action} ${command.id}`, blocks: [section(`${action} ${command.id}`)], private: false };
    };
    return { replay: run('replay'), resolve: run('resolve') };
  };

  /** The handlers behind the idempotency step, as the pipeline runs them. */
  const withOncePerClick = (inner: OperationHandlers): OperationHandlers => {
    const once = oncePerClick<Reply>({ store, clock: deps.clock, timers: realTimers, presenter: slackCommandPresenter });
    const wrap = (handler: unknown) => throughMiddlewares<Reply>([once], handler as CommandHandler<Reply>);
    return { replay: wrap(inner.replay), resolve: wrap(inner.resolve) };
  };

  const click = (actor: string, messageTs = '1700000000.000100'): CommandContext => ({ actor, channelId: 'C1', transport: 'slack', origin: { channel: 'C1', messageTs, threadTs: null } });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'redrive-once-'));
    store = SqliteStore.open(join(dir, 'redrive.db'));
    await store.migrate();
    deps = { registry: createQueueRegistry([]), store, clock: systemClock, metrics: noopMetrics };
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('three concurrent clicks run the replay once; the others are told who replayed it', async () => {
    const ops = withOncePerClick(handlers());
    const replies = await Promise.all(['U_A', 'U_B', 'U_C'].map((u) => ops.replay?.({ op: 'replay', queue: 'q', id: 'm-1' }, click(u))));
    expect(runs.filter((r) => r.startsWith('replay:m-1'))).toHaveLength(1);
    const told = replies.filter((r) => r?.private);
    expect(told).toHaveLength(2);
    const first = runs[0]?.split(':')[2];
    for (const r of told) expect(JSON.stringify(r?.blocks)).toContain(`Already replayed by <@${first}>`);
  });

  it('the same message clicked on another Slack message is another click; a typed command is never held back', async () => {
    const ops = withOncePerClick(handlers());
    await ops.replay?.({ op: 'replay', queue: 'q', id: 'm-1' }, click('U_A', '1700000000.000200'));
    await ops.replay?.({ op: 'replay', queue: 'q', id: 'm-1' }, { actor: 'U_A', channelId: 'C1', transport: 'slack' });
    await ops.replay?.({ op: 'replay', queue: 'q', id: 'm-1' }, { actor: 'cli:ops', channelId: null, transport: 'cli' });
    expect(runs.filter((r) => r.startsWith('replay:m-1'))).toHaveLength(4);
  });

  it('a failed attempt frees the button: the next click tries again, and after success it is held', async () => {
    const ops = withOncePerClick(handlers());
    failNext = true;
    await expect(ops.resolve?.({ op: 'resolve', queue: 'q', id: 'm-2', reason: 'x' }, click('U_A'))).rejects.toThrow('destination down');
    const second = await ops.resolve?.({ op: 'resolve', queue: 'q', id: 'm-2', reason: 'x' }, click('U_B'));
    expect(second?.private).toBe(false);
    const third = await ops.resolve?.({ op: 'resolve', queue: 'q', id: 'm-2', reason: 'x' }, click('U_C'));
    expect(third?.private).toBe(true);
    expect(JSON.stringify(third?.blocks)).toContain('Already resolved by <@U_B>');
    expect(runs.filter((r) => r.startsWith('resolve:m-2'))).toEqual(['resolve:m-2:U_A', 'resolve:m-2:U_B']);
  });
});
