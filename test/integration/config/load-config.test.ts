import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfigFile, missingSecrets, parseConfigText, resolveSecrets, slackTransport } from '../../../src/config/load-config.ts';

const examples = readdirSync('examples').filter((f) => f.endsWith('.yml'));

describe('config examples', () => {
  it.each(examples)('%s is valid', (file) => {
    const result = loadConfigFile(`examples/${file}`);
    expect(result.ok ? [] : result.problems).toEqual([]);
  });
});

describe('parseConfigText', () => {
  it('reports every problem with its path and line', () => {
    const text = [
      'queues:',
      '  - name: a',
      '    kind: sqs',
      '    queueUrl: http://127.0.0.1:9324/000000000000/a',
      '  - name: b',
      '    kind: kafka',
      '    topic: t',
      '    consumerGroup: g',
      '    replayTopic: r',
      '  - name: c',
      '    kind: sqs',
      '    queueUrl: not a url',
      '    escalation:',
      '      preset: sqs-runbook',
      '      l2Depth: lots',
      'server:',
      '  port: 99999',
      'colour: blue',
    ].join('\n');
    const result = parseConfigText(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const byPath = Object.fromEntries(result.problems.map((p) => [p.path, p]));
    expect(byPath['queues[2].escalation.l2Depth']?.message).toMatch(/expected number/);
    expect(byPath['queues[2].escalation.l2Depth']?.line).toBe(15);
    expect(byPath['queues[2].queueUrl']?.line).toBe(12);
    expect(byPath['server.port']?.message).toMatch(/65535/);
    expect(result.problems.some((p) => p.path === '' && /colour/.test(p.message))).toBe(true);
  });

  it('checks references between sections once the shapes are valid', () => {
    const result = parseConfigText('queues:\n  - {name: k, kind: kafka, topic: t, consumerGroup: g, replayTopic: r, cluster: main}\n');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems).toEqual([{ path: 'queues[0].cluster', line: 2, message: 'unknown Kafka cluster "main" (define it under kafka.main)' }]);
  });

  it('names a misspelt fieldMapping field with its line instead of ignoring it', () => {
    const result = parseConfigText('queues:\n  - name: q\n    kind: sqs\n    queueUrl: http://127.0.0.1:9324/000000000000/q\n    fieldMapping:\n      traceID: job_id\n');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problems).toHaveLength(1);
      expect(result.problems[0]).toMatchObject({ path: 'queues[0].fieldMapping.traceID', line: 6 });
      expect(result.problems[0]?.message).toMatch(/^unknown field "traceID" \(known: .*traceId/);
    }
  });

  it('requires the fields of the chosen kind only', () => {
    const result = parseConfigText('queues:\n  - name: k\n    kind: kafka\n');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const paths = result.problems.map((p) => p.path).sort();
    // replayTopic is optional: without it replays go to the original topic the framework headers name.
    expect(paths).toEqual(['queues[0].consumerGroup', 'queues[0].topic']);
  });

  it('rejects duplicate queue names and bad YAML', () => {
    const dup = parseConfigText(
      'queues:\n  - {name: q, kind: sqs, queueUrl: "http://x/1/q"}\n  - {name: q, kind: sqs, queueUrl: "http://x/1/q2"}\n',
    );
    expect(dup.ok).toBe(false);
    if (!dup.ok) expect(dup.problems[0]).toMatchObject({ path: 'queues[1].name', message: expect.stringMatching(/duplicate/) });
    const bad = parseConfigText('queues: [\n');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.problems[0]?.path).toBe('(yaml)');
  });

  it('runs on embedded defaults when the file is empty', () => {
    const result = parseConfigText('');
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.config.store).toEqual({ kind: 'sqlite', path: '.data/redrive.db' });
      expect(result.config.server.port).toBe(3000);
      expect(result.config.poller.intervalSeconds).toBe(30);
    }
  });
});

describe('secrets', () => {
  it('come from the environment named by the config, never from the file', () => {
    const result = parseConfigText('store: {kind: postgres}\nalerts: {alertmanager: {bearerTokenEnv: AM_TOKEN}}\n');
    if (!result.ok) throw new Error('expected valid');
    const none = resolveSecrets(result.config, {});
    expect(missingSecrets(result.config, none).map((p) => p.message)).toEqual([
      'environment variable DATABASE_URL is not set',
      'environment variable AM_TOKEN is not set',
    ]);
    const some = resolveSecrets(result.config, { DATABASE_URL: 'postgres://x', AM_TOKEN: 't' });
    expect(missingSecrets(result.config, some)).toEqual([]);
  });

  it('picks the Slack transport from the secrets present', () => {
    const http = parseConfigText('slack: {mode: http}\n');
    const socket = parseConfigText('slack: {mode: socket}\n');
    if (!http.ok || !socket.ok) throw new Error('expected valid');
    expect(slackTransport(http.config, resolveSecrets(http.config, {}))).toBe('none');
    expect(slackTransport(http.config, resolveSecrets(http.config, { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }))).toBe('http');
    expect(slackTransport(socket.config, resolveSecrets(socket.config, { SLACK_BOT_TOKEN: 'xoxb-1' }))).toBe('none');
    expect(slackTransport(socket.config, resolveSecrets(socket.config, { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }))).toBe('socket');
  });
});
