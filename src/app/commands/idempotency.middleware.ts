// Replay and resolve from a Slack button run once per (operation, queue, message, clicked message): a
// Slack retry or a double click is answered with who did it and when, and changes nothing; a click
// after a failed attempt tries again. Commands without a clicked message (typed /dlq, the terminal)
// are never held back. The facts live in the idempotency keys themselves (who claimed, how it ended),
// never guessed from the audit table; time comes from the clock and timer ports. Renders nothing.

import type { DlqCommand } from '../../core/command/parse-dlq-command.ts';
import type { JsonObject } from '../../core/model.ts';
import type { Clock } from '../../ports/clock.port.ts';
import type { Store } from '../../ports/store.port.ts';
import type { Timers } from '../../ports/timers.port.ts';
import { auditErrorText } from '../shared/audit-trail.ts';
import { openAuditScope } from '../shared/audit-scope.ts';
import type { CommandContext } from '../shared/command-context.ts';
import type { ClickOutcome, CommandPresenter, Middleware, OnceOp } from './command-middleware.ts';

export interface IdempotencyDeps {
  store: Pick<Store, 'claimIdempotencyKey' | 'readIdempotencyKey' | 'pruneIdempotencyKeys'>;
  clock: Clock;
  /** Paces a second click's wait for the first one's outcome. */
  timers: Pick<Timers, 'setTimeout'>;
  /** How long a second click waits for the first one's outcome (default 3 s). */
  duplicateWaitMs?: number;
}

/** Idempotency keys older than this are pruned (at most once an hour, on a click). */
const KEY_TTL_MS = 7 * 24 * 3_600_000;
const PRUNE_EVERY_MS = 3_600_000;
/** How often a second click looks for the first one's outcome (it may run on another replica). */
const POLL_MS = 100;

/** One idempotency key per operation, queue, message and the Slack message the button was on. */
export const interactionKey = (op: OnceOp, queue: string, id: string, origin: NonNullable<CommandContext['origin']>): string | null =>
  origin.messageTs ? `slack:${op}:${queue}:${id}:${origin.channel}:${origin.messageTs}` : null;

const isOnce = (command: DlqCommand): command is Extract<DlqCommand, { op: OnceOp }> => command.op === 'replay' || command.op === 'resolve';

/** An attempt's outcome is stored as a key of its own beside the attempt's (keys are never updated). */
const outcomeKey = (attemptKey: string): string => `${attemptKey}:outcome`;

const toOutcome = (details: JsonObject): ClickOutcome | null => {
  const { actor, at, result, error } = details;
  if (typeof actor !== 'string' || typeof at !== 'string' || (result !== 'success' && result !== 'failure')) return null;
  return { actor, at: new Date(at), result, error: typeof error === 'string' ? error : null };
};

export const oncePerClick = <R>(deps: IdempotencyDeps & { presenter: Pick<CommandPresenter<R>, 'duplicate'> }): Middleware<R> => {
  const { store, clock } = deps;
  const polls = Math.ceil((deps.duplicateWaitMs ?? 3_000) / POLL_MS);
  const pause = (): Promise<void> => new Promise((resolve) => void deps.timers.setTimeout(resolve, POLL_MS));

  const outcomeOf = async (attemptKey: string): Promise<ClickOutcome | null> => {
    const stored = await store.readIdempotencyKey(outcomeKey(attemptKey));
    return stored ? toOutcome(stored.details) : null;
  };

  /** The holder's outcome once it ends (it may still run, here or on another replica); null if it does not in time. */
  const awaitOutcome = async (attemptKey: string): Promise<ClickOutcome | null> => {
    // Counted, not timed on the clock: a hand-moved test clock that stands still still ends the wait.
    for (let left = polls; left > 0; left -= 1) {
      await pause();
      const outcome = await outcomeOf(attemptKey);
      if (outcome) return outcome;
    }
    return null;
  };

  /** Runs the attempt that holds `attemptKey`, then stores how it ended under the outcome key. */
  const attempt = async (attemptKey: string, command: DlqCommand, context: CommandContext, next: Parameters<Middleware<R>>[2]): Promise<R> => {
    const scope = openAuditScope();
    const settle = async (result: ClickOutcome['result'], error: string | null): Promise<void> => {
      // The use case's own record says when it ended and why it failed; without one, now and the error.
      const record = scope.records.findLast((r) => r.action === command.op && r.result === result) ?? null;
      const outcome = { actor: context.actor, at: (record?.at ?? clock.now()).toISOString(), result, error: record?.error ?? error };
      await store.claimIdempotencyKey(outcomeKey(attemptKey), clock.now(), outcome).catch(() => undefined);
    };
    try {
      const answer = await scope.run(() => next(command, context));
      await settle('success', null);
      return answer;
    } catch (error) {
      await settle('failure', auditErrorText(error));
      throw error;
    } finally {
      scope.close();
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
    const base = context.origin ? interactionKey(command.op, command.queue, command.id, context.origin) : null;
    if (base === null) return next(command, context);
    const at = clock.now();
    await pruneKeys(at);
    // One key per attempt: a click after a failed attempt takes the next key and tries again, while a
    // double click or a Slack retry during (or after) a successful attempt finds the key taken.
    for (let n = 0; ; n += 1) {
      const attemptKey = `${base}#${n}`;
      if (await store.claimIdempotencyKey(attemptKey, at, { actor: context.actor, at: at.toISOString() })) return attempt(attemptKey, command, context, next);
      const outcome = await outcomeOf(attemptKey);
      if (outcome?.result === 'failure') continue;
      return deps.presenter.duplicate(command.op, command.id, outcome ?? (await awaitOutcome(attemptKey)));
    }
  };
};
