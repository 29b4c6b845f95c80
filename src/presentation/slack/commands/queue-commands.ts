// The /dlq operations for every configured queue, as router handlers: each calls one use case and
// renders its result. Slack, the terminal and tests share these, so an operation behaves the same everywhere.

import { canaryForJob, canarySettingsOf, canaryStateOf } from '../../../app/jobs/canary.ts';
import type { CanaryEvent } from '../../../app/jobs/canary-gate.ts';
import { renderCanaryPaused } from '../replies/canary-replies.ts';
import type { OperationHandlers } from '../../../app/commands/dlq-command-router.ts';
import type { CommandContext } from '../../../app/shared/command-context.ts';
import { RedriveError } from '../../../errors.ts';
import { renderAlarms, renderDone, renderMessage, renderMoveTasks, renderPeek, renderStatus, renderWarning } from '../replies/queue-replies.ts';
import { renderAnalysis } from '../replies/analysis-replies.ts';
import { renderKafkaList } from '../replies/kafka-replies.ts';
import { renderReplayConfirmation } from '../replies/framework-replies.ts';
import type { QueueBackend } from '../../../ports/queue-backend.port.ts';
import type { DlqMessage } from '../../../ports/dead-letter-queue.port.ts';
import { renderHistory } from '../replies/history-replies.ts';
import { withPartitionLag } from '../replies/partition-lag-replies.ts';
import { withMessageLocation } from '../replies/message-location-replies.ts';
import { queueHistory } from '../../../app/messages/history.use-case.ts';
import { renderCancel, renderJobs } from '../replies/job-replies.ts';
import { analyzeQueue } from '../../../app/messages/analyze-queue.use-case.ts';
import { cancelJob, listJobViews } from '../../../app/jobs/jobs.use-case.ts';
import { peekMessages, queueStatus, viewMessage, type StatusView } from '../../../app/messages/read-queue.use-case.ts';
import { replayMessage } from '../../../app/messages/replay-message.use-case.ts';
import { resolveMessage } from '../../../app/messages/resolve-message.use-case.ts';
import { resumeRedriveJob, runRedriveJob } from '../../../app/jobs/redrive-job.ts';
import { createRedriveJob, filterOfJob, jobVerb, replayedBeforeInstant, type ManualJobKind } from '../../../app/jobs/redrive-job-params.ts';
import type { RedriveJobResult } from '../../../app/jobs/redrive-job-result.ts';
import { startMoveTask } from '../../../app/jobs/move-task.use-case.ts';
import { createMonitors, type MonitorPost, type Monitors } from '../../../app/monitors/monitor.use-case.ts';
import { audited } from '../../../app/shared/audit-trail.ts';
import { withData } from '../block-kit/blocks.ts';
import { jobData, jobResultData, messageData } from '../replies/reply-data.ts';
import type { QueueDeps } from '../../../app/shared/queue-deps.ts';
import type { JsonObject } from '../../../core/model.ts';
import { describeFilter, type ReplayFilter } from '../../../core/analysis/replay-filter.ts';
import { ALL_QUEUES, countHidden, SEE_ALL, type QueueVisibility } from '../../../app/shared/queue-visibility.ts';
import { withHiddenNote } from '../replies/hidden-note.ts';
import { hiddenQueuesNote } from '../../../core/auth/hidden-queues-note.ts';

export interface QueueOperationsOptions {
  /** Where monitor readings go (a Slack thread poster, the terminal). */
  monitorPost?: MonitorPost;
  /** A poster per monitor started, knowing who asked where (Slack: the incident's or the command's thread); wins over monitorPost. */
  monitorPosterFor?: (queue: string, context: CommandContext) => MonitorPost;
  monitors?: Monitors;
  /** A replacement body for `replay`, or a JSON object merged into every body for `redrive-batch` (terminal --body-file). */
  bodyEdit?: string | null;
  /** Concurrent batches in a manual redrive job (default 4). */
  redriveConcurrency?: number;
  /** Which queues each user may view, for `status` and `jobs` of all queues (default: all, as for the terminal). */
  visibility?: QueueVisibility;
  /** Progress of manual redrive jobs run to their end by this caller (the terminal prints it). */
  jobProgress?: (job: { id: string; queue: string; verb?: string }, progress: { done: number; failed: number; total: number | null }) => void;
  /** A manual job's canary watching, passed or returned (the terminal prints it). */
  onCanary?: (event: CanaryEvent) => void;
}

