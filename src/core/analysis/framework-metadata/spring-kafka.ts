// Spring Kafka DeadLetterPublishingRecoverer records: `kafka_dlt-*` headers. Spring writes the
// original topic, timestamp type, consumer group and exception texts as UTF-8, the original partition
// as a 4-byte big-endian int (ByteBuffer.putInt) and the offset and timestamp as 8-byte big-endian
// longs (ByteBuffer.putLong). Key deserialization failures use the `kafka_dlt-key-exception-*` names. Pure.

import { facts, headerText, kafkaFrameworkFailure, type FrameworkInput, type FrameworkRecogniser } from './framework-metadata.ts';
import { bigEndianInteger, headerBytes } from './header-bytes.ts';

const PREFIX = 'kafka_dlt-';

/** Header names as org.springframework.kafka.support.KafkaHeaders defines them. */
export const SPRING_DLT_HEADERS = {
  topic: `${PREFIX}original-topic`,
  partition: `${PREFIX}original-partition`,
  offset: `${PREFIX}original-offset`,
  timestamp: `${PREFIX}original-timestamp`,
  timestampType: `${PREFIX}original-timestamp-type`,
  consumerGroup: `${PREFIX}original-consumer-group`,
  exceptionClass: `${PREFIX}exception-fqcn`,
  exceptionCauseClass: `${PREFIX}exception-cause-fqcn`,
  exceptionMessage: `${PREFIX}exception-message`,
  stacktrace: `${PREFIX}exception-stacktrace`,
  keyExceptionClass: `${PREFIX}key-exception-fqcn`,
  keyExceptionCauseClass: `${PREFIX}key-exception-cause-fqcn`,
  keyExceptionMessage: `${PREFIX}key-exception-message`,
  keyStacktrace: `${PREFIX}key-exception-stacktrace`,
} as const;

/** A binary integer header decoded; a value of another size is shown as it came (never guessed). */
const integerHeader = (input: FrameworkInput, name: string, width: 4 | 8): string | null => {
  if (!input.attributes || !Object.hasOwn(input.attributes, name)) return null;
  const text = input.attributes[name] ?? '';
  const value = bigEndianInteger(headerBytes(text), width);
  return value === null ? `(${width}-byte integer expected) ${text}` : value.toString();
};

const timestampText = (millis: string | null): string | null => {
  if (millis === null || !/^-?\d+$/.test(millis)) return millis;
  const date = new Date(Number(millis));
  return Number.isNaN(date.getTime()) ? millis : `${date.toISOString()} (${millis})`;
};

export const recogniseSpringKafka: FrameworkRecogniser = (input) => {
  const read = (name: string) => headerText(input, name);
  const h = SPRING_DLT_HEADERS;
  const topic = read(h.topic);
  const valueClass = read(h.exceptionClass);
  const keyClass = read(h.keyExceptionClass);
  if (topic === null && valueClass === null && keyClass === null) return null;
  // A key deserialization failure has only the key-exception headers: its exception is the key's.
  const exceptionClass = valueClass ?? keyClass;
  const exceptionMessage = valueClass !== null ? read(h.exceptionMessage) : read(h.keyExceptionMessage);
  return kafkaFrameworkFailure({
    framework: 'spring-kafka',
    label: 'Spring Kafka',
    originalTopic: topic,
    exceptionClass,
    exceptionMessage,
    facts: facts([
      ['original topic', topic],
      ['original partition', integerHeader(input, h.partition, 4)],
      ['original offset', integerHeader(input, h.offset, 8)],
      ['original timestamp', timestampText(integerHeader(input, h.timestamp, 8))],
      ['original timestamp type', read(h.timestampType)],
      ['original consumer group', read(h.consumerGroup)],
      ['exception class', valueClass],
      ['exception cause class', read(h.exceptionCauseClass)],
      ['exception message', read(h.exceptionMessage)],
      ['key exception class', keyClass],
      ['key exception cause class', read(h.keyExceptionCauseClass)],
      ['key exception message', read(h.keyExceptionMessage)],
      ['stack trace', read(h.stacktrace)],
      ['key stack trace', read(h.keyStacktrace)],
    ]),
  });
};
