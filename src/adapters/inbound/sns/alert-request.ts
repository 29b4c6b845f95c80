// Reading and answering alert webhook requests (/alerts/sns, /alerts/alertmanager): content type, a body
// size cap enforced while streaming, strict UTF-8, a JSON nesting cap, zod issues with paths, and one
// JSON error shape. Security: never logs or echoes a body or a header value.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { isRedriveError, type ErrorCode } from '../../../errors.ts';
import type { Metrics } from '../../../ports/metrics.port.ts';
import { sendJson, type Route } from '../http/route.ts';
import type { Logger } from '../../../ports/logger.port.ts';

/** Why a request was turned away; becomes `{ error: code, message, reason, issues? }` with `status`. */
export interface Rejection {
  status: 400 | 401 | 403 | 413 | 415 | 500 | 502 | 503;
  code: ErrorCode;
  /** Short machine-readable cause inside the code, e.g. `body-too-large`, `topic-not-allowed`. */
  reason: string;
  message: string;
  issues?: { path: string; message: string }[];
}

export type Checked<T> = { ok: true; value: T } | { ok: false; rejection: Rejection };

export const reject = (status: Rejection['status'], code: ErrorCode, reason: string, message: string): { ok: false; rejection: Rejection } => ({
  ok: false,
  rejection: { status, code, reason, message },
});

/** Alert payloads are shallow (Alertmanager 4 levels, a CloudWatch alarm about 7); deeper is hostile. */
export const MAX_JSON_DEPTH = 32;

/** The media type without parameters, lower-cased; '' when absent. */
export const mediaTypeOf = (req: IncomingMessage): string => (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';

export const checkContentType = (req: IncomingMessage, allowed: readonly string[]): Checked<string> => {
  const type = mediaTypeOf(req);
  if (allowed.includes(type)) return { ok: true, value: type };
  return reject(415, 'INGEST_PAYLOAD_INVALID', 'unsupported-media-type', `Content-Type must be ${allowed.join(' or ')}, got ${type === '' ? 'none' : JSON.stringify(type.slice(0, 100))}.`);
};

/**
 * Reads the whole body, refusing it as soon as it passes `maxBytes` (by Content-Length up front, or
 * while streaming for chunked bodies) without buffering the rest.
 */
export const readBody = (req: IncomingMessage, maxBytes: number): Promise<Checked<Buffer>> =>
  new Promise((resolve) => {
    const tooLarge = reject(413, 'INGEST_PAYLOAD_INVALID', 'body-too-large', `The body is larger than ${maxBytes} bytes.`);
    const declared = Number(req.headers['content-length'] ?? Number.NaN);
    if (Number.isFinite(declared) && declared > maxBytes) {
      resolve(tooLarge);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (result: Checked<Buffer>) => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onError);
      req.off('close', onError);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        chunks.length = 0;
        finish(tooLarge);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish({ ok: true, value: Buffer.concat(chunks, size) });
    const onError = () => finish(reject(400, 'INGEST_PAYLOAD_INVALID', 'body-incomplete', 'The request body was cut off.'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onError);
    req.on('close', onError); // after 'end' this is a no-op; before it, the client went away
  });

/** Deepest nesting of arrays/objects in JSON text, stopping early once past `limit`. Linear, no recursion. */
export const jsonDepthExceeds = (text: string, limit: number): boolean => {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
};

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

export const decodeUtf8 = (body: Buffer): Checked<string> => {
  try {
    return { ok: true, value: utf8.decode(body) };
  } catch {
    return reject(400, 'INGEST_PAYLOAD_INVALID', 'not-utf8', 'The body is not valid UTF-8.');
  }
};

/** Parses JSON text after the nesting check; `what` names the document in messages (body, Message). */
export const parseJsonText = (text: string, what = 'The body'): Checked<unknown> => {
  if (text.trim() === '') return reject(400, 'INGEST_PAYLOAD_INVALID', 'not-json', `${what} is empty; expected JSON.`);
  if (jsonDepthExceeds(text, MAX_JSON_DEPTH)) {
    return reject(400, 'INGEST_PAYLOAD_INVALID', 'json-too-deep', `${what} nests deeper than ${MAX_JSON_DEPTH} levels.`);
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return reject(400, 'INGEST_PAYLOAD_INVALID', 'not-json', `${what} is not valid JSON.`);
  }
};

/** `alerts[0].labels.alertname` style, like the config loader's paths. */
export const formatIssuePath = (path: readonly PropertyKey[], prefix = ''): string =>
  path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out === '' ? String(key) : `${out}.${String(key)}`), prefix);

