// What a person (or a script) at a terminal gets from the real `bin/redrive`: plain text without Slack
// formatting, `--json` on every `redrive dlq` subcommand, `redrive dlq <op> --help`, YAML syntax errors
// with their line, and a busy port that says so and how to pick another. The queue is a Kafka topic on
// the real broker.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DLQ_OPS, type DlqOp } from '../../src/core/command/parse-dlq-command.ts';
import { downloadDlqBodyJson, RUNBOOK_EXAMPLES } from '../fixtures/download-dlq-body.ts';
import { KafkaTestBench, services, writeKafkaQueueConfig } from '../integration/kafka/kafka-test-env.ts';
import { runRedrive, serveRedrive } from '../support/run-redrive.ts';
import { uniqueName } from '../support/services.ts';

const QUEUE = 'downloads-dlq';
const env = { LOG_LEVEL: 'error' };
/** Slack formatting: emoji codes, *bold*, code fences, <url|text> links and mentions. */
const MRKDWN = /(^|\s):[a-z0-9_+-]+:(\s|$)|(^|\s)\*[^*\s][^*\n]*\*|```|<(https?:|@|!|#)[^>]*>|&lt;|&gt;/m;

const tempDir = () => mkdtempSync(join(tmpdir(), 'redrive-cli-output-'));

describe('redrive dlq <op> --help and configuration errors (no services)', () => {
  it('prints one subcommand\'s usage and options, and exits 0', async () => {
    const peek = await runRedrive(['dlq', 'peek', '--help']);
    expect(peek.code).toBe(0);
    expect(peek.stdout).toMatch(/^Usage: redrive dlq peek <queue> \[--count N\]/);
    expect(peek.stdout).toContain('show messages without consuming them');
    const batch = await runRedrive(['dlq', 'resolve-batch', '-h']);
    expect(batch.code).toBe(0);
    expect(batch.stdout).toMatch(/^Usage: redrive dlq resolve-batch <queue>/);
    expect(batch.stdout).toMatch(/--replayed-before\s+only messages Redrive replayed before T/);
    expect(batch.stdout).not.toMatch(MRKDWN);
    const json = await runRedrive(['dlq', 'redrive-batch', '--help', '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, op: 'help', result: { op: 'redrive-batch', options: { count: expect.any(String), 'older-than': expect.any(String) } } });
    const all = await runRedrive(['dlq', 'help']);
    expect(all.stdout).not.toMatch(MRKDWN);
    for (const op of Object.keys(DLQ_OPS)) expect(all.stdout).toContain(`redrive dlq ${op}`);
  });

  it('keeps the line of a YAML syntax error, in check-config and in serve', async () => {
    const dir = tempDir();
    const file = join(dir, 'broken.yml');
    writeFileSync(file, ['server:', '  port: 0', 'store: {kind: sqlite, path: x.db', 'queues: []'].join('\n'));
    const check = await runRedrive(['check-config', '--config', file]);
    expect(check.code).toBe(1);
    expect(check.stderr).toMatch(new RegExp(`${file.replace(/[.]/g, '\\.')}:[34]: \\(yaml\\): `));
    const serve = await runRedrive(['serve', '--config', file]);
    expect(serve.code).toBe(1);
    expect(serve.stderr).toMatch(/broken\.yml:[34]: \(yaml\): /);
    rmSync(dir, { recursive: true, force: true });
  });

  it('a busy port says so and how to pick another; --port and PORT are validated like the config', async () => {
    const dir = tempDir();
    const config = join(dir, 'redrive.yml');
    writeFileSync(config, `server: {port: 0}\nstore: {kind: sqlite, path: ${join(dir, 'r.db')}}\n`);
    const busy: Server = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as { port: number }).port;
    try {
      const clash = await runRedrive(['serve', '--config', config, '--port', String(port)], { env: { SLACK_BOT_TOKEN: '' } });
      expect(clash.code).toBe(1);
      expect(clash.stderr).toContain(`SERVER_PORT_UNAVAILABLE: Port ${port} on 127.0.0.1 is already in use`);
      expect(clash.stderr).toMatch(/redrive serve --port \d+ \(or the PORT environment variable/);
      const viaEnv = await runRedrive(['serve', '--config', config], { env: { SLACK_BOT_TOKEN: '', PORT: String(port) } });
      expect(viaEnv.code).toBe(1);
      expect(viaEnv.stderr).toContain(`Port ${port} on 127.0.0.1 is already in use`);
      const bad = await runRedrive(['serve', '--config', config, '--port', 'eighty'], { env: { SLACK_BOT_TOKEN: '' } });
      expect(bad.code).toBe(1);
      expect(bad.stderr).toMatch(/server\.port: .*expected number.*\(from --port\)/);
      const tooBig = await runRedrive(['serve', '--config', config], { env: { SLACK_BOT_TOKEN: '', PORT: '70000' } });
      expect(tooBig.stderr).toMatch(/server\.port: .*65535 \(from the PORT environment variable\)/);
    } finally {
      busy.close();
    }
    // PORT picks the port when it is free (here: the one just released).
    const server = await serveRedrive(['--config', config], { env: { SLACK_BOT_TOKEN: '', PORT: String(port) } });
    try {
      expect(server.url).toBe(`http://127.0.0.1:${port}`);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    } finally {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe.skipIf(!services)('redrive dlq output on a Kafka DLQ: plain text, and --json on every subcommand', () => {
  let bench: KafkaTestBench;
  let dlqTopic: string;
  let group: string;
  let configPath: string;
  let dir: string;
  const traces = [uniqueName('evt-timeout'), uniqueName('evt-expired'), uniqueName('evt-filetype')];
  const run = (...args: string[]) => runRedrive(['dlq', ...args, '--config', configPath], { env, timeoutMs: 45_000 });

  beforeAll(async () => {
    bench = await new KafkaTestBench().connect();
    dlqTopic = await bench.createTopic('e2e-cli-output-dlq');
    const replayTopic = await bench.createTopic('e2e-cli-output-pending');
    group = uniqueName('e2e-cli-output');
    const failedAt = new Date(Date.now() - 9 * 24 * 3_600_000);
    await bench.produce(dlqTopic, [
      { key: traces[0], value: downloadDlqBodyJson({ ...RUNBOOK_EXAMPLES.timeout, traceId: traces[0] ?? '', failedAt }) },
      { key: traces[1], value: downloadDlqBodyJson({ ...RUNBOOK_EXAMPLES.expiredUrl, traceId: traces[1] ?? '', failedAt }) },
      { key: traces[2], value: downloadDlqBodyJson({ ...RUNBOOK_EXAMPLES.fileType, traceId: traces[2] ?? '', failedAt }) },
    ]);
    dir = tempDir();
    configPath = writeKafkaQueueConfig(dir, { name: QUEUE, topic: dlqTopic, group, replayTopic });
  });
  afterAll(async () => {
    await bench?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('prints plain text: no emoji codes, *bold*, code fences or Slack links', async () => {
    for (const args of [['status'], ['peek', QUEUE], ['view', QUEUE, '0:1'], ['analyze', QUEUE], ['report'], ['jobs'], ['audit'], ['history', QUEUE]]) {
      const out = await run(...args);
      expect(out.code, `${args.join(' ')}: ${out.stderr}`).toBe(0);
      expect(out.stdout.trim(), args.join(' ')).not.toBe('');
      expect(out.stdout, args.join(' ')).not.toMatch(MRKDWN);
    }
    // Errors too: the hint's command is not in Slack code quotes.
    const unknown = await run('peek', 'nope-dlq');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^redrive: QUEUE_UNKNOWN: .*\(redrive dlq status lists them\)\.$/m);
  }, 120_000);

  it('--json answers every subcommand with one JSON document: {ok, op, result, text} or {ok: false, op, error}', async () => {
    // Each subcommand once, in an order that leaves something for the next (monitor runs until Ctrl-C: left out).
    const calls: [DlqOp, string[], boolean][] = [
      ['help', ['help'], true],
      ['status', ['status', QUEUE], true],
      ['peek', ['peek', QUEUE, '--count', '10'], true],
      ['view', ['view', QUEUE, traces[1] ?? ''], true],
      ['analyze', ['analyze', QUEUE], true],
      ['history', ['history', QUEUE, '--hours', '1'], true],
      ['replay', ['replay', QUEUE, '0:0'], true],
      ['resolve', ['resolve', QUEUE, '0:1', '--reason', 'expired'], true],
      ['redrive-batch', ['redrive-batch', QUEUE, '--count', '1'], true],
      ['redrive-all', ['redrive-all', QUEUE, '--rate', '50'], true],
      ['resolve-batch', ['resolve-batch', QUEUE, '--replayed-before', 'now', '--reason', 'reprocessed'], true],
      ['re-execute', ['re-execute', QUEUE, '0:2'], false],
      ['stop-monitor', ['stop-monitor', QUEUE], true],
      ['report', ['report', '--days', '1'], true],
      ['alarms', ['alarms', QUEUE], false],
      ['audit', ['audit', traces[1] ?? ''], true],
      ['jobs', ['jobs', QUEUE], true],
      ['cancel', ['cancel', 'no-such-job'], false],
      ['resume', ['resume', QUEUE, 'no-such-job'], false],
      ['approve', ['approve', QUEUE, 'no-such-request'], false],
      ['reject', ['reject', QUEUE, 'no-such-request'], false],
    ];
    const covered = new Set(calls.map(([op]) => op));
    expect([...Object.keys(DLQ_OPS)].filter((op) => !covered.has(op as DlqOp))).toEqual(['monitor']);
    const results = new Map<DlqOp, Record<string, unknown>>();
    for (const [op, args, ok] of calls) {
      const out = await run(...args, '--json');
      const doc = JSON.parse(out.stdout) as Record<string, unknown>;
      expect(doc, `${args.join(' ')}: ${out.stdout}`).toMatchObject({ ok, op });
      expect(out.code).toBe(ok ? 0 : 1);
      if (ok) expect(Object.keys(doc).sort()).toEqual(['ok', 'op', 'result', 'text']);
      else expect(doc.error).toMatchObject({ code: expect.stringMatching(/^[A-Z_]+$/), message: expect.any(String), retriable: expect.any(Boolean) });
      results.set(op, doc);
    }
    const result = (op: DlqOp) => results.get(op)?.result as Record<string, unknown>;
    expect((result('status').queues as { status: { queue: string; depth: number } }[])[0]?.status).toMatchObject({ queue: QUEUE, depth: 3 });
    const peeked = result('peek').messages as { messageKey: string; fields: { traceId: string; errorCategory: string }; body: string }[];
    expect(peeked.map((m) => m.messageKey)).toEqual(['0:0', '0:1', '0:2']);
    expect(peeked[0]?.fields).toMatchObject({ traceId: traces[0], errorCategory: 'transient' });
    // Redacted like the text: the presigned URL's signature never reaches stdout.
    expect(JSON.stringify(results.get('peek'))).not.toContain('abc123def456');
    expect(result('replay')).toMatchObject({ messageKey: '0:0', removed: false });
    expect(result('resolve')).toMatchObject({ messageKey: '0:1', reason: 'expired', removed: true });
    expect(result('resolve-batch')).toMatchObject({ job: { kind: 'resolve-batch', status: 'succeeded' }, done: expect.any(Number), failed: [] });
    expect((results.get('re-execute')?.error as { code: string }).code).toBe('DLQ_OPERATION_UNSUPPORTED');
    expect((results.get('cancel')?.error as { code: string }).code).toBe('JOB_NOT_FOUND');
    expect((result('audit').records as { action: string }[]).map((r) => r.action)).toContain('resolve');
    expect((result('jobs').jobs as { job: { kind: string } }[]).map((j) => j.job.kind)).toEqual(expect.arrayContaining(['redrive-batch', 'resolve-batch']));
    // Errors before any operation, as JSON too: an unknown queue, a bad option.
    const unknown = await run('peek', 'nope-dlq', '--json');
    expect(unknown.code).toBe(1);
    expect(JSON.parse(unknown.stdout)).toMatchObject({ ok: false, op: 'peek', error: { code: 'QUEUE_UNKNOWN', message: expect.stringContaining('known: downloads-dlq') } });
    const usage = await run('peek', QUEUE, '--count', 'lots', '--json');
    expect(usage.code).toBe(2);
    expect(JSON.parse(usage.stdout)).toMatchObject({ ok: false, op: 'peek', error: { code: 'CLI_USAGE' }, usage: expect.stringContaining('Usage: redrive dlq peek') });
  }, 240_000);
});
