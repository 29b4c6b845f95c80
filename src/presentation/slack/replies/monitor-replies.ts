// Renders `monitor` started (its first reading) and `stop-monitor`, with the facts as the reply's
// data. Pure; the readings posted while monitoring are queue-replies' status.

import type { StatusView } from '../../../app/shared/queue-status.ts';
import { withData, type Reply } from '../block-kit/blocks.ts';
import { renderDone, renderWarning } from './queue-replies.ts';

export const renderMonitorStarted = (queue: string, intervalSeconds: number, first: StatusView): Reply =>
  withData(renderDone(`Monitoring ${queue} every ${intervalSeconds}s`, [['visible now', first.status.depth]], `Stop with stop-monitor ${queue}.`), { intervalSeconds, first });

export const renderMonitorStopped = (queue: string, stopped: boolean): Reply =>
  withData(stopped ? renderDone(`Stopped monitoring ${queue}`, []) : renderWarning(`${queue} was not being monitored`, 'Nothing to stop.'), { queue, stopped });
