// /healthz (the process answers), /readyz (the store answers) and /metrics (Prometheus).

import type { Store } from '../../../ports/store.port.ts';
import type { PrometheusMetrics } from '../../outbound/metrics/prometheus-metrics.ts';
import { sendJson, type Route } from './route.ts';

export const healthRoutes = (deps: { store: Store; metrics: PrometheusMetrics; slack: 'http' | 'socket' | 'none' }): Route[] => [
  { method: 'GET', path: '/healthz', handler: (_req, res) => sendJson(res, 200, { status: 'ok' }) },
  {
    method: 'GET',
    path: '/readyz',
    handler: async (_req, res) => {
      try {
        await deps.store.ping();
        sendJson(res, 200, { status: 'ready', store: 'ok', slack: deps.slack });
      } catch (error) {
        sendJson(res, 503, { status: 'not-ready', store: 'unreachable', error: error instanceof Error ? error.message : String(error) });
      }
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
