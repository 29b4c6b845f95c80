// What the /dlq command handlers share: the options a caller (Slack, the terminal, a test) gives them,
// the manual-job settings and listeners taken from those options, the redaction keys and the
// hidden-queues note. It handles no command itself.

import type { ManualJobSettings, JobListeners, JobProgressListener } from '../../../app/jobs/redrive.use-case.ts';
import type { CanaryEvent } from '../../../app/jobs/canary-gate.ts';
import type { MonitorPost, Monitors } from '../../../app/monitors/monitor.use-case.ts';
import type { CommandContext } from '../../../app/shared/command-context.ts';
import type { QueueDeps } from '../../../app/shared/queue-deps.ts';
import { countHidden, SEE_ALL, type QueueScope, type QueueVisibility } from '../../../app/shared/queue-visibility.ts';
import { hiddenQueuesNote } from '../../../core/auth/hidden-queues-note.ts';
import type { UserDirectory } from '../../../ports/user-directory.port.ts';
import type { Reply } from '../block-kit/blocks.ts';
import { withHiddenNote } from '../replies/hidden-note.ts';

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
  jobProgress?: JobProgressListener;
  /** A manual job's canary watching, passed or returned (the terminal prints it). */
  onCanary?: (event: CanaryEvent) => void;
}

/** Who may view which queues (default: all, as for the terminal). */
export const visibilityOf = (options: { visibility?: QueueVisibility }): QueueVisibility => options.visibility ?? SEE_ALL;

/** Keys whose values are redacted in rendered messages. */
export const textOptions = (deps: QueueDeps): { redactKeys: readonly string[] } => ({ redactKeys: deps.redactKeys ?? [] });

export const manualJobSettings = (options: QueueOperationsOptions): ManualJobSettings => ({ bodyEdit: options.bodyEdit ?? null, concurrency: options.redriveConcurrency ?? 4 });

export const jobListeners = (options: QueueOperationsOptions): JobListeners => ({ jobProgress: options.jobProgress, onCanary: options.onCanary });

/** The reply with a note saying how many configured queues the scope hides (none: unchanged). */
export const withHiddenQueues = (reply: Reply, deps: QueueDeps, scope: QueueScope): Reply =>
  withHiddenNote(reply, hiddenQueuesNote(countHidden(deps.registry.list().map((b) => b.name), scope)));

export interface AuditOperationsOptions {
  /** Which queues each user may view (default: all, as for the terminal). */
  visibility?: QueueVisibility;
  /** Resolves `/dlq audit @name`; null or absent where there is no Slack. */
  directory?: UserDirectory | null;
}
