// What the pieces of one job follower share (job-follower.ts builds it once): its deps, its thread
// poster, its settings and its two stops, `handOff` (a clean stop) and `halt` (a crash). No state.

import type { Job, JobThread } from '../../core/model.ts';
import type { Chat } from '../../ports/chat.port.ts';
import type { Logger } from '../../ports/logger.port.ts';
import type { QueueDeps, Sleep } from '../shared/queue-deps.ts';
import type { JobThreadMessages } from './job-thread-messages.ts';
import type { ThreadPoster } from './job-thread-poster.ts';

/** What a followed job uses: the queue, where it posts and how it renders, and what it calls when it ends. */
export interface FollowerDeps {
  queue: QueueDeps;
  /** Where messages go; null without Slack (nothing is posted). */
  chat: Chat | null;
  /** Renders what the job says in its thread (presentation/slack/replies/job-thread-messages.ts). */
  messages: JobThreadMessages;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Called when a manual job ended having replayed messages: the post-replay watch (replay-watches.ts). */
  afterReplay?: (job: Job, thread: JobThread | null) => void;
  /** Called when a job paused because its canary came back: a replay failure for the incident's escalation. */
  onCanaryReturned?: (job: Job) => void;
}

export interface FollowerScope {
  deps: FollowerDeps;
  poster: ThreadPoster;
  /** Aborted by a clean stop: jobs are handed to the replica that polls next. */
  handOff: AbortSignal;
  /** Aborted by a crash: nothing more is written or said. */
  halt: AbortSignal;
  /** At most one progress reply per this many ms; the result is always posted. */
  progressEveryMs: number;
  /** How often a message move task's progress is read. */
  pollMs: number;
  sleep: Sleep;
  /** Names this replica in job lease holders and takeover notes. */
  replicaId: string | null;
}
