// The terminal's body edit for a bulk redrive (`--body-file`): a JSON object merged into every body.
// Parses and checks it before any job exists; it does not apply the merge (redrive-batch.ts does).

import { RedriveError } from '../../errors.ts';
import type { JsonObject } from '../../core/model.ts';

/** The JSON object to merge into each replayed body; null when there is no edit. */
export const parseBodyMerge = (text: string | null | undefined): JsonObject | null => {
  if (text === null || text === undefined) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new RedriveError('DLQ_BODY_INVALID', `The body edit is not valid JSON (${error instanceof Error ? error.message : 'parse error'}).`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new RedriveError('DLQ_BODY_INVALID', 'A redrive-batch body edit must be a JSON object to merge into each body.');
  return parsed as JsonObject;
};
