// Replay and resolve from a Slack button run once per (operation, queue, message, clicked message): a
// Slack retry or a double click is answered with who did it and when, and changes nothing. Commands
// without a clicked message (typed /dlq, the terminal) are never held back. Renders nothing itself.

import type { DlqCommand } from '../../core/command/parse-dlq-command.ts';
import type { AuditRecord } from '../../core/model.ts';
import type { Clock } from '../../ports/clock.port.ts';
import type { Store } from '../../ports/store.port.ts';
import type { CommandContext } from '../shared/command-context.ts';
import type { CommandPresenter, Middleware } from './dlq-command-pipeline.ts';

export type OnceOp = 'replay' | 'resolve';

/** How the click that holds the key ended: who, when, and the error of a failed attempt. */
export interface ClickOutcome {
  actor: string;
  at: Date;
  result: 'success' | 'failure';
  error: string | null;
}

export interface IdempotencyDeps {
  store: Pick<Store, 'claimIdempotencyKey' | 'pruneIdempotencyKeys' | 'searchAudit'>;
  clock: Clock;
  /** How long a second click waits for the first one's outcome (default 3 s). */
  duplicateWaitMs?: number;
}

/** The answer to a second click: `outcome` null while the first one still runs (or never said). */
export type DuplicatePresenter<R> = Pick<CommandPresenter<R>, 'duplicate'>;

/** Idempotency keys older than this are pruned (at most once an hour, on a click). */
const KEY_TTL_MS = 7 * 24 * 3_600_000;
const PRUNE_EVERY_MS = 3_600_000;

/** One idempotency key per operation, queue, message and the Slack message the button was on. */
export const interactionKey = (op: OnceOp, queue: string, id: string, origin: NonNullable<CommandContext['origin']>): string | null =>
  origin.messageTs ? `slack:${op}:${queue}:${id}:${origin.channel}:${origin.messageTs}` : null;

const isOnce = (command: DlqCommand): command is Extract<DlqCommand, { op: OnceOp }> => command.op === 'replay' || command.op === 'resolve';

const outcomeOf = (record: AuditRecord | null): ClickOutcome | null =>
  record && record.result !== 'denied' ? { actor: record.actor, at: record.at, result: record.result, error: record.error } : null;

export const oncePerClick = <R>(deps: IdempotencyDeps & { presenter: DuplicatePresenter<R> }): Middleware<R> => {
  const { store } = deps;
  const waitMs = deps.duplicateWaitMs ?? 3_000;

  /** This operation's finished attempts on the message, newest first (denials are not attempts). */
  const attempts = async (op: OnceOp, queueName: string, id: string): Promise<AuditRecord[]> =>
    (await store.searchAudit({ queue: queueName, ref: id, action: op, limit: 50 })).filter((r) => r.result !== 'denied');

  /** The record of the click that holds the key: newer than `seenId` once it ends (it may still run). */
  const holderRecord = async (op: OnceOp, queueName: string, id: string, seenId: number, fallback: AuditRecord | null): Promise<AuditRecord | null> => {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const newer = (await attempts(op, queueName, id)).find((r) => r.id > seenId);
      if (newer) return newer;
      if (Date.now() >= deadline) return fallback?.result === 'success' ? fallback : null;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  // Slack retries within minutes and a clicked message lives on; a week of keys covers both.
  let lastPrune = Number.NEGATIVE_INFINITY;
  const pruneKeys = async (now: Date): Promise<void> => {
    if (now.getTime() - lastPrune < PRUNE_EVERY_MS) return;
    lastPrune = now.getTime();
    await store.pruneIdempotencyKeys(new Date(now.getTime() - KEY_TTL_MS)).catch(() => undefined);
  };

  return async (command, context, next) => {
    if (!isOnce(command)) return next(command, context);
    const op = command.op;
    const base = context.origin ? interactionKey(op, command.queue, command.id, context.origin) : null;
    if (base === null) return next(command, context);
    // One key per failed attempt so far: a click after a failure may try again, while a double
    // click or a Slack retry during (or after) a successful attempt finds the key taken.
    const history = await attempts(op, command.queue, command.id);
    const failures = history.filter((r) => r.result === 'failure').length;
    const at = deps.clock.now();
    const first = await store.claimIdempotencyKey(`${base}#${failures}`, at, { actor: context.actor, at: at.toISOString() });
    await pruneKeys(at);
    if (!first) {
      const latest = history[0] ?? null;
      const holder = latest?.result === 'success' ? latest : await holderRecord(op, command.queue, command.id, latest?.id ?? 0, latest);
      return deps.presenter.duplicate(op, command.id, outcomeOf(holder));
    }
    return next(command, context);
  };
};