/** What the "done" row of a finished job counts, by what the job does and where. */
const doneLabel = (job: RedriveJobResult['job'], kind: 'sqs' | 'kafka'): string => {
  if (jobVerb(job) === 'resolved') return kind === 'kafka' ? 'resolved (archived, offset committed up to the lowest unresolved)' : 'resolved (archived and deleted)';
  return kind === 'kafka' ? 'replayed (kept in the DLQ until resolved)' : 'replayed and deleted';
};

const jobReply = (queue: string, result: RedriveJobResult, kind: 'sqs' | 'kafka') => withData(jobSummary(queue, result, kind), jobResultData(result));

const jobSummary = (queue: string, result: RedriveJobResult, kind: 'sqs' | 'kafka') => {
  const job = result.job;
  const canary = canarySettingsOf(job);
  if (result.stopped === 'canary-returned' && canary) return renderCanaryPaused(job, canary.count, canaryStateOf(job)?.returns ?? [], 'terminal');
  if (result.moveTask) {
    return renderDone(`Redrive of ${queue}: the canary of ${canary?.count ?? 0} passed; a message move task replays the rest`, [
      ['canary job', job.id],
      ['replayed by the canary', result.done],
      ['move task job', result.moveTask.id],
      ['task', String(result.moveTask.params.taskHandle ?? '')],
    ], `Follow it with \`jobs ${queue}\`; cancel it with \`cancel ${result.moveTask.id}\`.`);
  }
  const filter = [describeFilter(filterOfJob(job.params.filter)), typeof job.params.replayedBefore === 'string' ? `replayed before ${job.params.replayedBefore}` : null].filter(Boolean).join(' ');
  const verb = jobVerb(job);
  const what = verb === 'resolved' ? 'Resolve' : 'Redrive';
  const rows: [string, string | number | null][] = [
    ['job', job.id],
    ['status', job.status],
    ...(filter ? [['filter', filter] as [string, string], ['not matching, left alone', result.skipped] as [string, number]] : []),
    ...(verb === 'resolved' ? [['reason', typeof job.params.reason === 'string' ? job.params.reason : null] as [string, string | null]] : []),
    [doneLabel(job, kind), result.done],
    ['failed (still in DLQ)', result.failed.length],
    [verb === 'resolved' ? 'interrupted, not archived again' : 'interrupted, not resent', result.uncertain.length],
    ['stopped', result.stopped],
    ['rate', result.elapsedMs > 0 ? `${((result.sent / result.elapsedMs) * 1000).toFixed(1)} msg/s` : null],
  ];
  const failures = result.failed.slice(0, 10).map((f) => `${f.messageKey}: ${f.error}`).join('\n');
  if (job.status === 'cancelled') return renderDone(`${what} of ${queue} cancelled: ${result.done} message(s) ${verb} before it stopped`, rows, failures || undefined);
  if (job.status === 'succeeded' || job.status === 'paused') return renderDone(`${what} of ${queue}: ${result.done} message(s) ${verb}`, rows, failures || undefined);
  const warning = renderWarning(`${what} of ${queue}: ${result.done} ${verb}, ${result.failed.length} failed`, `${job.error ?? ''}\n${failures}`);
  return { ...warning, blocks: [...warning.blocks, ...renderDone('Job summary', rows).blocks.slice(1)] };
};

const outcomeData = (outcome: { message: { messageKey: string }; destination: string; destinationId: string | null; removed: boolean; removeError: string | null }) => ({
  messageKey: outcome.message.messageKey,
  destination: outcome.destination,
  destinationId: outcome.destinationId,
  removed: outcome.removed,
  removeError: outcome.removeError,
});
/**
 * Where a message's Replay button sends it when the queue picks the destination per message (Kafka
 * without a replay topic: the original topic); undefined when the queue has one fixed destination.
 */
