// Framework failure metadata read from Kafka records as Connect and Spring write them (through the
// Kafka record mapper, so binary headers take the same path as in production), binary payloads
// described as what they are, and analyze grouping a mixed DLQ by exception class and original topic.

import { isUtf8 } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { toDlqMessage } from '../../../src/adapters/outbound/kafka/kafka-record-mapper.ts';
import type { WireRecord } from '../../../src/adapters/outbound/kafka/kafka-wire.ts';
import { createAnalyzer } from '../../../src/core/analysis/analyzer.ts';
import { binarySummary, describeBinary } from '../../../src/core/analysis/binary-payload.ts';
import { mapDlqMessage } from '../../../src/core/analysis/field-mapping.ts';
import { FRAMEWORK_RECOGNISERS, recogniseFramework } from '../../../src/core/analysis/framework-metadata/recognise-framework.ts';
import { KafkaReplayTarget } from '../../../src/adapters/outbound/kafka/kafka-replay-target.ts';
import { DEFAULT_FIELD_MAPPING } from '../../../src/core/analysis/field-mapping.ts';
import { renderAnalysis } from '../../../src/presentation/slack/replies/analysis-replies.ts';
import { renderKafkaList } from '../../../src/presentation/slack/replies/kafka-replies.ts';
import { renderPeek } from '../../../src/presentation/slack/replies/queue-replies.ts';
import type { DlqMessage } from '../../../src/ports/dead-letter-queue.port.ts';
import { eventBridgeDeadLetter, eventBridgeEvent, snsDeadLetter } from '../../fixtures/aws/aws-dead-letters.ts';
import { confluentAvroValue, connectDlqHeaders, exampleConnectFailure, exampleSpringFailure, springDltHeaders } from '../../fixtures/kafka-framework-records.ts';

const record = (value: Buffer | null, headers: Record<string, Buffer>, key: Buffer | null = Buffer.from('k'), offset = '7'): WireRecord =>
  ({ key, value, headers, offset, timestamp: '1767607200000', attributes: 0, isControlRecord: false, batchContext: {} }) as unknown as WireRecord;

const connect = connectDlqHeaders(exampleConnectFailure('orders', { partition: 2 }));
const spring = springDltHeaders(exampleSpringFailure('payments', { partition: 3, offset: 9_876_543_210n }));

describe('recogniseFramework', () => {
  it('reads Kafka Connect context headers (UTF-8 text, numbers as decimal strings)', () => {
    const message = toDlqMessage('dlq', 0, record(Buffer.from('{"id":1}'), connect));
    const found = recogniseFramework(message);
    expect(found).toMatchObject({
      framework: 'kafka-connect',
      origin: 'orders',
      originalTopic: 'orders',
      errorType: 'org.apache.kafka.connect.errors.DataException',
      errorMessage: 'Failed to deserialize data for topic orders to Avro: Unknown magic byte!',
    });
    const fields = Object.fromEntries(found?.facts.map((f) => [f.label, f.value]) ?? []);
    expect(fields).toMatchObject({ 'original partition': '2', 'original offset': '1042', connector: 'orders-jdbc-sink', 'task id': '0', stage: 'VALUE_CONVERTER', 'executing class': 'io.confluent.connect.avro.AvroConverter' });
    expect(fields['stack trace']).toContain('WorkerSinkTask.convertMessages');
  });

  it('decodes Spring Kafka binary headers: partition int32, offset and timestamp int64, big-endian', () => {
    // The timestamp's bytes are not UTF-8: it travels as base64:… in the attributes, like in production.
    expect(isUtf8(spring['kafka_dlt-original-timestamp'] as Buffer)).toBe(false);
    const message = toDlqMessage('dlq', 0, record(Buffer.from('{"amount":-5}'), spring));
    const found = recogniseFramework(message);
    expect(found).toMatchObject({ framework: 'spring-kafka', origin: 'payments', originalTopic: 'payments', errorType: 'org.springframework.kafka.listener.ListenerExecutionFailedException' });
    const fields = Object.fromEntries(found?.facts.map((f) => [f.label, f.value]) ?? []);
    expect(fields).toMatchObject({
      'original partition': '3',
      'original offset': '9876543210',
      'original timestamp': `${new Date(1_767_607_100_123).toISOString()} (1767607100123)`,
      'original timestamp type': 'CreateTime',
      'original consumer group': 'payments-service',
      'exception cause class': 'java.lang.IllegalStateException',
      'exception message': 'Listener method threw exception: amount must be positive',
    });
  });

  it('takes a key deserialization failure from the kafka_dlt-key-exception-* headers', () => {
    const headers = springDltHeaders(
      exampleSpringFailure('payments', { exceptionClass: 'org.springframework.kafka.support.serializer.DeserializationException', exceptionMessage: 'failed to deserialize key', keyFailure: true }),
    );
    const found = recogniseFramework(toDlqMessage('dlq', 0, record(Buffer.from('x'), headers)));
    expect(found).toMatchObject({ errorType: 'org.springframework.kafka.support.serializer.DeserializationException', errorMessage: 'failed to deserialize key' });
    expect(found?.facts.map((f) => f.label)).toContain('key exception class');
  });

  it('never guesses: a partition header of the wrong size is shown as it came; plain messages are no framework', () => {
    const odd = toDlqMessage('dlq', 0, record(Buffer.from('x'), { ...spring, 'kafka_dlt-original-partition': Buffer.from('3') }));
    expect(recogniseFramework(odd)?.facts.find((f) => f.label === 'original partition')?.value).toBe('(4-byte integer expected) 3');
    expect(recogniseFramework(toDlqMessage('dlq', 0, record(Buffer.from('{"trace_id":"t"}'), { 'x-trace-id': Buffer.from('t') })))).toBeNull();
  });

  it('feeds the field mapping: the exception message and class become error text and type', () => {
    const mapped = mapDlqMessage(toDlqMessage('dlq', 0, record(Buffer.from('{"id":1}'), connect)));
    expect(mapped.errorText).toBe('Failed to deserialize data for topic orders to Avro: Unknown magic byte!');
    expect(mapped.errorType).toBe('org.apache.kafka.connect.errors.DataException');
  });
});

