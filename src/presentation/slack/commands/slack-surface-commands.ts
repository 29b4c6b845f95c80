// What the interactive Slack surface adds to the /dlq operations, as router handlers wrapped around
// the queue operations (so the router's authorize hook still runs first):
// - `view` for a modal renders the whole message (several sections, buttons);
// - `replay` and `resolve` from a button run once per (operation, queue, message, clicked message):
//   a Slack retry or a double click gets "already replayed by <@U> at …" and changes nothing;
// - `redrive-all`, `redrive-batch`, `resolve-batch` and `resume` from Slack answer at once with the job id and a Cancel button,
//   and the job runs in the background, reporting in a thread (job-follower.ts).
// The terminal keeps the plain handlers: it waits for a job to end.

import { section, type Reply } from '../block-kit/blocks.ts';
import { editReplayBlocks } from '../block-kit/modals.ts';
import { PLAIN_TEXT_INPUT_MAX } from '../block-kit/slack-limits.ts';
import { hasHiddenControls } from '../../../core/text/neutralize-controls.ts';
import { redactSecrets } from '../../../core/text/redact.ts';
import type { DlqCommand } from '../../../core/command/parse-dlq-command.ts';
import { slackDate } from '../replies/incident-blocks.ts';
import type { AuditRecord, QueueKind } from '../../../core/model.ts';
import type { ReplayFilter } from '../../../core/analysis/replay-filter.ts';
import type { OperationHandler, OperationHandlers } from '../../../app/commands/dlq-command-router.ts';
import type { CommandContext } from '../../../app/shared/command-context.ts';
import { liveJobLease } from '../../../app/jobs/job-lease.ts';
import { startMoveTask } from '../../../app/jobs/move-task.use-case.ts';
import type { QueueDeps } from '../../../app/shared/queue-deps.ts';
import { renderMessageModal } from '../replies/queue-replies.ts';
import { binaryValueOf } from '../replies/framework-replies.ts';
import { replayDestinations } from '../../../app/messages/replay-message.use-case.ts';
import type { DlqMessage } from '../../../ports/dead-letter-queue.port.ts';
import { viewMessage } from '../../../app/messages/read-queue.use-case.ts';
import { resumeRedriveJob } from '../../../app/jobs/redrive-job.ts';
import { createRedriveJob, replayedBeforeInstant, type ManualJobKind } from '../../../app/jobs/redrive-job-params.ts';
import { canaryForJob } from '../../../app/jobs/canary.ts';
import { reply, safeText } from '../replies/reply-format.ts';
import type { JobFollower } from '../../../app/jobs/job-follower.ts';
import type { ReplayWatches } from '../../../app/jobs/replay-watches.ts';
import { renderJobStarted } from '../replies/job-messages.ts';
import { isSlackUserId } from '../../../core/text/slack-text.ts';

export interface SlackOperationsDeps {
  queue: QueueDeps;
  jobs: JobFollower | null;
  /** The post-replay watch after a replay from Slack (replay-watches.ts); null = none. */
  watches?: Pick<ReplayWatches, 'start'> | null;
  /** How long a second click waits for the first one's audit record to name who and when (default 3 s). */
  duplicateWaitMs?: number;
}

type Once = 'replay' | 'resolve';

/** Idempotency keys older than this are pruned (at most once an hour, on a click). */
const KEY_TTL_MS = 7 * 24 * 3_600_000;
const PRUNE_EVERY_MS = 3_600_000;

const PAST: Record<Once, string> = { replay: 'replayed', resolve: 'resolved' };

/** One idempotency key per operation, queue, message and the Slack message the button was on. */
export const interactionKey = (op: Once, queue: string, id: string, origin: NonNullable<CommandContext['origin']>): string | null =>
  origin.messageTs ? `slack:${op}:${queue}:${id}:${origin.channel}:${origin.messageTs}` : null;

const mention = (actor: string): string => (isSlackUserId(actor) ? `<@${actor}>` : safeText(actor, 80));

const alreadyDone = (op: Once, id: string, record: AuditRecord | null): Reply => {
  if (!record) {
    const text = `This message is already being ${PAST[op]} (a second click or a Slack retry); nothing was done twice.`;
    return reply(text, [section(`:hourglass: ${safeText(text, 500)}`)], { private: true });
  }
  const when = slackDate(record.at);
  if (record.result === 'failure') {
    const text = `A ${op} of ${id} by ${record.actor} failed: ${record.error ?? 'unknown error'}. Click again to retry.`;
    return reply(text, [section(`:x: A ${op} of \`${safeText(id, 200)}\` by ${mention(record.actor)} at ${when} failed: ${safeText(record.error ?? 'unknown error', 1_000)}. Click again to retry.`)], { private: true });
  }
  const text = `Already ${PAST[op]} by ${record.actor} at ${record.at.toISOString()}.`;
  return reply(text, [section(`:information_source: Already ${PAST[op]} by ${mention(record.actor)} at ${when}; nothing was done twice.`)], { private: true });
};

