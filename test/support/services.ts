// Test support for the real services that scripts/services.sh runs on loopback: the endpoints the
// integration global setup provides to every test file, unique names per test and a polling helper.
// It starts nothing and reads no environment: test/integration/global-setup.ts does both.
import { randomBytes } from 'node:crypto';

/** Where the real services answer; `null` (see ProvidedContext) when they could not be started. */
export type ServiceEndpoints = {
  kafka: { brokers: string[] };
  /** ElasticMQ, which speaks the SQS JSON protocol. */
  sqs: { endpoint: string; region: string; accountId: string };
  /** moto server: CloudWatch, Step Functions, SNS. */
  moto: { endpoint: string; region: string };
  postgres: { url: string };
};

declare module 'vitest' {
  export interface ProvidedContext {
    services: ServiceEndpoints | null;
  }
}

/** Credentials the emulators accept; they check only that some are present. */
export const dummyAwsCredentials = { accessKeyId: 'test', secretAccessKey: 'test' } as const;

/**
 * The endpoints, or a clear failure when the global setup provided none. Call it inside hooks or
 * tests of a `describe.skipIf(!services)` block: the describe body itself runs even when skipped.
 */
export function requireServices(services: ServiceEndpoints | null | undefined): ServiceEndpoints {
  if (!services) {
    throw new Error('The real services are not running: start them with scripts/services.sh up');
  }
  return services;
}

let counter = 0;

/**
 * A name no other test, worker or run uses: `<prefix>-<time><counter><random>`, lower-case letters,
 * digits and the separator only, so it is valid as an SQS queue, Kafka topic, consumer group, state
 * machine or alarm name (keep the prefix under ~50 characters for SQS's 80). Pass `_` as the
 * separator for an unquoted SQL identifier.
 */
export function uniqueName(prefix: string, separator: '-' | '_' = '-'): string {
  counter += 1;
  const suffix = `${Date.now().toString(36)}${counter.toString(36)}${randomBytes(3).toString('hex')}`;
  return `${prefix}${separator}${suffix}`;
}

export type WaitForOptions = {
  /** Give up after this long (default 10 s). */
  timeoutMs?: number;
  /** Pause between attempts (default 100 ms). */
  intervalMs?: number;
  /** Names the condition in the timeout error. */
  description?: string;
};

/**
 * Polls `check` until it returns a value other than `undefined`, `null` or `false`, and resolves
 * with that value. A throw counts as "not yet"; on timeout the error names the condition and
 * carries the last thrown error as its cause.
 */
export async function waitFor<T>(
  check: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  options: WaitForOptions = {},
): Promise<T> {
  const { timeoutMs = 10_000, intervalMs = 100, description = 'condition' } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  let attempts = 0;
  for (;;) {
    attempts += 1;
    try {
      const value = await check();
      if (value !== undefined && value !== null && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const detail = lastError instanceof Error ? `; last error: ${lastError.message}` : '';
      throw new Error(`waitFor: ${description} not met within ${timeoutMs} ms (${attempts} attempts)${detail}`, {
        cause: lastError,
      });
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
