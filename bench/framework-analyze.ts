// Benchmark: what recognising framework metadata costs `analyze`. Feeds the core analyzer, in
// process, with DLQ messages mapped from Kafka records the way the adapter maps them: plain runbook
// download failures (no framework headers), Kafka Connect records (UTF-8 headers) and Spring Kafka
// records (binary headers decoded from base64), and prints messages/s for each and peak RSS.
// Usage: node bench/framework-analyze.ts [--messages 50000]

import { parseArgs } from 'node:util';
import { toDlqMessage } from '../src/adapters/outbound/kafka/kafka-record-mapper.ts';
import type { WireRecord } from '../src/adapters/outbound/kafka/kafka-wire.ts';
import { createAnalyzer } from '../src/core/analysis/analyzer.ts';
import { downloadDlqBodyJson, RUNBOOK_EXAMPLES } from '../test/fixtures/download-dlq-body.ts';
import { connectDlqHeaders, exampleConnectFailure, exampleSpringFailure, springDltHeaders } from '../test/fixtures/kafka-framework-records.ts';

const { values } = parseArgs({ options: { messages: { type: 'string', default: '50000' } } });
const count = Number(values.messages);
const now = new Date();

const record = (value: Buffer, headers: Record<string, Buffer>, offset: number): WireRecord =>
  ({ key: Buffer.from(`k-${offset}`), value, headers, offset: String(offset), timestamp: String(now.getTime()), attributes: 0, isControlRecord: false, batchContext: {} }) as unknown as WireRecord;

const shapes: Record<string, (i: number) => WireRecord> = {
  'plain runbook body': (i) => record(Buffer.from(downloadDlqBodyJson({ ...RUNBOOK_EXAMPLES.timeout, traceId: `evt-${i}`, failedAt: now })), {}, i),
  'Kafka Connect headers': (i) => record(Buffer.from(`{"order_id":${i}}`), connectDlqHeaders(exampleConnectFailure(`orders-${i % 5}`, { offset: i })), i),
  'Spring Kafka headers': (i) => record(Buffer.from(`{"amount":${i}}`), springDltHeaders(exampleSpringFailure(`payments-${i % 5}`, { offset: BigInt(i) })), i),
};

for (const [name, make] of Object.entries(shapes)) {
  const messages = Array.from({ length: count }, (_, i) => toDlqMessage('bench', 0, make(i)));
  const run = () => {
    const analyzer = createAnalyzer({ now });
    const started = performance.now();
    for (const message of messages) analyzer.add(message);
    return { report: analyzer.result(), seconds: (performance.now() - started) / 1000 };
  };
  run(); // warm-up: the JIT, not the code, would dominate a first pass
  const { report, seconds } = run();
  console.log(`${name.padEnd(24)} ${Math.round(count / seconds).toLocaleString('en-US').padStart(9)} msg/s  (${count} messages, ${report.byOrigin.length} origin groups)`);
}
console.log(`peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`);
