// Renders the weekly DLQ report as Block Kit: the runbook's items as runbook-style tables in code
// blocks (the terminal prints the same tables). Pure. Queue names, domains and URLs come from config
// and queues: they reach a block only through reply-format's `code`/`safeText`.

import type { DlqReport, QueueReport, Ranked } from '../../../core/report/dlq-report.ts';
import { context, header, section, type Block, type Reply } from '../block-kit/blocks.ts';
import { formatAge, utcMinute } from '../../../core/text/time-format.ts';
import { cell, code, reply, safeText, textTable } from './reply-format.ts';

const arrivalsCell = (q: QueueReport): string =>
  q.arrivals.source === 'none' ? 'n/a' : `${q.arrivals.estimate}${q.arrivals.source === 'message index' ? ' (index)' : ''}`;

const rankedTable = (title: string, ranked: Ranked[]): string =>
  textTable([title, 'MESSAGES'], ranked.map((r) => [cell(r.key, 90), r.count]));

export const renderReport = (report: DlqReport): Reply => {
  const t = report.totals;
  const queueTable = textTable(
    ['QUEUE', 'IN (EST.)', 'DEPTH NOW', 'OLDEST', 'PERMANENT', 'TRANSIENT', 'UNKNOWN', 'REPLAYED', 'RESOLVED', 'INCIDENTS L1/L2/L3'],
    report.queues.map((q) => [
      cell(q.queue, 40),
      arrivalsCell(q),
      q.depthNow,
      `${formatAge(q.oldestAgeSeconds)}${q.oldMessages ? ' (!)' : ''}`,
      q.errors.permanent,
      q.errors.transient + q.errors.exhausted,
      q.errors.unknown,
      q.replayed,
      q.resolved,
      `${q.incidents.L1}/${q.incidents.L2}/${q.incidents.L3}`,
    ]),
  );
  const summary = [
    `Messages into the DLQs (best estimate): ${t.arrivals}`,
    `Error distribution: ${t.errors.permanent} permanent, ${t.errors.transient + t.errors.exhausted} transient (${t.errors.exhausted} with retries exhausted), ${t.errors.unknown} unknown`,
    `Actions taken: ${t.replayed} replayed${t.movedByTask > 0 ? ` (${t.movedByTask} by message move tasks)` : ''}, ${t.resolved} resolved`,
    `Incidents: ${t.incidents.L1} L1, ${t.incidents.L2} L2, ${t.incidents.L3} L3 (by peak level), ${t.openIncidents} still open`,
    `Audit: ${report.audit.actions} actions, ${report.audit.failures} failed, ${report.audit.denied} denied`,
  ].join('\n');
  const old = report.queues.filter((q) => q.oldMessages);
  const blocks: Block[] = [
    header(`DLQ report — last ${report.days} day${report.days === 1 ? '' : 's'}`),
    context(`${utcMinute(report.since)} → ${utcMinute(report.until)} UTC · from Redrive's store (depth samples, message index, replays, resolutions, incidents, audit)`),
    section(code(summary)),
    section(code(queueTable)),
  ];
  if (old.length > 0) {
    const first = safeText(old[0]?.queue ?? '<queue>', 80);
    blocks.push(section(
      `:hourglass: Messages older than 7 days in ${old.map((q) => `\`${safeText(q.queue, 80)}\``).join(', ')}: they likely need manual intervention. ` +
        `Bulk replay if the cause is fixed (\`redrive-batch ${first} --older-than 7d\`), bulk resolve if permanent (\`resolve-batch ${first} --older-than 7d --reason "..."\`, or Bulk resolve… under a peek).`,
    ));
  }
  if (t.topDomains.length > 0) blocks.push(section(code(rankedTable('TOP FAILING DOMAINS', t.topDomains))));
  if (t.topUrls.length > 0) blocks.push(section(code(rankedTable('TOP FAILING URLS (NO QUERY)', t.topUrls))));
  const notes = [
    '`IN (EST.)`: between stored depth samples, each rise plus what Redrive replayed or resolved out of the DLQ in that interval (a lower bound: other consumers and move tasks hide arrivals), or, when larger, the messages Redrive saw (peek, view, replay) that entered the DLQ in the window, marked (index).',
    'Error distribution, domains and URLs: the messages in the message index (those Redrive has read), by error category, else retry count (0 = permanent).',
  ];
  return reply(`DLQ report, last ${report.days} days: ${t.arrivals} in, ${t.replayed} replayed, ${t.resolved} resolved`, blocks, {
    footer: [context(notes.join(' '))],
  });
};
