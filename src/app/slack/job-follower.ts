// Runs a redrive job started from Slack in the background and reports on it: a start message with a
// Cancel button in the incident's thread (else the thread of the message clicked, else a new message
// in the channel), one progress reply edited at most every `progressEveryMs`, the result at the end, and the
// start message edited to drop its Cancel button. A crash also goes to the starter as an ephemeral
// message. It decides nothing about the job itself: runRedriveJob and the move-task use case do.

import type { Job } from '../../core/model.ts';
import type { Chat, ChatMessage } from '../../ports/chat.port.ts';
import type { CommandContext } from '../dlq-command-router.ts';
import { refreshMoveTask } from '../queue/move-task.use-case.ts';
import { realSleep, type QueueDeps, type Sleep } from '../queue/queue-deps.ts';
import { runRedriveJob, type RedriveJobResult, type RunOptions } from '../queue/redrive-job.ts';
import { safeText } from '../queue/reply-format.ts';
import { renderJobEnded, renderJobProgress, renderJobResult, renderJobRoot } from './job-messages.ts';

export interface JobLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export interface JobFollowerDeps {
  queue: QueueDeps;
  /** Read when a job starts: the composition root builds the chat adapter after the router. */
  chat: () => Chat | null;
  logger: JobLogger;
  /** At most one progress reply per this many ms (default 5 s); the result is always posted. */
  progressEveryMs?: number;
  /** How often a message move task's progress is read from ListMessageMoveTasks (default 5 s). */
  pollMs?: number;
  sleep?: Sleep;
}

export interface JobFollower {
  /**
   * Runs a manual redrive job in the background: a new one (created, not yet run) by default, or
   * through `start` (e.g. resumeRedriveJob for a paused one), which gets the abort signal and progress.
   */
  runManual(job: Job, context: CommandContext, start?: StartRun): void;
  /** Follows a started message move task until it ends. */
  followMoveTask(job: Job, context: CommandContext): void;
  /** Resolves once every job this follower runs has ended (tests, shutdown). */
  idle(): Promise<void>;
  /** Aborts running jobs (a manual job pauses after its batch and can be resumed) and waits for them. */
  stop(): Promise<void>;
}

export type StartRun = (options: RunOptions) => Promise<RedriveJobResult>;

interface Thread {
  channel: string;
  threadTs: string;
  /** The start message with the Cancel button, edited when the job ends. */
  startTs: string | null;
}

const MAX_REFRESH_FAILURES = 3;

