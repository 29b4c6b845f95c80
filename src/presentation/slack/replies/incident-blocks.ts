// Block Kit for incidents: the parent message in the queue's alert channel (edited in place), the
// thread replies (opened, level change, alert, acknowledged, re-notified, resolved) and the L3 page.
// Pure: text from alerts and queues goes through toSlackText (redact, escape, cap).

import { describeDepth } from '../../../core/escalation/escalation-depth.ts';
import type { AlertStatus } from '../../../core/incident/incident-data.ts';
import type { IncidentSummary } from '../../../core/incident/incident-lifecycle.ts';
import { levelRank, type Level } from '../../../core/model.ts';
import type { IncidentPageView, IncidentParentView } from '../../../ports/incident-notifier.port.ts';
import { toSlackText, isSlackUserId } from '../../../core/text/slack-text.ts';
import { escapeMrkdwn } from '../../../core/text/escape-mrkdwn.ts';
import { formatMinutes, formatMinutesAge, utcMinute } from '../../../core/text/time-format.ts';
import { truncate } from '../../../core/text/truncate.ts';
import { context, header, mrkdwn, plain, section, type Block } from '../block-kit/blocks.ts';
import { INCIDENT_ACTIONS } from '../block-kit/incident-actions.ts';
import { bulkReplayButtonText } from '../block-kit/interactive-actions.ts';
import { HEADER_TEXT_MAX, SECTION_TEXT_MAX } from '../block-kit/slack-limits.ts';

export interface RenderedMessage {
  text: string;
  blocks: Block[];
}

export const LEVEL_LABEL: Record<Level, string> = { OK: 'OK', L1: 'L1 warning', L2: 'L2 critical', L3: 'L3 page' };
const LEVEL_EMOJI: Record<Level, string> = { OK: ':white_check_mark:', L1: ':warning:', L2: ':red_circle:', L3: ':rotating_light:' };

const safe = (text: string, max = SECTION_TEXT_MAX - 100): string => toSlackText(text, { max });

/** `<!date^…>` renders in each reader's time zone; the fallback is UTC. */
export const slackDate = (date: Date): string =>
  `<!date^${Math.floor(date.getTime() / 1000)}^{date_short_pretty} {time}|${utcMinute(date)} UTC>`;

/** Durations on incident cards: "12 min", "2 h 5 min" (re-exported under its old name). */
export { formatMinutes as formatDuration };

const formatGrowth = (g: number | null): string => (g === null ? 'n/a' : `${g > 0 ? '+' : ''}${g.toFixed(1)}/min`);

/** What the parent message shows (the port's view, under its old name here). */
export type ParentView = IncidentParentView;

const sourceLine = (alert: AlertStatus): string => {
  const state = alert.state === 'firing' ? 'firing' : 'OK';
  const reason = alert.reason ? `: ${alert.reason}` : '';
  return `*Source alarm:* \`${safe(alert.name, 200)}\` (${alert.source}, ${state})${safe(reason, 600)}`;
};

const button = (text: string, actionId: string, value: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  type: 'button',
  text: plain(text),
  action_id: actionId,
  value,
  ...extra,
});

