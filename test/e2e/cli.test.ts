// The terminal entry point as a user runs it: check-config, migrate, serve on the example config.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runRedrive, serveRedrive } from '../support/run-redrive.ts';

const tempDir = () => mkdtempSync(join(tmpdir(), 'redrive-cli-'));

describe('redrive check-config', () => {
  it('accepts each example config', async () => {
    for (const file of ['examples/sqs-runbook.yml', 'examples/kafka-runbook.yml']) {
      const result = await runRedrive(['check-config', '--config', file], { env: { ALERTMANAGER_TOKEN: 't' } });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/OK — 1 queue\(s\)/);
    }
  });

  it('prints every problem with its path and line and exits non-zero', async () => {
    const dir = tempDir();
    const file = join(dir, 'bad.yml');
    writeFileSync(
      file,
      ['queues:', '  - name: q', '    kind: sqs', '    queueUrl: https://sqs.us-east-1.amazonaws.com/1/q', '    escalation:', '      preset: sqs-runbook', '      l2Depth: lots', 'server:', '  port: -1'].join('\n'),
    );
    const result = await runRedrive(['check-config', '--config', file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${file}:7: queues[0].escalation.l2Depth: Invalid input: expected number, received string`);
    expect(result.stderr).toMatch(/bad\.yml:9: server\.port: .*>=0/);
    expect(result.stderr).toMatch(/2 problems/);
  });

  it('names the missing secret', async () => {
    const result = await runRedrive(['check-config', '--config', 'examples/kafka-runbook.yml'], { env: { ALERTMANAGER_TOKEN: '' } });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/alerts\.alertmanager\.bearerTokenEnv: environment variable ALERTMANAGER_TOKEN is not set/);
  });

  it('says which file it cannot read', async () => {
    const result = await runRedrive(['check-config', '--config', '/nonexistent/redrive.yml']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/CONFIG_NOT_FOUND: Cannot read config file \/nonexistent\/redrive\.yml/);
  });

  it('answers unknown commands with usage', async () => {
    const result = await runRedrive(['frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Unknown command "frobnicate"[\s\S]*Usage: redrive/);
  });
});

describe('redrive serve', () => {
  it('starts on the example config, answers /healthz and /readyz, writes its SQLite file, stops on SIGTERM', async () => {
    const dir = tempDir();
    const dbPath = join(dir, 'data', 'redrive.db');
    const config = join(dir, 'redrive.yml');
    writeFileSync(config, `server: {port: 0}\nstore: {kind: sqlite, path: ${dbPath}}\n`);
    const server = await serveRedrive(['--config', config], { env: { SLACK_BOT_TOKEN: '', SLACK_SIGNING_SECRET: '' } });
    try {
      const health = await fetch(`${server.url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      const ready = await fetch(`${server.url}/readyz`);
      expect(await ready.json()).toMatchObject({ status: 'ready', store: 'ok', slack: 'none' });
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      expect(metrics).toMatch(/redrive_process_/);
      expect((await fetch(`${server.url}/nope`)).status).toBe(404);
      expect(existsSync(dbPath)).toBe(true);
      expect(server.output()).toMatch(/Slack is not configured/);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it('runs `migrate` idempotently', async () => {
    const dir = tempDir();
    const config = join(dir, 'redrive.yml');
    writeFileSync(config, `store: {kind: sqlite, path: ${join(dir, 'r.db')}}\n`);
    expect((await runRedrive(['migrate', '--config', config])).code).toBe(0);
    const again = await runRedrive(['migrate', '--config', config]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/Migrations applied/);
  });
});
