// The one safe path for queue and alert text into Slack mrkdwn: redact, then escape, then cap. The
// order matters: redaction patterns read raw `&`/`<`, and the cap must not cut an escape in half.

import { escapeMrkdwn } from './escape-mrkdwn.ts';
import { redactSecrets } from './redact.ts';
import { truncate, type TruncateMarker } from './truncate.ts';

export interface SlackTextOptions {
  /** Length cap after escaping (Block Kit: 3,000 for a section, 2,000 for a button value...). */
  max: number;
  /** Configured JSON keys to redact besides the defaults. */
  jsonKeys?: readonly string[];
  marker?: TruncateMarker;
}

/** Redacted, mrkdwn-escaped and capped text: safe to put inside a section or a code block. */
export const toSlackText = (text: string, options: SlackTextOptions): string =>
  truncate(escapeMrkdwn(redactSecrets(text, { jsonKeys: options.jsonKeys ?? [] })), options.max, options.marker);