export const createJobFollower = (deps: JobFollowerDeps): JobFollower => {
  const { logger } = deps;
  const progressEveryMs = deps.progressEveryMs ?? 5_000;
  const pollMs = deps.pollMs ?? 5_000;
  const sleep = deps.sleep ?? realSleep;
  const controller = new AbortController();
  const running = new Set<Promise<void>>();

  const track = (work: Promise<void>): void => {
    const done = work.catch((error: unknown) => logger.error({ err: error }, 'job follower failed')).finally(() => running.delete(done));
    running.add(done);
  };

  /**
   * One progress message per job, edited in place after the first (a long job must not flood the
   * thread); if the edit fails, a new reply carries on.
   */
  const progressPoster = (thread: Thread | null) => {
    let ts: string | null = null;
    return async (message: ChatMessage): Promise<void> => {
      const chat = deps.chat();
      if (!chat || !thread) return;
      if (ts !== null) {
        const edited = await chat.update(thread.channel, ts, message);
        if (edited.ok) return;
      }
      const posted = await chat.reply(thread.channel, thread.threadTs, message);
      if (posted.ok) ts = posted.value.ts;
      else logger.warn({ code: posted.failure.code, channel: thread.channel }, 'job progress reply failed');
    };
  };

  const post = async (thread: Thread | null, message: ChatMessage): Promise<void> => {
    const chat = deps.chat();
    if (!chat || !thread) return;
    const posted = await chat.reply(thread.channel, thread.threadTs, message);
    if (!posted.ok) logger.warn({ code: posted.failure.code, channel: thread.channel }, 'job thread reply failed');
  };

  /** Where the job reports: the incident thread, the clicked message's thread, or a new channel message. */
  const openThread = async (job: Job, context: CommandContext): Promise<Thread | null> => {
    const chat = deps.chat();
    if (!chat) return null;
    const root = renderJobRoot(job);
    const message = { text: root.text, blocks: root.blocks };
    let target: { channel: string; threadTs: string } | null = null;
    if (job.incidentId) {
      const incident = await deps.queue.store.getIncident(job.incidentId);
      if (incident?.slackChannel && incident.slackTs) target = { channel: incident.slackChannel, threadTs: incident.slackTs };
    }
    const origin = context.origin;
    const originTs = origin ? (origin.threadTs ?? origin.messageTs) : null;
    if (!target && origin && originTs) target = { channel: origin.channel, threadTs: originTs };
    if (target) {
      const posted = await chat.reply(target.channel, target.threadTs, message);
      return { ...target, startTs: posted.ok ? posted.value.ts : null };
    }
    if (context.channelId) {
      const posted = await chat.post(context.channelId, message);
      if (posted.ok) return { channel: posted.value.channel, threadTs: posted.value.ts, startTs: posted.value.ts };
      logger.warn({ code: posted.failure.code, channel: context.channelId }, 'job start message failed; the job runs without a thread');
    }
    return null;
  };

  const tellStarter = async (context: CommandContext, thread: Thread | null, text: string): Promise<void> => {
    const channel = thread?.channel ?? context.channelId;
    const chat = deps.chat();
    if (!chat || !channel) return;
    await chat.ephemeral(channel, context.actor, { text: safeText(text, 2_000) }, thread?.threadTs);
  };

  const finish = async (thread: Thread | null, job: Job, result: ChatMessage): Promise<void> => {
    await post(thread, result);
    const chat = deps.chat();
    if (chat && thread?.startTs) {
      const ended = renderJobEnded(job);
      await chat.update(thread.channel, thread.startTs, { text: ended.text, blocks: ended.blocks });
    }
  };

  const runManual = async (job: Job, context: CommandContext, start: StartRun): Promise<void> => {
    const thread = await openThread(job, context).catch(() => null);
    const postProgress = progressPoster(thread);
    let lastPost = Number.NEGATIVE_INFINITY;
    let chain = Promise.resolve();
    const total = typeof job.params.count === 'number' ? job.params.count : null;
    const onProgress = (p: { done: number; failed: number; total?: number | null }) => {
      const now = performance.now();
      if (now - lastPost < progressEveryMs) return;
      lastPost = now;
      const progress = renderJobProgress(job, { done: p.done, failed: p.failed, total: p.total ?? total });
      chain = chain.then(() => postProgress({ text: progress.text, blocks: progress.blocks })).catch(() => undefined);
    };
    try {
      const result = await start({ signal: controller.signal, onProgress });
      await chain;
      const rate = result.elapsedMs > 0 ? `${((result.sent / result.elapsedMs) * 1000).toFixed(1)} msg/s` : null;
      const rendered = renderJobResult({ job: result.job, done: result.done, failed: result.failed, uncertain: result.uncertain.length, rate });
      await finish(thread, result.job, { text: rendered.text, blocks: rendered.blocks });
      if (result.job.status === 'failed') {
        const first = result.failed[0];
        await tellStarter(context, thread, `:x: Job ${job.id} on ${job.queue}: ${result.done} replayed, ${result.failed.length} failed${first ? ` (${first.error})` : ''}; the failed ones stay in the DLQ.`);
      }
      logger.info({ jobId: job.id, queue: job.queue, status: result.job.status, done: result.done }, 'job from Slack ended');
    } catch (error) {
      await chain;
      const reason = error instanceof Error ? error.message : String(error);
      logger.error({ err: error, jobId: job.id, queue: job.queue }, 'job from Slack failed');
      const failed = (await deps.queue.store.getJob(job.id)) ?? job;
      const rendered = renderJobResult({ job: { ...failed, status: 'failed', error: reason }, done: failed.progress.done, failed: [] });
      await finish(thread, failed, { text: rendered.text, blocks: rendered.blocks });
      await tellStarter(context, thread, `:x: Job ${job.id} on ${job.queue} failed: ${reason}`);
    }
  };

  const followMoveTask = async (job: Job, context: CommandContext): Promise<void> => {
    const thread = await openThread(job, context).catch(() => null);
    const postProgress = progressPoster(thread);
    let lastDone = -1;
    let failures = 0;
    let current = job;
    while (!controller.signal.aborted) {
      await sleep(pollMs, controller.signal);
      if (controller.signal.aborted) return;
      try {
        current = (await refreshMoveTask(deps.queue, job.id)).job;
        failures = 0;
      } catch (error) {
        failures += 1;
        if (failures < MAX_REFRESH_FAILURES) continue;
        const reason = error instanceof Error ? error.message : String(error);
        await post(thread, { text: safeText(`Job ${job.id}: progress could not be read (${reason}); follow it with /dlq jobs.`, 1_000) });
        await tellStarter(context, thread, `:x: Job ${job.id} on ${job.queue}: progress could not be read (${reason}).`);
        return;
      }
      if (current.status !== 'running') break;
      if (current.progress.done !== lastDone) {
        lastDone = current.progress.done;
        const progress = renderJobProgress(current, current.progress);
        await postProgress({ text: progress.text, blocks: progress.blocks });
      }
    }
    const rendered = renderJobResult({ job: current, done: current.progress.done, failed: [] });
    await finish(thread, current, { text: rendered.text, blocks: rendered.blocks });
    if (current.status === 'failed') await tellStarter(context, thread, `:x: Job ${job.id} on ${job.queue} failed: ${current.error ?? 'the move task failed'}`);
  };

  return {
    runManual: (job, context, start) => track(runManual(job, context, start ?? ((options) => runRedriveJob(deps.queue, job.id, options)))),
    followMoveTask: (job, context) => track(followMoveTask(job, context)),
    idle: async () => {
      while (running.size > 0) await Promise.all([...running]);
    },
    stop: async () => {
      controller.abort();
      while (running.size > 0) await Promise.all([...running]);
    },
  };
};
