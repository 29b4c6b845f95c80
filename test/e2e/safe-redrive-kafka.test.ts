// Safe redrive on a Kafka DLQ from the terminal (issue 14), on the real broker with bin/redrive: the
// replay topic's consumer group lags above the configured bound, so pre-flight blocks redrive-all
// with what it saw and nothing is replayed; `--override "reason"` replays every message once and
// audits the reason. A queue needing two-person approval is refused at the terminal with the reason.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/adapters/outbound/sqlite/sqlite-store.ts';
import { KafkaTestBench, services, writeKafkaQueueConfig } from '../integration/kafka/kafka-test-env.ts';
import { runRedrive } from '../support/run-redrive.ts';
import { uniqueName } from '../support/services.ts';

const QUEUE = 'downloads-dlq';
const env = { LOG_LEVEL: 'error' };

describe.skipIf(!services)('safe redrive of a Kafka DLQ from the terminal', () => {
  let bench: KafkaTestBench;
  let dir: string;
  let dlqTopic: string;
  let replayTopic: string;
  let workers: string;
  const traceIds = Array.from({ length: 4 }, (_, i) => `evt-safe-${i}`);

  /** A config for the queue with extra per-queue YAML lines (indented under the queue). */
  const configWith = (name: string, extra: string[]): string => {
    const sub = mkdtempSync(join(dir, `${name}-`));
    const path = writeKafkaQueueConfig(sub, { name: QUEUE, topic: dlqTopic, group: uniqueName('e2e-safe-dlq'), replayTopic });
    writeFileSync(path, `${readFileSync(path, 'utf8')}\n${extra.map((l) => `    ${l}`).join('\n')}\n`);
    return path;
  };
  const run = (config: string, ...args: string[]) => runRedrive(['dlq', ...args, '--config', config], { env, timeoutMs: 45_000 });
  const auditOf = async (config: string, action: string) => {
    const store = SqliteStore.open(join(config, '..', 'redrive.db'));
    try {
      return await store.searchAudit({ action, limit: 5 });
    } finally {
      await store.close();
    }
  };

  beforeAll(async () => {
    bench = await new KafkaTestBench().connect();
    dlqTopic = await bench.createTopic('e2e-safe-dlq');
    replayTopic = await bench.createTopic('e2e-safe-pending');
    workers = uniqueName('e2e-safe-workers');
    dir = mkdtempSync(join(tmpdir(), 'redrive-e2e-safe-kafka-'));
    await bench.produce(dlqTopic, traceIds.map((traceId) => ({ key: traceId, value: JSON.stringify({ traceId, errorCategory: 'transient', finalError: '503 Service Unavailable', retryCount: 4 }) })));
    // The downstream workers are 20 messages behind on the replay topic.
    await bench.produce(replayTopic, Array.from({ length: 20 }, (_, i) => ({ value: `backlog-${i}` })));
    await bench.setCommitted(workers, replayTopic, { 0: 0 });
  });
  afterAll(async () => {
    await bench?.close();
  });

  it('a lagging consumer group blocks redrive-all with what it saw; --override replays every message once and audits the reason', async () => {
    const config = configWith('lag', ['preflight:', `  consumerLag: {group: ${workers}, max: 10}`]);
    const blocked = await run(config, 'redrive-all', QUEUE);
    expect(blocked.stderr).not.toMatch(/redrive: /);
    expect(blocked.stdout).toContain(`Pre-flight blocked redrive-all (every message) on ${QUEUE}`);
    expect(blocked.stdout).toContain(`consumer-lag ${workers} on ${replayTopic}: lag 20 messages, above the bound of 10`);
    expect(blocked.stdout).toContain('--override "reason"');
    expect(await bench.readAll(replayTopic, 20)).toHaveLength(20);
    expect((await auditOf(config, 'preflight'))[0]).toMatchObject({ result: 'failure', error: expect.stringContaining('lag 20 messages') });

    const overridden = await run(config, 'redrive-all', QUEUE, '--override', 'workers are catching up, backlog is old');
    expect(overridden.stderr).not.toMatch(/redrive: /);
    expect(overridden.stdout).toMatch(/replayed \(kept in the DLQ until resolved\)\s+4/);
    const replayed = (await bench.readAll(replayTopic, 24)).filter((m) => !String(m.value).startsWith('backlog-'));
    expect(replayed.map((m) => String(m.key)).sort()).toEqual([...traceIds].sort());
    expect((await auditOf(config, 'preflight:override'))[0]).toMatchObject({ result: 'success', details: { reason: 'workers are catching up, backlog is old' } });
  });

  it('a queue needing two-person approval is refused at the terminal with the reason, and nothing is replayed', async () => {
    const config = configWith('approval', ['approval: {above: 2}']);
    const before = (await bench.readAll(replayTopic, 24)).length;
    const refused = await run(config, 'redrive-batch', QUEUE, '--count', '3');
    expect(refused.stdout).toContain('needs a second person\'s approval');
    expect(refused.stdout).toContain('the terminal cannot stand in for a second person');
    expect((await bench.readAll(replayTopic, before)).length).toBe(before);
    expect((await auditOf(config, 'approval:request'))[0]).toMatchObject({ result: 'denied' });
    // Within the bound it runs as before.
    const small = await run(config, 'redrive-batch', QUEUE, '--count', '2');
    expect(small.stdout).toMatch(/replayed \(kept in the DLQ until resolved\)\s+2/);
  });
});