describe('describeBinary', () => {
  it('shows a Confluent Avro value as length, hex and schema id, from its own bytes', () => {
    const avro = confluentAvroValue(42, { id: 7, name: 'café', amount: 19.99 });
    expect(isUtf8(avro)).toBe(false);
    const message = toDlqMessage('dlq', 0, record(avro, {}));
    const binary = describeBinary(message.body, message.bytes?.value);
    expect(binary).toEqual({ length: avro.length, hexPreview: [...avro].map((b) => b.toString(16).padStart(2, '0')).join(' '), truncated: false, schemaId: 42 });
    expect(binarySummary(binary!)).toBe(`binary, ${avro.length} bytes, Confluent schema id 42: 00 00 00 00 2a 0e 0a 63 61 66 c3 a9 ${binary!.hexPreview.split(' ').slice(12).join(' ')}`);
  });

  it('treats UTF-8 bytes with control characters as binary, and text as text', () => {
    const utf8Binary = Buffer.from([0x00, 0x00, 0x00, 0x00, 0x05, 0x02, 0x66]);
    const message = toDlqMessage('dlq', 0, record(utf8Binary, {}));
    expect(message.bytes).toBeUndefined();
    expect(describeBinary(message.body, message.bytes?.value)).toMatchObject({ length: 7, schemaId: 5, hexPreview: '00 00 00 00 05 02 66' });
    expect(describeBinary('{"a":"line\\nbreak\\ttab"}\n')).toBeNull();
    const long = describeBinary('\u0001'.repeat(40));
    expect(long).toMatchObject({ length: 40, truncated: true, schemaId: null });
    expect(long?.hexPreview.split(' ')).toHaveLength(32);
  });
});

describe('analyze a mixed framework DLQ', () => {
  it('groups by exception class and by original topic', () => {
    const analyzer = createAnalyzer({ now: new Date('2026-01-05T10:00:00Z') });
    let offset = 0;
    const add = (value: Buffer, headers: Record<string, Buffer>) => analyzer.add(toDlqMessage('dlq', 0, record(value, headers, null, String((offset += 1)))));
    for (let i = 0; i < 3; i += 1) add(Buffer.from('{"id":1}'), connect);
    for (let i = 0; i < 2; i += 1) add(Buffer.from('{"amount":-5}'), spring);
    add(Buffer.from('{"trace_id":"plain","error_message":"boom"}'), {});
    const report = analyzer.result();
    expect(report.recognisedFramework).toBe(5);
    expect(report.byErrorType.map((g) => [g.errorType, g.count, g.topOrigins[0]?.key ?? null])).toEqual([
      ['org.apache.kafka.connect.errors.DataException', 3, 'orders'],
      ['org.springframework.kafka.listener.ListenerExecutionFailedException', 2, 'payments'],
      [null, 1, null],
    ]);
    expect(report.byOrigin.map((g) => [g.origin, g.framework, g.count])).toEqual([
      ['orders', 'Kafka Connect', 3],
      ['payments', 'Spring Kafka', 2],
      [null, null, 1],
    ]);
    expect(report.findings.find((f) => f.kind === 'framework')?.text).toBe(
      '5 messages carry failure metadata from Kafka Connect and Spring Kafka; original topic / where it failed: orders 3, payments 2; top exception class / error code: org.apache.kafka.connect.errors.DataException (3).',
    );
  });
});

