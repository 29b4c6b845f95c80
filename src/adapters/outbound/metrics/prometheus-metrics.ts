// Prometheus exposition of the Metrics port (prom-client), one registry per process. Counters are
// prom-client Counters named `_total`; nothing is labelled by job id (a series per job would never
// go away): jobs are aggregated per queue and kind, and a job this process stopped reporting on
// leaves the gauges at once (ended) or after JOB_STALE_MS (followed elsewhere now).

import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { LEVELS, type Level } from '../../../core/model.ts';
import type { JobRef, Metrics } from '../../../ports/metrics.port.ts';

export interface PrometheusMetrics extends Metrics {
  readonly registry: Registry;
  render(): Promise<string>;
  readonly contentType: string;
}

/** A job not reported on for this long (another replica follows it now) leaves the running gauges. */
export const JOB_STALE_MS = 15 * 60_000;

interface TrackedJob {
  queue: string;
  kind: string;
  done: number;
  total: number | null;
  seenAt: number;
}

/** Every metric name Redrive exposes besides prom-client's default process metrics (prefixed `redrive_`). */
export const METRIC_NAMES = {
  alerts: 'redrive_alerts_total',
  incidentLevel: 'redrive_incident_level',
  queueDepth: 'redrive_queue_depth',
  queueInFlight: 'redrive_queue_in_flight',
  actions: 'redrive_actions_total',
  slackApiErrors: 'redrive_slack_api_errors_total',
  jobsRunning: 'redrive_jobs_running',
  jobMessagesRemaining: 'redrive_job_messages_remaining',
  jobMessages: 'redrive_job_messages_total',
  jobsEnded: 'redrive_jobs_ended_total',
} as const;

export const createPrometheusMetrics = (options: { defaultMetrics?: boolean; now?: () => number } = {}): PrometheusMetrics => {
  const now = options.now ?? Date.now;
  const registry = new Registry();
  // prom-client's own names already start with process_ / nodejs_: the prefix is only `redrive_`.
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'redrive_' });
  const registers = [registry];
  const alerts = new Counter({ name: METRIC_NAMES.alerts, help: 'Alert deliveries by source and outcome', labelNames: ['source', 'result'], registers });
  const incidentLevel = new Gauge({ name: METRIC_NAMES.incidentLevel, help: 'Open incident level per queue (0=OK/none, 1..3=L1..L3)', labelNames: ['queue'], registers });
  const depth = new Gauge({ name: METRIC_NAMES.queueDepth, help: 'Last sampled visible DLQ depth per queue', labelNames: ['queue'], registers });
  const inFlight = new Gauge({ name: METRIC_NAMES.queueInFlight, help: 'Last sampled DLQ messages not visible (SQS in flight) per queue; escalation counts depth + in flight', labelNames: ['queue'], registers });
  const actions = new Counter({ name: METRIC_NAMES.actions, help: 'Audited actions by action, queue ("" when about no single queue) and result', labelNames: ['action', 'queue', 'result'], registers });
  const slackErrors = new Counter({ name: METRIC_NAMES.slackApiErrors, help: 'Slack Web API errors by method and error', labelNames: ['method', 'error'], registers });
  const jobMessages = new Counter({ name: METRIC_NAMES.jobMessages, help: 'Messages replayed by bulk jobs this process ran or followed, by queue and kind', labelNames: ['queue', 'kind'], registers });
  const jobsEnded = new Counter({ name: METRIC_NAMES.jobsEnded, help: 'Bulk job runs this process stopped running or following, by queue, kind and status', labelNames: ['queue', 'kind', 'status'], registers });

  const jobs = new Map<string, TrackedJob>();
  /** Jobs this process runs now, without those nobody reported on lately. */
  const liveJobs = (): TrackedJob[] => {
    const cutoff = now() - JOB_STALE_MS;
    for (const [id, job] of jobs) if (job.seenAt < cutoff) jobs.delete(id);
    return [...jobs.values()];
  };
  /** Sets one value per (queue, kind) from the live jobs, resetting first so finished pairs drop out. */
  const aggregate = (gauge: Gauge, value: (job: TrackedJob) => number | null): void => {
    gauge.reset();
    const sums = new Map<string, { queue: string; kind: string; value: number }>();
    for (const job of liveJobs()) {
      const v = value(job);
      if (v === null) continue;
      const key = JSON.stringify([job.queue, job.kind]);
      const sum = sums.get(key) ?? { queue: job.queue, kind: job.kind, value: 0 };
      sum.value += v;
      sums.set(key, sum);
    }
    for (const s of sums.values()) gauge.set({ queue: s.queue, kind: s.kind }, s.value);
  };
  new Gauge({
    name: METRIC_NAMES.jobsRunning,
    help: 'Bulk jobs this process runs or follows now, by queue and kind',
    labelNames: ['queue', 'kind'],
    registers,
    collect() {
      aggregate(this, () => 1);
    },
  });
  new Gauge({
    name: METRIC_NAMES.jobMessagesRemaining,
    help: 'Messages the running bulk jobs of this process still have to replay (jobs with a known total), by queue and kind',
    labelNames: ['queue', 'kind'],
    registers,
    collect() {
      aggregate(this, (job) => (job.total === null ? null : Math.max(0, job.total - job.done)));
    },
  });

  const jobProgress = (job: JobRef, done: number, total: number | null): void => {
    const tracked = jobs.get(job.id);
    if (tracked && done > tracked.done) jobMessages.inc({ queue: job.queue, kind: job.kind }, done - tracked.done);
    jobs.set(job.id, { queue: job.queue, kind: job.kind, done: Math.max(done, tracked?.done ?? 0), total, seenAt: now() });
  };

  return {
    registry,
    contentType: registry.contentType,
    render: () => registry.metrics(),
    alertReceived: (source, result) => alerts.inc({ source, result }),
    incidentLevel: (queue, level: Level | null) => incidentLevel.set({ queue }, level === null ? 0 : LEVELS.indexOf(level)),
    queueDepth: (queue, value, hidden) => {
      depth.set({ queue }, value);
      if (hidden !== undefined && hidden !== null) inFlight.set({ queue }, hidden);
    },
    actionCompleted: (action, result, queue) => actions.inc({ action, queue: queue ?? '', result }),
    slackApiError: (method, error) => slackErrors.inc({ method, error }),
    jobProgress,
    jobEnded: (job, status) => {
      if (!jobs.has(job.id)) return;
      jobs.delete(job.id);
      jobsEnded.inc({ queue: job.queue, kind: job.kind, status });
    },
  };
};
