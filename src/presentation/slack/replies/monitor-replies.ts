// Renders `monitor` started (its first reading) and `stop-monitor`, with the facts as the reply's
// data, and each reading posted while monitoring (depth, in flight, oldest age, growth, level, how to
// stop it). Pure; the queue name goes through safeText.

import type { StatusView } from '../../../app/shared/queue-status.ts';
import { formatAge } from '../../../core/text/time-format.ts';
import type { ChatMessage } from '../../../ports/chat.port.ts';
import { context, section, withData, type Reply } from '../block-kit/blocks.ts';
import { renderDone, renderWarning } from './queue-replies.ts';
import { safeText } from './reply-format.ts';

export const renderMonitorStarted = (queue: string, intervalSeconds: number, first: StatusView): Reply =>
  withData(renderDone(`Monitoring ${queue} every ${intervalSeconds}s`, [['visible now', first.status.depth]], `Stop with stop-monitor ${queue}.`), { intervalSeconds, first });

export const renderMonitorStopped = (queue: string, stopped: boolean): Reply =>
  withData(stopped ? renderDone(`Stopped monitoring ${queue}`, []) : renderWarning(`${queue} was not being monitored`, 'Nothing to stop.'), { queue, stopped });

/** One reading as a thread message: depth, in flight, oldest age, growth and level. */
export const renderMonitorReading = (view: StatusView): ChatMessage => {
  const { status } = view;
  const growth = view.growthPerMinute === null ? 'n/a' : `${view.growthPerMinute > 0 ? '+' : ''}${view.growthPerMinute}/min`;
  const line = `${status.depth} visible, ${status.inFlight ?? '-'} in flight, oldest ${formatAge(status.oldestAgeSeconds)}, growth ${growth}, level ${view.level ?? 'OK'}`;
  const queue = safeText(status.queue, 200);
  return {
    text: `Monitor ${queue}: ${line}`,
    blocks: [section(`:bar_chart: *${queue}*: ${line}`), context(`Reading at ${status.at.toISOString()} · stop with \`/dlq stop-monitor ${queue}\``)],
  };
};
