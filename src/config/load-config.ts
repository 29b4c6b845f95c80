// Reads the YAML config file, validates it against the schema, and reports every problem with its
// path in the file (and line). Also resolves the secrets the config names from a given environment.
// It never reads process.env itself: bootstrap passes the environment in (main.ts hands it over).

import { readFileSync } from 'node:fs';
import { isMap, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import type { z } from 'zod';
import { RedriveError } from '../errors.ts';
import { configSchema, type Config } from './config.schema.ts';

export interface ConfigProblem {
  /** e.g. `queues[2].escalation.l2Depth` */
  path: string;
  message: string;
  line: number | null;
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: ConfigProblem[] };

export const formatPath = (path: readonly PropertyKey[]): string =>
  path.reduce<string>((out, key) => {
    if (typeof key === 'number') return `${out}[${key}]`;
    const name = String(key);
    return out === '' ? name : `${out}.${name}`;
  }, '');

const lineOf = (doc: ReturnType<typeof parseDocument>, counter: LineCounter, path: readonly PropertyKey[]): number | null => {
  // Walk as deep as the path exists in the document; report the deepest node's line.
  let node: unknown = doc.contents;
  let found: YamlNode | null = (doc.contents as YamlNode | null) ?? null;
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => String((item.key as { value?: unknown })?.value) === String(key));
      if (!pair) break;
      found = (pair.key as YamlNode) ?? found;
      node = pair.value;
      if (pair.value && typeof pair.value === 'object' && 'range' in pair.value) found = pair.value as YamlNode;
    } else if (isSeq(node) && typeof key === 'number') {
      const item = node.items[key];
      if (!item) break;
      node = item;
      found = item as YamlNode;
    } else break;
  }
  const offset = found?.range?.[0];
  return offset === undefined ? null : counter.linePos(offset).line;
};

const describeIssue = (issue: z.core.$ZodIssue): string => {
  if (issue.code === 'unrecognized_keys') return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  return issue.message;
};

/** Validates already-parsed data (used by tests and by the embedded defaults). */
export const parseConfig = (data: unknown, overrides?: ConfigOverrides): ConfigResult => {
  const result = configSchema.safeParse(applyOverrides(data ?? {}, overrides));
  if (result.success) return { ok: true, config: result.data };
  return {
    ok: false,
    problems: noteOverrides(result.error.issues.map((issue) => ({ path: formatPath(issue.path), message: describeIssue(issue), line: null })), overrides),
  };
};

/**
 * Settings given outside the file (`redrive serve --port`, `PORT`), applied before validation so the
 * schema checks them too; `from` names where each came from in a problem.
 */
export interface ConfigOverrides {
  serverPort?: { value: string; from: string };
}

const applyOverrides = (data: unknown, overrides: ConfigOverrides | undefined): unknown => {
  const port = overrides?.serverPort;
  if (!port) return data;
  const root = data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
  const server = root.server && typeof root.server === 'object' && !Array.isArray(root.server) ? (root.server as Record<string, unknown>) : {};
  // A number when it is one, else the text itself, so the schema's message says what was wrong.
  const value = /^\s*\d+\s*$/.test(port.value) ? Number(port.value) : port.value;
  return { ...root, server: { ...server, port: value } };
};

const noteOverrides = (problems: ConfigProblem[], overrides: ConfigOverrides | undefined): ConfigProblem[] =>
  problems.map((p) => (overrides?.serverPort && p.path === 'server.port' ? { ...p, message: `${p.message} (from ${overrides.serverPort.from})`, line: null } : p));

/** Parses YAML text; problems carry the line where the offending value sits. */
export const parseConfigText = (text: string, overrides?: ConfigOverrides): ConfigResult => {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((error) => ({
        path: '(yaml)',
        message: error.message.split('\n')[0] ?? 'invalid YAML',
        // prettyErrors is off (messages stay one line), so the line comes from the error's offset.
        line: error.linePos?.[0]?.line ?? (error.pos?.[0] === undefined ? null : counter.linePos(error.pos[0]).line),
      })),
    };
  }
  const result = configSchema.safeParse(applyOverrides(doc.toJS() ?? {}, overrides));
  if (result.success) return { ok: true, config: result.data };
  return {
    ok: false,
    problems: noteOverrides(
      result.error.issues.map((issue) => ({
        path: formatPath(issue.path),
        message: describeIssue(issue),
        line: lineOf(doc, counter, issue.path),
      })),
      overrides,
    ),
  };
};

