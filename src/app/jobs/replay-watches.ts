// The post-replay watch: after a replay (one message, or a bulk job that replayed some), Redrive
// watches the DLQ for the queue's watch window (config `canary.watch`, or the job's canary) and posts
// in the job's (or incident's, or clicked message's) thread how many of the replayed messages came
// back, with their new error signatures; returns are audited and handed to the incident's escalation
// (`onReturns`: a replay that fails again is the Kafka runbook's L3 trigger).
// Watches are stored as jobs of kind `replay-watch` (status running → succeeded, the window's end in
// the checkpoint, the thread on the job), so a restart or another replica carries them on: the replica
// holding the poller lease adopts every stored watch nobody runs (its lease `job:<id>` expired).
// It replays nothing and deletes nothing.

import { replayWatchOf, type ReplayWatchJob } from '../../core/job/job-kinds.ts';
import type { Job, JobThread, JsonObject, ReplayRecord } from '../../core/model.ts';
import type { Chat } from '../../ports/chat.port.ts';
import { POLLER_LEASE } from '../shared/poller-lease.ts';
import { writeAudit } from '../shared/audit-trail.ts';
import { canarySettingsOf } from './canary.ts';
import type { JobThreadMessages } from './job-thread-messages.ts';
import { jobLeaseName, newRunHolder } from './job-lease.ts';
import type { QueueDeps } from '../shared/queue-deps.ts';
import { returnToJson, watchForReturns, WATCH_POLL_MS } from './replay-watch.ts';

export const REPLAY_WATCH_KIND = 'replay-watch';
/** A watch's lease: renewed at every look, so a watch whose replica died is adopted after this. */
const WATCH_LEASE_MS = 60_000;
const SCANNED = 200;

export interface ReplayWatchesDeps {
  queue: QueueDeps;
  /** Where messages go; null without Slack (nothing is posted). */
  chat: Chat | null;
  /** Renders the watch's result (presentation/slack/replies/job-thread-messages.ts). */
  messages: Pick<JobThreadMessages, 'watchResult'>;
  /** This replica's id, as it holds the poller lease (adoption runs only there). */
  replicaId: string;
  /** Returns found: the incident's escalation re-reads the DLQ (incident-service `onReplayReturns`). */
  onReturns?: (queue: string, returned: number) => Promise<void>;
  pollMs?: number;
}

export interface WatchStart {
  queue: string;
  actor: string;
  /** A bulk job: every replay it recorded is watched. */
  job?: Job;
  /** One message replayed: its id as the operator gave it (message key or trace id), and when. */
  message?: { ref: string; replayedSince: Date };
  /** Where to report; else the queue's open incident thread; else nowhere (audited and logged). */
  thread: Pick<JobThread, 'channel' | 'threadTs'> | null;
}

export interface ReplayWatches {
  /** Stores a watch and runs it here; null when the queue has no watch window (no `canary` config). */
  start(request: WatchStart): Promise<Job | null>;
  /** Runs every stored watch nobody runs, while this replica holds the poller lease. Never throws. */
  adopt(): Promise<void>;
  /** Stops watching here; the watches stay stored for the next start (or another replica). */
  stop(): Promise<void>;
  /** Resolves when every watch running here has ended (tests). */
  idle(): Promise<void>;
}

/** A one-message replay (no job) of the message the operator named by key or trace id. */
const isReplayOf = (replay: ReplayRecord, ref: string): boolean => replay.jobId === null && (replay.messageKey === ref || replay.fingerprints.includes(`trace:${ref}`));

/** The window for a watch after `job` (its canary's) or after a replay on `queue` (the queue's config). */
const watchMsFor = (deps: QueueDeps, queue: string, job?: Job): number | null => (job ? canarySettingsOf(job)?.watchMs : undefined) ?? deps.canaryConfig?.(queue)?.watchMs ?? null;

