// Which DLQ messages a filtered bulk replay takes: by error category, URL domain, error signature and
// age, read through the queue's field mapping and the analyzer's own signature code, so a filter
// copied from an `analyze` answer selects exactly that group. Pure: the caller passes `now`.

import { mapDlqMessage, type FieldMapping, type MessageEnvelope } from './field-mapping.ts';
import { errorSignature, messageSignature } from './error-signature.ts';

export interface ReplayFilter {
  /** Lower-cased error category (`permanent`, `transient`, ...). */
  category: string | null;
  /** A host: matches it and its subdomains. */
  domain: string | null;
  /** Part of the error signature (case-insensitive), or an error text that normalises to it. */
  signature: string | null;
  /** Only messages that failed (mapped failedAt, else DLQ entry time) at least this long ago. */
  olderThanSeconds: number | null;
}

export const NO_FILTER: ReplayFilter = { category: null, domain: null, signature: null, olderThanSeconds: null };

export const isFiltered = (filter: ReplayFilter | null | undefined): filter is ReplayFilter =>
  !!filter && (filter.category !== null || filter.domain !== null || filter.signature !== null || filter.olderThanSeconds !== null);

/** One line for replies and audit records: `category=transient domain=example.com`. */
export const describeFilter = (filter: ReplayFilter | null | undefined): string | null => {
  if (!isFiltered(filter)) return null;
  const parts: string[] = [];
  if (filter.category !== null) parts.push(`category=${filter.category}`);
  if (filter.domain !== null) parts.push(`domain=${filter.domain}`);
  if (filter.signature !== null) parts.push(`signature~"${filter.signature}"`);
  if (filter.olderThanSeconds !== null) parts.push(`older than ${filter.olderThanSeconds}s`);
  return parts.join(' ');
};

const sameOrSubdomain = (host: string, domain: string): boolean => host === domain || host.endsWith(`.${domain}`);

/** True when the message passes every part of the filter; a message missing a filtered field does not. */
export const matchesReplayFilter = (message: MessageEnvelope, mapping: FieldMapping, filter: ReplayFilter, now: Date): boolean => {
  if (!isFiltered(filter)) return true;
  const mapped = mapDlqMessage(message, mapping);
  if (filter.category !== null && mapped.errorCategory !== filter.category.toLowerCase()) return false;
  if (filter.domain !== null && (mapped.domain === null || !sameOrSubdomain(mapped.domain, filter.domain.toLowerCase()))) return false;
  if (filter.signature !== null) {
    // Either words of the signature as `analyze` shows it, or an error text that normalises into it.
    const signature = messageSignature(mapped).toLowerCase();
    const wanted = filter.signature.trim();
    if (!signature.includes(wanted.toLowerCase()) && !signature.includes(errorSignature(wanted).toLowerCase())) return false;
  }
  if (filter.olderThanSeconds !== null) {
    if (mapped.failedAt === null) return false;
    if (now.getTime() - mapped.failedAt.getTime() < filter.olderThanSeconds * 1000) return false;
  }
  return true;
};

/** `90s`, `30m`, `2h`, `7d` (or a bare number of seconds) → seconds; null when it is not one. */
export const parseDuration = (text: string): number | null => {
  const match = /^(\d+(?:\.\d+)?)(s|m|h|d)?$/i.exec(text.trim());
  if (!match) return null;
  const value = Number(match[1]);
  const unit = (match[2] ?? 's').toLowerCase();
  const seconds = value * (unit === 'd' ? 86_400 : unit === 'h' ? 3_600 : unit === 'm' ? 60 : 1);
  return Number.isFinite(seconds) && seconds > 0 ? Math.round(seconds) : null;
};