export const renderParent = (view: ParentView): RenderedMessage => {
  const open = view.status === 'open';
  const title = open ? `${LEVEL_LABEL[view.level]} — ${view.queue}` : `Resolved — ${view.queue}`;
  const depth = view.reading ? view.reading.depth.toLocaleString('en-US') : 'n/a';
  // The depth escalation counts; while some messages are hidden (a bulk replay holds them) it says so.
  const depthShown = view.reading ? describeDepth(view.reading) : 'n/a';
  const fields = [
    mrkdwn(`*Level*\n${LEVEL_EMOJI[open ? view.level : 'OK']} ${open ? `${LEVEL_LABEL[view.level]} since ${slackDate(view.levelSince)}` : 'resolved'}`),
    mrkdwn(`*Depth*\n${depthShown}`),
    mrkdwn(`*Growth*\n${formatGrowth(view.reading?.growthPerMinute ?? null)}`),
    mrkdwn(`*Oldest message*\n${formatMinutesAge(view.reading?.oldestAgeSeconds ?? null)}`),
    mrkdwn(`*Opened*\n${slackDate(view.openedAt)}`),
    mrkdwn(`*Acknowledged*\n${view.acknowledgedBy ? `<@${escapeMrkdwn(view.acknowledgedBy)}>${view.acknowledgedAt ? ` at ${slackDate(view.acknowledgedAt)}` : ''}` : 'not yet'}`),
  ];
  const blocks: Block[] = [header(title.slice(0, HEADER_TEXT_MAX)), { type: 'section', fields }];
  if (view.sparkline) blocks.push(section(`*Depth* \`${view.sparkline}\``));
  const notes: string[] = [];
  if (view.sourceAlert) notes.push(sourceLine(view.sourceAlert));
  if (open && view.reasons.length > 0) notes.push(`*Why:* ${safe(view.reasons.slice(0, 3).join('; '), 1_200)}`);
  if (open && view.holdUntil) notes.push(`Steps down at ${slackDate(view.holdUntil)} if it stays lower.`);
  if (!open && view.summary) notes.push(summaryLine(view.summary));
  if (notes.length > 0) blocks.push(context(...notes));
  if (open) {
    const elements = [
      button('Peek', INCIDENT_ACTIONS.peek, view.queue),
      button('Analyze', INCIDENT_ACTIONS.analyze, view.queue),
      // Opens the bulk replay modal (count, rate, filters), which is its own confirmation.
      button(bulkReplayButtonText(INCIDENT_ACTIONS.redriveAll), INCIDENT_ACTIONS.redriveAll, view.queue, { style: 'danger' }),
    ];
    if (!view.acknowledgedBy) elements.push(button('Acknowledge', INCIDENT_ACTIONS.acknowledge, view.incidentId, { style: 'primary' }));
    blocks.push({ type: 'actions', block_id: 'incident_actions', elements });
  }
  const text = open
    ? `${LEVEL_LABEL[view.level]}: ${view.queue} has ${depth} message(s) in its DLQ`
    : `Resolved: ${view.queue}`;
  return { text: escapeMrkdwn(text), blocks };
};

const reasonsList = (reasons: readonly string[]): string => reasons.slice(0, 5).map((r) => `• ${safe(r, 300)}`).join('\n');

/** A thread reply: `body` is mrkdwn built from escaped parts; `fallback` is plain text, escaped here. */
const reply = (body: string, fallback: string): RenderedMessage => ({ text: safe(fallback, 2_000), blocks: [section(truncate(body, SECTION_TEXT_MAX))] });

export const renderOpenedReply = (level: Level, reasons: readonly string[], steps: readonly string[]): RenderedMessage => {
  const body = `${LEVEL_EMOJI[level]} Incident opened at *${LEVEL_LABEL[level]}*.\n${reasonsList(reasons)}`;
  return withSteps(reply(body, `Incident opened at ${LEVEL_LABEL[level]}: ${reasons[0] ?? ''}`), level, steps);
};

export const renderLevelReply = (from: Level, to: Level, reasons: readonly string[], steps: readonly string[]): RenderedMessage => {
  const arrow = levelRank(to) > levelRank(from) ? ':arrow_up:' : ':arrow_down:';
  const body = `${arrow} *${LEVEL_LABEL[from]} → ${LEVEL_LABEL[to]}*\n${reasonsList(reasons)}`;
  return withSteps(reply(body, `${LEVEL_LABEL[from]} → ${LEVEL_LABEL[to]}: ${reasons[0] ?? ''}`), to, steps);
};

const withSteps = (message: RenderedMessage, level: Level, steps: readonly string[]): RenderedMessage => {
  if (steps.length === 0) return message;
  const list = steps.map((s, i) => `${i + 1}. ${escapeMrkdwn(s)}`).join('\n');
  return { ...message, blocks: [...message.blocks, context(`*Runbook, ${LEVEL_LABEL[level]}:*\n${list}`)] };
};

export const renderAlertReply = (alert: AlertStatus): RenderedMessage => {
  const emoji = alert.state === 'firing' ? ':bell:' : ':large_green_circle:';
  const state = alert.state === 'firing' ? `firing${alert.level ? ` (implies ${alert.level})` : ''}` : 'OK / resolved';
  const reason = alert.reason ? `\n>${safe(alert.reason, 1_000)}` : '';
  return reply(`${emoji} Alert \`${safe(alert.name, 200)}\` from ${alert.source}: *${state}*${reason}`, `Alert ${alert.name}: ${state}`);
};

