// Who asked for a /dlq operation and from where (Slack, a button, the terminal): passed to every
// handler and middleware. A plain type: nothing here decides anything.

export interface CommandContext {
  /** Slack user id, or `cli:<os user>`. */
  actor: string;
  channelId: string | null;
  transport: 'slack' | 'cli';
  /**
   * Slack interactions: the message a button was on (its thread, if any). Replay and resolve from a
   * button run once per message clicked (idempotency key); long jobs post progress in that thread.
   */
  origin?: { channel: string; messageTs: string | null; threadTs: string | null };
}
