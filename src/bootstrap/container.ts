// The server's typed surface: what startServer returns (Runtime) and the test hooks it accepts
// (ServerOptions). Types only; nothing here builds or starts anything.

import { type BoltApp } from '../adapters/inbound/slack/bolt-app.ts';
import type { CertificateFetcher } from '../adapters/inbound/sns/sns-certificate.ts';
import { type DepthPoller } from '../app/incidents/depth-poller.ts';
import { type IncidentService } from '../app/incidents/incident-service.ts';
import { type StoredMonitors } from '../app/monitors/stored-monitors.ts';
import { type JobFollower } from '../app/jobs/job-follower.ts';
import { type JobRecovery } from '../app/jobs/job-recovery.ts';
import { type ApprovalRequests } from '../app/jobs/safety/approval-requests.ts';
import type { Store } from '../ports/store.port.ts';
import { type Clock } from '../ports/clock.port.ts';
import { type Timers } from '../ports/timers.port.ts';
import { type ReplayWatches } from '../app/jobs/replay-watches.ts';

export interface Runtime {
  url: string;
  store: Store;
  bolt: BoltApp | null;
  /** The local console's page when it runs (no Slack credentials, loopback host). */
  consoleUrl: string | null;
  incidents: IncidentService;
  poller: DepthPoller;
  /** Redrive jobs started from Slack, running in the background. */
  slackJobs: JobFollower;
  /** Takes over jobs whose replica stopped heartbeating (run on every poll of the poller's replica). */
  jobRecovery: JobRecovery;
  /** `/dlq monitor`s, kept in the store and run by the replica holding the poller lease. */
  monitors: StoredMonitors;
  /** Bulk replays awaiting a second person's approval; expired on every poll of the poller's replica. */
  approvals: ApprovalRequests;
  /** Post-replay watches, kept in the store and adopted by the replica holding the poller lease. */
  replayWatches: ReplayWatches;
  stop(): Promise<void>;
  /**
   * Stops as a killed process would (tests): nothing is flushed, jobs are not marked paused, leases
   * (poller, jobs) are kept until they expire, and checked-out messages stay hidden until their timeout.
   */
  crash(): Promise<void>;
}

/** Test hooks for startServer: a hand-moved clock and timers, a trusted SNS certificate source. */
export interface ServerOptions {
  slackRetries?: number;
  clock?: Clock;
  timers?: Timers;
  replicaId?: string;
  certificateFetcher?: CertificateFetcher;
  /** Jobs started from Slack: progress replies at most every progressEveryMs, move tasks read every pollMs. */
  slackJobs?: { progressEveryMs?: number; pollMs?: number };
  /** How long an SQS job checkout hides a message (default 60 s): crash tests wait for it to end. */
  sqsCheckoutVisibilitySeconds?: number;
  /** How often a post-replay watch looks at the DLQ (default 5 s). */
  replayWatchPollMs?: number;
}
