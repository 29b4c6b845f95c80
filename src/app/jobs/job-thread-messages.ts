// What a job followed from Slack (and a post-replay watch) says in its thread, as typed calls: the
// app decides when and where to post; presentation/slack/replies/job-thread-messages.ts renders the
// messages (Block Kit). Nothing here renders or posts.

import type { Job } from '../../core/model.ts';
import type { ChatBlock } from '../../ports/chat.port.ts';
import type { ReturnedReplay } from './replay-watch.ts';

/** A rendered thread message: plain fallback text and opaque blocks for the Chat port. */
export interface JobThreadMessage {
  text: string;
  blocks: readonly ChatBlock[];
}

/** A job's outcome as its result message reports it. */
export interface JobResultFacts {
  job: Job;
  done: number;
  failed: { messageKey: string; error: string }[];
  uncertain?: number;
  rate?: string | null;
}

/** A post-replay watch's outcome: how many of the `replayed` messages came back within `watchMs`. */
export interface WatchResultFacts {
  queue: string;
  /** What replayed them: "job <id>", "a replay of <ref>". */
  what: string;
  replayed: number;
  watchMs: number;
  returns: readonly ReturnedReplay[];
}

export interface JobThreadMessages {
  /** The root of the job's own thread (with its Cancel button) when it has no other thread to go to. */
  root(job: Job): JobThreadMessage;
  /** The progress reply, edited in place as the job runs. */
  progress(job: Job, progress: { done: number; failed: number; total: number | null }): JobThreadMessage;
  /** The progress reply once the job ended: its final count. */
  finalProgress(job: Job): JobThreadMessage;
  result(facts: JobResultFacts): JobThreadMessage;
  /** The start message once the job ended: no Cancel button. */
  ended(job: Job): JobThreadMessage;
  /** A replica took over a job whose runner stopped heartbeating (`replica`: who, when known). */
  takenOver(job: Job, replica: string | null): JobThreadMessage;
  /** The start message of the move task that replays the rest after a canary passed, with its Cancel button. */
  moveTaskStarted(task: Job, where: string): JobThreadMessage;
  canaryWatching(job: Job, count: number, watchMs: number): JobThreadMessage;
  canaryPassed(job: Job, count: number, watchMs: number): JobThreadMessage;
  /** The canary came back: which and why, with Continue / Cancel. */
  canaryPaused(job: Job, count: number, returns: readonly ReturnedReplay[]): JobThreadMessage;
  watchResult(facts: WatchResultFacts): JobThreadMessage;
}
