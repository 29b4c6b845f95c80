// /healthz (the process answers), /readyz (the store decides; queue backends reported beside it, see
// app/health/readiness.ts) and /metrics (Prometheus).

import type { Readiness } from '../../../app/health/readiness.ts';
import type { PrometheusMetrics } from '../../outbound/metrics/prometheus-metrics.ts';
import { sendJson, type Route } from './route.ts';

export const healthRoutes = (deps: { readiness: () => Promise<Readiness>; metrics: PrometheusMetrics; slack: 'http' | 'socket' | 'none' }): Route[] => [
  { method: 'GET', path: '/healthz', handler: (_req, res) => sendJson(res, 200, { status: 'ok' }) },
  {
    method: 'GET',
    path: '/readyz',
    handler: async (_req, res) => {
      const r = await deps.readiness();
      sendJson(res, r.ready ? 200 : 503, {
        status: r.ready ? 'ready' : 'not-ready',
        store: r.store,
        ...(r.storeError ? { error: r.storeError } : {}),
        slack: deps.slack,
        queues: r.queues,
      });
    },
  },
  {
    method: 'GET',
    path: '/metrics',
    handler: async (_req, res) => {
      const body = await deps.metrics.render();
      res.writeHead(200, { 'content-type': deps.metrics.contentType });
      res.end(body);
    },
  },
];
