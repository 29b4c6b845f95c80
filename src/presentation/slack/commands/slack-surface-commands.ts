// What the interactive Slack surface adds to the /dlq operations, as handlers wrapped around the queue
// operations (so the pipeline's steps, authorize to idempotency, still run first):
// - `view` for a modal renders the whole message (several sections, buttons);
// - `replay` from Slack starts the post-replay watch (once per click: app/commands/idempotency.middleware.ts);
// - `redrive-all`, `redrive-batch`, `resolve-batch` and `resume` from Slack answer at once with the job id and a Cancel button,
//   and the job runs in the background, reporting in a thread (job-follower.ts).
// The terminal keeps the plain handlers: it waits for a job to end.

import { section, type Reply } from '../block-kit/blocks.ts';
import { editReplayBlocks } from '../block-kit/modals.ts';
import { PLAIN_TEXT_INPUT_MAX } from '../block-kit/slack-limits.ts';
import { hasHiddenControls } from '../../../core/text/neutralize-controls.ts';
import { redactSecrets } from '../../../core/text/redact.ts';
import type { DlqCommand } from '../../../core/command/parse-dlq-command.ts';
import type { QueueKind } from '../../../core/model.ts';
import type { ReplayFilter } from '../../../core/analysis/replay-filter.ts';
import type { OperationHandler, OperationHandlers } from './dlq-router.ts';
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
import { createRedriveJob, replayedBeforeInstant } from '../../../app/jobs/redrive-job-params.ts';
import { manualRedriveOf, type ManualJobKind } from '../../../core/job/job-kinds.ts';
import { canaryForJob } from '../../../app/jobs/canary.ts';
import { reply, safeText } from '../replies/reply-format.ts';
import type { JobFollower } from '../../../app/jobs/job-follower.ts';
import type { ReplayWatches } from '../../../app/jobs/replay-watches.ts';
import { renderJobStarted } from '../replies/job-messages.ts';

export interface SlackOperationsDeps {
  queue: QueueDeps;
  jobs: JobFollower | null;
  /** The post-replay watch after a replay from Slack (replay-watches.ts); null = none. */
  watches?: Pick<ReplayWatches, 'start'> | null;
}

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
    ...(handlers.replay ? { replay: watched(handlers.replay) } : {}),
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
            const resumable = job !== null && manualRedriveOf(job) !== null && job.status !== 'succeeded' && job.status !== 'cancelled' && job.queue === queue.registry.get(command.queue).name;
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
