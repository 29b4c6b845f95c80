// Benchmark: what recognising framework metadata costs `analyze` (one list of recognisers for every
// message, core/analysis/framework-metadata/recognise-framework.ts). Feeds the core analyzer, in
// process, with plain runbook download failures (every recogniser says no), Kafka records mapped the
// way the adapter maps them (Kafka Connect: UTF-8 headers; Spring Kafka: binary headers decoded from
// base64) and AWS dead letters (Lambda DLQ and EventBridge DLQ attributes, SNS envelopes), and prints
// messages/s for each, the groups analyze made, and peak RSS.
// Usage: node bench/framework-analyze.ts [--messages 50000]

import { parseArgs } from 'node:util';
import { toDlqMessage } from '../src/adapters/outbound/kafka/kafka-record-mapper.ts';
import type { WireRecord } from '../src/adapters/outbound/kafka/kafka-wire.ts';
import { createAnalyzer } from '../src/core/analysis/analyzer.ts';
import type { DlqMessage } from '../src/ports/dead-letter-queue.port.ts';
import { eventBridgeDeadLetter, eventBridgeEvent, lambdaDeadLetter, s3Event, snsDeadLetter, type AwsDeadLetter } from '../test/fixtures/aws/aws-dead-letters.ts';
import { downloadDlqBodyJson, RUNBOOK_EXAMPLES } from '../test/fixtures/download-dlq-body.ts';
import { connectDlqHeaders, exampleConnectFailure, exampleSpringFailure, springDltHeaders } from '../test/fixtures/kafka-framework-records.ts';

const { values } = parseArgs({ options: { messages: { type: 'string', default: '50000' } } });
const count = Number(values.messages);
const now = new Date();

const record = (value: Buffer, headers: Record<string, Buffer>, offset: number): DlqMessage =>
  toDlqMessage('bench', 0, { key: Buffer.from(`k-${offset}`), value, headers, offset: String(offset), timestamp: String(now.getTime()), attributes: 0, isControlRecord: false, batchContext: {} } as unknown as WireRecord);

const sqs = (letter: AwsDeadLetter, i: number): DlqMessage => ({
  queue: 'bench', messageKey: `m-${i}`, body: letter.body, attributes: {}, messageAttributes: letter.messageAttributes,
  enqueuedAt: now, receiveCount: 1, partition: null, offset: null, key: null, groupId: null, deduplicationId: null,
});

const awsLetter = (i: number): DlqMessage => {
  switch (i % 3) {
    case 0:
      return sqs(lambdaDeadLetter({ requestId: `r-${i}`, errorMessage: `Task timed out after ${i % 7}.00 seconds`, event: s3Event(`in/${i}.csv`) }), i);
    case 1:
      return sqs(eventBridgeDeadLetter({ event: eventBridgeEvent({ id: `e-${i}`, detailType: 'OrderPlaced', detail: { orderId: i } }), rule: `rule-${i % 5}`, targetArn: 'arn:aws:lambda:us-east-1:123456789012:function:billing', errorCode: i % 2 ? 'THROTTLING' : 'NO_PERMISSIONS', errorMessage: 'Rate exceeded', retryAttempts: 3 }), i);
    default:
      return sqs(snsDeadLetter({ messageId: `s-${i}`, topic: `topic-${i % 4}`, message: JSON.stringify({ invoice_id: i, error_message: 'HTTP 503' }) }), i);
  }
};

const shapes: Record<string, (i: number) => DlqMessage> = {
  'plain runbook body': (i) => record(Buffer.from(downloadDlqBodyJson({ ...RUNBOOK_EXAMPLES.timeout, traceId: `evt-${i}`, failedAt: now })), {}, i),
  'Kafka Connect headers': (i) => record(Buffer.from(`{"order_id":${i}}`), connectDlqHeaders(exampleConnectFailure(`orders-${i % 5}`, { offset: i })), i),
  'Spring Kafka headers': (i) => record(Buffer.from(`{"amount":${i}}`), springDltHeaders(exampleSpringFailure(`payments-${i % 5}`, { offset: BigInt(i) })), i),
  'AWS Lambda/EventBridge/SNS': awsLetter,
};

for (const [name, make] of Object.entries(shapes)) {
  const messages = Array.from({ length: count }, (_, i) => make(i));
  const run = () => {
    const analyzer = createAnalyzer({ now });
    const started = performance.now();
    for (const message of messages) analyzer.add(message);
    return { report: analyzer.result(), seconds: (performance.now() - started) / 1000 };
  };
  run(); // warm-up: the JIT, not the code, would dominate a first pass
  const { report, seconds } = run();
  console.log(
    `${name.padEnd(28)} ${Math.round(count / seconds).toLocaleString('en-US').padStart(9)} msg/s  ` +
      `(${count} messages, ${report.byErrorType.length} exception classes / error codes, ${report.byOrigin.length} origin groups)`,
  );
}
console.log(`peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`);