/**
 * What Acknowledge stops, and what it does not (incident-lifecycle `acknowledge`, `dueRenotification`):
 * re-notifications and the escalation for lack of acknowledgement stop; a level rise the measurements
 * call for is still announced in the channel, and reaching L3 still pages.
 */
export const ACK_EFFECT =
  'Re-notifications stop, and so does escalation for lack of acknowledgement. Not stopped: a level rise the measurements call for is still announced in the channel, and reaching L3 still pages the L3 channel.';

export const renderAckReply = (user: string): RenderedMessage =>
  reply(`:eyes: Acknowledged by <@${escapeMrkdwn(user)}>. ${ACK_EFFECT}`, `Acknowledged. ${ACK_EFFECT}`);

export const renderRenotifyReply = (from: Level, to: Level, waitedMinutes: number, mention: string | null): RenderedMessage =>
  reply(
    `:alarm_clock: ${mention ? `${mention} ` : ''}Not acknowledged for ${formatMinutes(waitedMinutes)} at ${LEVEL_LABEL[from]}` +
      (to === from ? '; still waiting for someone to acknowledge.' : `: escalated to *${LEVEL_LABEL[to]}*.`),
    `Not acknowledged for ${formatMinutes(waitedMinutes)}${to === from ? '' : `: escalated to ${LEVEL_LABEL[to]}`}`,
  );

const summaryLine = (s: IncidentSummary): string =>
  `Lasted ${formatMinutes(s.durationMinutes)} · peak depth ${s.peakDepth.toLocaleString('en-US')} (${LEVEL_LABEL[s.peakLevel]}) · ` +
  `replayed ${s.replayed} · resolved ${s.resolved} · still failing ${s.stillFailing}` +
  (s.returnedAfterReplay > 0 ? ` · ${s.returnedAfterReplay} came back after replay` : '');

export const renderResolvedReply = (summary: IncidentSummary, reasons: readonly string[]): RenderedMessage =>
  reply(`:white_check_mark: *Resolved.* ${summaryLine(summary)}\n${reasonsList(reasons)}`, `Resolved. ${summaryLine(summary)}`);

export type PageView = IncidentPageView;

/** The L3 page: the Kafka runbook's "Escalation Information to Provide", as far as Redrive knows it. */
export const renderPage = (view: PageView): RenderedMessage => {
  const mention = view.userGroup ? `<!subteam^${view.userGroup}> ` : '';
  const link = view.permalink ? ` — <${view.permalink}|incident thread>` : '';
  const r = view.reading;
  const count = r
    ? `${describeDepth(r)} message(s), growth ${formatGrowth(r.growthPerMinute)}, oldest ${formatMinutesAge(r.oldestAgeSeconds)}`
    : 'no depth reading yet';
  const blocks: Block[] = [
    section(`${mention}:rotating_light: *L3 page: ${escapeMrkdwn(view.queue)}*${link}`),
    section(`*Count and growth:* ${count}\n*Why:*\n${reasonsList(view.reasons)}`),
  ];
  const a = view.analysis;
  if (a && a.topPatterns.length > 0) {
    const lines = a.topPatterns.slice(0, 5).map((p) => `• ${safe(p.label, 300)}: ${p.count}${p.action ? ` — ${safe(p.action, 300)}` : ''}`);
    blocks.push(section(`*Top error patterns* (${a.scanned} message(s) analyzed):\n${lines.join('\n')}`));
  }
  if (a?.sample) blocks.push(section(`*Sample message* \`${safe(a.sample.messageKey, 200)}\`:\n\`\`\`${safe(a.sample.text, 1_500)}\`\`\``));
  const taken = view.actions.slice(0, 8).map((x) =>
    `• ${slackDate(x.at)} ${escapeMrkdwn(x.action)} by ${isSlackUserId(x.actor) ? `<@${escapeMrkdwn(x.actor)}>` : escapeMrkdwn(x.actor)}: ${x.result}${x.error ? ` (${safe(x.error, 200)})` : ''}`,
  );
  blocks.push(section(`*Actions already taken:*\n${taken.length > 0 ? taken.join('\n') : 'none yet'}`));
  const text = `${mention}L3 page: ${escapeMrkdwn(view.queue)} — ${escapeMrkdwn(count)}`;
  return { text, blocks };
};
