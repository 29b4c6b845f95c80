// The failure metadata a framework writes beside a dead-lettered message (Kafka Connect and Spring
// Kafka headers; AWS Lambda and EventBridge message attributes; the SNS envelope in the body) and the
// one small interface every recogniser implements: a pure function from the message's parts to what
// the framework says about the failure, or null when the message is not that framework's. Recognisers
// never throw and read the body only when the framework writes its metadata there. The list of them is
// recognise-framework.ts.

/** An SQS message attribute as the DeadLetterQueue port carries it (binary values base64). */
export interface FrameworkAttribute {
  dataType: string;
  stringValue?: string;
  binaryValue?: string;
}

/** The parts of a DLQ message a recogniser may read (the port's DlqMessage fits it). */
export interface FrameworkInput {
  body: string;
  /**
   * Kafka headers (or SQS system attributes) as text. A Kafka header whose bytes are not UTF-8 is
   * `base64:<bytes>` (see header-bytes.ts); repeated headers are joined with ", ".
   */
  attributes?: Readonly<Record<string, string>> | undefined;
  /** SQS message attributes, when the queue has them. */
  messageAttributes?: Readonly<Record<string, FrameworkAttribute>> | undefined;
}

/** One fact the framework wrote, decoded for display ("original partition" → "3"). */
export interface FrameworkFact {
  label: string;
  value: string;
}

export interface FrameworkMetadata {
  /** Stable id: `kafka-connect`, `spring-kafka`, `aws-lambda`, `aws-lambda-destination`, `aws-eventbridge`, `aws-sns`. */
  framework: string;
  /** Who wrote the message, for people: "Kafka Connect", "Lambda async invocation DLQ". */
  label: string;
  /** Short name for tables and to qualify error codes: "Kafka Connect", "Spring Kafka", "Lambda", "EventBridge", "SNS". */
  shortName: string;
  /** The framework's own error code, meaningful only beside its name (Lambda's 3-digit ErrorCode, EventBridge's ERROR_CODE). */
  errorCode: string | null;
  /** The exception class (`org.apache.kafka.connect.errors.DataException`) or error type (EventBridge NO_PERMISSIONS, Lambda errorType). */
  errorType: string | null;
  errorMessage: string | null;
  /**
   * Where the message failed, as the framework names it: the original topic (`orders`), a function
   * (`function resize`), a rule and its target (`rule orders → arn:…`), an SNS topic (`topic invoices`).
   */
  origin: string | null;
  /**
   * Kafka (Connect, Spring): the topic the record was consumed from when it failed, the replay
   * destination when the queue config names none. Null for every other framework.
   */
  originalTopic: string | null;
  /** Attempts the framework made, when it says (EventBridge RETRY_ATTEMPTS). */
  retryCount: number | null;
  /** The payload the framework wrapped (an SNS envelope's Message); null when the body is the payload. */
  payload: string | null;
  /** Everything the framework wrote, decoded, in its own order (stack traces last): what `view` lists. */
  facts: FrameworkFact[];
}

/** Returns the metadata when the message has this framework's shape, else null. Pure, total. */
export type FrameworkRecogniser = (input: FrameworkInput) => FrameworkMetadata | null;

/**
 * What a Kafka framework's headers say (Connect, Spring): the record is the payload, the original
 * topic is both where it failed and where a replay goes back to; no error code, no retry count.
 */
export const kafkaFrameworkFailure = (failure: {
  framework: string;
  label: string;
  originalTopic: string | null;
  exceptionClass: string | null;
  exceptionMessage: string | null;
  facts: FrameworkFact[];
}): FrameworkMetadata => ({
  framework: failure.framework,
  label: failure.label,
  shortName: failure.label,
  errorCode: null,
  errorType: failure.exceptionClass,
  errorMessage: failure.exceptionMessage,
  origin: failure.originalTopic,
  originalTopic: failure.originalTopic,
  retryCount: null,
  payload: null,
  facts: failure.facts,
});

const trimmed = (value: string | undefined): string | null => {
  const text = value?.trim() ?? '';
  return text === '' ? null : text;
};

/** A Kafka header's (or SQS system attribute's) text, trimmed; null when absent or blank. */
export const headerText = (input: FrameworkInput, name: string): string | null =>
  input.attributes && Object.hasOwn(input.attributes, name) ? trimmed(input.attributes[name]) : null;

/** An SQS message attribute's text (String and Number types), trimmed; binary, missing and blank ones are null. */
export const messageAttributeText = (input: FrameworkInput, name: string): string | null => trimmed(input.messageAttributes?.[name]?.stringValue);

/** Facts with a value, in the given order. */
export const facts = (rows: readonly [string, string | number | null | undefined][]): FrameworkFact[] =>
  rows.filter((row): row is [string, string | number] => row[1] !== null && row[1] !== undefined && row[1] !== '').map(([label, value]) => ({ label, value: String(value) }));

/** The last part of an ARN's resource (`…:rule/bus/name` → `name`, `…:function:name` → `name`). */
export const arnResourceName = (arn: string): string => {
  const resource = arn.split(':').slice(5).join(':');
  const name = resource.split(/[/:]/).pop() ?? resource;
  return name === '' ? arn : name;
};

/** Parses a JSON object, or null (not JSON, not an object). */
export const parseObject = (text: string): Record<string, unknown> | null => {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
};

export const stringField = (object: Record<string, unknown> | null | undefined, key: string): string | null => {
  const value = object?.[key];
  return typeof value === 'string' && value.trim() !== '' ? value : null;
};
