// Runs a redrive job started from Slack in the background and reports on it: a start message with a
// Cancel button in the incident's thread (else the thread of the message clicked, else a new message
// in the channel), one progress reply edited at most every `progressEveryMs`, the result at the end, and the
// start message edited to drop its Cancel button. A crash also goes to the starter as an ephemeral
// message. The thread (and the progress reply) is stored on the job, so when the replica running it
// dies, the one that takes it over (`recover`, called by job-recovery.ts) reports in the same thread;
// a clean stop (`stop`) hands its jobs over the same way at once, without waiting for a lease to expire.
// It decides nothing about the job itself: runRedriveJob and the move-task use case do.

import { manualRedriveOf } from '../../core/job/job-kinds.ts';
import type { Job, JobThread } from '../../core/model.ts';
import type { Chat, ChatMessage } from '../../ports/chat.port.ts';
import type { CommandContext } from '../shared/command-context.ts';
import { JOB_LEASE_MIN_MS, jobLeaseName, newRunHolder } from './job-lease.ts';
import { refreshMoveTask } from './move-task.use-case.ts';
import { realSleep, type QueueDeps, type Sleep } from '../shared/queue-deps.ts';
import { runRedriveJob } from './redrive-job.ts';
import type { RunOptions } from './redrive-run-options.ts';
import type { RedriveJobResult } from './redrive-job-result.ts';
import { toSlackText, isSlackUserId } from '../../core/text/slack-text.ts';
import { jobVerb } from './redrive-job-params.ts';
import { jobThreadTarget } from './job-thread-target.ts';
import type { JobThreadMessages } from './job-thread-messages.ts';
import { logFailure } from '../shared/log-failure.ts';
import { canarySettingsOf, canaryStateOf } from './canary.ts';
import type { CanaryEvent } from './canary-gate.ts';
import type { Logger } from '../../ports/logger.port.ts';

export interface JobFollowerDeps {
  queue: QueueDeps;
  /** Where messages go; null without Slack (nothing is posted). */
  chat: Chat | null;
  /** Renders what the job says in its thread (presentation/slack/replies/job-thread-messages.ts). */
  messages: JobThreadMessages;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** At most one progress reply per this many ms (default 5 s); the result is always posted. */
  progressEveryMs?: number;
  /** How often a message move task's progress is read from ListMessageMoveTasks (default 5 s). */
  pollMs?: number;
  sleep?: Sleep;
  /** Names this replica in job lease holders and takeover notes. */
  replicaId?: string;
  /** Called when a manual job ended having replayed messages: the post-replay watch (replay-watches.ts). */
  afterReplay?: (job: Job, thread: JobThread | null) => void;
  /** Called when a job paused because its canary came back: a replay failure for the incident's escalation. */
  onCanaryReturned?: (job: Job) => void;
}

export interface JobFollower {
  /**
   * Runs a manual redrive job in the background: a new one (created, not yet run) by default, or
   * through `start` (e.g. resumeRedriveJob for a paused one), which gets the abort signal and progress.
   */
  runManual(job: Job, context: CommandContext, start?: StartRun): void;
  /** Follows a started message move task until it ends. */
  followMoveTask(job: Job, context: CommandContext): void;
  /**
   * Continues a job whose replica is gone, in the job's stored thread: a manual job from its
   * checkpoint, a move task followed to its end. `holder` already holds the job's lease.
   */
  recover(job: Job, holder: string): void;
  /** Resolves once every job this follower runs has ended (tests, shutdown). */
  idle(): Promise<void>;
  /**
   * A clean stop (rolling deploy, restart): a manual job stops after its batch and frees its lease,
   * and a move task (running on the broker) is no longer followed; both stay `running`, so the
   * replica running the poller takes them over at its next poll (after a restart, at its start).
   * Waits for them; jobs handed to this follower afterwards are left alone for that replica.
   */
  stop(): Promise<void>;
  /**
   * Stops as a killed process would (tests): jobs stop at their next wait and write nothing more
   * (no paused status, no thread reply, leases kept until they expire), so another replica takes over.
   */
  crash(): Promise<void>;
}

export type StartRun = (options: RunOptions) => Promise<RedriveJobResult>;

/** The job's thread; `startTs` is the start message with the Cancel button, edited when the job ends. */
type Thread = JobThread;

/** Who to tell when a job fails: the starter, or the job's creator when another replica took it over. */
interface Starter {
  actor: string;
  channelId: string | null;
}

const MAX_REFRESH_FAILURES = 3;

