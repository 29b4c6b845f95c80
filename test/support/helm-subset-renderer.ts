// Renders deploy/helm/redrive the way `helm template` does, for the small part of Go templates the
// chart uses: `{{ .Values.a.b }}`, `.Release.Name`, `.Release.Namespace`, `.Chart.Name|Version|AppVersion`,
// the pipeline functions `quote` and `nindent N`, `if`/`else`/`end`, and the `{{-`/`-}}` whitespace
// trims. Anything else (include, toYaml, range, a missing value, a map printed as text) throws, so a
// template that outgrows this renderer fails its test instead of rendering something helm would not.
// No helm binary is installable from a registry here; see README "Deploy".

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

type Scope = Record<string, unknown>;

export interface RenderOptions {
  releaseName?: string;
  namespace?: string;
  /** Deep-merged over values.yaml, like `--set` / `-f`. */
  values?: Scope;
}

const isObject = (v: unknown): v is Scope => typeof v === 'object' && v !== null && !Array.isArray(v);

const merge = (base: Scope, over: Scope): Scope => {
  const out: Scope = { ...base };
  for (const [key, value] of Object.entries(over)) out[key] = isObject(value) && isObject(out[key]) ? merge(out[key], value) : value;
  return out;
};

const lookup = (scope: Scope, path: string, where: string): unknown => {
  if (!path.startsWith('.')) throw new Error(`${where}: unsupported expression "${path}"`);
  let value: unknown = scope;
  for (const part of path.slice(1).split('.')) {
    if (!isObject(value) || !(part in value)) throw new Error(`${where}: ${path} has no value`);
    value = value[part];
  }
  return value;
};

// Go templates' truth: false, 0, nil and empty strings, maps and lists are false.
const truthy = (v: unknown): boolean =>
  !(v === false || v === 0 || v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0) || (isObject(v) && Object.keys(v).length === 0));

const text = (v: unknown, where: string): string => {
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new Error(`${where}: cannot print ${JSON.stringify(v)} as text (helm would print a Go map)`);
};

const evalPipeline = (source: string, scope: Scope, where: string): unknown => {
  const [head = '', ...fns] = source.split('|').map((s) => s.trim());
  let value = lookup(scope, head, where);
  for (const fn of fns) {
    const [name, ...args] = fn.split(/\s+/);
    if (name === 'quote') value = JSON.stringify(text(value, where));
    else if (name === 'nindent' && args.length === 1 && /^\d+$/.test(args[0] ?? '')) {
      const pad = ' '.repeat(Number(args[0]));
      value = `\n${pad}${text(value, where).replaceAll('\n', `\n${pad}`)}`;
    } else throw new Error(`${where}: unsupported function "${fn}"`);
  }
  return value;
};

/** One template file to text. */
export const renderTemplate = (template: string, scope: Scope, where: string): string => {
  const parts = template.split(/(\{\{-?\s*[\s\S]*?\s*-?\}\})/);
  // Whitespace trims first, as Go's lexer does: `{{-` eats the whitespace before, `-}}` the whitespace after.
  for (let i = 1; i < parts.length; i += 2) {
    const action = parts[i] ?? '';
    if (action.startsWith('{{-')) parts[i - 1] = (parts[i - 1] ?? '').replace(/\s+$/, '');
    if (action.endsWith('-}}')) parts[i + 1] = (parts[i + 1] ?? '').replace(/^\s+/, '');
  }
  let out = '';
  // Each open `if`: whether its current branch is emitted.
  const stack: { emitting: boolean; parentEmitting: boolean; taken: boolean }[] = [];
  const emitting = (): boolean => stack.every((s) => s.emitting);
  parts.forEach((part, i) => {
    if (i % 2 === 0) {
      if (emitting()) out += part;
      return;
    }
    const body = part.replace(/^\{\{-?\s*/, '').replace(/\s*-?\}\}$/, '');
    if (body.startsWith('/*')) return;
    const [keyword = '', ...rest] = body.split(/\s+/);
    if (keyword === 'if') {
      const parentEmitting = emitting();
      const value = parentEmitting ? truthy(evalPipeline(rest.join(' '), scope, where)) : false;
      stack.push({ emitting: value, parentEmitting, taken: value });
    } else if (keyword === 'else') {
      const top = stack.at(-1);
      if (!top || rest.length > 0) throw new Error(`${where}: unsupported "${body}"`);
      top.emitting = top.parentEmitting && !top.taken;
    } else if (keyword === 'end') {
      if (!stack.pop()) throw new Error(`${where}: "end" without "if"`);
    } else if (keyword.startsWith('.')) {
      if (emitting()) out += text(evalPipeline(body, scope, where), where);
    } else {
      throw new Error(`${where}: unsupported action "{{ ${body} }}"`);
    }
  });
  if (stack.length > 0) throw new Error(`${where}: "if" without "end"`);
  return out;
};

/** The chart's templates rendered in file order, as `helm template` prints them (`---` and a `# Source:` line each). */
export const renderChart = (chartDir: string, options: RenderOptions = {}): string => {
  const chart = parse(readFileSync(join(chartDir, 'Chart.yaml'), 'utf8')) as Scope;
  const values = merge((parse(readFileSync(join(chartDir, 'values.yaml'), 'utf8')) as Scope | null) ?? {}, options.values ?? {});
  const scope: Scope = {
    Values: values,
    Release: { Name: options.releaseName ?? 'redrive', Namespace: options.namespace ?? 'default', Service: 'Helm' },
    Chart: { Name: chart.name, Version: chart.version, AppVersion: chart.appVersion },
  };
  const files = readdirSync(join(chartDir, 'templates'))
    .filter((f) => /\.ya?ml$/.test(f) && !f.startsWith('_'))
    .sort();
  return files
    .map((file) => ({ file, body: renderTemplate(readFileSync(join(chartDir, 'templates', file), 'utf8'), scope, `templates/${file}`) }))
    .filter(({ body }) => body.trim() !== '')
    .map(({ file, body }) => `---\n# Source: ${String(chart.name)}/templates/${file}\n${body.replace(/^\n+/, '')}`)
    .join('\n');
};
