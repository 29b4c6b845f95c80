// Posts what a followed job says in its Slack thread: opens the thread, replies in it, keeps one
// progress reply edited in place, posts the end, and tells the starter of a failure. It decides
// nothing about the job, and after a crash (`halt`) it stores no thread and posts no progress.

import type { Job, JobThread } from '../../core/model.ts';
import type { Chat, ChatMessage } from '../../ports/chat.port.ts';
import type { Logger } from '../../ports/logger.port.ts';
import { isSlackUserId, toSlackText } from '../../core/text/slack-text.ts';
import type { CommandContext } from '../shared/command-context.ts';
import type { QueueDeps } from '../shared/queue-deps.ts';
import type { JobThreadMessages } from './job-thread-messages.ts';
import { jobThreadTarget } from './job-thread-target.ts';

/** The job's thread; `startTs` is the start message with the Cancel button, edited when the job ends. */
export type Thread = JobThread;

/** Who to tell when a job fails: the starter, or the job's creator when another replica took it over. */
export interface Starter {
  actor: string;
  channelId: string | null;
}

/** What the poster needs of the follower's deps (job-follower-scope.ts): the chat is null without Slack. */
export interface ThreadPosterDeps {
  queue: Pick<QueueDeps, 'store' | 'clock'>;
  chat: Chat | null;
  messages: JobThreadMessages;
  logger: Pick<Logger, 'warn'>;
}

export interface ThreadPoster {
  /** Where the job reports: the incident thread, the clicked message's thread, or a new channel message. */
  open(job: Job, context: CommandContext): Promise<Thread | null>;
  /** Stores the thread on the job, so a replica taking it over reports in the same thread. */
  save(job: Job, thread: Thread | null): Promise<void>;
  /** A reply in the job's thread; its ts, or null when it could not be posted. */
  post(thread: Thread | null, message: ChatMessage): Promise<string | null>;
  /** Posts the job's progress: one reply, edited in place after the first. */
  progress(job: Job, thread: Thread | null): (message: ChatMessage) => Promise<void>;
  /** The result in the thread; the start message (no Cancel any more) and the progress reply edited to the final count. */
  finish(thread: Thread | null, job: Job, result: ChatMessage): Promise<void>;
  /** An ephemeral message to the starter, in the thread when there is one. */
  tellStarter(starter: Starter, thread: Thread | null, text: string): Promise<void>;
}

export const createThreadPoster = (deps: ThreadPosterDeps, halt: AbortSignal): ThreadPoster => {
  const { logger, messages } = deps;
  const store = deps.queue.store;

  const save = async (job: Job, thread: Thread | null): Promise<void> => {
    if (thread && !halt.aborted) await store.updateJob(job.id, { thread: { ...thread }, updatedAt: deps.queue.clock.now() }).catch((error: unknown) => logger.warn({ err: error, jobId: job.id }, 'job thread not stored'));
  };

  const post = async (thread: Thread | null, message: ChatMessage): Promise<string | null> => {
    const chat = deps.chat;
    if (!chat || !thread) return null;
    const posted = await chat.reply(thread.channel, thread.threadTs, message);
    if (posted.ok) return posted.value.ts;
    logger.warn({ code: posted.failure.code, channel: thread.channel }, 'job thread reply failed');
    return null;
  };

  // A long job must not flood the thread; if the edit fails, a new reply carries on.
  const progress = (job: Job, thread: Thread | null) => async (message: ChatMessage): Promise<void> => {
    const chat = deps.chat;
    if (!chat || !thread || halt.aborted) return;
    if (thread.progressTs !== null) {
      const edited = await chat.update(thread.channel, thread.progressTs, message);
      if (edited.ok) return;
    }
    const posted = await chat.reply(thread.channel, thread.threadTs, message);
    if (posted.ok) {
      // Stored, so a replica taking the job over edits the same reply.
      thread.progressTs = posted.value.ts;
      await save(job, thread);
    } else logger.warn({ code: posted.failure.code, channel: thread.channel }, 'job progress reply failed');
  };

  const open = async (job: Job, context: CommandContext): Promise<Thread | null> => {
    const chat = deps.chat;
    if (!chat) return null;
    const root = messages.root(job);
    const message = { text: root.text, blocks: root.blocks };
    const target = await jobThreadTarget(store, job, context);
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

  return { open, save, post, progress, finish, tellStarter };
};
