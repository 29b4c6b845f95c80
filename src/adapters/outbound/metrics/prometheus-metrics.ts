// Prometheus exposition of the Metrics port (prom-client), one registry per process.

import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { LEVELS, type Level } from '../../../core/model.ts';
import type { Metrics } from '../../../ports/metrics.port.ts';

export interface PrometheusMetrics extends Metrics {
  readonly registry: Registry;
  render(): Promise<string>;
  readonly contentType: string;
}

export const createPrometheusMetrics = (options: { defaultMetrics?: boolean } = {}): PrometheusMetrics => {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'redrive_process_' });
  const alerts = new Counter({ name: 'redrive_alerts_total', help: 'Alert deliveries by source and outcome', labelNames: ['source', 'result'], registers: [registry] });
  const incidentLevel = new Gauge({ name: 'redrive_incident_level', help: 'Open incident level per queue (0=OK/none, 1..3=L1..L3)', labelNames: ['queue'], registers: [registry] });
  const depth = new Gauge({ name: 'redrive_queue_depth', help: 'Last sampled DLQ depth per queue', labelNames: ['queue'], registers: [registry] });
  const actions = new Counter({ name: 'redrive_actions_total', help: 'Operator actions by action and result', labelNames: ['action', 'result'], registers: [registry] });
  const slackErrors = new Counter({ name: 'redrive_slack_api_errors_total', help: 'Slack Web API errors by method and error', labelNames: ['method', 'error'], registers: [registry] });
  const jobDone = new Gauge({ name: 'redrive_job_done', help: 'Messages processed by a running job', labelNames: ['job', 'kind'], registers: [registry] });
  const jobTotal = new Gauge({ name: 'redrive_job_total', help: 'Messages a job expects to process (-1 when unknown)', labelNames: ['job', 'kind'], registers: [registry] });
  return {
    registry,
    contentType: registry.contentType,
    render: () => registry.metrics(),
    alertReceived: (source, result) => alerts.inc({ source, result }),
    incidentLevel: (queue, level: Level | null) => incidentLevel.set({ queue }, level === null ? 0 : LEVELS.indexOf(level)),
    queueDepth: (queue, value) => depth.set({ queue }, value),
    actionCompleted: (action, result) => actions.inc({ action, result }),
    slackApiError: (method, error) => slackErrors.inc({ method, error }),
    jobProgress: (job, kind, done, total) => {
      jobDone.set({ job, kind }, done);
      jobTotal.set({ job, kind }, total ?? -1);
    },
  };
};
