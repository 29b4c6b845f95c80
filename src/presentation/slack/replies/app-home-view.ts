// The App Home tab: every configured queue the user may view (a note counts the others) with its depth, incident level and a link to the open
// incident's thread, then the last actions from the audit log, and a Refresh button. Pure. Queue
// names, errors and audit text are escaped; links are Slack permalinks the Web API returned.

import type { HomeData, HomeQueue } from '../../../app/incidents/app-home.use-case.ts';
import type { AuditRecord, Level } from '../../../core/model.ts';
import { toSlackId, isSlackUserId } from '../../../core/text/slack-text.ts';
import { truncate } from '../../../core/text/truncate.ts';
import type { Block } from '../block-kit/blocks.ts';
import { LEVEL_LABEL, slackDate } from './incident-blocks.ts';
import { JOB_ACTIONS } from '../block-kit/interactive-actions.ts';
import type { View } from '../block-kit/modals.ts';
import { SECTION_TEXT_MAX, TEXT_OBJECT_MAX } from '../block-kit/slack-limits.ts';

/** Slack: VIEW_BLOCKS_MAX (100) blocks a view. Two per queue, the rest for the header and recent actions. */
const MAX_QUEUES = 40;
const MAX_RECENT = 10;
const LEVEL_EMOJI: Record<Level, string> = { OK: ':white_check_mark:', L1: ':warning:', L2: ':red_circle:', L3: ':rotating_light:' };

const esc = (text: string, max: number): string => toSlackId(text, max);
const section = (text: string): Block => ({ type: 'section', text: { type: 'mrkdwn', text: truncate(text, SECTION_TEXT_MAX) } });
const context = (text: string): Block => ({ type: 'context', elements: [{ type: 'mrkdwn', text: truncate(text, TEXT_OBJECT_MAX) }] });

const safeLink = (url: string): string | null => (/^https:\/\/[^\s<>|]+$/.test(url) ? url : null);

const queueLine = (q: HomeQueue): string => {
  const level = q.level ?? 'OK';
  const depth = q.error !== null ? `depth unknown (${esc(q.error, 300)})` : `*${(q.depth ?? 0).toLocaleString('en-US')}* in the DLQ`;
  const link = q.incidentLink ? safeLink(q.incidentLink) : null;
  const incident = q.level && q.level !== 'OK' ? (link ? ` · <${link}|open incident>` : ' · open incident') : '';
  return `${LEVEL_EMOJI[level]} *${esc(q.name, 200)}* (${esc(q.kind, 20)}) · ${depth} · ${LEVEL_LABEL[level]}${incident}`;
};

const actionLine = (r: AuditRecord): string => {
  const who = isSlackUserId(r.actor) ? `<@${r.actor}>` : esc(r.actor, 60);
  const what = [r.action, r.queue, r.messageId].filter((x): x is string => Boolean(x)).map((x) => esc(x, 120)).join(' ');
  const outcome = r.result === 'success' ? '' : ` — ${esc(r.result, 20)}${r.error ? `: ${esc(r.error, 200)}` : ''}`;
  return `${slackDate(r.at)} ${who} \`${what}\`${outcome}`;
};

export const renderAppHome = (data: HomeData): View => {
  const blocks: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: 'Redrive: dead-letter queues' } },
    {
      type: 'actions',
      block_id: 'home_actions',
      elements: [{ type: 'button', action_id: JOB_ACTIONS.refreshHome, text: { type: 'plain_text', text: 'Refresh' }, value: 'refresh' }],
    },
    context(`Updated ${slackDate(data.at)}. \`/dlq help\` lists every operation.`),
    { type: 'divider' },
  ];
  const hiddenNote = data.hiddenNote ?? null;
  if (data.queues.length === 0) blocks.push(section(hiddenNote === null ? 'No queues are configured.' : 'No queue you may view.'));
  for (const q of data.queues.slice(0, MAX_QUEUES)) blocks.push(section(queueLine(q)));
  if (data.queues.length > MAX_QUEUES) blocks.push(context(`${data.queues.length - MAX_QUEUES} more queues: \`/dlq status\` lists them all.`));
  if (hiddenNote !== null) blocks.push(context(`:see_no_evil: ${esc(hiddenNote, 300)}`));
  blocks.push({ type: 'divider' }, { type: 'header', text: { type: 'plain_text', text: 'Last actions' } });
  const recent = data.recent.slice(0, MAX_RECENT);
  blocks.push(section(recent.length === 0 ? 'No actions yet.' : recent.map(actionLine).join('\n')));
  return { type: 'home', blocks };
};
