// Renders a queue's depth history: a sparkline and min / max / latest per source (CloudWatch, stored
// samples), then a table with the highest depth of each time bucket side by side. Pure.

import { context, header, section, type Reply } from '../block-kit/blocks.ts';
import { sparkline } from '../../../core/text/sparkline.ts';
import { isoMinuteZ, utcMinute } from '../../../core/text/time-format.ts';
import type { HistoryView } from '../../../app/messages/history.use-case.ts';
import { code, reply, safeText, textTable } from './reply-format.ts';
import { HEADER_TEXT_MAX } from '../block-kit/slack-limits.ts';

const ROWS = 24;

type Series = readonly { at: Date; depth: number }[];

const summary = (label: string, series: Series): string => {
  if (series.length === 0) return `${label}: no data in this range`;
  const depths = series.map((p) => p.depth);
  const latest = series[series.length - 1]!;
  return `${label}: ${sparkline(series, 48)}  min ${Math.min(...depths)}, max ${Math.max(...depths)}, latest ${latest.depth} at ${isoMinuteZ(latest.at)} (${series.length} points)`;
};

/** The highest depth of each series per bucket; a bucket without data shows '-'. */
const bucketRows = (since: Date, until: Date, columns: Series[]): (string | number | null)[][] => {
  const start = since.getTime();
  const width = Math.max(60_000, Math.ceil((until.getTime() - start) / ROWS / 60_000) * 60_000);
  const count = Math.max(1, Math.ceil((until.getTime() - start) / width));
  const cells = columns.map(() => new Array<number | null>(count).fill(null));
  columns.forEach((series, c) => {
    for (const point of series) {
      const i = Math.floor((point.at.getTime() - start) / width);
      if (i < 0 || i >= count) continue;
      const row = cells[c]!;
      row[i] = Math.max(row[i] ?? 0, point.depth);
    }
  });
  const rows: (string | number | null)[][] = [];
  for (let i = 0; i < count; i += 1) {
    if (cells.every((column) => column[i] === null)) continue;
    rows.push([utcMinute(new Date(start + i * width)), ...cells.map((column) => column[i] ?? null)]);
  }
  return rows;
};

export const renderHistory = (view: HistoryView): Reply => {
  const cloud = view.cloudwatch?.points.map((p) => ({ at: p.at, depth: p.value })) ?? null;
  const lines = [
    ...(cloud ? [summary(`CloudWatch visible (max per ${view.cloudwatch!.periodSeconds / 60} min)`, cloud)] : []),
    summary('Stored samples', view.samples),
  ];
  const columns = cloud ? [cloud, view.samples] : [view.samples];
  const rows = bucketRows(view.since, view.until, columns);
  const table = textTable(['TIME (UTC)', ...(cloud ? ['CLOUDWATCH'] : []), 'STORED'], rows);
  const notes: string[] = [];
  if (view.cloudwatchError) notes.push(`CloudWatch could not be read (${view.cloudwatchError}); stored samples only.`);
  else if (!view.cloudwatch) notes.push(view.kind === 'kafka' ? 'Kafka queues: stored samples (DLQ lag minus resolved) only.' : 'No CloudWatch for this queue: stored samples only.');
  notes.push('Stored samples come from the depth poller, status and monitor.');
  const title = `Depth history of ${view.queue}: last ${view.hours} h`;
  return reply(title, [header(title.slice(0, HEADER_TEXT_MAX)), section(code(lines.join('\n'))), section(code(rows.length > 0 ? table : 'No depth data in this range.'))], {
    footer: [context(safeText(notes.join(' '), 2_000))],
  });
};
