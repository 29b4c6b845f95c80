// Benchmark: the cost of recognising AWS dead-letter shapes in `analyze`. Feeds the core analyzer,
// in process, N runbook download-pipeline bodies (no AWS shape: every recogniser says no) and N mixed
// AWS dead letters (Lambda DLQ, EventBridge DLQ, SNS envelope), and prints messages per second.
// Usage: node bench/aws-dead-letter-analysis.ts [--messages 100000]

import { parseArgs } from 'node:util';
import { createAnalyzer } from '../src/core/analysis/analyzer.ts';
import type { DlqMessage } from '../src/ports/dead-letter-queue.port.ts';
import { eventBridgeDeadLetter, eventBridgeEvent, lambdaDeadLetter, s3Event, snsDeadLetter, type AwsDeadLetter } from '../test/fixtures/aws/aws-dead-letters.ts';
import { syntheticDownloadMessages } from '../test/fixtures/download-dlq-body.ts';

const { values } = parseArgs({ options: { messages: { type: 'string', default: '100000' } } });
const count = Number(values.messages);
const now = new Date();

const asMessage = (letter: AwsDeadLetter, i: number): DlqMessage => ({
  queue: 'bench', messageKey: `m-${i}`, body: letter.body, attributes: {}, messageAttributes: letter.messageAttributes,
  enqueuedAt: now, receiveCount: 1, partition: null, offset: null, key: null, groupId: null, deduplicationId: null,
});

const awsLetter = (i: number): DlqMessage => {
  switch (i % 3) {
    case 0:
      return asMessage(lambdaDeadLetter({ requestId: `r-${i}`, errorMessage: `Task timed out after ${i % 7}.00 seconds`, event: s3Event(`in/${i}.csv`) }), i);
    case 1:
      return asMessage(eventBridgeDeadLetter({ event: eventBridgeEvent({ id: `e-${i}`, detailType: 'OrderPlaced', detail: { orderId: i } }), rule: `rule-${i % 5}`, targetArn: 'arn:aws:lambda:us-east-1:123456789012:function:billing', errorCode: i % 2 ? 'THROTTLING' : 'NO_PERMISSIONS', errorMessage: 'Rate exceeded', retryAttempts: 3 }), i);
    default:
      return asMessage(snsDeadLetter({ messageId: `s-${i}`, topic: `topic-${i % 4}`, message: JSON.stringify({ invoice_id: i, error_message: 'HTTP 503' }) }), i);
  }
};

const run = (label: string, messages: Iterable<DlqMessage>): void => {
  const analyzer = createAnalyzer({ now });
  const started = process.hrtime.bigint();
  let n = 0;
  for (const message of messages) {
    analyzer.add(message);
    n += 1;
  }
  const report = analyzer.result();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(`${label.padEnd(34)} ${n} msgs in ${seconds.toFixed(2)} s = ${Math.round(n / seconds).toLocaleString('en-US')} msgs/s (${report.byErrorCode.length} error codes, ${report.bySource.length} sources)`);
};

const download = [...syntheticDownloadMessages(count, { now, seed: 7 })];
const aws = Array.from({ length: count }, (_, i) => awsLetter(i));
run('runbook bodies (no AWS shape)', download);
run('AWS dead letters (Lambda/EB/SNS)', aws);
