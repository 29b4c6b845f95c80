// Verifies every Slack HTTP request before Bolt sees it: the v0 HMAC signature, and a timestamp within
// 5 minutes of the app's clock in EITHER direction (Bolt's own check refuses only the past, so a
// signed request dated ahead would stay replayable until that date). Security: a refused request gets
// 401 and one warn line, and never reaches a listener, so it writes no audit record. It never logs
// the signature or the body. https://docs.slack.dev/authentication/verifying-requests-from-slack

import { verifySlackRequest } from '@slack/bolt';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import type { Logger } from '../../outbound/logging/pino-logger.ts';
import type { Clock } from '../../../ports/clock.port.ts';

/** Slack's documented window: a request dated more than this from now (either way) is refused. */
export const SLACK_REQUEST_MAX_SKEW_SECONDS = 5 * 60;
/** Bolt's HTTPReceiver default body limit. */
const BODY_LIMIT_BYTES = 4 * 1024 * 1024;

export type SlackRequestCheck = { ok: true } | { ok: false; reason: 'missing-timestamp' | 'stale' | 'future' };

/** The timestamp rule alone: `timestamp` is the header's text, `now` the app clock. */
export const checkSlackTimestamp = (timestamp: string | undefined, now: Date): SlackRequestCheck => {
  if (timestamp === undefined || !/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'missing-timestamp' };
  const skew = Number(timestamp) - Math.floor(now.getTime() / 1000);
  if (skew > SLACK_REQUEST_MAX_SKEW_SECONDS) return { ok: false, reason: 'future' };
  if (skew < -SLACK_REQUEST_MAX_SKEW_SECONDS) return { ok: false, reason: 'stale' };
  return { ok: true };
};

const readBody = (req: IncomingMessage): Promise<Buffer | 'too-large'> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > BODY_LIMIT_BYTES) {
        done = true;
        resolve('too-large');
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!done) resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });

const header = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
};

const refuse = (res: ServerResponse, status: number): void => {
  res.writeHead(status);
  res.end();
};

/**
 * Wraps Bolt's request listener (created with `signatureVerification: false`): buffers the body,
 * verifies it, and hands Bolt the buffered request (`rawBody`), which Bolt reads instead of the stream.
 */
export const verifyingSlackListener = (options: { signingSecret: string; clock: Clock; logger: Logger; next: RequestListener }): RequestListener => {
  const { logger } = options;
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(req);
    if (body === 'too-large') {
      logger.warn({ url: req.url, limitBytes: BODY_LIMIT_BYTES }, 'Slack request refused: body too large');
      refuse(res, 413);
      return;
    }
    const text = body.toString('utf8');
    // Slack's SSL check carries no signature; keep only its flag so nothing else rides along unverified.
    const sslCheck = header(req, 'content-type') === 'application/x-www-form-urlencoded' && parseQuery(text).ssl_check === '1';
    if (!sslCheck) {
      const timestamp = header(req, 'x-slack-request-timestamp');
      const now = options.clock.now();
      const check = checkSlackTimestamp(timestamp, now);
      if (!check.ok) {
        logger.warn({ url: req.url, reason: check.reason, requestTimestamp: timestamp ?? null, now: now.toISOString() }, `Slack request refused: timestamp ${check.reason === 'missing-timestamp' ? 'missing or malformed' : check.reason === 'future' ? 'more than 5 minutes ahead of' : 'more than 5 minutes behind'} the server clock`);
        refuse(res, 401);
        return;
      }
      try {
        verifySlackRequest({
          signingSecret: options.signingSecret,
          body: text,
          headers: { 'x-slack-signature': header(req, 'x-slack-signature') ?? '', 'x-slack-request-timestamp': Number(timestamp) },
          nowMilliseconds: now.getTime(),
        });
      } catch {
        logger.warn({ url: req.url, reason: 'signature' }, 'Slack request refused: signature invalid');
        refuse(res, 401);
        return;
      }
    }
    (req as IncomingMessage & { rawBody?: Buffer }).rawBody = sslCheck ? Buffer.from('ssl_check=1') : body;
    options.next(req, res);
  };
  return (req, res) => {
    handle(req, res).catch((error: unknown) => {
      logger.warn({ err: error, url: req.url }, 'Slack request refused: body could not be read');
      if (!res.headersSent) refuse(res, 400);
    });
  };
};
