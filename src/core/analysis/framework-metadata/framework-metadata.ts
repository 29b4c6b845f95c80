// Failure metadata that DLQ-writing frameworks put beside a message (Kafka Connect and Spring Kafka
// headers today; SQS-side shapes can sit beside them): one small recogniser per framework, each a pure
// function from the message's text parts to what the framework says about the failure, or null when
// the message is not that framework's. Recognisers never throw and never read the body unless the
// framework writes its metadata there.

/** The parts of a DLQ message a recogniser may read (the port's DlqMessage fits it). */
export interface FrameworkInput {
  body: string;
  /**
   * Kafka headers (or SQS system attributes) as text. A Kafka header whose bytes are not UTF-8 is
   * `base64:<bytes>` (see header-bytes.ts); repeated headers are joined with ", ".
   */
  attributes: Readonly<Record<string, string>>;
  /** SQS message attributes, when the queue has them. */
  messageAttributes?: Readonly<Record<string, { dataType: string; stringValue?: string; binaryValue?: string }>>;
}

/** One fact the framework wrote, decoded for display ("original partition" → "3"). */
export interface FrameworkField {
  label: string;
  value: string;
}

export interface FrameworkMetadata {
  /** Stable id for grouping and tests: 'kafka-connect', 'spring-kafka', ... */
  framework: string;
  /** For people: "Kafka Connect", "Spring Kafka (DeadLetterPublishingRecoverer)". */
  label: string;
  /**
   * Where the message failed, as the framework names it (a Kafka topic, a queue or rule ARN): the
   * default replay destination when the queue config names none. Null when not written.
   */
  origin: string | null;
  /** Fully qualified exception class, e.g. `org.apache.kafka.connect.errors.DataException`. */
  exceptionClass: string | null;
  exceptionMessage: string | null;
  /** Everything the framework wrote, decoded, in the framework's own order (stack traces last). */
  fields: FrameworkField[];
}

export type FrameworkRecogniser = (input: FrameworkInput) => FrameworkMetadata | null;

/** The attribute's text, trimmed; null when absent or blank. */
export const attributeText = (input: FrameworkInput, name: string): string | null => {
  if (!Object.hasOwn(input.attributes, name)) return null;
  const value = input.attributes[name]?.trim() ?? '';
  return value === '' ? null : value;
};

/** Fields with a value, in the given order. */
export const presentFields = (entries: readonly [string, string | null][]): FrameworkField[] =>
  entries.filter((entry): entry is [string, string] => entry[1] !== null).map(([label, value]) => ({ label, value }));