describe('one list of recognisers for Kafka and AWS shapes', () => {
  const sqsMessage = (letter: { body: string; messageAttributes: DlqMessage['messageAttributes'] }, id: string): DlqMessage => ({
    queue: 'aws-dlq', messageKey: id, body: letter.body, attributes: {}, messageAttributes: letter.messageAttributes,
    enqueuedAt: null, receiveCount: 1, partition: null, offset: null, key: null, groupId: null, deduplicationId: null,
  });
  const eventBridge = sqsMessage(
    eventBridgeDeadLetter({ event: eventBridgeEvent({ id: 'e-1', detailType: 'OrderPlaced', detail: {} }), rule: 'orders-to-billing', targetArn: 'arn:aws:lambda:us-east-1:123456789012:function:billing', errorCode: 'NO_PERMISSIONS', errorMessage: 'Not authorized', retryAttempts: 0 }),
    'eb-1',
  );
  const connectRecord = toDlqMessage('dlq', 0, record(Buffer.from('{"id":1}'), connect));

  it('recognises every framework through the same list, and only the Kafka ones name a topic to replay to', () => {
    expect(FRAMEWORK_RECOGNISERS.length).toBeGreaterThanOrEqual(6);
    const sns = snsDeadLetter({ messageId: 's-1', topic: 'invoices', message: '{"invoice_id":1}' });
    // An SNS envelope that ended up on a Kafka DLQ topic: its SNS topic is where it failed, never a Kafka topic to send it to.
    const snsRecord = toDlqMessage('dlq', 0, record(Buffer.from(sns.body), {}));
    const found = [connectRecord, toDlqMessage('dlq', 0, record(Buffer.from('{}'), spring)), eventBridge, snsRecord].map((m) => recogniseFramework(m));
    expect(found.map((f) => [f?.framework, f?.origin, f?.originalTopic])).toEqual([
      ['kafka-connect', 'orders', 'orders'],
      ['spring-kafka', 'payments', 'payments'],
      ['aws-eventbridge', 'rule orders-to-billing → arn:aws:lambda:us-east-1:123456789012:function:billing', null],
      ['aws-sns', 'topic invoices', null],
    ]);
    const target = new KafkaReplayTarget({ clients: {} as never, topic: null, originTopic: 'dlq', mapping: DEFAULT_FIELD_MAPPING });
    expect([target.destinationOf?.(connectRecord), target.destinationOf?.(snsRecord)]).toEqual(['orders', null]);
  });

  it('peek on either kind of queue names the failure the same way; analyze shows both in one pair of tables', () => {
    const kafkaPeek = JSON.stringify(renderKafkaList('dlq', [connectRecord]).blocks);
    expect(kafkaPeek).toContain('Kafka Connect · org.apache.kafka.connect.errors.DataException · original topic orders');
    const sqsPeek = JSON.stringify(renderPeek('aws-dlq', [eventBridge], new Date()).blocks);
    expect(sqsPeek).toContain('EventBridge target DLQ · NO_PERMISSIONS · rule orders-to-billing');

    const analyzer = createAnalyzer({ now: new Date('2026-01-05T10:00:00Z') });
    for (const m of [connectRecord, connectRecord, eventBridge]) analyzer.add(m);
    const report = analyzer.result();
    expect(report.byErrorType.map((g) => [g.errorType, g.count])).toEqual([
      ['org.apache.kafka.connect.errors.DataException', 2],
      ['EventBridge NO_PERMISSIONS', 1],
    ]);
    const text = JSON.stringify(renderAnalysis({ queue: 'mixed', kind: 'kafka', report, scanned: 3, limited: false, limit: 10_000, elapsedMs: 1, returned: { count: 0, samples: [], jobIds: [] } }).blocks);
    expect(text).toContain('By exception class / error code and original topic / where it failed');
    expect(text).toMatch(/ORIGINAL TOPIC \/ FAILED IN\s+WRITTEN BY\s+COUNT\s+SHARE\s+TOP EXCEPTION CLASS \/ ERROR CODE/);
    expect(text).toMatch(/orders\s+Kafka Connect\s+2\s+67%\s+org\.apache\.kafka\.connect\.errors\.DataException/);
    expect(text).toMatch(/rule orders-to-billing → arn:aws:lambda:us-east-1:123456789012:function:billing\s+EventBridge\s+1\s+33%\s+EventBridge NO_PERMISSIONS/);
    expect(report.findings.find((f) => f.kind === 'framework')?.text).toMatch(/^3 messages carry failure metadata from Kafka Connect and EventBridge;/);
  });
});
