// Minimal Block Kit types Redrive renders, and small constructors. Pure data, no Slack SDK import.

export interface TextObject {
  type: 'plain_text' | 'mrkdwn';
  text: string;
  emoji?: boolean;
}

export type Block = { type: string; block_id?: string; [key: string]: unknown };

/** What a use case hands back to a transport (Slack, terminal, console) to show a person. */
export interface Reply {
  /** Plain fallback text (notifications, terminal). */
  text: string;
  blocks: Block[];
  /** Only the asking person sees it (Slack ephemeral). */
  private: boolean;
  /** Plain text the terminal prints instead of the blocks (wide tables that read better unwrapped). */
  terminal?: string;
  /** The operation's result as data, for `redrive dlq ... --json` (README "Machine-readable output"). */
  data?: unknown;
}

/** The reply with its machine-readable result attached. */
export const withData = <R extends Reply>(reply: R, data: unknown): R => ({ ...reply, data });

export const mrkdwn = (text: string): TextObject => ({ type: 'mrkdwn', text });
export const plain = (text: string): TextObject => ({ type: 'plain_text', text, emoji: true });
export const section = (text: string): Block => ({ type: 'section', text: mrkdwn(text) });
export const header = (text: string): Block => ({ type: 'header', text: plain(text) });
export const context = (...texts: string[]): Block => ({ type: 'context', elements: texts.map(mrkdwn) });
