// Translates AWS SDK errors from SQS (and the other AWS clients) into the RedriveError catalogue at
// the adapter boundary, so no caller ever sees an SDK class. Context carries ids only, never bodies.

import { RedriveError, isRedriveError, type ErrorContext } from '../../../errors.ts';

const MISSING = new Set([
  'QueueDoesNotExist',
  'AWS.SimpleQueueService.NonExistentQueue',
  'NonExistentQueue',
  'ResourceNotFoundException',
  'StateMachineDoesNotExist',
]);
const DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'SignatureDoesNotMatch',
  'InvalidSecurity',
  'MissingAuthenticationToken',
  'IncompleteSignature',
  'ExpiredToken',
  'ExpiredTokenException',
  'KmsAccessDenied',
]);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH']);
const NETWORK_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'ThrottlingException', 'RequestThrottled', 'ServiceUnavailable', 'InternalFailure']);

interface SdkLikeError {
  name?: string;
  code?: string;
  Code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  cause?: unknown;
  errors?: unknown[];
}

/** The error name the SDK reports, whichever protocol (JSON `__type`, query `Code`) carried it. */
export const awsErrorName = (error: unknown): string => {
  const e = (error ?? {}) as SdkLikeError;
  return e.name && e.name !== 'Error' ? e.name : (e.Code ?? e.code ?? 'Error');
};

const networkCode = (error: unknown, depth = 0): string | null => {
  if (!error || typeof error !== 'object' || depth > 4) return null;
  const e = error as SdkLikeError;
  if (e.code && NETWORK_CODES.has(e.code)) return e.code;
  if (Array.isArray(e.errors)) for (const inner of e.errors) {
    const found = networkCode(inner, depth + 1);
    if (found) return found;
  }
  return networkCode(e.cause, depth + 1);
};

/**
 * Maps an SDK failure to DLQ_QUEUE_MISSING, DLQ_ACCESS_DENIED or DLQ_UNREACHABLE (anything else is
 * DLQ_UNREACHABLE too when it is a 5xx or a transport failure, else INTERNAL_ERROR).
 */
export const translateAwsError = (error: unknown, what: string, context: ErrorContext = {}): RedriveError => {
  if (isRedriveError(error)) return error;
  const name = awsErrorName(error);
  const message = error instanceof Error ? error.message : String(error);
  const status = (error as SdkLikeError | null)?.$metadata?.httpStatusCode;
  const ctx = { ...context, awsError: name };
  if (MISSING.has(name) || /does not exist|NonExistentQueue/i.test(message)) {
    return new RedriveError('DLQ_QUEUE_MISSING', `${what}: the queue or resource does not exist (${name}).`, { context: ctx, cause: error });
  }
  if (name === 'CredentialsProviderError') {
    // Nothing was sent: the SDK found no credentials to sign with.
    return new RedriveError(
      'DLQ_ACCESS_DENIED',
      `${what}: no AWS credentials were found (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, or run with an instance or task role).`,
      { context: ctx, cause: error },
    );
  }
  if (DENIED.has(name) || status === 403 || /access denied|not authorized|security token/i.test(message)) {
    return new RedriveError('DLQ_ACCESS_DENIED', `${what}: the server refused the credentials (${name}).`, { context: ctx, cause: error });
  }
  const network = networkCode(error);
  if (network || NETWORK_NAMES.has(name) || (status !== undefined && status >= 500) || status === undefined) {
    return new RedriveError('DLQ_UNREACHABLE', `${what}: the server did not answer (${network ?? name}).`, { context: ctx, cause: error });
  }
  return new RedriveError('INTERNAL_ERROR', `${what} failed: ${name}: ${message}`, { context: ctx, cause: error, retriable: false });
};

/** One line for a per-message failure (batch entry), safe to show and store. */
export const describeBatchFailure = (entry: { Code?: string | undefined; Message?: string | undefined }): string =>
  [entry.Code, entry.Message].filter(Boolean).join(': ') || 'failed';
