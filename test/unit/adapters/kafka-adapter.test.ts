// Pure parts of the Kafka adapter: kafkajs error translation (wrapped causes included), message keys,
// records as DLQ messages with their lossy bytes kept aside, and kafkajs logs routed to pino.

import { Writable } from 'node:stream';
import {
  KafkaJSConnectionError,
  KafkaJSNonRetriableError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
  KafkaJSSASLAuthenticationError,
  logLevel,
} from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { kafkaLogCreator, kafkaLogLevelFor } from '../../../src/adapters/outbound/kafka/kafka-client.ts';
import { translateKafkaError } from '../../../src/adapters/outbound/kafka/kafka-errors.ts';
import { formatMessageKey, parseMessageKey, rawRecordOf, toDlqMessage } from '../../../src/adapters/outbound/kafka/kafka-record-mapper.ts';
import { createRootLogger } from '../../../src/adapters/outbound/logging/pino-logger.ts';

const protocolError = (type: string, retriable: boolean) =>
  new KafkaJSProtocolError(Object.assign(new Error(`${type} from the broker`), { type, code: 0, retriable }));

describe('translateKafkaError', () => {
  it.each([
    ['missing topic', protocolError('UNKNOWN_TOPIC_OR_PARTITION', true), 'DLQ_QUEUE_MISSING'],
    ['missing topic after retries', new KafkaJSNumberOfRetriesExceeded(protocolError('UNKNOWN_TOPIC_OR_PARTITION', true), { retryCount: 2, retryTime: 300 }), 'DLQ_QUEUE_MISSING'],
    ['topic ACL', protocolError('TOPIC_AUTHORIZATION_FAILED', false), 'DLQ_ACCESS_DENIED'],
    ['group ACL', protocolError('GROUP_AUTHORIZATION_FAILED', false), 'DLQ_ACCESS_DENIED'],
    ['SASL', new (KafkaJSSASLAuthenticationError as unknown as new (message: string) => Error)('SASL PLAIN authentication failed'), 'DLQ_ACCESS_DENIED'],
    ['refused', new KafkaJSConnectionError('Connection error: connect ECONNREFUSED', { broker: 'b:1' }), 'DLQ_UNREACHABLE'],
    ['unexpected', new KafkaJSNonRetriableError('something else'), 'INTERNAL_ERROR'],
    ['leader moving', protocolError('NOT_LEADER_OR_FOLLOWER', true), 'DLQ_UNREACHABLE'],
    ['half-connected broker', new Error('Broker not connected'), 'DLQ_UNREACHABLE'],
    ['bad request', protocolError('INVALID_REQUEST', false), 'INTERNAL_ERROR'],
  ] as const)('%s → %s', (_label, error, code) => {
    expect(translateKafkaError(error, 'peek of q').code).toBe(code);
  });

  it('keeps ids in the context, the innermost cause in the message, and passes RedriveErrors through', () => {
    const error = translateKafkaError(
      new KafkaJSNumberOfRetriesExceeded(new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:1'), { retryCount: 2, retryTime: 400 }),
      'status of downloads',
      { queue: 'downloads' },
    );
    expect(error).toMatchObject({ code: 'DLQ_UNREACHABLE', retriable: true, context: { queue: 'downloads', kafkaError: 'KafkaJSConnectionError' } });
    expect(error.message).toBe('status of downloads: the Kafka cluster did not answer (KafkaJSConnectionError: Connection error: connect ECONNREFUSED 127.0.0.1:1).');
    expect(translateKafkaError(error, 'again')).toBe(error);
  });
});

describe('message keys', () => {
  it.each([
    ['0:0', { partition: 0, offset: 0n }],
    ['12:9007199254740993', { partition: 12, offset: 9_007_199_254_740_993n }],
    [' 3:42 ', { partition: 3, offset: 42n }],
  ])('%j parses', (key, parsed) => expect(parseMessageKey(key)).toEqual(parsed));

  it.each(['', 'evt-abc-123', '1:-1', '-1:0', '1:2:3', '1:', ':1', '0:9223372036854775808', '0:1.5'])('%j is not a key', (key) => {
    expect(parseMessageKey(key)).toBeNull();
  });

  it('round-trips', () => expect(formatMessageKey(4, 77n)).toBe('4:77'));
});

describe('toDlqMessage', () => {
  const record = (value: Buffer | null, headers: Record<string, Buffer | Buffer[]> = {}, key: Buffer | null = Buffer.from('k')) => ({
    offset: '17',
    timestamp: '1767607200000',
    key,
    value,
    headers,
  });

  it('maps a UTF-8 record with headers as text and keeps no bytes aside', () => {
    const message = toDlqMessage('downloads', 2, record(Buffer.from('{"a":"é"}'), { 'content-type': Buffer.from('json'), trace: [Buffer.from('a'), Buffer.from('b')] }));
    expect(message).toEqual({
      queue: 'downloads',
      messageKey: '2:17',
      body: '{"a":"é"}',
      attributes: { 'content-type': 'json', trace: 'a, b' },
      messageAttributes: {},
      enqueuedAt: new Date(1767607200000),
      receiveCount: null,
      partition: 2,
      offset: '17',
      key: 'k',
      groupId: null,
      deduplicationId: null,
    });
    // Repeated headers do not survive as text; their bytes are kept for the replay.
    expect(rawRecordOf(message)?.headers.trace).toEqual([Buffer.from('a'), Buffer.from('b')]);
    expect(rawRecordOf(toDlqMessage('q', 0, record(Buffer.from('plain'))))).toBeUndefined();
  });

  it('keeps the bytes of non-UTF-8 values, keys and headers, and of null values', () => {
    const binary = toDlqMessage('q', 0, record(Buffer.from([0xff, 0x41]), { bin: Buffer.from([0x80]) }, Buffer.from([0xfe])));
    expect(binary.body).toBe('\ufffdA');
    expect(binary.attributes).toEqual({ bin: 'base64:gA==' });
    expect(rawRecordOf(binary)).toEqual({ key: Buffer.from([0xfe]), value: Buffer.from([0xff, 0x41]), headers: { bin: Buffer.from([0x80]) } });
    const tombstone = toDlqMessage('q', 0, record(null, {}, null));
    expect(tombstone).toMatchObject({ body: '', key: null });
    expect(rawRecordOf(tombstone)?.value).toBeNull();
  });
});

describe('kafkajs logs', () => {
  const capture = () => {
    const lines: Record<string, unknown>[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    return { lines, logger: createRootLogger({ level: 'debug', destination }) };
  };

  it('go to pino: errors and warnings as warn, protocol responses and info as debug, with the namespace', () => {
    const { lines, logger } = capture();
    const log = kafkaLogCreator(logger)();
    const entry = (level: number, message: string) => ({ namespace: 'Connection', level, label: 'x', log: { timestamp: 't', logger: 'kafkajs', message, broker: 'b:1' } });
    log(entry(logLevel.ERROR, 'Connection error: connect ECONNREFUSED'));
    log(entry(logLevel.ERROR, 'Response Metadata(key: 3, version: 6)'));
    log(entry(logLevel.INFO, 'Starting'));
    log(entry(logLevel.DEBUG, 'Request Fetch'));
    expect(lines.map((l) => [l.level, l.msg, l.kafkajs, l.broker])).toEqual([
      [40, 'Connection error: connect ECONNREFUSED', 'Connection', 'b:1'],
      [20, 'Response Metadata(key: 3, version: 6)', 'Connection', 'b:1'],
      [20, 'Starting', 'Connection', 'b:1'],
    ]);
    expect(lines[0]).not.toHaveProperty('logger', 'kafkajs');
  });

  it('ask kafkajs only for what pino would print', () => {
    expect(kafkaLogLevelFor(createRootLogger({ level: 'warn' }))).toBe(logLevel.WARN);
    expect(kafkaLogLevelFor(createRootLogger({ level: 'debug' }))).toBe(logLevel.INFO);
    expect(kafkaLogLevelFor(createRootLogger({ level: 'trace' }))).toBe(logLevel.DEBUG);
    expect(kafkaLogLevelFor(createRootLogger({ level: 'silent' }))).toBe(logLevel.NOTHING);
  });
});
