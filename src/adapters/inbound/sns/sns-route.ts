// POST /alerts/sns: the SNS HTTP(S) endpoint for CloudWatch alarms. Checks, in this order: content
// type, body size, JSON, envelope shape, allowed topic, message age, signature; then confirms
// subscriptions or hands the alarm to the ingest use case. Security: nothing is stored or fetched
// (other than the signing certificate from a checked URL) before the signature verified.

import type { IncomingMessage } from 'node:http';
import type { IngestAlert } from '../../../app/incidents/ingest-alert.ts';
import type { Clock } from '../../../ports/clock.port.ts';
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
} from './alert-request.ts';
import { checkSnsUrl } from './sns-certificate.ts';
import { cloudWatchAlarmSchema, snsEnvelopeSchema, type SnsConfirmation, type SnsNotification } from './sns-message.schema.ts';
import type { SnsSignatureVerifier } from './sns-signature.ts';
import type { SubscriptionConfirmer } from './sns-subscription.ts';
import type { Logger } from '../../../ports/logger.port.ts';

export const SNS_PATH = '/alerts/sns';

export interface SnsRouteDeps {
  ingest: IngestAlert;
  /** Only these topics are accepted (alerts.sns.topicArns). */
  topicArns: readonly string[];
  extraCertificateHosts: readonly string[];
  maxBodyBytes: number;
  clock: Clock;
  logger: Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;
  metrics: Pick<Metrics, 'alertReceived'>;
  verifySignature: SnsSignatureVerifier;
  confirmSubscription: SubscriptionConfirmer;
  /** Older messages are refused as replays; SNS retries a delivery for at most an hour. Default 1 h. */
  maxMessageAgeMs?: number;
  /** How far a Timestamp may be ahead of our clock. Default 5 min. */
  maxClockSkewMs?: number;
}

type Reply = AlertReply;

const SOURCE = 'sns';

const checkFreshness = (timestamp: string, deps: SnsRouteDeps): Checked<true> => {
  const sentAt = Date.parse(timestamp);
  const now = deps.clock.now().getTime();
  const maxAge = deps.maxMessageAgeMs ?? 3_600_000;
  const skew = deps.maxClockSkewMs ?? 300_000;
  if (now - sentAt > maxAge) {
    return reject(403, 'INGEST_SIGNATURE_INVALID', 'message-too-old', `The message was sent at ${timestamp}, more than ${Math.round(maxAge / 60_000)} min ago; refusing a replay.`);
  }
  if (sentAt - now > skew) return reject(403, 'INGEST_SIGNATURE_INVALID', 'message-from-future', `The message Timestamp ${timestamp} is in the future.`);
  return { ok: true, value: true };
};

const confirm = async (message: SnsConfirmation, deps: SnsRouteDeps): Promise<Checked<Reply>> => {
  if (message.Type === 'UnsubscribeConfirmation') {
    deps.logger.warn({ source: SOURCE, topicArn: message.TopicArn }, 'SNS says this endpoint was unsubscribed');
    return { ok: true, value: { status: 200, body: { status: 'ignored', type: message.Type } } };
  }
  const url = checkSnsUrl(message.SubscribeURL, { extraHosts: deps.extraCertificateHosts, requirePem: false });
  if (!url.ok) return reject(403, 'INGEST_SIGNATURE_INVALID', 'subscribe-url-untrusted', `SubscribeURL ${url.reason}.`);
  try {
    await deps.confirmSubscription(url.url);
  } catch (error) {
    deps.logger.error({ source: SOURCE, topicArn: message.TopicArn, host: url.url.host, err: error }, 'SNS subscription confirmation failed');
    return reject(502, 'INTERNAL_ERROR', 'confirmation-failed', 'Visiting SubscribeURL failed; SNS will resend the confirmation, or confirm it in the AWS console.');
  }
  deps.logger.info({ source: SOURCE, topicArn: message.TopicArn }, 'SNS subscription confirmed');
  return { ok: true, value: { status: 200, body: { status: 'confirmed', topicArn: message.TopicArn } } };
};

const notify = async (message: SnsNotification, deps: SnsRouteDeps): Promise<Checked<Reply>> => {
  const json = parseJsonText(message.Message, 'Message');
  if (!json.ok) return json;
  const alarm = parseWith(cloudWatchAlarmSchema, json.value, 'Message');
  if (!alarm.ok) return alarm;
  const result = await deps.ingest({ source: 'sns', delivery: { messageId: message.MessageId, topicArn: message.TopicArn, alarm: alarm.value } });
  return { ok: true, value: { status: result.alerts.length > 0 ? 200 : 202, body: { status: 'accepted', ...result } } };
};

const handle = async (req: IncomingMessage, deps: SnsRouteDeps): Promise<Checked<Reply>> => {
  // SNS posts JSON as text/plain; application/json is accepted for proxies that rewrite it.
  const type = checkContentType(req, ['text/plain', 'application/json']);
  if (!type.ok) return type;
  const body = await readBody(req, deps.maxBodyBytes);
  if (!body.ok) return body;
  const text = decodeUtf8(body.value);
  if (!text.ok) return text;
  const json = parseJsonText(text.value);
  if (!json.ok) return json;
  const envelope = parseWith(snsEnvelopeSchema, json.value);
  if (!envelope.ok) return envelope;
  const message = envelope.value;
  const headerType = req.headers['x-amz-sns-message-type'];
  if (headerType !== undefined && headerType !== message.Type) {
    return reject(400, 'INGEST_PAYLOAD_INVALID', 'message-type-mismatch', 'The x-amz-sns-message-type header does not match the message Type.');
  }
  if (!deps.topicArns.includes(message.TopicArn)) {
    return reject(403, 'INGEST_UNAUTHORIZED', 'topic-not-allowed', 'The topic is not in alerts.sns.topicArns; add it to the config to accept its messages.');
  }
  const fresh = checkFreshness(message.Timestamp, deps);
  if (!fresh.ok) return fresh;
  const signature = await deps.verifySignature(message);
  if (!signature.ok) return reject(signature.status, 'INGEST_SIGNATURE_INVALID', signature.reason, signature.message);
  return message.Type === 'Notification' ? notify(message, deps) : confirm(message, deps);
};

export const snsRoute = (deps: SnsRouteDeps): Route =>
  alertRoute({ method: 'POST', path: SNS_PATH, source: SOURCE, sender: 'SNS', handle: (req) => handle(req, deps), logger: deps.logger, metrics: deps.metrics });
