// The Python linters of scripts/deploy-tools/ (parliament, kubernetes-validate, compose-spec,
// promql-parser) for the deploy tests, and the metric families a running Redrive exports.
// The venv is installed once by test/deploy/global-setup.ts; here the script only prints its python.

import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

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
