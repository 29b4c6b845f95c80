// Vitest global setup for the integration and e2e projects: runs `scripts/services.sh up` (which
// reuses running services and installs what is missing) and provides their endpoints as `services`.
// With CI=true a service that cannot start fails the run; elsewhere the tests skip with a loud note.
// It never stops the services: they are reused across runs (`scripts/services.sh down` stops them).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import type { ServiceEndpoints } from '../support/services.ts';

const script = fileURLToPath(new URL('../../scripts/services.sh', import.meta.url));
// A cold start downloads Kafka, ElasticMQ and moto; a warm one takes about a second.
const upTimeoutMs = 15 * 60_000;

type ScriptResult = { code: number | null; stdout: string; stderr: string };

/** Runs the script; its progress lines (stderr) are shown as they come. */
function runScript(args: string[], timeoutMs: number): Promise<ScriptResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      process.stderr.write(chunk);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Reads the `export NAME='value'` lines of `scripts/services.sh env`. */
function parseExports(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^export ([A-Z0-9_]+)='([^']*)'$/.exec(line.trim());
    if (match?.[1] !== undefined && match[2] !== undefined) values.set(match[1], match[2]);
  }
  return values;
}

function toEndpoints(values: Map<string, string>): ServiceEndpoints {
  const get = (name: string): string => {
    const value = values.get(name);
    if (value === undefined) throw new Error(`scripts/services.sh env printed no ${name}`);
    return value;
  };
  return {
    kafka: { brokers: get('REDRIVE_KAFKA_BROKERS').split(',') },
    sqs: {
      endpoint: get('REDRIVE_SQS_ENDPOINT'),
      region: get('REDRIVE_SQS_REGION'),
      accountId: get('REDRIVE_SQS_ACCOUNT_ID'),
    },
    moto: { endpoint: get('REDRIVE_MOTO_ENDPOINT'), region: get('REDRIVE_MOTO_REGION') },
    postgres: { url: get('REDRIVE_POSTGRES_URL') },
  };
}

async function startServices(): Promise<ServiceEndpoints> {
  const up = await runScript(['up'], upTimeoutMs);
  if (up.code !== 0) {
    const reason = up.stderr.trim().split('\n').slice(-20).join('\n');
    throw new Error(`scripts/services.sh up failed (exit ${up.code ?? 'timeout'}):\n${reason}`);
  }
  const env = await runScript(['env'], 30_000);
  if (env.code !== 0) throw new Error(`scripts/services.sh env failed:\n${env.stderr}`);
  return toEndpoints(parseExports(env.stdout));
}

export default async function setup(project: TestProject): Promise<void> {
  const ci = process.env.CI === 'true' || process.env.CI === '1';
  try {
    project.provide('services', await startServices());
  } catch (error) {
    if (ci) throw error;
    const message = error instanceof Error ? error.message : String(error);
    const bar = '!'.repeat(78);
    process.stderr.write(
      `\n${bar}\n  Real services unavailable: the ${project.name} tests that need them are SKIPPED.\n` +
        `  Start them with:  scripts/services.sh up   (CI=true turns this into a failure)\n\n` +
        `${message.replace(/^/gm, '  ')}\n${bar}\n\n`,
    );
    project.provide('services', null);
  }
}
