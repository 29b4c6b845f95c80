// Renders audit search results: one Block Kit section per record for Slack (within the message
// limits), and the same records as a runbook-style table for the terminal (`Reply.terminal`). Pure.
// Every stored string (queue, ids, errors, reasons) reaches a block through `safeText`: an id typed
// by a person can neither ping a channel nor fake a link; user ids become mentions only when they
// look exactly like Slack user ids.

import type { AuditRecord } from '../../../core/model.ts';
import { context, header, section, type Block, type Reply } from '../block-kit/blocks.ts';
import { utcSecondZ } from '../../../core/text/time-format.ts';
import type { AuditSearchResult } from '../../../app/access/audit-search.use-case.ts';
import { cell, reply, safeText, textTable } from './reply-format.ts';
import { withHiddenNote } from './hidden-note.ts';
import { hiddenRecordsNote } from '../../../core/auth/hidden-queues-note.ts';
import { isSlackUserId } from '../../../core/text/slack-text.ts';

const RESULT_ICON: Record<AuditRecord['result'], string> = { success: ':white_check_mark:', failure: ':x:', denied: ':no_entry:' };

const who = (actor: string): string => (isSlackUserId(actor) ? `<@${actor}>` : `\`${safeText(actor, 80)}\``);
const id = (label: string, value: string | number | null): string | null => (value === null || value === '' ? null : `${label} \`${safeText(String(value), 200)}\``);

const describe = (r: AuditRecord): string => {
  const where = [
    id('queue', r.queue),
    id('message', r.messageId),
    r.traceId !== r.messageId ? id('trace', r.traceId) : null,
    r.partition !== null ? `partition ${r.partition}${r.offset === null ? '' : ` offset ${safeText(r.offset, 30)}`}` : null,
    id('incident', r.incidentId),
    id('job', r.jobId),
  ].filter(Boolean);
  const lines = [
    `${RESULT_ICON[r.result]} *${r.result}* · \`${safeText(r.action, 60)}\` by ${who(r.actor)} · ${utcSecondZ(r.at)} · #${r.id}`,
    ...(where.length > 0 ? [where.join(' · ')] : []),
    ...(r.error ? [`> ${safeText(r.error.replace(/\s+/g, ' '), 600)}`] : []),
    ...(typeof r.details.reason === 'string' ? [`reason: ${safeText(r.details.reason, 300)}`] : []),
  ];
  return lines.join('\n');
};

const scope = (result: AuditSearchResult): string =>
  result.ref === null ? `the latest ${result.records.length}` : `${result.records.length} matching ${result.kind} \`${safeText(result.ref, 200)}\``;

/** The terminal's table: one line per record. */
export const auditTable = (records: AuditRecord[]): string =>
  textTable(
    ['ID', 'TIME', 'ACTION', 'RESULT', 'USER', 'QUEUE', 'MESSAGE / TRACE', 'P:OFFSET', 'INCIDENT', 'JOB', 'ERROR'],
    records.map((r) => [
      r.id,
      utcSecondZ(r.at),
      r.action,
      r.result,
      r.actor,
      r.queue,
      cell([r.messageId, r.traceId !== r.messageId ? r.traceId : null].filter(Boolean).join(' / ') || null, 60),
      r.partition === null ? null : `${r.partition}:${r.offset ?? '-'}`,
      r.incidentId,
      r.jobId,
      cell(r.error, 80),
    ]),
  );

/** A `@name` that matched nobody (or could not be looked up): say so and how to search instead. */
const renderUnresolved = (name: string, lookup: NonNullable<AuditSearchResult['unresolved']>['lookup']): Reply => {
  const why = lookup.kind === 'not-found' ? `No Slack member has the name, display name or real name "@${name}".` : `Could not look up "@${name}" in Slack: ${lookup.reason}.`;
  const text = `${why} Search by their member id instead (U…, under "Copy member ID" in their Slack profile).`;
  return { ...reply(text, [header('Audit log'), section(safeText(text, 600))], { private: true }), terminal: text };
};

export const renderAuditSearch = (result: AuditSearchResult): Reply => withHiddenNote(renderRecords(result), hiddenRecordsNote(result.hidden ?? 0));

const renderRecords = (result: AuditSearchResult): Reply => {
  if (result.unresolved) return renderUnresolved(result.unresolved.name, result.unresolved.lookup);
  const title = result.ref === null ? 'Audit log' : `Audit log: ${result.ref}`;
  if (result.records.length === 0) {
    const text = result.ref === null ? 'The audit log is empty.' : `No audit records for ${result.ref}.`;
    return { ...reply(text, [header('Audit log'), section(safeText(text, 500))], { private: true }), terminal: text };
  }
  const blocks: Block[] = [header('Audit log'), context(`Showing ${scope(result)}, newest first.`), ...result.records.map((r) => section(describe(r)))];
  return {
    ...reply(`${title} — ${result.records.length} record(s)`, blocks, {
      private: true,
      footer: [context('Search with `/dlq audit &lt;audit id | message id | trace id | job id | incident id | queue | @user&gt;`.')],
    }),
    terminal: `${title} — ${result.records.length} record(s), newest first\n${auditTable(result.records)}`,
  };
};
