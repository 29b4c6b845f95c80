// Translates kafkajs failures into the RedriveError catalogue at the adapter boundary, so no caller
// sees a kafkajs class. kafkajs wraps the real cause (KafkaJSNumberOfRetriesExceeded, NonRetriable)
// one or more levels deep; the whole chain is inspected. Context carries ids only, never bodies.

import { RedriveError, isRedriveError, type ErrorContext } from '../../../errors.ts';

interface KafkaLikeError {
  name?: string;
  type?: string;
  code?: string | number;
  message?: string;
  retriable?: boolean;
  cause?: unknown;
  originalError?: unknown;
  errors?: unknown[];
}

const MISSING_TYPES = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'INVALID_TOPIC_EXCEPTION', 'UNKNOWN_TOPIC_ID']);
const DENIED_TYPES = new Set([
  'TOPIC_AUTHORIZATION_FAILED',
  'GROUP_AUTHORIZATION_FAILED',
  'CLUSTER_AUTHORIZATION_FAILED',
  'SASL_AUTHENTICATION_FAILED',
  'ILLEGAL_SASL_STATE',
  'UNSUPPORTED_SASL_MECHANISM',
]);
const DENIED_NAMES = new Set(['KafkaJSSASLAuthenticationError']);
const UNREACHABLE_NAMES = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
  'KafkaJSNoBrokerAvailableError',
  'KafkaJSGroupCoordinatorNotFound',
  'KafkaJSMetadataNotLoaded',
  'KafkaJSLockTimeout',
  'KafkaJSTimeout',
]);
/** The group has live members, so a commit from outside the group is refused (UNKNOWN_MEMBER_ID...). */
export const GROUP_ACTIVE_TYPES = new Set(['UNKNOWN_MEMBER_ID', 'ILLEGAL_GENERATION', 'REBALANCE_IN_PROGRESS', 'FENCED_INSTANCE_ID']);

/** The error and every cause below it, outermost first (bounded, cycle-safe). */
export const kafkaErrorChain = (error: unknown): KafkaLikeError[] => {
  const chain: KafkaLikeError[] = [];
  const queue: unknown[] = [error];
  while (queue.length > 0 && chain.length < 12) {
    const next = queue.shift();
    if (!next || typeof next !== 'object' || chain.includes(next as KafkaLikeError)) continue;
    const e = next as KafkaLikeError;
    chain.push(e);
    queue.push(e.cause, e.originalError, ...(Array.isArray(e.errors) ? e.errors : []));
  }
  return chain;
};

/** The Kafka protocol error type somewhere in the chain (e.g. UNKNOWN_TOPIC_OR_PARTITION), if any. */
export const kafkaErrorType = (error: unknown): string | null => kafkaErrorChain(error).find((e) => typeof e.type === 'string')?.type ?? null;

const describe = (chain: KafkaLikeError[]): string => {
  const innermost = chain[chain.length - 1];
  const label = innermost?.type ?? innermost?.name ?? 'Error';
  return innermost?.message ? `${label}: ${innermost.message}` : label;
};

/**
 * Maps a kafkajs failure to DLQ_QUEUE_MISSING (topic does not exist), DLQ_ACCESS_DENIED (SASL or
 * ACLs) or DLQ_UNREACHABLE (connection, timeouts, coordinator or broker not found, any other
 * retriable broker error); anything else is INTERNAL_ERROR.
 */
export const translateKafkaError = (error: unknown, what: string, context: ErrorContext = {}): RedriveError => {
  if (isRedriveError(error)) return error;
  const chain = kafkaErrorChain(error);
  const types = chain.map((e) => e.type).filter((t): t is string => typeof t === 'string');
  const names = chain.map((e) => e.name).filter((n): n is string => typeof n === 'string');
  const detail = describe(chain);
  const ctx = { ...context, kafkaError: types[0] ?? names[names.length - 1] ?? 'Error' };
  if (types.some((t) => MISSING_TYPES.has(t))) {
    return new RedriveError('DLQ_QUEUE_MISSING', `${what}: the topic does not exist (${detail}).`, { context: ctx, cause: error });
  }
  if (types.some((t) => DENIED_TYPES.has(t)) || names.some((n) => DENIED_NAMES.has(n))) {
    return new RedriveError('DLQ_ACCESS_DENIED', `${what}: the broker refused the credentials or ACLs (${detail}).`, { context: ctx, cause: error });
  }
  const networkCode = chain.map((e) => e.code).find((c) => typeof c === 'string' && /^E[A-Z]+$/.test(c));
  // kafkajs's bare Error when a broker's socket is open but its handshake never completed.
  const halfConnected = chain.some((e) => e.message === 'Broker not connected');
  if (halfConnected) {
    return new RedriveError('DLQ_UNREACHABLE', `${what}: a broker accepted the connection but its handshake (ApiVersions) did not complete.`, {
      context: { ...ctx, kafkaError: 'HANDSHAKE_TIMEOUT' },
      cause: error,
    });
  }
  if (networkCode || names.some((n) => UNREACHABLE_NAMES.has(n)) || chain.some((e) => e.retriable === true)) {
    return new RedriveError('DLQ_UNREACHABLE', `${what}: the Kafka cluster did not answer (${detail}).`, { context: ctx, cause: error });
  }
  return new RedriveError('INTERNAL_ERROR', `${what} failed: ${detail}`, { context: ctx, cause: error, retriable: false });
};