export const createJobFollower = (deps: JobFollowerDeps): JobFollower => {
  const { logger, messages } = deps;
  const progressEveryMs = deps.progressEveryMs ?? 5_000;
  const pollMs = deps.pollMs ?? 5_000;
  const sleep = deps.sleep ?? realSleep;
  // Aborted by a clean stop: jobs are handed to the replica that polls next.
  const handOff = new AbortController();
  const halt = new AbortController();
  const running = new Set<Promise<void>>();
  const replicaId = deps.replicaId ?? null;
  const store = deps.queue.store;
  const saveThread = async (job: Job, thread: Thread | null): Promise<void> => {
    if (thread && !halt.signal.aborted) await store.updateJob(job.id, { thread: { ...thread }, updatedAt: deps.queue.clock.now() }).catch((error: unknown) => logger.warn({ err: error, jobId: job.id }, 'job thread not stored'));
  };

  const track = (work: Promise<void>): void => {
    const done = work.catch((error: unknown) => logFailure(logger, error, {}, 'job follower failed')).finally(() => running.delete(done));
    running.add(done);
  };

  /**
   * One progress message per job, edited in place after the first (a long job must not flood the
   * thread); if the edit fails, a new reply carries on.
   */
  const progressPoster = (job: Job, thread: Thread | null) => {
    return async (message: ChatMessage): Promise<void> => {
      const chat = deps.chat;
      if (!chat || !thread || halt.signal.aborted) return;
      if (thread.progressTs !== null) {
        const edited = await chat.update(thread.channel, thread.progressTs, message);
        if (edited.ok) return;
      }
      const posted = await chat.reply(thread.channel, thread.threadTs, message);
      if (posted.ok) {
        // Stored, so a replica taking the job over edits the same reply.
        thread.progressTs = posted.value.ts;
        await saveThread(job, thread);
      } else logger.warn({ code: posted.failure.code, channel: thread.channel }, 'job progress reply failed');
    };
  };

  /** A reply in the job's thread; its ts, or null when it could not be posted. */
  const post = async (thread: Thread | null, message: ChatMessage): Promise<string | null> => {
    const chat = deps.chat;
    if (!chat || !thread) return null;
    const posted = await chat.reply(thread.channel, thread.threadTs, message);
    if (posted.ok) return posted.value.ts;
    logger.warn({ code: posted.failure.code, channel: thread.channel }, 'job thread reply failed');
    return null;
  };

  /** Where the job reports: the incident thread, the clicked message's thread, or a new channel message. */
  const openThread = async (job: Job, context: CommandContext): Promise<Thread | null> => {
    const chat = deps.chat;
    if (!chat) return null;
    const root = messages.root(job);
    const message = { text: root.text, blocks: root.blocks };
    const target = await jobThreadTarget(deps.queue.store, job, context);
    if (target) {
      const posted = await chat.reply(target.channel, target.threadTs, message);
      return { ...target, startTs: posted.ok ? posted.value.ts : null, progressTs: null };
    }
    if (context.channelId) {
      const posted = await chat.post(context.channelId, message);
      if (posted.ok) return { channel: posted.value.channel, threadTs: posted.value.ts, startTs: posted.value.ts, progressTs: null };
      logger.warn({ code: posted.failure.code, channel: context.channelId }, 'job start message failed; the job runs without a thread');
    }
    return null;
  };

  const tellStarter = async (starter: Starter, thread: Thread | null, text: string): Promise<void> => {
    const channel = thread?.channel ?? starter.channelId;
    const chat = deps.chat;
    if (!chat || !channel || !isSlackUserId(starter.actor)) return;
    await chat.ephemeral(channel, starter.actor, { text: toSlackText(text, { max: 2_000 }) }, thread?.threadTs);
  };

  /** The result in the thread; the start message (no Cancel any more) and the progress reply edited in place to the final count. */
  const finish = async (thread: Thread | null, job: Job, result: ChatMessage): Promise<void> => {
    await post(thread, result);
    const chat = deps.chat;
    if (chat && thread?.startTs) {
      const ended = messages.ended(job);
      await chat.update(thread.channel, thread.startTs, { text: ended.text, blocks: ended.blocks });
    }
    if (chat && thread?.progressTs) {
      const final = messages.finalProgress(job);
      const edited = await chat.update(thread.channel, thread.progressTs, { text: final.text, blocks: final.blocks });
      if (!edited.ok) logger.warn({ code: edited.failure.code, channel: thread.channel }, 'job progress reply not edited to its final count');
    }
  };

  /** Runs a manual job through `start` and reports in `thread`: progress, the result, failures to the starter. */
  const reportManual = async (job: Job, thread: Thread | null, starter: Starter, start: StartRun): Promise<void> => {
    const postProgress = progressPoster(job, thread);
    let lastPost = Number.NEGATIVE_INFINITY;
    let chain = Promise.resolve();
    const total = manualRedriveOf(job)?.params.count ?? null;
    const onProgress = (p: { done: number; failed: number; total?: number | null }) => {
      const now = performance.now();
      if (now - lastPost < progressEveryMs) return;
      lastPost = now;
      const progress = messages.progress(job, { done: p.done, failed: p.failed, total: p.total ?? total });
      chain = chain.then(() => postProgress({ text: progress.text, blocks: progress.blocks })).catch(() => undefined);
    };
    // The canary's watch and verdict go to the thread as they happen (canary-gate.ts).
    const onCanary = (event: CanaryEvent): void => {
      if (event.kind === 'returned') return;
      const message = event.kind === 'watching' ? messages.canaryWatching(job, event.count, event.until.getTime() - deps.queue.clock.now().getTime()) : messages.canaryPassed(job, event.count, event.watchMs);
      chain = chain.then(async () => { await post(thread, { text: message.text, blocks: message.blocks }); }).catch(() => undefined);
    };
    try {
      const result = await start({ handOff: handOff.signal, halt: halt.signal, onProgress, onCanary });
      await chain;
      // Paused on its canary: which came back and why, with Continue / Cancel; the start message keeps its Cancel.
      if (result.stopped === 'canary-returned') {
        const paused = messages.canaryPaused(result.job, canarySettingsOf(result.job)?.count ?? 0, canaryStateOf(result.job)?.returns ?? []);
        await post(thread, { text: paused.text, blocks: paused.blocks });
        logger.warn({ jobId: job.id, queue: job.queue, done: result.done }, 'job paused: its canary came back');
        deps.onCanaryReturned?.(result.job);
        return;
      }
      // Killed (a test's crash): nothing more is said. Taken over or handed off at a stop: the replica
      // that carries on reports from now on, in the same thread.
      if (result.stopped === 'halted' || result.stopped === 'handed-over' || result.stopped === 'handed-off') {
        logger.warn({ jobId: job.id, queue: job.queue, stopped: result.stopped }, 'job left to another replica');
        return;
      }
      const rate = result.elapsedMs > 0 ? `${((result.sent / result.elapsedMs) * 1000).toFixed(1)} msg/s` : null;
      const rendered = messages.result({ job: result.job, done: result.done, failed: result.failed, uncertain: result.uncertain.length, rate });
      await finish(thread, result.job, { text: rendered.text, blocks: rendered.blocks });
      // SQS redrive-all: the canary passed, a message move task replays the rest; it is followed here.
      if (result.moveTask) {
        // The move task's start message carries its Cancel button, taken off when the task ends (finish).
        const note = messages.moveTaskStarted(result.moveTask, 'The canary passed: a message move task replays the rest; its progress follows here.');
        const noteTs = await post(thread, { text: note.text, blocks: note.blocks });
        const holder = newRunHolder(replicaId);
        const taskThread = thread ? { ...thread, startTs: noteTs, progressTs: null } : null;
        await store.acquireLease(jobLeaseName(result.moveTask.id), holder, deps.queue.clock.now(), JOB_LEASE_MIN_MS);
        await saveThread(result.moveTask, taskThread);
        await watchMoveTask(result.moveTask, taskThread, starter, holder);
        return;
      }
      if (result.done > 0 && !halt.signal.aborted) deps.afterReplay?.(result.job, thread);
      if (result.job.status === 'failed') {
        const first = result.failed[0];
        await tellStarter(starter, thread, `:x: Job ${job.id} on ${job.queue}: ${result.done} ${jobVerb(job)}, ${result.failed.length} failed${first ? ` (${first.error})` : ''}; the failed ones stay in the DLQ.`);
      }
      logger.info({ jobId: job.id, queue: job.queue, status: result.job.status, done: result.done }, 'job from Slack ended');
    } catch (error) {
      await chain;
      if (halt.signal.aborted) return;
      const reason = error instanceof Error ? error.message : String(error);
      logFailure(logger, error, { jobId: job.id, queue: job.queue }, 'job from Slack failed');
      const failed = (await store.getJob(job.id)) ?? job;
      const rendered = messages.result({ job: { ...failed, status: 'failed', error: reason }, done: failed.progress.done, failed: [] });
      await finish(thread, { ...failed, status: failed.status === 'running' ? 'failed' : failed.status }, { text: rendered.text, blocks: rendered.blocks });
      await tellStarter(starter, thread, `:x: Job ${job.id} on ${job.queue} failed: ${reason}`);
    }
  };

  const runManual = async (job: Job, context: CommandContext, start: StartRun): Promise<void> => {
    const thread = await openThread(job, context).catch(() => null);
    await saveThread(job, thread);
    await reportManual(job, thread, { actor: context.actor, channelId: context.channelId }, start);
  };

  /**
   * Follows a move task to its end under the job's lease, renewed at every read: the task runs on
   * the broker, so following it is the only work, and another replica takes it over if this one dies.
   */
  const watchMoveTask = async (job: Job, thread: Thread | null, starter: Starter, holder: string): Promise<void> => {
    const postProgress = progressPoster(job, thread);
    const lease = jobLeaseName(job.id);
    const stopping = AbortSignal.any([handOff.signal, halt.signal]);
    let lastDone = -1;
    let failures = 0;
    let current = job;
    try {
      while (!stopping.aborted) {
        await sleep(pollMs, stopping);
        if (stopping.aborted) return;
        if (!(await store.acquireLease(lease, holder, deps.queue.clock.now(), JOB_LEASE_MIN_MS))) {
          logger.warn({ jobId: job.id, queue: job.queue }, 'another replica follows this move task now');
          return;
        }
        try {
          current = (await refreshMoveTask(deps.queue, job.id)).job;
          failures = 0;
        } catch (error) {
          // The task runs on the broker whatever happens here: keep following (and holding the job,
          // so no other replica takes it over), and say once that progress cannot be read for now.
          failures += 1;
          if (failures !== MAX_REFRESH_FAILURES) continue;
          const reason = error instanceof Error ? error.message : String(error);
          logger.warn({ jobId: job.id, queue: job.queue, err: error }, 'move task progress could not be read; still following');
          await post(thread, { text: toSlackText(`Job ${job.id}: progress could not be read (${reason}); Redrive keeps trying, and /dlq jobs shows the latest.`, { max: 1_000 }) });
          await tellStarter(starter, thread, `:x: Job ${job.id} on ${job.queue}: progress could not be read (${reason}).`);
          continue;
        }
        if (current.status !== 'running') break;
        if (current.progress.done !== lastDone) {
          lastDone = current.progress.done;
          const progress = messages.progress(current, current.progress);
          await postProgress({ text: progress.text, blocks: progress.blocks });
        }
      }
      const rendered = messages.result({ job: current, done: current.progress.done, failed: [] });
      await finish(thread, current, { text: rendered.text, blocks: rendered.blocks });
      if (current.status === 'failed') await tellStarter(starter, thread, `:x: Job ${job.id} on ${job.queue} failed: ${current.error ?? 'the move task failed'}`);
    } finally {
      // Stopping (not dying) frees the task at once for the replica that carries on; a killed one's lease expires.
      if (!halt.signal.aborted) await store.releaseLease(lease, holder).catch(() => undefined);
    }
  };

  const followMoveTask = async (job: Job, context: CommandContext): Promise<void> => {
    const holder = newRunHolder(replicaId);
    await store.acquireLease(jobLeaseName(job.id), holder, deps.queue.clock.now(), JOB_LEASE_MIN_MS);
    const thread = await openThread(job, context).catch(() => null);
    await saveThread(job, thread);
    await watchMoveTask(job, thread, { actor: context.actor, channelId: context.channelId }, holder);
  };

  const recover = async (job: Job, holder: string): Promise<void> => {
    // Stopping: the job stays with whichever replica polls next.
    if (handOff.signal.aborted || halt.signal.aborted) {
      if (!halt.signal.aborted) await store.releaseLease(jobLeaseName(job.id), holder).catch(() => undefined);
      return;
    }
    const thread = job.thread ? { ...job.thread } : null;
    const note = messages.takenOver(job, replicaId);
    await post(thread, { text: note.text, blocks: note.blocks });
    const starter = { actor: job.createdBy, channelId: null };
    if (manualRedriveOf(job) !== null) await reportManual(job, thread, starter, (options) => runRedriveJob(deps.queue, job.id, { ...options, holder }));
    else await watchMoveTask(job, thread, starter, holder);
  };

  const settle = async (): Promise<void> => {
    while (running.size > 0) await Promise.all([...running]);
  };

  return {
    runManual: (job, context, start) => track(runManual(job, context, start ?? ((options) => runRedriveJob(deps.queue, job.id, options)))),
    followMoveTask: (job, context) => track(followMoveTask(job, context)),
    recover: (job, holder) => track(recover(job, holder)),
    idle: settle,
    stop: async () => {
      handOff.abort();
      await settle();
    },
    crash: async () => {
      halt.abort();
      await settle();
    },
  };
};
