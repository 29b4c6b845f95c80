// The per-job lease: whoever runs a job (a manual redrive run, or the follower of a message move
// task) holds `job:<id>` in the store and renews it as its heartbeat. A job left `running` whose
// lease expired belongs to a process that is gone, and the replica running the poller takes it over
// (app/jobs/job-recovery.ts). A live runner that finds its lease taken stops at once. It decides
// nothing about a job's messages: per-item claims keep those from being sent twice in any case.

import { manualRedriveOf } from '../../core/job/job-kinds.ts';
import type { Job, Lease } from '../../core/model.ts';
import type { Store } from '../../ports/store.port.ts';
import type { Logger } from '../../ports/logger.port.ts';

export const jobLeaseName = (jobId: string): string => `job:${jobId}`;

/**
 * The least time without a heartbeat before a runner counts as gone. Longer than the 60 s an SQS
 * checkout hides a message (sqs-dead-letter-queue.ts), so what a dead runner had checked out is
 * visible again when another replica takes the job over, and far longer than the heartbeat period.
 */
export const JOB_LEASE_MIN_MS = 90_000;
/** A runner is gone after this many batch intervals without a heartbeat (when that is longer). */
export const JOB_HEARTBEAT_MISSES = 4;
/** A running job renews its lease (and reads a cancel) at least this often, besides after each batch. */
export const JOB_HEARTBEAT_MS = 1_000;

const BATCH = 10;

/**
 * How long a job's lease lasts without a heartbeat: N batch intervals of its rate (a rate-limited
 * worker waits up to one interval for its turn), never under JOB_LEASE_MIN_MS. A slow but alive
 * runner heartbeats every JOB_HEARTBEAT_MS and after every batch, so it is never taken for gone.
 */
export const jobLeaseTtlMs = (job: Job): number => {
  const params = manualRedriveOf(job)?.params;
  const rate = params?.ratePerSecond && params.ratePerSecond > 0 ? params.ratePerSecond : null;
  const workers = params && params.concurrency > 0 ? params.concurrency : 1;
  const batchIntervalMs = rate === null ? 0 : ((BATCH * workers) / rate) * 1000;
  return Math.max(JOB_LEASE_MIN_MS, JOB_HEARTBEAT_MISSES * batchIntervalMs);
};

/** A holder id for one run of one job: two runs never share one, even in the same process. */
export const newRunHolder = (replica: string | null = null): string => `${replica ?? 'run'}:${crypto.randomUUID()}`;

/** When the lease's holder last renewed it (its expiry minus the job's ttl). */
export const lastHeartbeat = (lease: Lease, job: Job): Date => new Date(lease.expiresAt.getTime() - jobLeaseTtlMs(job));

/** The lease of a job whose runner is alive (renewed within its ttl); null when free or expired. */
export const liveJobLease = async (store: Pick<Store, 'getLease'>, jobId: string, now: Date): Promise<Lease | null> => {
  const lease = await store.getLease(jobLeaseName(jobId));
  return lease && lease.expiresAt.getTime() > now.getTime() ? lease : null;
};

/** One run's hold on a job's lease: renewed on demand and every `everyMs` until released. */
export interface JobLeaseHold {
  /** Renews the lease now; false (and for good) once another holder has taken it. */
  beat(): Promise<boolean>;
  /** True once another holder took the lease: this run must stop and leave the job to it. */
  readonly lost: boolean;
  /** Stops the periodic beat; frees the lease unless `keep` (a killed process frees nothing). */
  release(options?: { keep?: boolean }): Promise<void>;
}

export interface JobLeaseHoldDeps {
  store: Pick<Store, 'acquireLease' | 'releaseLease'>;
  now: () => Date;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  logger?: Pick<Logger, 'warn'> | undefined;
}

/**
 * Takes the job's lease for `holder` (null when another live holder has it) and starts beating it
 * every `everyMs`; each periodic beat then calls `onBeat` (the runner reads a cancel there), so a
 * run waiting for the rate or a slow target still heartbeats and still sees a cancel. `onLost` runs
 * once when the lease turns out taken. Store errors in a periodic beat are logged and retried.
 */
export const holdJobLease = async (
  deps: JobLeaseHoldDeps,
  input: {
    job: Job;
    holder: string;
    everyMs?: number | undefined;
    onBeat?: () => Promise<void>;
    onLost?: () => void;
    /** A dying process (tests' crash): beats stop writing, as a killed process's would. */
    halt?: AbortSignal | undefined;
  },
): Promise<JobLeaseHold | null> => {
  const name = jobLeaseName(input.job.id);
  const ttlMs = jobLeaseTtlMs(input.job);
  if (!(await deps.store.acquireLease(name, input.holder, deps.now(), ttlMs))) return null;
  let lost = false;
  const beat = async (): Promise<boolean> => {
    if (lost) return false;
    if (input.halt?.aborted) return true;
    if (await deps.store.acquireLease(name, input.holder, deps.now(), ttlMs)) return true;
    lost = true;
    input.onLost?.();
    return false;
  };
  const stopping = new AbortController();
  const quiet = input.halt ? AbortSignal.any([stopping.signal, input.halt]) : stopping.signal;
  const loop = (async () => {
    while (!quiet.aborted && !lost) {
      await deps.sleep(input.everyMs ?? JOB_HEARTBEAT_MS, quiet);
      if (quiet.aborted) return;
      try {
        if (await beat()) await input.onBeat?.();
      } catch (error) {
        deps.logger?.warn({ jobId: input.job.id, err: error }, 'job heartbeat failed; retrying');
      }
    }
  })();
  return {
    beat,
    get lost() {
      return lost;
    },
    release: async (options = {}) => {
      stopping.abort();
      await loop;
      if (!options.keep && !lost) await deps.store.releaseLease(name, input.holder).catch(() => undefined);
    },
  };
};
