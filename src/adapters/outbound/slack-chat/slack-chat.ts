// SlackChat: the Chat port on Bolt's WebClient (chat.postMessage/update/postEphemeral/getPermalink,
// files.uploadV2). Translates WebClient errors into ChatFailure values and counts each in metrics
// (slackApiError). Holds no business rule. Security: tokens stay inside the WebClient; failures
// carry Slack's error code, never the request.

import type { webApi } from '@slack/bolt';
import type { Chat, ChatFailure, ChatMessage, ChatResult, FileUpload, PostedMessage } from '../../../ports/chat.port.ts';
import type { Metrics } from '../../../ports/metrics.port.ts';
import type { Logger } from '../../../ports/logger.port.ts';

/** Slack refusals a retry can fix besides rate limits and outages. */
const RETRIABLE_CODES = new Set(['ratelimited', 'rate_limited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);

/** Maps any WebClient error to a ChatFailure. */
export const toChatFailure = (error: unknown): ChatFailure => {
  const e = error as { code?: string; data?: { error?: string }; retryAfter?: number; statusCode?: number; message?: string } | null;
  const message = e?.message ?? String(error);
  switch (e?.code) {
    case 'slack_webapi_platform_error': {
      const code = e.data?.error ?? 'unknown_error';
      return { code, message: `Slack refused the call: ${code}`, retriable: RETRIABLE_CODES.has(code) };
    }
    case 'slack_webapi_rate_limited_error':
      return { code: 'ratelimited', message: 'Slack rate-limited the call', retriable: true, ...(typeof e.retryAfter === 'number' ? { retryAfterMs: e.retryAfter * 1000 } : {}) };
    case 'slack_webapi_http_error':
      return { code: `http_${e.statusCode ?? 'error'}`, message: `Slack answered HTTP ${e.statusCode ?? '?'}`, retriable: (e.statusCode ?? 500) >= 500 || e.statusCode === 429 };
    case 'slack_webapi_request_error':
      return { code: 'network', message: `Slack could not be reached: ${message}`, retriable: true };
    default:
      return { code: 'unknown_error', message, retriable: false };
  }
};

export const createSlackChat = (deps: { client: webApi.WebClient; metrics: Pick<Metrics, 'slackApiError'>; logger?: Pick<Logger, 'warn'> }): Chat => {
  const { client, metrics } = deps;
  const call = async <T>(method: string, run: () => Promise<T>): Promise<ChatResult<T>> => {
    try {
      return { ok: true, value: await run() };
    } catch (error) {
      const failure = toChatFailure(error);
      metrics.slackApiError(method, failure.code);
      deps.logger?.warn({ method, code: failure.code, retriable: failure.retriable }, `Slack ${method} failed: ${failure.message}`);
      return { ok: false, failure };
    }
  };
  const content = (message: ChatMessage) => ({ text: message.text, ...(message.blocks ? { blocks: message.blocks as never[] } : {}) });
  const posted = (result: { channel?: string; ts?: string }, channel: string): PostedMessage => ({ channel: result.channel ?? channel, ts: result.ts ?? '' });

  return {
    post: (channel, message) =>
      call('chat.postMessage', async () => posted(await client.chat.postMessage({ channel, ...content(message) }), channel)),
    update: (channel, ts, message) =>
      call('chat.update', async () => posted(await client.chat.update({ channel, ts, ...content(message) }), channel)),
    reply: (channel, threadTs, message, options) =>
      call('chat.postMessage', async () =>
        posted(await client.chat.postMessage({ channel, thread_ts: threadTs, ...content(message), ...(options?.broadcast ? { reply_broadcast: true } : {}) } as never), channel)),
    ephemeral: (channel, user, message, threadTs) =>
      call('chat.postEphemeral', async () => {
        await client.chat.postEphemeral({ channel, user, ...content(message), ...(threadTs ? { thread_ts: threadTs } : {}) });
      }),
    permalink: (channel, ts) =>
      call('chat.getPermalink', async () => (await client.chat.getPermalink({ channel, message_ts: ts })).permalink ?? ''),
    uploadFile: (file: FileUpload) =>
      call('files.uploadV2', async () => {
        const result = (await client.filesUploadV2({
          channel_id: file.channel,
          ...(file.threadTs ? { thread_ts: file.threadTs } : {}),
          file: Buffer.from(file.bytes),
          filename: file.filename,
          ...(file.title ? { title: file.title } : {}),
          ...(file.altText ? { alt_text: file.altText } : {}),
          ...(file.initialComment ? { initial_comment: file.initialComment } : {}),
        } as never)) as { files?: { files?: { id?: string }[] }[] };
        return { fileId: result.files?.[0]?.files?.[0]?.id ?? null };
      }),
  };
};
