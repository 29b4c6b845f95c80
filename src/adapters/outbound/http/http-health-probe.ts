// GETs a downstream health URL for a pre-flight check: the status within a timeout, or why there was
// none. Redirects are not followed (a redirect is not a healthy answer); the body is discarded.

import type { HealthProbe } from '../../../ports/preflight-probes.port.ts';

const causeOf = (error: unknown): string => {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
};

export const createHttpHealthProbe = (now: () => number = () => performance.now()): HealthProbe => ({
  check: async (url, timeoutMs) => {
    const started = now();
    try {
      const response = await fetch(url, { method: 'GET', redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
      await response.body?.cancel().catch(() => undefined);
      return { status: response.status, elapsedMs: Math.round(now() - started) };
    } catch (error) {
      const timedOut = error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError');
      return { status: null, elapsedMs: Math.round(now() - started), error: timedOut ? null : `unreachable (${causeOf(error)})` };
    }
  },
});
