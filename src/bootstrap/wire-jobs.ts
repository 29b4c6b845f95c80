// Background work started from Slack: redrive jobs and their recovery, post-replay watches and
// `/dlq monitor`s, all kept in the store and carried on by the replica holding the poller lease.
// Builds them in dependency order (watches before the jobs that start them); starts nothing.

import type { Logger } from '../adapters/outbound/logging/pino-logger.ts';
import type { IncidentService } from '../app/incidents/incident-service.ts';
import { createJobFollower, type JobFollower } from '../app/jobs/job-follower.ts';
import { createJobRecovery, type JobRecovery } from '../app/jobs/job-recovery.ts';
import { createReplayWatches, type ReplayWatches } from '../app/jobs/replay-watches.ts';
import { monitorThreadPoster, timersSleep } from '../app/monitors/monitor-thread.ts';
import { createStoredMonitors, type StoredMonitors } from '../app/monitors/stored-monitors.ts';
import { renderMonitorReading } from '../presentation/slack/replies/monitor-replies.ts';
import { slackJobThreadMessages } from '../presentation/slack/replies/job-thread-messages.ts';
import type { QueueDeps } from '../app/shared/queue-deps.ts';
import type { Job, JobThread } from '../core/model.ts';
import type { Chat } from '../ports/chat.port.ts';
import type { Timers } from '../ports/timers.port.ts';
import type { ServerOptions } from './server-options.ts';

export interface JobWiring {
  replayWatches: ReplayWatches;
  slackJobs: JobFollower;
  jobRecovery: JobRecovery;
  monitors: StoredMonitors;
  monitorPosterFor: ReturnType<typeof monitorThreadPoster>;
}

export const wireJobs = (deps: {
  queueDeps: QueueDeps;
  chat: Chat | null;
  incidents: Pick<IncidentService, 'onReplayReturns'>;
  replicaId: string;
  timers: Timers;
  logger: Logger;
  options: Pick<ServerOptions, 'slackJobs' | 'replayWatchPollMs'>;
}): JobWiring => {
  const { queueDeps, chat, incidents, replicaId, options } = deps;
  const jobsLogger = deps.logger.child({ component: 'jobs' });
  // The post-replay watch (after a job that replayed, or a replay from Slack): stored, adopted by the poller's replica.
  const onReturns = (queue: string) => incidents.onReplayReturns(queue);
  const replayWatches = createReplayWatches({ queue: queueDeps, chat, messages: slackJobThreadMessages, replicaId, onReturns, ...(options.replayWatchPollMs ? { pollMs: options.replayWatchPollMs } : {}) });
  const afterReplay = (job: Job, thread: JobThread | null): void => {
    replayWatches.start({ queue: job.queue, actor: job.createdBy, job, thread }).catch((error: unknown) => jobsLogger.warn({ err: error, jobId: job.id }, 'post-replay watch not started'));
  };
  // A canary that came back is a replay failure for the incident's escalation, as a post-replay watch's returns are.
  const onCanaryReturned = (job: Job): void => void onReturns(job.queue).catch((error: unknown) => jobsLogger.warn({ err: error, jobId: job.id }, 'escalation not told about the canary'));
  // Slack answers long jobs at once and reports in a thread.
  const slackJobs = createJobFollower({ queue: queueDeps, chat, messages: slackJobThreadMessages, logger: jobsLogger, replicaId, afterReplay, onCanaryReturned, ...(options.slackJobs ?? {}) });
  const jobRecovery = createJobRecovery({ queue: queueDeps, follower: slackJobs, logger: jobsLogger, replicaId });
  // /dlq monitor from Slack posts its readings in a thread, every interval on the timers port; the
  // monitors are stored, and the poller's replica runs them (a restart carries them on).
  const monitors = createStoredMonitors({ queue: { ...queueDeps, sleep: timersSleep(deps.timers) }, chat, renderReading: renderMonitorReading, replicaId });
  const monitorPosterFor = monitorThreadPoster({ store: queueDeps.store, chat, renderReading: renderMonitorReading, logger: deps.logger.child({ component: 'monitor' }) });
  return { replayWatches, slackJobs, jobRecovery, monitors, monitorPosterFor };
};