export const replayDestinations = async (backend: QueueBackend): Promise<((message: DlqMessage) => string | null) | undefined> => {
  if (backend.kind !== 'kafka') return undefined;
  const target = await backend.replayTarget();
  return target.destinationOf ? (message) => target.destinationOf?.(message) ?? null : undefined;
};

const parseMerge = (text: string | null | undefined): JsonObject | null => {
  if (text === null || text === undefined) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new RedriveError('DLQ_BODY_INVALID', `The body edit is not valid JSON (${error instanceof Error ? error.message : 'parse error'}).`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new RedriveError('DLQ_BODY_INVALID', 'A redrive-batch body edit must be a JSON object to merge into each body.');
  return parsed as JsonObject;
};

export const createQueueOperations = (deps: QueueDeps, options: QueueOperationsOptions = {}): OperationHandlers => {
  const monitors = options.monitors ?? createMonitors(deps);
  const visibility = options.visibility ?? SEE_ALL;
  const queueNames = (): string[] => deps.registry.list().map((b) => b.name);
  const text = { redactKeys: deps.redactKeys ?? [] };
  const progressFor = (id: string, queue: string, verb = 'replayed') => {
    const listener = options.jobProgress;
    return listener ? { onProgress: (p: { done: number; failed: number; total: number | null }) => listener({ id, queue, verb }, p) } : {};
  };
  const runJob = async (queue: string, count: number | null, rate: number | null, actor: string, kind: ManualJobKind, filter: ReplayFilter | null = null, resolve: { reason: string | null; replayedBefore: string | null } | null = null, canary?: number, thenMoveTask = false) => {
    const bodyMerge = kind === 'resolve-batch' ? null : parseMerge(options.bodyEdit);
    const backend = deps.registry.get(queue);
    const job = await createRedriveJob(deps, queue, { count, ratePerSecond: rate, bodyMerge, actor, kind, filter, concurrency: options.redriveConcurrency ?? 4, ...(resolve ?? {}), canary, thenMoveTask });
    return jobReply(queue, await runRedriveJob(deps, job.id, { ...progressFor(job.id, queue, jobVerb(job)), ...(options.onCanary ? { onCanary: options.onCanary } : {}) }), backend.kind);
  };
  return {
    status: async (command, ctx) => {
      const scope = command.queue === null ? await visibility.scopeFor(ctx.actor) : ALL_QUEUES;
      const views = await queueStatus(deps, command.queue, ctx.actor, scope);
      return withData(withHiddenNote(withPartitionLag(renderStatus(views), views), hiddenQueuesNote(countHidden(queueNames(), scope))), { queues: views });
    },
    peek: async (command, ctx) => {
      const backend = deps.registry.get(command.queue);
      const messages = await peekMessages(deps, command.queue, command.count, ctx.actor);
      // Slack pages the cards; a terminal prints them all (no size limit, no buttons to turn a page).
      const paging = { count: command.count, page: command.page ?? 0, all: ctx.transport === 'cli' };
      const data = { queue: backend.name, kind: backend.kind, messages: messages.map((m) => messageData(m, backend.mapping)) };
      if (backend.kind === 'kafka') return withData(renderKafkaList(command.queue, messages, { ...text, mapping: backend.mapping, paging, replayTo: await replayDestinations(backend) }), data);
      return withData(renderPeek(command.queue, messages, deps.clock.now(), backend.kind, { ...text, paging }), data);
    },
    view: async (command, ctx) => {
      const backend = deps.registry.get(command.queue);
      const message = await viewMessage(deps, command.queue, command.id, ctx.actor);
      const replayTo = (await replayDestinations(backend))?.(message) ?? null;
      const rendered = withMessageLocation(renderMessage(message, deps.clock.now(), { ...text, replayTo, ...(backend.mapping ? { mapping: backend.mapping } : {}) }), message, backend);
      return withData(rendered, { queue: backend.name, kind: backend.kind, message: messageData(message, backend.mapping) });
    },
    analyze: async (command, ctx) => {
      const analysis = await analyzeQueue(deps, { queue: command.queue, actor: ctx.actor });
      return withData(renderAnalysis(analysis, text), analysis);
    },
    replay: async (command, ctx) => {
      const editedBody = command.body ?? options.bodyEdit ?? null;
      let outcome;
      try {
        outcome = await replayMessage(deps, { queue: command.queue, id: command.id, actor: ctx.actor, editedBody, confirmedDestination: command.to ?? null });
      } catch (error) {
        // No replay topic and not (or wrongly) confirmed: nothing was sent; ask, naming the original topic.
        if (!(error instanceof RedriveError) || error.code !== 'DLQ_REPLAY_UNCONFIRMED' || typeof error.context.destination !== 'string') throw error;
        return renderReplayConfirmation(command.queue, String(error.context.messageId ?? command.id), error.context.destination, {
          edited: editedBody !== null,
          inTerminal: ctx.transport === 'cli',
          keys: text.redactKeys,
        });
      }
      const kafka = deps.registry.get(command.queue).kind === 'kafka';
      const rows: [string, string | null][] = [
        ['message', outcome.message.messageKey],
        ['destination', outcome.destination],
        ['destination id', outcome.destinationId],
        // Kafka keeps a replayed record in the DLQ topic until it is resolved (the runbook's rule).
        kafka ? ['in the DLQ', 'yes, until resolved'] : ['removed from DLQ', outcome.removed ? 'yes' : `no${outcome.removeError ? ` (${outcome.removeError})` : ''}`],
      ];
      return withData(renderDone(`Replayed ${outcome.message.messageKey} to ${outcome.destination}`, rows, kafka ? `Resolve it once it was processed: \`resolve ${command.queue} ${outcome.message.messageKey}\`.` : undefined), outcomeData(outcome));
    },
    're-execute': async (command, ctx) => {
      const outcome = await replayMessage(deps, { queue: command.queue, id: command.id, actor: ctx.actor, via: 'reexecute' });
      return withData(renderDone(`Re-executed ${outcome.message.messageKey} in ${outcome.destination}`, [
        ['message', outcome.message.messageKey],
        ['execution', outcome.destinationId],
        ['removed from DLQ', outcome.removed ? 'yes' : `no${outcome.removeError ? ` (${outcome.removeError})` : ''}`],
      ], 'Input: the body plus reprocessed: true and original_failure_time. The message was deleted only after StartExecution succeeded.'), outcomeData(outcome));
    },
    history: async (command, ctx) => {
      const history = await queueHistory(deps, { queue: command.queue, hours: command.hours, actor: ctx.actor });
      return withData(renderHistory(history), history);
    },
    resolve: async (command, ctx) => {
      const outcome = await resolveMessage(deps, { queue: command.queue, id: command.id, actor: ctx.actor, reason: command.reason });
      const kafka = deps.registry.get(command.queue).kind === 'kafka';
      const effect = kafka
        ? outcome.removed ? "the consumer group's offset committed up to the lowest unresolved one" : `offset not committed yet (${outcome.removeError ?? 'unknown'}); the next resolve retries`
        : outcome.removed ? 'deleted from the DLQ' : `not deleted (${outcome.removeError ?? 'unknown'})`;
      return withData(renderDone(`Resolved ${outcome.message.messageKey}: ${kafka ? 'recorded as resolved' : 'archived'}, ${effect}`, [
        ['message', outcome.message.messageKey],
        ['reason', command.reason],
        ['archived before', outcome.alreadyResolved ? 'yes' : 'no'],
      ]), { messageKey: outcome.message.messageKey, reason: command.reason, alreadyResolved: outcome.alreadyResolved, removed: outcome.removed, removeError: outcome.removeError });
    },
    'redrive-all': async (command, ctx) => {
      const backend = deps.registry.get(command.queue);
      // With a canary, the canary goes through a manual job first and the move task only if it passes.
      if (backend.moveTasks && !backend.fifo && canaryForJob(deps.canaryConfig?.(backend.name) ?? null, command.canary, null)) {
        return runJob(command.queue, null, command.rate, ctx.actor, 'redrive-all', null, null, command.canary, true);
      }
      if (backend.moveTasks && !backend.fifo) {
        const view = await startMoveTask(deps, { queue: command.queue, ratePerSecond: command.rate, actor: ctx.actor });
        return withData(renderMoveTasks(command.queue, view.tasks, String(view.job.params.taskHandle ?? '')), { job: jobData(view.job), tasks: view.tasks });
      }
      return runJob(command.queue, null, command.rate, ctx.actor, 'redrive-all', null, null, command.canary);
    },
    'redrive-batch': async (command, ctx) => runJob(command.queue, command.count, command.rate, ctx.actor, 'redrive-batch', command.filter ?? null, null, command.canary),
    'resolve-batch': async (command, ctx) =>
      runJob(command.queue, command.count, command.rate, ctx.actor, 'resolve-batch', command.filter ?? null, { reason: command.reason, replayedBefore: replayedBeforeInstant(command.replayedBefore, deps.clock.now()) }),
    monitor: async (command, ctx) => {
      const post = options.monitorPosterFor?.(command.queue, ctx) ?? options.monitorPost;
      if (!post) throw new RedriveError('DLQ_OPERATION_UNSUPPORTED', 'Monitoring needs a place to post readings (a Slack thread or a terminal).');
      const first: StatusView = await monitors.start({ queue: command.queue, intervalSeconds: command.intervalSeconds, actor: ctx.actor, post });
      return withData(renderDone(`Monitoring ${command.queue} every ${command.intervalSeconds}s`, [['visible now', first.status.depth]], `Stop with stop-monitor ${command.queue}.`), { intervalSeconds: command.intervalSeconds, first });
    },
    'stop-monitor': async (command, ctx) => {
      const stopped = await monitors.stop({ queue: command.queue, actor: ctx.actor });
      return withData(stopped ? renderDone(`Stopped monitoring ${command.queue}`, []) : renderWarning(`${command.queue} was not being monitored`, 'Nothing to stop.'), { queue: command.queue, stopped });
    },
    jobs: async (command, ctx) => {
      const scope = command.queue === null ? await visibility.scopeFor(ctx.actor) : ALL_QUEUES;
      const views = await listJobViews(deps, { queue: command.queue, actor: ctx.actor, scope });
      const data = { jobs: views.map((v) => ({ ...v, job: jobData(v.job) })) };
      return withData(withHiddenNote(renderJobs(command.queue, views, deps.clock.now()), hiddenQueuesNote(countHidden(queueNames(), scope))), data);
    },
    resume: async (command, ctx) => {
      const result = await resumeRedriveJob(deps, { queue: command.queue, jobId: command.jobId, actor: ctx.actor }, progressFor(command.jobId, command.queue));
      return jobReply(command.queue, result, deps.registry.get(command.queue).kind);
    },
    cancel: async (command, ctx) => {
      const outcome = await cancelJob(deps, { jobId: command.jobId, actor: ctx.actor });
      return withData(renderCancel(outcome), { ...outcome, job: jobData(outcome.job) });
    },
    alarms: async (command, ctx) => {
      const backend = deps.registry.get(command.queue);
      const alarms = backend.alarms;
      if (!alarms) throw new RedriveError('DLQ_OPERATION_UNSUPPORTED', `${command.queue} has no CloudWatch alarms (SQS queues only).`);
      return audited(deps, { action: 'alarms', queue: command.queue, actor: ctx.actor }, async () => {
        const ensured = await alarms.ensureDepthAlarm();
        const list = await alarms.list();
        return withData(renderAlarms(command.queue, ensured.result, list), { queue: command.queue, result: ensured.result, alarms: list });
      });
    },
  };
};
