// The one safe path for queue and alert text into Slack mrkdwn: make control characters visible,
// redact, escape, then cap. The order matters: redaction patterns read raw `&`/`<`, and the cap must
// not cut an escape in half.

import { escapeMrkdwn } from './escape-mrkdwn.ts';
import { neutralizeControls } from './neutralize-controls.ts';
import { redactSecrets } from './redact.ts';
import { truncate, type TruncateMarker } from './truncate.ts';

export interface SlackTextOptions {
  /** Length cap after escaping (Block Kit: 3,000 for a section, 2,000 for a button value...). */
  max: number;
  /** Configured JSON keys to redact besides the defaults. */
  jsonKeys?: readonly string[];
  marker?: TruncateMarker;
}

/**
 * Controls shown as `\uXXXX` (line feeds and tabs kept), redacted, mrkdwn-escaped and capped text:
 * safe to put inside a section or a code block.
 */
export const toSlackText = (text: string, options: SlackTextOptions): string =>
  truncate(escapeMrkdwn(redactSecrets(neutralizeControls(text), { jsonKeys: options.jsonKeys ?? [] })), options.max, options.marker);

/** An id or name from a queue in mrkdwn, without redaction: controls made visible, escaped, capped. */
export const toSlackId = (text: string, max: number): string => escapeMrkdwn(truncate(neutralizeControls(text), max));

const SLACK_USER_ID = /^[UW][A-Z0-9_]+$/;

/** Whether `text` is a Slack user id (`U…`, or `W…` on Enterprise Grid): an actor `<@…>` can mention. */
export const isSlackUserId = (text: string): boolean => SLACK_USER_ID.test(text);
