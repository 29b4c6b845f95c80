// Bulk resolve from the local console (no Slack credentials, a real Kafka DLQ in the config): the
// console's own pages post a /dlq peek, a click on "Bulk resolve…" and the modal's submission, which
// go through the same Bolt listeners as Slack. Only the matching messages are resolved, and the group
// offset moves up to the lowest unresolved one.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../support/log-capture.ts';
import { loadConfigFile, resolveSecrets } from '../../src/config/load-config.ts';
import { JOB_ACTIONS, VIEW_CALLBACKS } from '../../src/presentation/slack/block-kit/interactive-actions.ts';
import { startServer, type Runtime } from '../../src/main.ts';
import { downloadDlqBodyJson, RUNBOOK_EXAMPLES } from '../fixtures/download-dlq-body.ts';
import { KafkaTestBench, services, writeKafkaQueueConfig } from '../integration/kafka/kafka-test-env.ts';
import { uniqueName } from '../support/services.ts';

const QUEUE = 'downloads-dlq';

type Message = { channel: string; ts: string; text: string; blocks?: { type: string; block_id?: string; elements?: { action_id: string; value?: string }[] }[] };
type State = { messages: Message[]; modals: { id: string; view: { callback_id?: string } }[] };

describe.skipIf(!services)('bulk resolve from the local console on a Kafka DLQ', () => {
  let bench: KafkaTestBench;
  let app: Runtime;
  let dir: string;
  let dlqTopic: string;
  let group: string;

  const post = async (path: string, body: unknown) =>
    (await (await fetch(`${app.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json()) as { ok: boolean };
  const state = async (): Promise<State> => (await (await fetch(`${app.url}/console/state`)).json()) as State;

  beforeAll(async () => {
    bench = await new KafkaTestBench().connect();
    dlqTopic = await bench.createTopic('e2e-console-resolve-batch-dlq');
    const replayTopic = await bench.createTopic('e2e-console-resolve-batch-pending');
    group = uniqueName('e2e-console-resolve-batch');
    const failedAt = new Date(Date.now() - 3_600_000);
    // Offsets: 0 permanent, 1 transient, 2 permanent.
    await bench.produce(dlqTopic, (['expiredUrl', 'timeout', 'fileType'] as const).map((name) => ({ key: name, value: downloadDlqBodyJson({ ...RUNBOOK_EXAMPLES[name], traceId: uniqueName(`evt-${name}`), failedAt }) })));
    dir = mkdtempSync(join(tmpdir(), 'redrive-console-resolve-batch-'));
    const loaded = loadConfigFile(writeKafkaQueueConfig(dir, { name: QUEUE, topic: dlqTopic, group, replayTopic }));
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
    const logger = silentLogger();
    app = await startServer(loaded.config, resolveSecrets(loaded.config, {}), logger, { slackRetries: 0 });
  }, 60_000);
  afterAll(async () => {
    await app?.stop();
    await bench?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('peek → Bulk resolve… → modal with category permanent: 0 and 2 resolved, the group stays at 1', async () => {
    expect(app.consoleUrl).not.toBeNull();
    const channel = 'C0DLQALERTS';
    expect((await post('/console/command', { channel, text: `/dlq peek ${QUEUE}` })).ok).toBe(true);
    const peek = await vi.waitFor(async () => {
      const found = (await state()).messages.find((m) => m.blocks?.some((b) => b.elements?.some((e) => e.action_id === JOB_ACTIONS.bulkResolve)));
      if (!found) throw new Error('no peek with a Bulk resolve button yet');
      return found;
    }, { timeout: 20_000 });
    const button = peek.blocks?.flatMap((b) => (b.elements ?? []).map((e) => ({ ...e, block_id: b.block_id ?? '' }))).find((e) => e.action_id === JOB_ACTIONS.bulkResolve);
    expect(button?.value).toBe(QUEUE);
    const clicked = await post('/console/action', { channel: peek.channel, ts: peek.ts, action: { type: 'button', action_id: JOB_ACTIONS.bulkResolve, block_id: button?.block_id, value: QUEUE } });
    expect(clicked.ok).toBe(true);
    const modal = await vi.waitFor(async () => {
      const open = (await state()).modals.find((m) => m.view.callback_id === VIEW_CALLBACKS.bulkResolve);
      if (!open) throw new Error('bulk resolve modal not open yet');
      return open;
    }, { timeout: 10_000 });
    const text = (value: string) => ({ type: 'plain_text_input', value });
    const submitted = await post('/console/view-submission', { viewId: modal.id, values: { category: { category: text('permanent') }, reason: { reason: text('permanent failures') } } });
    expect(submitted.ok).toBe(true);
    await vi.waitFor(async () => expect(await bench.committed(group, dlqTopic)).toEqual({ 0: '1' }), { timeout: 30_000, interval: 250 });
    await app.slackJobs.idle();
    expect((await app.store.listResolutions(QUEUE)).map((r) => [r.messageKey, r.resolvedBy, r.reason])).toEqual([
      ['0:0', 'U0CONSOLE', 'permanent failures'],
      ['0:2', 'U0CONSOLE', 'permanent failures'],
    ]);
    await vi.waitFor(async () => expect((await state()).messages.some((m) => /finished: 2 message\(s\) resolved/.test(m.text))).toBe(true), { timeout: 10_000 });
  }, 90_000);
});