/**
 * The Edit and replay form, or why there is none. A body that holds something redaction would hide
 * is never put in Slack (and replaying the redacted text would corrupt it): edit it in a terminal.
 */
const editForm = (message: DlqMessage, keys: readonly string[], kind: QueueKind): Reply => {
  const { queue: queueName, messageKey: id, body } = message;
  const ref = { queue: queueName, id };
  const terminal = `redrive dlq replay ${queueName} ${id} --body-file edited.json`;
  const refusal = (why: string): Reply => reply(why, [section(`:warning: ${safeText(why, 1_000)}`), section(`In a terminal: \`${safeText(terminal, 1_000)}\``)], { private: true });
  const binary = binaryValueOf(message);
  if (binary) return refusal(`This body is binary (${binary.length} bytes, not text): it cannot be edited in Slack. Replay sends its bytes unchanged.`);
  if (body.length > PLAIN_TEXT_INPUT_MAX) return refusal(`This body is ${body.length.toLocaleString('en-US')} characters, more than a Slack input holds (${PLAIN_TEXT_INPUT_MAX.toLocaleString('en-US')}).`);
  if (redactSecrets(body, { jsonKeys: keys }) !== body) return refusal('This body holds values Redrive never shows in Slack (tokens, passwords, signatures or configured keys).');
  // A plain-text input would carry a bidi override or a NUL unseen; shown as \uXXXX it would change the body.
  if (hasHiddenControls(body)) return refusal('This body holds control characters (bidi overrides, NUL, CR...) that Slack would hide or an edit would change.');
  return { text: safeText(`Edit and replay ${id}`, 500), blocks: editReplayBlocks(ref, body, kind), private: true };
};

