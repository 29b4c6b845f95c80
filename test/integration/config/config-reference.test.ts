// Keeps docs/configuration.md in step with the zod config schema: every key path the schema accepts
// has a row in the doc's key tables and every row names a key the schema still accepts, with the
// schema's defaults and allowed values. Also checks that the examples parse and use documented keys.
// Reads only the repository's files; it never looks at process.env.

import { readdirSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { configSchema } from '../../../src/config/config.schema.ts';
import { missingSecrets, parseConfig, resolveSecrets } from '../../../src/config/load-config.ts';

const DOC = 'docs/configuration.md';

// --- The schema's key paths --------------------------------------------------------------------
// Notation (the doc's): `a.b` for an object key, `queues[]` for an item of a list of objects,
// `kafka.<cluster>` for an entry of a map of objects (any `<…>` placeholder is compared as `<>`).

type Schema = z.core.$ZodType;

/** The zod v4 definition fields this walker reads; `_zod.def` is typed per schema kind. */
interface Def {
  type: string;
  innerType?: Schema;
  in?: Schema;
  getter?: () => Schema;
  shape?: Record<string, Schema>;
  element?: Schema;
  valueType?: Schema;
  options?: Schema[];
  entries?: Record<string, string | number>;
  values?: unknown[];
  defaultValue?: unknown;
}

const defOf = (schema: Schema): Def => schema._zod.def as unknown as Def;

interface Unwrapped {
  inner: Schema;
  optional: boolean;
  hasDefault: boolean;
  defaultValue: unknown;
}

/** Strips optional/default/nullable/pipe/lazy wrappers, remembering the outermost default. */
const unwrap = (schema: Schema): Unwrapped => {
  let inner = schema;
  let optional = false;
  let hasDefault = false;
  let defaultValue: unknown;
  for (;;) {
    const def = defOf(inner);
    if ((def.type === 'default' || def.type === 'prefault') && def.innerType) {
      if (!hasDefault) [hasDefault, defaultValue] = [true, def.defaultValue];
      inner = def.innerType;
    } else if ((def.type === 'optional' || def.type === 'nullable' || def.type === 'readonly' || def.type === 'catch') && def.innerType) {
      optional ||= def.type === 'optional';
      inner = def.innerType;
    } else if (def.type === 'pipe' && def.in) {
      inner = def.in; // the file holds the pipe's input
    } else if (def.type === 'lazy' && def.getter) {
      inner = def.getter();
    } else {
      return { inner, optional, hasDefault, defaultValue };
    }
  }
};

/** The object shapes a schema contributes keys from: an object, or every object of a union. */
const shapesOf = (inner: Schema): Record<string, Schema>[] => {
  const def = defOf(inner);
  if (def.type === 'object' && def.shape) return [def.shape];
  if (def.type === 'union' && def.options) return def.options.flatMap((option) => shapesOf(unwrap(option).inner));
  return [];
};

const hasKeys = (schema: Schema): boolean => shapesOf(unwrap(schema).inner).length > 0;

/** Enum members, literals, booleans (through unions and map values) a key accepts. */
const allowedValues = (inner: Schema): string[] => {
  const def = defOf(inner);
  if (def.type === 'enum' && def.entries) return Object.values(def.entries).map(String);
  if (def.type === 'literal' && def.values) return def.values.map(String);
  if (def.type === 'boolean') return ['true', 'false'];
  if (def.type === 'union' && def.options) return def.options.flatMap((option) => (hasKeys(option) ? [] : allowedValues(unwrap(option).inner)));
  if (def.type === 'record' && def.valueType) return allowedValues(unwrap(def.valueType).inner);
  return [];
};

interface SchemaKey extends Omit<Unwrapped, 'inner'> {
  path: string;
  values: string[];
}

const schemaKeys = (root: Schema): Map<string, SchemaKey> => {
  const keys = new Map<string, SchemaKey>();
  const add = (path: string, unwrapped: Unwrapped) => {
    const values = allowedValues(unwrapped.inner);
    const seen = keys.get(path);
    // A key of several union members (a discriminator, a shared queue key) is one row: merge values.
    if (seen) seen.values = [...new Set([...seen.values, ...values])];
    else keys.set(path, { path, optional: unwrapped.optional, hasDefault: unwrapped.hasDefault, defaultValue: unwrapped.defaultValue, values });
  };
  const visitChildren = (inner: Schema, prefix: string) => {
    for (const shape of shapesOf(inner)) {
      for (const [key, child] of Object.entries(shape)) visit(child, prefix === '' ? key : `${prefix}.${key}`);
    }
  };
  const visit = (schema: Schema, path: string) => {
    const unwrapped = unwrap(schema);
    const def = defOf(unwrapped.inner);
    if (def.type === 'array' && def.element && hasKeys(def.element)) {
      add(`${path}[]`, unwrapped);
      visitChildren(unwrap(def.element).inner, `${path}[]`);
      return;
    }
    if (path !== '') add(path, unwrapped);
    if (def.type === 'record' && def.valueType && hasKeys(def.valueType)) {
      visit(def.valueType, `${path}.<>`);
      return;
    }
    visitChildren(unwrapped.inner, path);
  };
  visit(root, '');
  return keys;
};

// --- The doc's key tables ----------------------------------------------------------------------

interface DocRow {
  key: string;
  line: number;
  type: string;
  default: string;
  allowed: string;
  what: string;
}

const cellsOf = (line: string): string[] =>
  line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim());

