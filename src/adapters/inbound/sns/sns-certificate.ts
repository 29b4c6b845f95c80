// Where SNS signing certificates may come from and how they are fetched and cached. Security: only
// https URLs on an sns.<region>.amazonaws.com host (or hosts a test configures) are ever fetched, with
// no redirects, a timeout and a size cap; certificates are cached by URL so a flood of messages does
// not become a flood of fetches.

import { X509Certificate, type KeyObject } from 'node:crypto';
import type { Clock } from '../../../ports/clock.port.ts';

/** AWS's published rule for SNS certificate and subscription URLs. */
export const SNS_HOST_PATTERN = /^sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/;

export type UrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

/** https, no credentials or odd port, host on SNS (or an extra trusted host), path ending .pem when asked. */
export const checkSnsUrl = (raw: string, options: { extraHosts: readonly string[]; requirePem: boolean }): UrlCheck => {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'is not a URL' };
  }
  if (url.protocol !== 'https:') return { ok: false, reason: 'is not https' };
  if (url.username !== '' || url.password !== '') return { ok: false, reason: 'carries credentials' };
  const trustedExtra = options.extraHosts.includes(url.host) || options.extraHosts.includes(url.hostname);
  if (!trustedExtra && (url.port !== '' || !SNS_HOST_PATTERN.test(url.hostname))) {
    return { ok: false, reason: `host ${JSON.stringify(url.host.slice(0, 100))} is not an SNS host` };
  }
  if (options.requirePem && !url.pathname.endsWith('.pem')) return { ok: false, reason: 'path does not end in .pem' };
  return { ok: true, url };
};

/** Returns the PEM text at a checked URL. Injectable: tests and emulators bring their own source. */
export type CertificateFetcher = (url: URL) => Promise<string>;

/** A failed GET to SNS (certificate or SubscribeURL): `rejected` (4xx, not a certificate, too large) or `unavailable` (retry later). */
export class SnsFetchError extends Error {
  readonly kind: 'rejected' | 'unavailable';
  constructor(kind: 'rejected' | 'unavailable', message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SnsFetchError';
    this.kind = kind;
  }
}

/** Reads a response body, failing once it passes maxBytes. */
export const readCapped = async (response: Response, maxBytes: number): Promise<string> => {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    throw new SnsFetchError('rejected', `response larger than ${maxBytes} bytes`);
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new SnsFetchError('rejected', `response larger than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
};

/** GETs a URL with a timeout and no redirects; 4xx → rejected, network/5xx/timeout → unavailable. */
export const getCapped = async (
  url: URL,
  options: { timeoutMs: number; maxBytes: number; fetch: typeof globalThis.fetch },
): Promise<string> => {
  let response: Response;
  try {
    response = await options.fetch(url, { method: 'GET', redirect: 'error', signal: AbortSignal.timeout(options.timeoutMs) });
  } catch (error) {
    throw new SnsFetchError('unavailable', `GET ${url.host} failed`, { cause: error });
  }
  if (response.status < 200 || response.status > 299) {
    await response.body?.cancel();
    throw new SnsFetchError(response.status >= 400 && response.status < 500 ? 'rejected' : 'unavailable', `GET ${url.host} answered ${response.status}`);
  }
  try {
    return await readCapped(response, options.maxBytes);
  } catch (error) {
    if (error instanceof SnsFetchError) throw error;
    throw new SnsFetchError('unavailable', `reading from ${url.host} failed`, { cause: error });
  }
};

/** The production fetcher: HTTPS with TLS verification (Node's default trust store), 5 s, 64 KiB. */
export const createHttpsCertificateFetcher = (
  options: { timeoutMs?: number; maxBytes?: number; fetch?: typeof globalThis.fetch } = {},
): CertificateFetcher => {
  const settings = { timeoutMs: options.timeoutMs ?? 5_000, maxBytes: options.maxBytes ?? 65_536, fetch: options.fetch ?? globalThis.fetch };
  return (url) => getCapped(url, settings);
};

export interface CertificateCache {
  /** The certificate's public key; throws SnsFetchError when it cannot be had or is not valid now. */
  publicKey(url: URL): Promise<KeyObject>;
  readonly size: number;
}

/**
 * Caches one promise per URL (concurrent messages share one fetch), forgets failures so a later
 * delivery retries, and keeps at most maxEntries URLs (oldest dropped first). At most
 * maxConcurrentFetches distinct URLs are fetched at once: SNS uses a handful of certificate URLs, so
 * more means someone is making us fetch on their behalf, and the excess is refused as unavailable.
 */
export const createCertificateCache = (options: {
  fetcher: CertificateFetcher;
  clock: Clock;
  maxEntries?: number;
  maxConcurrentFetches?: number;
}): CertificateCache => {
  const maxEntries = options.maxEntries ?? 100;
  const maxConcurrentFetches = options.maxConcurrentFetches ?? 8;
  const entries = new Map<string, Promise<X509Certificate>>();
  let fetching = 0;
  const load = async (url: URL): Promise<X509Certificate> => {
    fetching++;
    let pem: string;
    try {
      pem = await options.fetcher(url);
    } finally {
      fetching--;
    }
    try {
      return new X509Certificate(pem);
    } catch (error) {
      throw new SnsFetchError('rejected', `${url.host} did not return a PEM certificate`, { cause: error });
    }
  };
  return {
    get size() {
      return entries.size;
    },
    publicKey: async (url) => {
      const key = url.href;
      let entry = entries.get(key);
      if (!entry) {
        if (fetching >= maxConcurrentFetches) throw new SnsFetchError('unavailable', `${fetching} certificate fetches already in flight`);
        const pending = load(url);
        entries.set(key, pending);
        pending.catch(() => {
          if (entries.get(key) === pending) entries.delete(key);
        });
        entry = pending;
        while (entries.size > maxEntries) {
          const oldest = entries.keys().next().value;
          if (oldest === undefined) break;
          entries.delete(oldest);
        }
      }
      const certificate = await entry;
      const now = options.clock.now().getTime();
      if (now < Date.parse(certificate.validFrom) || now > Date.parse(certificate.validTo)) {
        entries.delete(key);
        throw new SnsFetchError('rejected', `the certificate at ${url.host} is not valid now (valid ${certificate.validFrom} to ${certificate.validTo})`);
      }
      return certificate.publicKey;
    },
  };
};
