// Sends requests to a running app the way Slack does: signed with the signing secret (v0 HMAC
// over `v0:<timestamp>:<raw body>`, docs.slack.dev/authentication/verifying-requests-from-slack),
// form-encoded for commands and interactions, JSON for events. Options forge or age a signature
// so tests can prove the app refuses them. Test support only: secrets here are test values.
import { createHmac } from 'node:crypto';
import { buildEventCallback, buildSlashCommand, type SlashCommandFields } from './slack-payloads.ts';

/** Bolt's HTTPReceiver default endpoint: commands, interactions and events share it. */
export const DEFAULT_SLACK_PATH = '/slack/events';
/** How far back a `stale` request is dated: beyond the 5 minutes Slack's docs (and Bolt) allow. */
export const STALE_BY_SECONDS = 10 * 60;

export interface SlackSignatureHeaders {
  'X-Slack-Request-Timestamp': string;
  'X-Slack-Signature': string;
}

/** `X-Slack-Signature: v0=<hex HMAC-SHA256 of "v0:<timestamp>:<body>">`; timestamp in seconds. */
export function signSlackRequest(secret: string, body: string, timestamp: number): SlackSignatureHeaders {
  const digest = createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex');
  return { 'X-Slack-Request-Timestamp': String(timestamp), 'X-Slack-Signature': `v0=${digest}` };
}

export interface SignedSendOptions {
  /** Path on the app; default `/slack/events`. */
  path?: string;
  /** Request timestamp in unix seconds; default now. */
  timestamp?: number;
  /** Date the request STALE_BY_SECONDS in the past (and sign it correctly). */
  stale?: boolean;
  /** Sign with a wrong secret. */
  forgeSignature?: boolean;
  /** Send this X-Slack-Signature verbatim instead of computing one. */
  signature?: string;
  /** Send no signature headers at all. */
  omitSignature?: boolean;
  /** Extra headers, e.g. `X-Slack-Retry-Num` for Events API retries. */
  headers?: Record<string, string>;
  /** Clock in ms; default Date.now. */
  now?: () => number;
}

export interface SlackHttpResponse {
  status: number;
  headers: Headers;
  /** Raw body: empty for a bare ack(). */
  text: string;
  /** Parsed body when it is JSON (e.g. `ack({ response_action: 'errors', errors })`), else undefined. */
  json: unknown;
}

/** POSTs a raw body signed like Slack. Most tests want the typed helpers below. */
export async function sendSignedRequest(
  baseUrl: string,
  secret: string,
  body: string,
  contentType: string,
  options: SignedSendOptions = {},
): Promise<SlackHttpResponse> {
  const nowSec = Math.floor((options.now ?? Date.now)() / 1000);
  const timestamp = options.timestamp ?? (options.stale === true ? nowSec - STALE_BY_SECONDS : nowSec);
  const signed = signSlackRequest(options.forgeSignature === true ? `${secret}-forged` : secret, body, timestamp);
  if (options.signature !== undefined) signed['X-Slack-Signature'] = options.signature;
  const response = await fetch(new URL(options.path ?? DEFAULT_SLACK_PATH, baseUrl), {
    method: 'POST',
    headers: {
      'Content-Type': contentType,
      'User-Agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      ...(options.omitSignature === true ? {} : signed),
      ...options.headers,
    },
    body,
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

const FORM = 'application/x-www-form-urlencoded';

/** A slash command as Slack sends it: form fields (defaults from buildSlashCommand). */
export function sendSlashCommand(
  baseUrl: string,
  secret: string,
  fields: Partial<SlashCommandFields>,
  options?: SignedSendOptions,
): Promise<SlackHttpResponse> {
  const body = new URLSearchParams(buildSlashCommand(fields)).toString();
  return sendSignedRequest(baseUrl, secret, body, FORM, options);
}

/** Any interaction payload (block_actions, view_submission, view_closed, shortcut): `payload=<json>`. */
export function sendInteraction(
  baseUrl: string,
  secret: string,
  payload: Record<string, unknown>,
  options?: SignedSendOptions,
): Promise<SlackHttpResponse> {
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  return sendSignedRequest(baseUrl, secret, body, FORM, options);
}

/** A block_actions payload (see buildBlockActions). */
export const sendBlockActions = sendInteraction;
/** A view_submission payload (see buildViewSubmission); the ack body may carry response_action. */
export const sendViewSubmission = sendInteraction;

/**
 * An Events API request (JSON). Pass an envelope (`type: 'event_callback'` or `url_verification`)
 * or a bare event such as buildAppHomeOpened(), which is wrapped with buildEventCallback().
 */
export function sendEvent(
  baseUrl: string,
  secret: string,
  eventOrEnvelope: Record<string, unknown>,
  options?: SignedSendOptions,
): Promise<SlackHttpResponse> {
  const isEnvelope = eventOrEnvelope.type === 'event_callback' || eventOrEnvelope.type === 'url_verification';
  const envelope = isEnvelope ? eventOrEnvelope : buildEventCallback(eventOrEnvelope);
  return sendSignedRequest(baseUrl, secret, JSON.stringify(envelope), 'application/json', options);
}
