// Kafka Connect dead-letter queue records (errors.deadletterqueue.context.headers.enable=true):
// Connect's DeadLetterQueueReporter writes every context header as UTF-8 text, numbers included
// (String.valueOf(partition)), under the `__connect.errors.` prefix. Pure.

import { facts, headerText, kafkaFrameworkFailure, type FrameworkRecogniser } from './framework-metadata.ts';

const PREFIX = '__connect.errors.';

/** Header names as org.apache.kafka.connect.runtime.errors.DeadLetterQueueReporter defines them. */
export const CONNECT_HEADERS = {
  topic: `${PREFIX}topic`,
  partition: `${PREFIX}partition`,
  offset: `${PREFIX}offset`,
  connectorName: `${PREFIX}connector.name`,
  taskId: `${PREFIX}task.id`,
  stage: `${PREFIX}stage`,
  className: `${PREFIX}class.name`,
  exceptionClass: `${PREFIX}exception.class.name`,
  exceptionMessage: `${PREFIX}exception.message`,
  stacktrace: `${PREFIX}exception.stacktrace`,
} as const;

export const recogniseKafkaConnect: FrameworkRecogniser = (input) => {
  const read = (name: string) => headerText(input, name);
  const topic = read(CONNECT_HEADERS.topic);
  const exceptionClass = read(CONNECT_HEADERS.exceptionClass);
  const connector = read(CONNECT_HEADERS.connectorName);
  // Connect always writes the connector and the stage; the topic and the exception when it has them.
  if (topic === null && exceptionClass === null && connector === null) return null;
  const exceptionMessage = read(CONNECT_HEADERS.exceptionMessage);
  return kafkaFrameworkFailure({
    framework: 'kafka-connect',
    label: 'Kafka Connect',
    originalTopic: topic,
    exceptionClass,
    exceptionMessage,
    facts: facts([
      ['original topic', topic],
      ['original partition', read(CONNECT_HEADERS.partition)],
      ['original offset', read(CONNECT_HEADERS.offset)],
      ['connector', connector],
      ['task id', read(CONNECT_HEADERS.taskId)],
      ['stage', read(CONNECT_HEADERS.stage)],
      ['executing class', read(CONNECT_HEADERS.className)],
      ['exception class', exceptionClass],
      ['exception message', exceptionMessage],
      ['stack trace', read(CONNECT_HEADERS.stacktrace)],
    ]),
  });
};
