// Value coercion for mapped fields: text, counts, timestamps, URL hosts and the JSON shape of a
// body. Pure and total: odd values give null, never an exception.

export const asText = (value: unknown, maxLength = Number.POSITIVE_INFINITY): string | null => {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return trimmed === '' ? null : trimmed.slice(0, maxLength);
  }
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  return null;
};

export const asCount = (value: unknown): number | null => {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return Math.trunc(value);
  if (typeof value === 'string' && /^\s*\d{1,9}\s*$/.test(value)) return Number.parseInt(value, 10);
  return null;
};

/** ISO 8601 strings and epoch numbers (seconds below 1e11, else milliseconds). */
export const parseTimestamp = (value: unknown): Date | null => {
  let millis: number | null = null;
  if (typeof value === 'number' && Number.isFinite(value)) millis = value < 1e11 ? value * 1000 : value;
  else if (typeof value === 'string') {
    const text = value.trim();
    if (/^\d{9,16}(?:\.\d+)?$/.test(text)) return parseTimestamp(Number(text));
    if (/^\d{4}-\d{2}-\d{2}/.test(text)) millis = Date.parse(text);
  }
  if (millis === null || !Number.isFinite(millis)) return null;
  const date = new Date(millis);
  return Number.isNaN(date.getTime()) ? null : date;
};

// The host of an absolute URL (userinfo and port dropped). A regex, not `new URL`: a scan calls it
// per message and only needs the host for grouping.
const HOST_RE = /^\s*[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#\s]*@)?(\[[^\]/?#\s]*\]|[^:/?#\s]+)/i;
export const hostOf = (url: string): string | null => {
  const host = HOST_RE.exec(url)?.[1];
  return host === undefined ? null : host.toLowerCase();
};

const MAX_SHAPE_KEYS = 30;
const MAX_SHAPE_KEY_LENGTH = 40;

export const typeName = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value === 'object' ? 'object' : typeof value;

/** Sorted top-level keys and their JSON types; capped so a huge object gives a bounded string. */
export const jsonShape = (value: Record<string, unknown>): string => {
  const keys = Object.keys(value).sort();
  const shown = keys.slice(0, MAX_SHAPE_KEYS).map((key) => {
    const name = /^[\w$.-]{1,40}$/.test(key) ? key : JSON.stringify(key.slice(0, MAX_SHAPE_KEY_LENGTH));
    return `${name}:${typeName(value[key])}`;
  });
  if (keys.length > MAX_SHAPE_KEYS) shown.push(`…+${keys.length - MAX_SHAPE_KEYS}`);
  return `{${shown.join(',')}}`;
};
