// Dotted JSON paths (`error.category`, `original_task.url`, `errors.0.message`) read from and written
// to parsed message bodies. Pure; never throws on odd shapes, and writes keep numbers byte-exact.

type JsonContainer = Record<string, unknown> | unknown[];

const isContainer = (value: unknown): value is JsonContainer => value !== null && typeof value === 'object';

const child = (node: unknown, segment: string): unknown => {
  if (Array.isArray(node)) return /^\d+$/.test(segment) ? node[Number(segment)] : undefined;
  if (isContainer(node) && Object.hasOwn(node, segment)) return (node as Record<string, unknown>)[segment];
  return undefined;
};

/** A dotted path split once, with the dotted suffix at each level for flat keys like `"a.b"`. */
export interface CompiledPath {
  path: string;
  segments: readonly string[];
  suffixes: readonly string[];
}

export const compilePath = (path: string): CompiledPath => {
  const segments = path.split('.');
  return { path, segments, suffixes: segments.map((_, i) => segments.slice(i).join('.')) };
};

/**
 * Reads a dotted path. At each level a key that itself contains dots (`"a.b"`) is tried before
 * descending, so flat keys like `"error.category"` resolve too. Missing → undefined.
 */
export const getPath = (root: unknown, path: string | CompiledPath): unknown => {
  const { segments, suffixes } = typeof path === 'string' ? compilePath(path) : path;
  let node = root;
  for (let i = 0; i < segments.length; i += 1) {
    if (i < segments.length - 1 && isContainer(node) && !Array.isArray(node)) {
      const rest = suffixes[i] ?? '';
      if (Object.hasOwn(node, rest)) return (node as Record<string, unknown>)[rest];
    }
    node = child(node, segments[i] ?? '');
    if (node === undefined) return undefined;
  }
  return node;
};

/** Whether the path resolves to a present value (null counts as present). */
export const hasPath = (root: unknown, path: string): boolean => getPath(root, path) !== undefined;

/**
 * Sets a dotted path in place, creating plain objects for missing intermediate levels. Returns false
 * (and changes nothing) when a level exists but is not an object, or an array index is out of range.
 */
export const setPath = (root: Record<string, unknown>, path: string, value: unknown): boolean => {
  const segments = path.split('.');
  let node: JsonContainer = root;
  for (let i = 0; i < segments.length - 1; i += 1) {
    const segment = segments[i] ?? '';
    const next = child(node, segment);
    if (next === undefined || next === null) {
      if (Array.isArray(node)) return false;
      const created: Record<string, unknown> = {};
      node[segment] = created;
      node = created;
    } else if (isContainer(next)) {
      node = next;
    } else {
      return false;
    }
  }
  const last = segments[segments.length - 1] ?? '';
  if (Array.isArray(node)) {
    if (!/^\d+$/.test(last) || Number(last) >= node.length) return false;
    node[Number(last)] = value;
  } else {
    node[last] = value;
  }
  return true;
};

// ES2025 JSON.parse source text access and JSON.rawJSON (Node ≥ 21); not yet in TypeScript's lib.
interface JsonWithRawText {
  parse(text: string, reviver: (key: string, value: unknown, context?: { source?: string }) => unknown): unknown;
  rawJSON(text: string): unknown;
  isRawJSON(value: unknown): boolean;
  stringify(value: unknown): string;
}
const JSON_RAW = JSON as unknown as JsonWithRawText;

/**
 * Parses JSON keeping every number's original text, so `stringifyPreservingNumbers` writes back
 * `12345678901234567890` or `1.0` exactly instead of a rounded double. Throws on invalid JSON.
 */
export const parsePreservingNumbers = (text: string): unknown =>
  JSON_RAW.parse(text, (_key, value, context) =>
    typeof value === 'number' && context?.source !== undefined && String(value) !== context.source
      ? JSON_RAW.rawJSON(context.source)
      : value,
  );

export const stringifyPreservingNumbers = (value: unknown): string => JSON_RAW.stringify(value);

/** Whether a value is a number kept as raw text by `parsePreservingNumbers`. */
export const isRawJson = (value: unknown): boolean => JSON_RAW.isRawJSON(value);
