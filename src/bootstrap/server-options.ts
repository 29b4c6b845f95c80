// What tests may set when they start a server (src/bootstrap/serve.ts): a hand-moved clock and
// timers, a replica id, a trusted SNS certificate source, shorter job and watch intervals. Types only.

import type { CertificateFetcher } from '../adapters/inbound/sns/sns-certificate.ts';
import type { Clock } from '../ports/clock.port.ts';
import type { Timers } from '../ports/timers.port.ts';

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