export const loadConfigFile = (path: string, overrides?: ConfigOverrides): ConfigResult => {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new RedriveError('CONFIG_NOT_FOUND', `Cannot read config file ${path}.`, { cause: error, context: { path } });
  }
  return parseConfigText(text, overrides);
};

export const formatProblems = (file: string, problems: ConfigProblem[]): string =>
  problems.map((p) => `${file}${p.line === null ? '' : `:${p.line}`}: ${p.path || '(root)'}: ${p.message}`).join('\n');

/** Secrets named by the config, read from the given environment. Absent ones are undefined. */
export interface Secrets {
  slackBotToken?: string;
  slackSigningSecret?: string;
  slackAppToken?: string;
  databaseUrl?: string;
  alertmanagerBearerToken?: string;
  alertmanagerBasicUser?: string;
  alertmanagerBasicPassword?: string;
  kafkaSasl: Record<string, { username?: string; password?: string }>;
}

export const resolveSecrets = (config: Config, env: Record<string, string | undefined>): Secrets => {
  const read = (name: string | undefined): string | undefined => (name && env[name] ? env[name] : undefined);
  const am = config.alerts.alertmanager;
  const kafkaSasl: Secrets['kafkaSasl'] = {};
  for (const [cluster, settings] of Object.entries(config.kafka)) {
    if (settings.sasl) kafkaSasl[cluster] = { username: read(settings.sasl.usernameEnv), password: read(settings.sasl.passwordEnv) };
  }
  return {
    slackBotToken: read(config.slack.botTokenEnv),
    slackSigningSecret: read(config.slack.signingSecretEnv),
    slackAppToken: read(config.slack.appTokenEnv),
    databaseUrl: config.store.kind === 'postgres' ? read(config.store.urlEnv) : undefined,
    alertmanagerBearerToken: read(am.bearerTokenEnv),
    alertmanagerBasicUser: read(am.basicAuthUserEnv),
    alertmanagerBasicPassword: read(am.basicAuthPasswordEnv),
    kafkaSasl,
  };
};

/** Secrets the config makes mandatory; each missing one is a problem with the env var's name. */
export const missingSecrets = (config: Config, secrets: Secrets): ConfigProblem[] => {
  const problems: ConfigProblem[] = [];
  if (config.store.kind === 'postgres' && !secrets.databaseUrl) {
    problems.push({ path: 'store.urlEnv', message: `environment variable ${config.store.urlEnv} is not set`, line: null });
  }
  const am = config.alerts.alertmanager;
  if (am.bearerTokenEnv && !secrets.alertmanagerBearerToken) {
    problems.push({ path: 'alerts.alertmanager.bearerTokenEnv', message: `environment variable ${am.bearerTokenEnv} is not set`, line: null });
  }
  for (const [cluster, settings] of Object.entries(config.kafka)) {
    if (settings.sasl && !secrets.kafkaSasl[cluster]?.username) {
      problems.push({ path: `kafka.${cluster}.sasl.usernameEnv`, message: `environment variable ${settings.sasl.usernameEnv} is not set`, line: null });
    }
    if (settings.sasl && !secrets.kafkaSasl[cluster]?.password) {
      problems.push({ path: `kafka.${cluster}.sasl.passwordEnv`, message: `environment variable ${settings.sasl.passwordEnv} is not set`, line: null });
    }
  }
  return problems;
};

/** Which Slack transport the secrets allow: none means run without Slack (local console later). */
export const slackTransport = (config: Config, secrets: Secrets): 'http' | 'socket' | 'none' => {
  if (!secrets.slackBotToken) return 'none';
  if (config.slack.mode === 'socket') return secrets.slackAppToken ? 'socket' : 'none';
  return secrets.slackSigningSecret ? 'http' : 'none';
};