export const withSlackSurface = (handlers: OperationHandlers, deps: SlackOperationsDeps): OperationHandlers => {
  const { queue } = deps;
  const waitMs = deps.duplicateWaitMs ?? 3_000;

  /** This operation's finished attempts on the message, newest first (denials are not attempts). */
  const attempts = async (op: Once, queueName: string, id: string): Promise<AuditRecord[]> =>
    (await queue.store.searchAudit({ queue: queueName, ref: id, action: op, limit: 50 })).filter((r) => r.result !== 'denied');

  /** The record of the click that holds the key: newer than `seenId` once it ends (it may still run). */
  const holderRecord = async (op: Once, queueName: string, id: string, seenId: number, fallback: AuditRecord | null): Promise<AuditRecord | null> => {
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
    await queue.store.pruneIdempotencyKeys(new Date(now.getTime() - KEY_TTL_MS)).catch(() => undefined);
  };

  const once = <C extends Extract<DlqCommand, { op: Once }>>(op: Once, inner: OperationHandler<C> | undefined): OperationHandler<C> | undefined => {
    if (!inner) return undefined;
    return async (command, context) => {
      const base = context.origin ? interactionKey(op, command.queue, command.id, context.origin) : null;
      if (base === null) return inner(command, context);
      // One key per failed attempt so far: a click after a failure may try again, while a double
      // click or a Slack retry during (or after) a successful attempt finds the key taken.
      const history = await attempts(op, command.queue, command.id);
      const failures = history.filter((r) => r.result === 'failure').length;
      const at = queue.clock.now();
      const first = await queue.store.claimIdempotencyKey(`${base}#${failures}`, at, { actor: context.actor, at: at.toISOString() });
      await pruneKeys(at);
      if (!first) {
        const latest = history[0] ?? null;
        return alreadyDone(op, command.id, latest?.result === 'success' ? latest : await holderRecord(op, command.queue, command.id, latest?.id ?? 0, latest));
      }
      return inner(command, context);
    };
  };

  const jobs = deps.jobs;
  /** After a replay, the post-replay watch reports in the clicked message's thread (or the incident's). */
  const watched = (inner: OperationHandler<Extract<DlqCommand, { op: 'replay' }>> | undefined): typeof inner => {
    const watches = deps.watches;
    if (!inner || !watches) return inner;
    return async (command, context) => {
      const since = queue.clock.now();
      const answer = await inner(command, context);
      const origin = context.origin;
      const threadTs = origin ? (origin.threadTs ?? origin.messageTs) : null;
      const thread = origin && threadTs ? { channel: origin.channel, threadTs } : null;
      await watches.start({ queue: command.queue, actor: context.actor, message: { ref: command.id, replayedSince: since }, thread }).catch((error: unknown) =>
        queue.logger?.warn({ queue: command.queue, err: error instanceof Error ? error.message : String(error) }, 'post-replay watch not started'),
      );
      return answer;
    };
  };
  const inBackground = (context: CommandContext): boolean => jobs !== null && context.transport === 'slack';
  const where = (context: CommandContext): string =>
    context.origin || context.channelId ? 'Progress and the result follow in a thread (the incident\'s, when it has one).' : 'Follow it with /dlq jobs.';

  const startManual = async (
    queueName: string,
    count: number | null,
    rate: number | null,
    kind: ManualJobKind,
    context: CommandContext,
    filter: ReplayFilter | null = null,
    resolve: { reason: string | null; replayedBefore: string | null } | null = null,
    canary?: number,
    thenMoveTask = false,
  ): Promise<Reply> => {
    const job = await createRedriveJob(queue, queueName, { count, ratePerSecond: rate, actor: context.actor, kind, filter, concurrency: 4, ...(resolve ?? {}), canary, thenMoveTask });
    jobs?.runManual(job, context);
    return { ...renderJobStarted(job, where(context)), private: true };
  };

  const resume = handlers.resume;
  const redriveAll = handlers['redrive-all'];
  const redriveBatch = handlers['redrive-batch'];
  const resolveBatch = handlers['resolve-batch'];
  const view = handlers.view;

  return {
    ...handlers,
    ...(view
      ? {
          view: async (command, context) => {
            if (command.surface !== 'modal' && command.surface !== 'edit') return view(command, context);
            const backend = queue.registry.get(command.queue);
            const message = await viewMessage(queue, command.queue, command.id, context.actor);
            if (command.surface === 'edit') return editForm(message, queue.redactKeys ?? [], backend.kind);
            const replayTo = (await replayDestinations(backend))?.(message) ?? null;
            const blocks = renderMessageModal(message, queue.clock.now(), { redactKeys: queue.redactKeys ?? [], kind: backend.kind, replayTo, ...(backend.mapping ? { mapping: backend.mapping } : {}) });
            return { text: safeText(`Message ${message.messageKey} in ${message.queue}`, 500), blocks, private: true };
          },
        }
      : {}),
    ...(handlers.replay ? { replay: watched(once('replay', handlers.replay)) } : {}),
    ...(handlers.resolve ? { resolve: once('resolve', handlers.resolve) } : {}),
    ...(redriveAll
      ? {
          'redrive-all': async (command, context) => {
            if (!inBackground(context)) return redriveAll(command, context);
            const backend = queue.registry.get(command.queue);
            // With a canary, the canary goes through a manual job first and the move task only if it passes.
            if (backend.moveTasks && !backend.fifo && canaryForJob(queue.canaryConfig?.(backend.name) ?? null, command.canary, null)) {
              return startManual(command.queue, null, command.rate, 'redrive-all', context, null, null, command.canary, true);
            }
            if (backend.moveTasks && !backend.fifo) {
              const started = await startMoveTask(queue, { queue: command.queue, ratePerSecond: command.rate, actor: context.actor });
              jobs?.followMoveTask(started.job, context);
              return { ...renderJobStarted(started.job, where(context)), private: true };
            }
            return startManual(command.queue, null, command.rate, 'redrive-all', context, null, null, command.canary);
          },
        }
      : {}),
    ...(resume
      ? {
          resume: async (command, context) => {
            if (!inBackground(context)) return resume(command, context);
            const job = await queue.store.getJob(command.jobId);
            const resumable = job !== null && job.params.manual === true && job.status !== 'succeeded' && job.status !== 'cancelled' && job.queue === queue.registry.get(command.queue).name;
            // Anything the use case would refuse, it refuses (and audits) now, in the answer: also a
            // job whose runner still heartbeats (running here or in another replica).
            if (!resumable || (await liveJobLease(queue.store, job.id, queue.clock.now()))) return resume(command, context);
            jobs?.runManual(job, context, (options) => resumeRedriveJob(queue, { queue: command.queue, jobId: job.id, actor: context.actor }, options));
            return { ...renderJobStarted(job, where(context), 'Resumed'), private: true };
          },
        }
      : {}),
    ...(resolveBatch
      ? {
          'resolve-batch': async (command, context) => {
            if (!inBackground(context)) return resolveBatch(command, context);
            const replayedBefore = replayedBeforeInstant(command.replayedBefore, queue.clock.now());
            return startManual(command.queue, command.count, command.rate, 'resolve-batch', context, command.filter ?? null, { reason: command.reason, replayedBefore });
          },
        }
      : {}),
    ...(redriveBatch
      ? {
          'redrive-batch': async (command, context) =>
            inBackground(context) ? startManual(command.queue, command.count, command.rate, 'redrive-batch', context, command.filter ?? null, null, command.canary) : redriveBatch(command, context),
        }
      : {}),
  };
};