export const createReplayWatches = (deps: ReplayWatchesDeps): ReplayWatches => {
  const q = deps.queue;
  const { store, clock } = q;
  const stopping = new AbortController();
  const running = new Map<string, Promise<void>>();

  /** The replays a watch covers: the job's, or the one message's (replayed at or after the watch's start). */
  const replaysOf = async (watch: ReplayWatchJob): Promise<ReplayRecord[]> => {
    const { sourceJobId, messageRef, since } = watch.params;
    if (sourceJobId !== null) return store.listReplays(watch.queue, { jobId: sourceJobId });
    if (messageRef === null) return [];
    return (await store.listReplays(watch.queue, { since: new Date(since ?? 0) })).filter((r) => isReplayOf(r, messageRef));
  };

  const threadOf = async (watch: Pick<Job, 'thread' | 'incidentId' | 'queue'>): Promise<Pick<JobThread, 'channel' | 'threadTs'> | null> => {
    if (watch.thread) return watch.thread;
    const incident = watch.incidentId ? await store.getIncident(watch.incidentId) : await store.findOpenIncident(watch.queue);
    return incident?.slackChannel && incident.slackTs ? { channel: incident.slackChannel, threadTs: incident.slackTs } : null;
  };

  const run = async (watch: ReplayWatchJob, holder: string): Promise<void> => {
    const backend = q.registry.get(watch.queue);
    const until = new Date(typeof watch.checkpoint.until === 'string' ? watch.checkpoint.until : clock.now().toISOString());
    const signal = stopping.signal;
    let replayed = 0;
    let lost = false;
    const replays = async (): Promise<ReplayRecord[]> => {
      // Renewed at every look: the watch stays this replica's while it runs; a cancel ends it.
      if (!(await store.acquireLease(jobLeaseName(watch.id), holder, clock.now(), WATCH_LEASE_MS))) lost = true;
      const current = await store.getJob(watch.id);
      if (lost || current?.status !== 'running') throw new WatchEnded();
      const list = await replaysOf(watch);
      replayed = list.length;
      return list;
    };
    let seen;
    try {
      seen = await watchForReturns(q, { backend, replays, until, signal, pollMs: deps.pollMs ?? WATCH_POLL_MS });
    } catch (error) {
      // Cancelled (`cancel <id>`): nothing to post; taken by another replica: its own now.
      if (error instanceof WatchEnded) {
        if (!lost) await store.releaseLease(jobLeaseName(watch.id), holder).catch(() => undefined);
        return;
      }
      throw error;
    }
    // Stopping: the watch stays `running` for whoever polls next; its lease is freed so that is at once.
    if (seen.interrupted) {
      await store.releaseLease(jobLeaseName(watch.id), holder).catch(() => undefined);
      return;
    }
    const returns = seen.returns;
    const { sourceJobId, messageRef, watchMs } = watch.params;
    const what = sourceJobId !== null ? `job ${sourceJobId}` : `a replay of ${String(messageRef)}`;
    await store.updateJob(watch.id, {
      status: 'succeeded',
      progress: { total: replayed, done: replayed, failed: returns.length },
      checkpoint: { ...watch.checkpoint, returned: returns.map(returnToJson) } as JsonObject,
      updatedAt: clock.now(),
    });
    await writeAudit(q, { action: REPLAY_WATCH_KIND, queue: watch.queue, actor: 'system', jobId: watch.id, incidentId: watch.incidentId }, returns.length > 0 ? 'failure' : 'success', returns.length > 0 ? `${returns.length} of ${replayed} replayed message(s) came back to the DLQ` : null, {
      sourceJobId,
      replayed,
      returned: returns.length,
      signature: returns[0]?.signature ?? null,
    });
    const thread = await threadOf(watch);
    const chat = deps.chat;
    if (chat && thread) {
      const message = deps.messages.watchResult({ queue: watch.queue, what, replayed, watchMs, returns });
      const posted = await chat.reply(thread.channel, thread.threadTs, { text: message.text, blocks: message.blocks });
      if (!posted.ok) q.logger?.warn({ queue: watch.queue, code: posted.failure.code }, 'post-replay watch result not posted');
    }
    if (returns.length > 0) await deps.onReturns?.(watch.queue, returns.length).catch((error: unknown) => q.logger?.warn({ queue: watch.queue, err: error }, 'escalation not told about returned replays'));
    await store.releaseLease(jobLeaseName(watch.id), holder).catch(() => undefined);
  };

  const launch = (watch: ReplayWatchJob, holder: string): void => {
    if (running.has(watch.id)) return;
    const done = run(watch, holder)
      .catch((error: unknown) => q.logger?.warn({ jobId: watch.id, queue: watch.queue, err: error }, 'post-replay watch failed; the next poll adopts it again'))
      .finally(() => running.delete(watch.id));
    running.set(watch.id, done);
  };

  const adopt = async (): Promise<void> => {
    try {
      if (stopping.signal.aborted || (await store.getLease(POLLER_LEASE))?.holder !== deps.replicaId) return;
      for (const job of await store.listJobs({ status: ['running'], limit: SCANNED })) {
        const watch = replayWatchOf(job);
        if (watch === null || running.has(watch.id) || !q.registry.list().some((b) => b.name === watch.queue)) continue;
        const holder = newRunHolder(deps.replicaId);
        if (!(await store.acquireLease(jobLeaseName(watch.id), holder, clock.now(), WATCH_LEASE_MS))) continue;
        launch(watch, holder);
      }
    } catch (error) {
      q.logger?.warn({ err: error }, 'post-replay watches not read; the next poll tries again');
    }
  };

  return {
    start: async (request) => {
      const watchMs = watchMsFor(q, request.queue, request.job);
      if (watchMs === null) return null;
      // A second click answered "already replayed" replayed nothing: nothing to watch.
      if (request.message) {
        const { ref, replayedSince } = request.message;
        const replays = await store.listReplays(request.queue, { since: replayedSince });
        if (!replays.some((r) => isReplayOf(r, ref))) return null;
      }
      const now = clock.now();
      const incident = await store.findOpenIncident(request.queue);
      const watch = await store.createJob({
        id: q.newId?.() ?? crypto.randomUUID(),
        kind: REPLAY_WATCH_KIND,
        queue: request.queue,
        params: {
          watchMs,
          ...(request.job ? { sourceJobId: request.job.id } : {}),
          ...(request.message ? { messageRef: request.message.ref, since: request.message.replayedSince.toISOString() } : {}),
        },
        createdBy: request.actor,
        createdAt: now,
        incidentId: request.job?.incidentId ?? incident?.id ?? null,
      });
      const stored = await store.updateJob(watch.id, {
        status: 'running',
        checkpoint: { until: new Date(now.getTime() + watchMs).toISOString() },
        ...(request.thread ? { thread: { ...request.thread, startTs: null, progressTs: null } } : {}),
        updatedAt: now,
      });
      const holder = newRunHolder(deps.replicaId);
      const typed = replayWatchOf(stored);
      if (typed && !stopping.signal.aborted && (await store.acquireLease(jobLeaseName(watch.id), holder, now, WATCH_LEASE_MS))) launch(typed, holder);
      return stored;
    },
    adopt,
    stop: async () => {
      stopping.abort();
      await Promise.all([...running.values()]);
    },
    idle: async () => {
      while (running.size > 0) await Promise.all([...running.values()]);
    },
  };
};

/** Thrown inside a look when the watch was cancelled or taken by another replica: it ends quietly. */
class WatchEnded extends Error {}