const normalizeKey = (key: string): string => key.replace(/<[^>]*>/g, '<>');

/** Rows of every table whose header starts with `key`; the key cell must be one code span. */
const docRows = (text: string): { rows: DocRow[]; malformed: string[] } => {
  const lines = text.split('\n');
  const rows: DocRow[] = [];
  const malformed: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const header = lines[i] ?? '';
    if (!header.startsWith('|') || !/^\|\s*-/.test(lines[i + 1] ?? '') || cellsOf(header)[0] !== 'key') continue;
    const width = cellsOf(header).length;
    for (i += 2; i < lines.length && (lines[i] ?? '').startsWith('|'); i++) {
      const cells = cellsOf(lines[i] ?? '');
      const code = /^`([^`]+)`$/.exec(cells[0] ?? '');
      if (!code?.[1] || cells.length !== width) {
        malformed.push(`line ${i + 1}: ${lines[i]}`);
        continue;
      }
      rows.push({ key: normalizeKey(code[1]), line: i + 1, type: cells[1] ?? '', default: cells[2] ?? '', allowed: cells[3] ?? '', what: cells[4] ?? '' });
    }
  }
  return { rows, malformed };
};

const codeSpans = (cell: string): string[] => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? '');

/** How the doc writes a schema default: primitives as themselves, empty lists and maps as `[]`, `{}`. */
const docDefault = (value: unknown): string | null => {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.length === 0) return '[]';
  if (value !== null && typeof value === 'object' && Object.keys(value).length === 0) return '{}';
  return null; // a non-empty object default: the doc describes it in words
};

const schema = schemaKeys(configSchema);
const docText = readFileSync(DOC, 'utf8');
const doc = docRows(docText);
const docByKey = new Map(doc.rows.map((row) => [row.key, row]));

describe(`${DOC} covers the config schema`, () => {
  it('walks the whole schema (sanity: nested, union, lazy, list and map keys are found)', () => {
    for (const path of ['server.port', 'store.urlEnv', 'kafka.<>.sasl.mechanism', 'queues[].roles.userGroups', 'queues[].replayTarget.stateMachineArn', 'queues[].consumerGroup', 'queues[].escalation.renotifyMinutes.L3', 'logLevel']) {
      expect([...schema.keys()]).toContain(path);
    }
  });

  it('unwraps optional, default, nullable, pipe and lazy, and walks unions, lists and maps of objects', () => {
    const item = z.object({ id: z.string() });
    const synthetic = z.object({
      a: z.object({ b: z.number().default(1), c: z.string().nullable().optional() }).optional(),
      list: z.array(z.discriminatedUnion('kind', [z.object({ kind: z.literal('x'), x: z.string() }), z.object({ kind: z.literal('y'), y: z.lazy(() => item) })])).default([]),
      byName: z.record(z.string(), item.extend({ mode: z.enum(['on', 'off']).default('on') })),
      piped: z.string().pipe(z.string().min(1)).optional(),
    });
    const keys = schemaKeys(synthetic);
    expect([...keys.keys()]).toEqual(['a', 'a.b', 'a.c', 'list[]', 'list[].kind', 'list[].x', 'list[].y', 'list[].y.id', 'byName', 'byName.<>', 'byName.<>.id', 'byName.<>.mode', 'piped']);
    expect(keys.get('list[].kind')?.values).toEqual(['x', 'y']);
    expect(keys.get('byName.<>.mode')).toMatchObject({ hasDefault: true, defaultValue: 'on', values: ['on', 'off'] });
    expect(keys.get('a.c')).toMatchObject({ optional: true, hasDefault: false });
  });

  it('has well-formed key tables', () => {
    expect(doc.malformed, `rows in ${DOC} key tables need a single \`key\` code span and one cell per column`).toEqual([]);
    expect(doc.rows.length).toBeGreaterThan(50);
  });

  it('documents every key path of the schema', () => {
    const missing = [...schema.keys()].filter((path) => !docByKey.has(path));
    expect(missing, `schema keys with no row in ${DOC}`).toEqual([]);
  });

  it('documents no key the schema does not have', () => {
    const stale = doc.rows.filter((row) => !schema.has(row.key)).map((row) => `${row.key} (line ${row.line})`);
    expect(stale, `rows in ${DOC} naming keys the schema no longer accepts`).toEqual([]);
  });

  it('documents each key once', () => {
    const counts = new Map<string, number>();
    for (const row of doc.rows) counts.set(row.key, (counts.get(row.key) ?? 0) + 1);
    expect([...counts].filter(([, n]) => n > 1).map(([key]) => key)).toEqual([]);
  });

  it('gives every row a type and a description', () => {
    const empty = doc.rows.filter((row) => row.type === '' || row.what === '').map((row) => row.key);
    expect(empty).toEqual([]);
  });

  it("states the schema's defaults", () => {
    const wrong: string[] = [];
    for (const key of schema.values()) {
      const row = docByKey.get(key.path);
      if (!row) continue;
      const expected = key.hasDefault ? docDefault(key.defaultValue) : null;
      if (expected !== null && !codeSpans(row.default).includes(expected)) {
        wrong.push(`${key.path}: schema default \`${expected}\`, doc says "${row.default}"`);
      }
      if (key.optional && !key.hasDefault && !row.default.startsWith('—')) {
        wrong.push(`${key.path}: optional without a default, doc says "${row.default}" (expected — …)`);
      }
      if (row.default.includes('required') && (key.optional || key.hasDefault)) {
        wrong.push(`${key.path}: doc says required, the schema does not`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("lists exactly the schema's allowed values for enums, literals and booleans", () => {
    const wrong: string[] = [];
    for (const key of schema.values()) {
      const row = docByKey.get(key.path);
      if (!row || key.values.length === 0) continue;
      const listed = codeSpans(row.allowed);
      const absent = key.values.filter((value) => !listed.includes(value));
      const extra = listed.filter((value) => !key.values.includes(value));
      if (absent.length > 0) wrong.push(`${key.path}: allowed values miss ${absent.join(', ')}`);
      if (extra.length > 0) wrong.push(`${key.path}: allowed values list ${extra.join(', ')}, which the schema does not accept`);
    }
    expect(wrong).toEqual([]);
  });
});

// --- The examples ------------------------------------------------------------------------------

const examples = readdirSync('examples').filter((file) => file.endsWith('.yml'));

/** Environment the examples name: Slack (both transports) and the Alertmanager token. */
const exampleEnv = {
  SLACK_BOT_TOKEN: 'xoxb-test',
  SLACK_SIGNING_SECRET: 'test-signing-secret',
  SLACK_APP_TOKEN: 'xapp-test',
  ALERTMANAGER_TOKEN: 'test-alertmanager-token',
};

/** Keys a YAML document uses that have no row in the doc (doc notation; keys of a map of scalars are data). */
const undocumentedKeys = (data: unknown, documented: ReadonlySet<string>): string[] => {
  const unknown: string[] = [];
  const isMapOfScalars = (path: string) =>
    documented.has(path) && ![...documented].some((key) => key.startsWith(`${path}.`) || key.startsWith(`${path}[]`));
  const walk = (value: unknown, path: string) => {
    if (Array.isArray(value)) {
      if (documented.has(`${path}[]`)) for (const item of value) walk(item, `${path}[]`);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    for (const [key, child] of Object.entries(value)) {
      const exact = path === '' ? key : `${path}.${key}`;
      if (documented.has(exact) || documented.has(`${exact}[]`)) walk(child, exact);
      else if (documented.has(`${path}.<>`)) walk(child, `${path}.<>`);
      else if (!isMapOfScalars(path)) unknown.push(exact);
    }
  };
  walk(data, '');
  return unknown;
};

describe.each(examples)('examples/%s', (file) => {
  const data: unknown = parseYaml(readFileSync(`examples/${file}`, 'utf8'));

  it('passes parseConfig', () => {
    const result = parseConfig(data);
    expect(result.ok ? [] : result.problems).toEqual([]);
  });

  it('needs no secret beyond SLACK_* and ALERTMANAGER_TOKEN', () => {
    const result = parseConfig(data);
    if (!result.ok) throw new Error(`examples/${file} is invalid`);
    expect(missingSecrets(result.config, resolveSecrets(result.config, exampleEnv))).toEqual([]);
  });

  it(`uses only keys documented in ${DOC}, top-level ones included`, () => {
    const documented = new Set(doc.rows.map((row) => row.key));
    const topLevel = Object.keys(data as Record<string, unknown>);
    expect(topLevel.filter((key) => !documented.has(key) && !documented.has(`${key}[]`))).toEqual([]);
    expect(undocumentedKeys(data, documented)).toEqual([]);
  });
});

describe('examples/kafka-runbook.yml secrets', () => {
  it('reports the Alertmanager token by its path when it is not set (as check-config does)', () => {
    const result = parseConfig(parseYaml(readFileSync('examples/kafka-runbook.yml', 'utf8')));
    if (!result.ok) throw new Error('examples/kafka-runbook.yml is invalid');
    const { ALERTMANAGER_TOKEN: _omitted, ...env } = exampleEnv;
    expect(missingSecrets(result.config, resolveSecrets(result.config, env)).map((p) => p.path)).toEqual(['alerts.alertmanager.bearerTokenEnv']);
  });
});
