// Job recovery: on every poll of the replica holding the poller lease, jobs left `running` by a
// replica that is gone are taken over and reported in their thread. "Gone" means the job's lease
// (job-lease.ts) was not renewed for its ttl: a live runner renews it every second and after every
// batch, so only a dead or frozen process loses it, and taking the lease is atomic in the store, so
// one replica wins. Only jobs Redrive runs in the background (those with a stored Slack thread) are
// taken over; a terminal `redrive dlq` job that was killed waits for `resume`. It decides nothing
// about messages: runRedriveJob's checkpoint does.

import { decodeJob } from '../../core/job/job-kinds.ts';
import type { Job } from '../../core/model.ts';
import { jobLeaseName, jobLeaseTtlMs, newRunHolder } from './job-lease.ts';
import { writeAudit } from '../shared/audit-trail.ts';
import type { QueueDeps } from '../shared/queue-deps.ts';
import type { JobFollower } from './job-follower.ts';
import type { Logger } from '../../ports/logger.port.ts';

export interface JobRecoveryDeps {
  queue: QueueDeps;
  follower: Pick<JobFollower, 'recover'>;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  replicaId: string;
}

export interface JobRecovery {
  /** Takes over every abandoned job it can; returns the ids it took. Never throws. */
  sweep(): Promise<string[]>;
}

const SCANNED = 200;

const recoverable = (deps: JobRecoveryDeps, job: Job): boolean => {
  if (job.thread === null) return false;
  const decoded = decodeJob(job);
  if (!decoded.ok || (decoded.job.type !== 'manual-redrive' && decoded.job.type !== 'move-task')) return false;
  try {
    deps.queue.registry.get(job.queue);
    return true;
  } catch {
    // A queue this replica does not have configured (a config change): left alone.
    return false;
  }
};

export const createJobRecovery = (deps: JobRecoveryDeps): JobRecovery => {
  const { store, clock } = deps.queue;
  return {
    sweep: async () => {
      const taken: string[] = [];
      try {
        const running = await store.listJobs({ status: ['running'], limit: SCANNED });
        for (const job of running.filter((j) => recoverable(deps, j))) {
          const holder = newRunHolder(deps.replicaId);
          const name = jobLeaseName(job.id);
          // Fails while the runner heartbeats, however slow its batches are.
          if (!(await store.acquireLease(name, holder, clock.now(), jobLeaseTtlMs(job)))) continue;
          // A run writes its final status before it frees the lease: read again under the lease.
          const current = await store.getJob(job.id);
          if (current?.status !== 'running') {
            await store.releaseLease(name, holder);
            continue;
          }
          deps.logger.warn({ jobId: job.id, queue: job.queue, kind: job.kind, done: current.progress.done }, 'taking over a job whose replica stopped heartbeating');
          await writeAudit(deps.queue, { action: `${job.kind}:takeover`, queue: job.queue, actor: 'system', jobId: job.id }, 'success', null, {
            replica: deps.replicaId,
            done: current.progress.done,
          });
          deps.follower.recover(current, holder);
          taken.push(job.id);
        }
      } catch (error) {
        deps.logger.error({ err: error }, 'job recovery sweep failed; next poll tries again');
      }
      return taken;
    },
  };
};
