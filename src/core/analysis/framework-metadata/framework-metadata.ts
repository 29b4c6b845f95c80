// The failure metadata a framework writes beside a dead-lettered message (AWS Lambda, EventBridge,
// SNS, ...) and the small interface a recogniser implements. Pure data and types: recognisers read a
// message's body and attributes and never throw; they name what failed, where, and with which error.

/** An SQS message attribute as the DeadLetterQueue port carries it (binary values base64). */
export interface FrameworkAttribute {
  dataType: string;
  stringValue?: string;
  binaryValue?: string;
}

/** What a recogniser may read: the body, SQS message attributes, Kafka headers / SQS system attributes. */
export interface FrameworkEnvelope {
  body: string;
  messageAttributes?: Readonly<Record<string, FrameworkAttribute>> | undefined;
  attributes?: Readonly<Record<string, string>> | undefined;
}

export interface FrameworkFact {
  label: string;
  value: string;
}

export interface FrameworkMetadata {
  /** Stable id: `aws-lambda`, `aws-lambda-destination`, `aws-eventbridge`, `aws-sns`. */
  framework: string;
  /** Who wrote the message, for people: "Lambda async invocation DLQ". */
  title: string;
  /** Short name used to qualify codes and sources in analyze: "Lambda", "EventBridge", "SNS". */
  shortName: string;
  /** The framework's error code as written (Lambda's 3-digit ErrorCode, EventBridge's ERROR_CODE). */
  errorCode: string | null;
  /** A code that reads as an error type (EventBridge NO_PERMISSIONS, Lambda errorType): part of the signature. */
  errorType: string | null;
  errorMessage: string | null;
  /** What the message failed in: "function my-fn", "rule orders → arn:…", "topic arn:…". */
  source: string | null;
  /** Attempts the framework made, when it says (EventBridge RETRY_ATTEMPTS). */
  retryCount: number | null;
  /** The payload the framework wrapped (an SNS envelope's Message); null when the body is the payload. */
  payload: string | null;
  /** Everything worth showing in view, in order. */
  facts: FrameworkFact[];
}

/** Returns the metadata when the message has this framework's shape, else null. Pure, total. */
export type FrameworkRecogniser = (envelope: FrameworkEnvelope) => FrameworkMetadata | null;

/** A message attribute's text (String and Number types); binary and missing ones are null. */
export const attributeText = (envelope: FrameworkEnvelope, name: string): string | null => {
  const value = envelope.messageAttributes?.[name]?.stringValue;
  if (value === undefined) return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
};

/** Facts without the empty ones. */
export const facts = (rows: [string, string | number | null | undefined][]): FrameworkFact[] =>
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
