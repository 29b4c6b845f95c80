// The Chat port: what the app layer needs from a chat workspace (Slack) to run incidents: post,
// edit in place, reply in a thread, whisper to one person, link to a message, upload a file.
// Adapters translate SDK errors into ChatFailure values; nothing here throws for an API refusal.

/**
 * One layout block, opaque to the app: presentation builds it (Slack Block Kit), the adapter sends
 * it as is. Presentation's `Block` is assignable to it.
 */
export type ChatBlock = Readonly<Record<string, unknown>>;

export interface ChatMessage {
  /** Plain fallback text (notifications, screen readers). Already escaped where it holds user content. */
  text: string;
  blocks?: readonly ChatBlock[];
}

export interface PostedMessage {
  channel: string;
  ts: string;
}

/**
 * A call the workspace refused or could not take. `retriable` is true for rate limits (with
 * `retryAfterMs` when the API said), server errors and network failures; false for refusals that
 * a retry cannot fix (channel_not_found, not_in_channel, invalid_blocks, message_not_found...).
 */
export interface ChatFailure {
  /** The API's error code (`ratelimited`, `channel_not_found`) or `network` / `http_<status>`. */
  code: string;
  message: string;
  retriable: boolean;
  retryAfterMs?: number;
}

export type ChatResult<T> = { ok: true; value: T } | { ok: false; failure: ChatFailure };

export interface FileUpload {
  channel: string;
  threadTs?: string;
  filename: string;
  title?: string;
  altText?: string;
  initialComment?: string;
  bytes: Uint8Array;
}

/**
 * Guarantees:
 * - Every method resolves; failures come back as `{ ok: false }` and are counted in metrics.
 * - `update` edits the message in place (same ts); it never posts a new one.
 * - No retries inside the adapter beyond the SDK's own: callers decide (coalesced edits retry on
 *   the next change, thread replies are best effort).
 */
export interface Chat {
  post(channel: string, message: ChatMessage): Promise<ChatResult<PostedMessage>>;
  update(channel: string, ts: string, message: ChatMessage): Promise<ChatResult<PostedMessage>>;
  /**
   * A thread reply. `broadcast` also shows it in the channel (Slack `reply_broadcast`), which is what
   * notifies people: a plain thread reply reaches only those following the thread.
   */
  reply(channel: string, threadTs: string, message: ChatMessage, options?: { broadcast?: boolean }): Promise<ChatResult<PostedMessage>>;
  ephemeral(channel: string, user: string, message: ChatMessage, threadTs?: string): Promise<ChatResult<void>>;
  permalink(channel: string, ts: string): Promise<ChatResult<string>>;
  /** files.uploadV2: upload URL, upload, complete into the channel (and thread). */
  uploadFile(file: FileUpload): Promise<ChatResult<{ fileId: string | null }>>;
}
