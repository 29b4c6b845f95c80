// The Kafka list and the depth history replies with hostile and awkward input: presigned URL
// signatures redacted, Slack control syntax in trace ids escaped, raw bodies named not dropped, 500
// rows still one valid Slack message; history with one source, both, or no data at all; Kafka
// partition lag under the status table.

import { describe, expect, it } from 'vitest';
import { renderHistory } from '../../../src/presentation/slack/replies/history-replies.ts';
import type { HistoryView } from '../../../src/app/messages/history.use-case.ts';
import { renderKafkaList } from '../../../src/presentation/slack/replies/kafka-replies.ts';
import { withPartitionLag } from '../../../src/presentation/slack/replies/partition-lag-replies.ts';
import { renderStatus } from '../../../src/presentation/slack/replies/queue-replies.ts';
import { checkMessage } from '../../../src/slack-api-emulator/block-kit-validator.ts';
import { dlqMessage, runbookExampleMessage, syntheticDownloadMessages } from '../../fixtures/download-dlq-body.ts';

const NOW = new Date('2026-03-02T12:00:00.000Z');
const text = (blocks: unknown) => JSON.stringify(blocks);

describe('renderKafkaList', () => {
  it('shows the runbook columns, redacts URL signatures and escapes mentions in trace ids', () => {
    const hostile = runbookExampleMessage('expiredUrl', { traceId: '<!channel> evt-1', failedAt: NOW, offset: 7, partition: 2 });
    const raw = dlqMessage('plain text failure', { messageKey: '0:3', partition: 0, offset: '3' });
    const reply = renderKafkaList('downloads-dlq', [hostile, raw]);
    const body = text(reply.blocks);
    expect(body).toMatch(/Partition +Offset +Trace ID +Retry Count +Error Category +URL/);
    expect(body).toMatch(/2 +7 +&lt;!channel&gt; evt-1 +0 +permanent +https:\/\/example\.com\/file1\.pdf/);
    expect(body).not.toContain('abc123def456');
    expect(body).not.toContain('<!channel>');
    expect(body).toContain('(raw body, 18 bytes)');
    expect(checkMessage({ text: reply.text, blocks: reply.blocks })).toEqual({ ok: true });
  });

  it('500 messages still make one valid Slack message', () => {
    const messages = [...syntheticDownloadMessages(500, { now: NOW })];
    const reply = renderKafkaList('downloads-dlq', messages);
    expect(reply.text).toContain('(500 shown)');
    expect(checkMessage({ text: reply.text, blocks: reply.blocks })).toEqual({ ok: true });
  });
});

describe('renderHistory', () => {
  const view = (overrides: Partial<HistoryView>): HistoryView => ({
    queue: 'frontier-dlq',
    kind: 'sqs',
    hours: 6,
    since: new Date(NOW.getTime() - 6 * 3_600_000),
    until: NOW,
    cloudwatch: null,
    cloudwatchError: null,
    samples: [],
    ...overrides,
  });
  const at = (minutesAgo: number) => new Date(NOW.getTime() - minutesAgo * 60_000);

  it('puts CloudWatch and stored samples side by side per time bucket', () => {
    const reply = renderHistory(
      view({
        cloudwatch: { periodSeconds: 60, points: [{ at: at(300), value: 4 }, { at: at(100), value: 60 }] },
        samples: [{ at: at(299), depth: 5 }, { at: at(30), depth: 20 }],
      }),
    );
    const body = text(reply.blocks);
    expect(body).toMatch(/CloudWatch visible \(max per 1 min\): \S+ {2}min 4, max 60, latest 60/);
    expect(body).toMatch(/Stored samples: \S+ {2}min 5, max 20, latest 20/);
    expect(body).toMatch(/TIME \(UTC\) +CLOUDWATCH +STORED/);
    expect(body).toMatch(/2026-03-02 07:00 +4 +5/);
    expect(checkMessage({ text: reply.text, blocks: reply.blocks })).toEqual({ ok: true });
  });

  it('says when there is no data, and why CloudWatch is missing', () => {
    const empty = text(renderHistory(view({ kind: 'kafka' })).blocks);
    expect(empty).toContain('Stored samples: no data in this range');
    expect(empty).toContain('No depth data in this range.');
    expect(empty).toContain('Kafka queues: stored samples (DLQ lag minus resolved) only.');
    const failed = text(renderHistory(view({ cloudwatchError: 'DLQ_ACCESS_DENIED: <@U123> denied' })).blocks);
    expect(failed).toContain('CloudWatch could not be read (DLQ_ACCESS_DENIED: &lt;@U123&gt; denied); stored samples only.');
  });
});

describe('withPartitionLag', () => {
  const status = (queue: string, partitions: { partition: number; highWatermark: string; committed: string; lag: number; resolved: number }[] | null) => ({
    status: { queue, kind: (partitions ? 'kafka' : 'sqs') as 'kafka' | 'sqs', depth: 1, inFlight: null, delayed: null, oldestAgeSeconds: null, partitions, at: NOW },
    growthPerMinute: null,
    level: null,
    incidentId: null,
  });

  it('adds one row per Kafka partition under the status table and keeps the footer last', () => {
    const views = [status('frontier-dlq', null), status('downloads-dlq', [{ partition: 0, highWatermark: '10', committed: '4', lag: 6, resolved: 2 }, { partition: 1, highWatermark: '3', committed: '-1', lag: 3, resolved: 0 }])];
    const reply = withPartitionLag(renderStatus(views), views);
    const body = text(reply.blocks);
    expect(body).toMatch(/downloads-dlq +0 +10 +4 +6 +2 +4/);
    expect(body).toMatch(/downloads-dlq +1 +3 +-1 +3 +0 +3/);
    expect(body).not.toMatch(/frontier-dlq +\d+ +\d+ +\d+ +\d+/);
    expect(reply.blocks.at(-1)?.type).toBe('context');
    expect(checkMessage({ text: reply.text, blocks: reply.blocks })).toEqual({ ok: true });
    const sqsOnly = renderStatus([views[0]!]);
    expect(withPartitionLag(sqsOnly, [views[0]!])).toBe(sqsOnly);
  });
});
