// The Python linters of scripts/deploy-tools/ (parliament, kubernetes-validate, compose-spec,
// promql-parser) for the deploy tests, and the metric families a running Redrive exports.
// The venv is installed once by test/deploy/global-setup.ts; here the script only prints its python.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { serveRedrive, type ServingRedrive } from './run-redrive.ts';

export const ROOT = join(import.meta.dirname, '..', '..');

let python: string | null = null;

const deployPython = (): string => {
  python ??= execFileSync('bash', [join(ROOT, 'scripts/deploy-tools.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  return python;
};

/** Runs `scripts/deploy-tools/check.py <args>` with `input` on stdin and parses its JSON answer. */
export const runDeployCheck = <T>(args: string[], input = ''): T =>
  JSON.parse(execFileSync(deployPython(), [join(ROOT, 'scripts/deploy-tools/check.py'), ...args], { input, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 })) as T;

/** `# TYPE name type` lines of a Prometheus text exposition: metric family name -> type. */
export const metricFamilies = (exposition: string): Map<string, string> => {
  const families = new Map<string, string>();
  for (const match of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) families.set(match[1] ?? '', match[2] ?? '');
  return families;
};

/** The family a sample name belongs to: histograms and summaries export _bucket, _sum and _count series. */
export const familyOf = (sample: string, families: ReadonlyMap<string, string>): string | null => {
  if (families.has(sample)) return sample;
  const base = sample.replace(/_(bucket|sum|count)$/, '');
  return base !== sample && ['histogram', 'summary'].includes(families.get(base) ?? '') ? base : null;
};

/** `redrive serve` on SQLite in a temporary directory, loopback port 0, no Slack: health and metrics only. */
export const serveLocalRedrive = (prefix: string): Promise<ServingRedrive> => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  writeFileSync(join(dir, 'redrive.yml'), `server: {host: 127.0.0.1, port: 0}\nstore: {kind: sqlite, path: ${join(dir, 'redrive.db')}}\n`);
  return serveRedrive(['--config', join(dir, 'redrive.yml')], { cwd: dir, env: { SLACK_BOT_TOKEN: '', SLACK_SIGNING_SECRET: '', SLACK_APP_TOKEN: '' } });
};

/** One local Redrive for the enclosing suite (started before its tests, stopped after); call the getter inside a test. */
export const useLocalRedrive = (prefix: string): (() => ServingRedrive) => {
  let redrive: ServingRedrive | null = null;
  beforeAll(async () => {
    redrive = await serveLocalRedrive(prefix);
  });
  afterAll(async () => {
    await redrive?.stop();
  });
  return () => {
    if (!redrive) throw new Error('the local Redrive is not running');
    return redrive;
  };
};

/** Every .ts / .js file under a directory of the project. */
export const sourceFiles = (dir: string): string[] =>
  readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((path) => /\.(ts|js)$/.test(path))
    .map((path) => join(ROOT, dir, path));

/** The Dockerfile's HEALTHCHECK command in exec form (the argv after CMD). */
export const dockerfileHealthcheck = (): string[] => {
  const text = readFileSync(join(ROOT, 'Dockerfile'), 'utf8').replace(/\\\n/g, ' ');
  return JSON.parse(/^HEALTHCHECK .*?\bCMD (\[.*\])$/m.exec(text)?.[1] ?? '[]') as string[];
};