const MAX_ISSUES = 10;

/** Validates with a zod schema; a failure lists up to ten issues, each with its path. */
export const parseWith = <S extends z.ZodType>(schema: S, data: unknown, prefix = ''): Checked<z.output<S>> => {
  const result = schema.safeParse(data);
  if (result.success) return { ok: true, value: result.data };
  const issues = result.error.issues.slice(0, MAX_ISSUES).map((issue) => ({
    path: formatIssuePath(issue.path, prefix) || '(root)',
    message: issue.message,
  }));
  const first = issues[0];
  return {
    ok: false,
    rejection: {
      status: 400,
      code: 'INGEST_PAYLOAD_INVALID',
      reason: 'wrong-shape',
      message: first ? `${first.path}: ${first.message}` : 'The payload does not have the expected shape.',
      issues,
    },
  };
};

export const sendRejection = (res: ServerResponse, rejection: Rejection): void => {
  // A body we stopped reading must not keep the connection: the client may still be sending it.
  if (rejection.reason === 'body-too-large') res.setHeader('connection', 'close');
  sendJson(res, rejection.status, {
    error: rejection.code,
    message: rejection.message,
    reason: rejection.reason,
    ...(rejection.issues ? { issues: rejection.issues } : {}),
  });
};

/** Who sent a rejected request, for the log line (never the body or credentials). */
export const requestContext = (req: IncomingMessage): { remoteAddress: string | undefined; userAgent: string | undefined } => ({
  remoteAddress: req.socket.remoteAddress,
  userAgent: req.headers['user-agent']?.slice(0, 200),
});

export interface AlertReply {
  status: number;
  body: unknown;
}

interface AlertRouteSpec {
  method: 'POST';
  path: string;
  /** `sns`, `alertmanager`: the metrics and log label. */
  source: string;
  /** `SNS`, `Alertmanager`: the sender named in log lines and in the retry advice. */
  sender: string;
  handle: (req: IncomingMessage) => Promise<Checked<AlertReply>>;
  logger: Pick<Logger, 'error' | 'warn'>;
  metrics: Pick<Metrics, 'alertReceived'>;
}

/**
 * The route both alert receivers share: a checked reply is sent as JSON, a refusal is counted and
 * logged with who sent it, and a failure while recording is a 503 (retriable: the sender retries)
 * or a 500, never a crash.
 */
export const alertRoute = (spec: AlertRouteSpec): Route => ({
  method: spec.method,
  path: spec.path,
  handler: async (req: IncomingMessage, res: ServerResponse) => {
    let outcome: Checked<AlertReply>;
    try {
      outcome = await spec.handle(req);
    } catch (error) {
      const retriable = isRedriveError(error) && error.retriable;
      spec.logger.error({ source: spec.source, err: error }, `${spec.sender} delivery failed`);
      outcome = retriable
        ? reject(503, isRedriveError(error) ? error.code : 'INTERNAL_ERROR', 'unavailable', `Redrive could not record the alert right now; ${spec.sender} will retry.`)
        : reject(500, 'INTERNAL_ERROR', 'internal', 'Internal error; see the log.');
    }
    if (outcome.ok) {
      sendJson(res, outcome.value.status, outcome.value.body);
      return;
    }
    const { rejection } = outcome;
    if (rejection.status < 500) spec.metrics.alertReceived(spec.source, 'rejected');
    spec.logger.warn({ source: spec.source, status: rejection.status, code: rejection.code, reason: rejection.reason, ...requestContext(req) }, `${spec.sender} delivery refused: ${rejection.message}`);
    sendRejection(res, rejection);
  },
});
