// Confirms an SNS subscription by GETting its SubscribeURL (after the caller checked the URL's host).
// Injectable so tests and emulators confirm against their own server.

import { getCapped } from './sns-certificate.ts';

/** Visits a checked SubscribeURL; throws when SNS does not answer 2xx. */
export type SubscriptionConfirmer = (url: URL) => Promise<void>;

export const createHttpsSubscriptionConfirmer = (
  options: { timeoutMs?: number; fetch?: typeof globalThis.fetch } = {},
): SubscriptionConfirmer => {
  const settings = { timeoutMs: options.timeoutMs ?? 5_000, maxBytes: 65_536, fetch: options.fetch ?? globalThis.fetch };
  return async (url) => {
    await getCapped(url, settings);
  };
};
