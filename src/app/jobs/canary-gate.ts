// The canary inside a bulk job's run (redrive-job.ts): while the canary has not passed, the run may
// claim only the first N messages; once they are replayed it watches the DLQ for them (holding the
// job's lease, so the job stays this run's) until the stored end of the window. No return: the canary
// passed and the run goes on with the rest. Any return: the job is `paused` with what came back in its
// checkpoint, and nothing beyond the canary is replayed until an operator continues (resume) or
// cancels it. Every verdict is audited. It sends nothing itself. On an SQS redrive-all the rest then
// goes through a message move task instead (moveTaskAfterCanary).

import { manualRedriveOf } from '../../core/job/job-kinds.ts';
import type { Job } from '../../core/model.ts';
import type { QueueBackend } from '../../ports/queue-backend.port.ts';
import { writeAudit } from '../shared/audit-trail.ts';
import type { CanarySettings } from '../../core/job/canary-settings.ts';
import { canarySettingsOf, canaryStateJson, canaryStateOf, type CanaryState } from './canary.ts';
import { startMoveTask } from './move-task.use-case.ts';
import type { QueueDeps } from '../shared/queue-deps.ts';
import { scanForReturns, watchForReturns, type ReturnedReplay } from './replay-watch.ts';

/** What a run is told about its canary, for the job's thread. */
export type CanaryEvent =
  | { kind: 'watching'; count: number; until: Date }
  | { kind: 'passed'; count: number; watchMs: number }
  | { kind: 'returned'; count: number; returns: ReturnedReplay[] };

export interface CanaryGate {
  /** The most items the run may hold while the canary has not passed; null = no cap. */
  readonly limit: number | null;
  /**
   * Items a counted job may claim beyond its count: after Continue, the canary messages that came
   * back are in the DLQ again under new keys, and replaying the rest includes them.
   */
  readonly extra: number;
  /** Fields of the checkpoint every progress write must keep. */
  stored(): { canary?: ReturnType<typeof canaryStateJson> };
  /**
   * After the run's workers stopped: is the canary replayed (or being watched) and due a watch? Not
   * when the DLQ ran out before N were replayed: then the canary was the whole job. (A worker's empty
   * receive is no sign the DLQ ran out: the other workers may hold what is left.)
   */
  due(items: number): boolean;
  /** Watches the DLQ for the canary's messages and records the verdict. */
  watch(run: { backend: QueueBackend; signal: AbortSignal; onCanary?: (event: CanaryEvent) => void }): Promise<'passed' | 'returned' | 'interrupted'>;
}

const inCanary = (state: CanaryState | null): state is CanaryState => state !== null && (state.phase === 'replaying' || state.phase === 'watching');

export const canaryGate = (deps: QueueDeps, job: Job): CanaryGate => {
  const settings: CanarySettings | null = canarySettingsOf(job);
  let state = canaryStateOf(job);
  const save = async (patch: Partial<Pick<Job, 'status' | 'error'>> = {}): Promise<Job> => {
    const current = (await deps.store.getJob(job.id)) ?? job;
    return deps.store.updateJob(job.id, { ...patch, checkpoint: { ...current.checkpoint, canary: canaryStateJson(state as CanaryState) }, updatedAt: deps.clock.now() });
  };
  const audit = (result: 'success' | 'failure', error: string | null, details: Record<string, string | number | null>) =>
    writeAudit(deps, { action: `${job.kind}:canary`, queue: job.queue, actor: 'system', jobId: job.id }, result, error, details);
  return {
    limit: settings && inCanary(state) ? settings.count : null,
    extra: state?.phase === 'continued' ? state.returns.length : 0,
    stored: () => (state ? { canary: canaryStateJson(state) } : {}),
    due: (items) => settings !== null && inCanary(state) && (state.phase === 'watching' || items >= settings.count),
    watch: async ({ backend, signal, onCanary }) => {
      if (!settings || !state) return 'passed';
      if (state.phase !== 'watching') {
        state = { ...state, phase: 'watching', until: new Date(deps.clock.now().getTime() + settings.watchMs) };
        await save();
      }
      const until = state.until ?? deps.clock.now();
      onCanary?.({ kind: 'watching', count: settings.count, until });
      const seen = await watchForReturns(deps, { backend, replays: () => deps.store.listReplays(job.queue, { jobId: job.id }), until, signal, stopAtFirst: true });
      if (seen.returns.length > 0) {
        state = { ...state, phase: 'returned', returns: seen.returns };
        const error = `canary: ${seen.returns.length} of ${settings.count} replayed message(s) came back to the DLQ; paused`;
        await save({ status: 'paused', error });
        await audit('failure', error, { canary: settings.count, returned: seen.returns.length, signature: seen.returns[0]?.signature ?? null });
        onCanary?.({ kind: 'returned', count: settings.count, returns: seen.returns });
        return 'returned';
      }
      if (seen.interrupted) return 'interrupted';
      state = { ...state, phase: 'passed' };
      await save();
      await audit('success', null, { canary: settings.count, returned: 0, watchSeconds: Math.round(settings.watchMs / 1000) });
      onCanary?.({ kind: 'passed', count: settings.count, watchMs: settings.watchMs });
      return 'passed';
    },
  };
};

/**
 * Resume of a job paused by its canary: the operator's Continue, recorded in the checkpoint. The DLQ
 * is read once more, so canary messages that came back after the pause count too (a counted job
 * replays that many more).
 */
export const continueAfterCanary = async (deps: QueueDeps, job: Job, actor: string): Promise<boolean> => {
  const state = canaryStateOf(job);
  if (state?.phase !== 'returned') return false;
  const now = await scanForReturns(deps.registry.get(job.queue), await deps.store.listReplays(job.queue, { jobId: job.id })).catch(() => []);
  const returns = [...state.returns, ...now.filter((r) => !state.returns.some((known) => known.replayedKey === r.replayedKey))];
  const next: CanaryState = { ...state, returns, phase: 'continued', continuedBy: actor };
  await deps.store.updateJob(job.id, { checkpoint: { ...job.checkpoint, canary: canaryStateJson(next) }, updatedAt: deps.clock.now() });
  return true;
};

/**
 * SQS redrive-all with a canary: the canary went through this manual job and passed, so the rest goes
 * through the broker's message move task (StartMessageMoveTask), started now as its own job; this
 * job ends `succeeded` and names it.
 */
export const moveTaskAfterCanary = async (deps: QueueDeps, job: Job): Promise<Job> => {
  const rate = manualRedriveOf(job)?.params.ratePerSecond ?? null;
  const started = await startMoveTask(deps, { queue: job.queue, ratePerSecond: rate, actor: job.createdBy });
  const current = (await deps.store.getJob(job.id)) ?? job;
  await deps.store.updateJob(job.id, { status: 'succeeded', error: null, checkpoint: { ...current.checkpoint, moveTaskJobId: started.job.id }, updatedAt: deps.clock.now() });
  await writeAudit(deps, { action: `${job.kind}:end`, queue: job.queue, actor: job.createdBy, jobId: job.id }, 'success', null, { canary: 'passed', moveTaskJobId: started.job.id });
  return started.job;
};
