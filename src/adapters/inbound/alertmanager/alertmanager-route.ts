// POST /alerts/alertmanager: the Alertmanager webhook receiver. Checks, in this order: credentials,
// content type, body size, JSON, version, shape; then hands the alerts to the ingest use case.
// Security: nothing is read past the headers before the credentials verified.

import type { IncomingMessage } from 'node:http';
import type { IngestAlert } from '../../../app/incidents/ingest-alert.ts';
import type { Metrics } from '../../../ports/metrics.port.ts';
import type { Route } from '../http/route.ts';
import {
  alertRoute,
  checkContentType,
  decodeUtf8,
  parseJsonText,
  parseWith,
  readBody,
  reject,
  type Checked,
  type AlertReply,
} from '../sns/alert-request.ts';
import type { AlertmanagerAuth } from './alertmanager-auth.ts';
import { alertmanagerWebhookSchema, webhookVersionSchema } from './alertmanager-webhook.schema.ts';
import type { Logger } from '../../../ports/logger.port.ts';

export const ALERTMANAGER_PATH = '/alerts/alertmanager';

export interface AlertmanagerRouteDeps {
  ingest: IngestAlert;
  auth: AlertmanagerAuth;
  maxBodyBytes: number;
  logger: Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;
  metrics: Pick<Metrics, 'alertReceived'>;
}

type Reply = AlertReply;

const SOURCE = 'alertmanager';

const AUTH_MESSAGES = {
  'not-configured': 'No Alertmanager credentials are configured; set alerts.alertmanager.bearerTokenEnv (or basicAuthUserEnv and basicAuthPasswordEnv) and export the variable.',
  missing: 'Send a bearer token or basic auth (Alertmanager http_config.authorization or basic_auth).',
  wrong: 'The credentials are wrong.',
} as const;

const handle = async (req: IncomingMessage, deps: AlertmanagerRouteDeps): Promise<Checked<Reply>> => {
  const auth = deps.auth(req.headers.authorization);
  if (!auth.ok) return reject(401, 'INGEST_UNAUTHORIZED', `credentials-${auth.reason}`, AUTH_MESSAGES[auth.reason]);
  const type = checkContentType(req, ['application/json']);
  if (!type.ok) return type;
  const body = await readBody(req, deps.maxBodyBytes);
  if (!body.ok) return body;
  const text = decodeUtf8(body.value);
  if (!text.ok) return text;
  const json = parseJsonText(text.value);
  if (!json.ok) return json;
  const version = webhookVersionSchema.safeParse(json.value);
  if (version.success && version.data.version !== '4') {
    const shown = JSON.stringify(version.data.version ?? null).slice(0, 40);
    return reject(400, 'INGEST_PAYLOAD_INVALID', 'version-unsupported', `Webhook version ${shown} is not supported; Redrive reads version "4".`);
  }
  const payload = parseWith(alertmanagerWebhookSchema, json.value);
  if (!payload.ok) return payload;
  const result = await deps.ingest({ source: 'alertmanager', alerts: payload.value.alerts, receiver: payload.value.receiver, groupKey: payload.value.groupKey });
  return { ok: true, value: { status: result.alerts.length > 0 ? 200 : 202, body: { status: 'accepted', ...result } } };
};

export const alertmanagerRoute = (deps: AlertmanagerRouteDeps): Route =>
  alertRoute({ method: 'POST', path: ALERTMANAGER_PATH, source: SOURCE, sender: 'Alertmanager', handle: (req) => handle(req, deps), logger: deps.logger, metrics: deps.metrics });
