// The interactive Slack surface's pure parts, judged by the Block Kit referee the local Slack API
// server applies: peek cards with View / Replay / Resolve buttons (500 messages still one valid
// message), the message modal with a 1 MB body (≤ 100 blocks, ≤ 3,000 a section, cut with a marker),
// hostile bodies rendered as text, the modals' forms and their submissions, App Home, job messages.

import { bulkResolveModal, readBulkResolveSubmission } from '../../../src/presentation/slack/block-kit/bulk-resolve-modal.ts';
import { describe, expect, it } from 'vitest';
import { renderMessageModal, renderPeek } from '../../../src/presentation/slack/replies/queue-replies.ts';
import { renderKafkaList } from '../../../src/presentation/slack/replies/kafka-replies.ts';
import { renderJobEnded, renderJobFinalProgress, renderJobProgress, renderJobResult, renderJobRoot, renderJobStarted, renderJobTakenOver } from '../../../src/presentation/slack/replies/job-messages.ts';
import { renderAppHome } from '../../../src/presentation/slack/replies/app-home-view.ts';
import { messageButtons } from '../../../src/presentation/slack/block-kit/message-buttons.ts';
import { INCIDENT_ACTIONS } from '../../../src/presentation/slack/block-kit/incident-actions.ts';
import {
  decodeMessageRef,
  encodeMessageRef,
  JOB_ACTIONS,
  MESSAGE_ACTIONS,
  SLACK_ACTION_IDS,
  SLACK_VIEW_CALLBACK_IDS,
} from '../../../src/presentation/slack/block-kit/interactive-actions.ts';
import {
  blocksModal,
  bulkReplayModal,
  decodeMetadata,
  editReplayBlocks,
  editReplayModal,
  readBulkSubmission,
  readEditReplaySubmission,
  readResolveSubmission,
  resolveModal,
} from '../../../src/presentation/slack/block-kit/modals.ts';
import type { Job } from '../../../src/core/model.ts';
import { DEFAULT_FIELD_MAPPING } from '../../../src/core/analysis/field-mapping.ts';
import type { DlqMessage } from '../../../src/ports/dead-letter-queue.port.ts';
import { checkMessage, checkView } from '../../../src/slack-api-emulator/block-kit-validator.ts';
import { dlqMessage } from '../../fixtures/download-dlq-body.ts';

const NOW = new Date('2026-03-02T12:00:00.000Z');
const HOSTILE = 'boom <!channel> <!here> <@U123> <https://evil.example|click>';
const origin = { channel: 'C_ALERTS', messageTs: '1700000000.000100', threadTs: null };

const message = (key: string, body: string): DlqMessage => dlqMessage(body, { queue: 'orders-dlq', messageKey: key, enqueuedAt: new Date(NOW.getTime() - 60_000), receiveCount: 2 });

const strings = (value: unknown): string[] => {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.entries(value).filter(([k]) => k !== 'value' && k !== 'private_metadata').flatMap(([, v]) => strings(v));
  return [];
};

type Element = { action_id?: string; value?: string; confirm?: unknown };
const buttonsOf = (blocks: unknown[]): Element[] =>
  blocks.flatMap((b) => ((b as { type: string }).type === 'actions' ? ((b as { elements: Element[] }).elements) : []));

describe('action ids and button values', () => {
  it('lists every action id once, incident buttons included', () => {
    expect(new Set(SLACK_ACTION_IDS).size).toBe(SLACK_ACTION_IDS.length);
    for (const id of [...Object.values(INCIDENT_ACTIONS), ...Object.values(MESSAGE_ACTIONS), ...Object.values(JOB_ACTIONS)]) expect(SLACK_ACTION_IDS).toContain(id);
    expect(new Set(SLACK_VIEW_CALLBACK_IDS).size).toBe(SLACK_VIEW_CALLBACK_IDS.length);
  });

  it('round-trips queue + message id, and refuses values over 2,000 characters', () => {
    const value = encodeMessageRef({ queue: 'orders-dlq', id: 'a"b<c>' });
    expect(decodeMessageRef(value)).toEqual({ queue: 'orders-dlq', id: 'a"b<c>' });
    expect(encodeMessageRef({ queue: 'q', id: 'x'.repeat(2_000) })).toBeNull();
    expect(decodeMessageRef('not json')).toBeNull();
  });

  it('carries a confirmed original topic in the Replay button only, and its dialog names it', () => {
    expect(decodeMessageRef(encodeMessageRef({ queue: 'q', id: '0:1', to: 'orders' }))).toEqual({ queue: 'q', id: '0:1', to: 'orders' });
    const block = messageButtons({ queue: 'q', id: '0:1', to: 'orders<&>' }, 'b', 'kafka') as unknown as { elements: { action_id: string; value: string; text: { text: string }; confirm?: { text: { text: string } } }[] };
    const [view, replay, resolve] = block.elements;
    expect(decodeMessageRef(view?.value)).toEqual({ queue: 'q', id: '0:1' });
    expect(decodeMessageRef(resolve?.value)).toEqual({ queue: 'q', id: '0:1' });
    expect(decodeMessageRef(replay?.value)).toEqual({ queue: 'q', id: '0:1', to: 'orders<&>' });
    expect(replay?.text.text).toBe('Replay to original topic');
    expect(replay?.confirm?.text.text).toBe('Sends 0:1 to orders&lt;&amp;&gt;, the original topic its headers name (the queue has no replay topic configured); the message stays in the DLQ topic until it is resolved.');
  });
});

describe('peek with buttons', () => {
  it('puts View / Replay (confirmed) / Resolve under each shown message and renders hostile text as text', () => {
    const reply = renderPeek('orders-dlq', [message('m-1', JSON.stringify({ error: HOSTILE })), message('m-2', HOSTILE)], NOW);
    expect(checkMessage({ text: reply.text, blocks: reply.blocks })).toEqual({ ok: true });
    const buttons = buttonsOf(reply.blocks);
    expect(buttons.map((b) => b.action_id)).toEqual([MESSAGE_ACTIONS.view, MESSAGE_ACTIONS.replay, MESSAGE_ACTIONS.resolve, MESSAGE_ACTIONS.view, MESSAGE_ACTIONS.replay, MESSAGE_ACTIONS.resolve, JOB_ACTIONS.bulkReplay, JOB_ACTIONS.bulkResolve]);
    expect(buttons.at(-1)?.value).toBe('orders-dlq');
    expect(decodeMessageRef(buttons[3]?.value)).toEqual({ queue: 'orders-dlq', id: 'm-2' });
    expect(buttons[1]?.confirm).toBeDefined();
    const all = strings(reply.blocks).join('\n');
    expect(all).toContain('&lt;!channel&gt;');
    expect(all).toContain('&lt;https://evil.example|click&gt;');
    expect(all).not.toMatch(/<!channel>|<!here>|<@U123>|<https:\/\/evil/);
  });

  it('500 peeked messages with 1 MB bodies still make one valid message, cut with markers', () => {
    const huge = JSON.stringify({ error: 'x'.repeat(1_000_000) });
    const messages = Array.from({ length: 500 }, (_, i) => message(`m-${i}`, i < 10 ? huge : `{"n":${i}}`));
    const reply = renderPeek('orders-dlq', messages, NOW);
    expect(checkMessage({ text: reply.text, blocks: reply.blocks })).toEqual({ ok: true });
    const all = strings(reply.blocks).join('\n');
    expect(all).toMatch(/truncated \d+ chars/);
    expect(all).toMatch(/Messages 1–\d of 500 \(page 1 of \d+\)/);
    expect(buttonsOf(reply.blocks).length).toBeGreaterThan(0);
  });
});

describe('Kafka peek with buttons', () => {
  it('the runbook list keeps its table and adds View / Replay / Resolve under the first messages', () => {
    const messages = Array.from({ length: 12 }, (_, i) => ({
      ...message(`0:${i}`, JSON.stringify({ trace_id: `evt-${i}`, error: HOSTILE, error_category: 'transient', retry_count: 4 })),
      partition: 0,
      offset: String(i),
    }));
    const reply = renderKafkaList('xact.downloads.dlq', messages);
    expect(checkMessage({ text: reply.text, blocks: reply.blocks })).toEqual({ ok: true });
    const views = buttonsOf(reply.blocks).filter((b) => b.action_id === MESSAGE_ACTIONS.view);
    expect(views).toHaveLength(8);
    expect(decodeMessageRef(views[2]?.value)).toEqual({ queue: 'xact.downloads.dlq', id: '0:2' });
    expect(strings(reply.blocks).join('\n')).not.toMatch(/<!channel>|<@U123>/);
  });
});

describe('message modal', () => {
  it('shows a 1 MB body over several sections within modal limits, cut with a marker', () => {
    const body = JSON.stringify({ error: HOSTILE, data: 'y'.repeat(1_000_000) });
    const blocks = renderMessageModal(message('m-big', body), NOW);
    const view = blocksModal('DLQ message', blocks, { queue: 'orders-dlq', id: 'm-big' }, origin);
    expect(checkView(view, 'modal')).toEqual({ ok: true });
    expect(blocks.length).toBeLessThanOrEqual(100);
    const all = strings(blocks).join('\n');
    expect(all).toMatch(/truncated \d+ chars/);
    expect(all).toContain('Truncated: the body is');
    expect(all).toContain('&lt;!channel&gt;');
    expect(all).not.toMatch(/<!channel>|<@U123>/);
    expect(blocks.filter((b) => b.type === 'section').length).toBeGreaterThan(10);
    expect(buttonsOf(blocks).map((b) => b.action_id)).toEqual([MESSAGE_ACTIONS.replay, MESSAGE_ACTIONS.editReplay, MESSAGE_ACTIONS.resolve]);
    expect(decodeMetadata(view.private_metadata as string)).toEqual({ ref: { queue: 'orders-dlq', id: 'm-big' }, origin });
  });

  it('a Kafka message shows its partition/offset and the mapped runbook fields', () => {
    const kafka = { ...message('0:7', JSON.stringify({ trace_id: 'evt-77', error_category: 'permanent', final_error: 'HTTP 404: Not Found', url: 'https://files.example.com/a.pdf' })), partition: 0, offset: '7' };
    const blocks = renderMessageModal(kafka, NOW, { mapping: DEFAULT_FIELD_MAPPING });
    const all = strings(blocks).join('\n');
    expect(all).toMatch(/partition\/offset\s+0\/7/);
    expect(all).toMatch(/trace id\s+evt-77/);
    expect(all).toMatch(/error category\s+permanent/);
    expect(checkView(blocksModal('DLQ message', blocks, { queue: 'orders-dlq', id: '0:7' }, origin), 'modal')).toEqual({ ok: true });
  });

  it('shows a short body whole, with no marker', () => {
    const blocks = renderMessageModal(message('m-1', JSON.stringify({ orderId: 7 })), NOW);
    const all = strings(blocks).join('\n');
    expect(all).toContain('"orderId": 7');
    expect(all).not.toMatch(/truncated/i);
  });
});

describe('forms and submissions', () => {
  const ref = { queue: 'orders-dlq', id: 'm-1' };
  const values = (fields: Record<string, string>) => Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, { [k]: { value: v } }]));

  it('resolve needs a reason', () => {
    expect(checkView(resolveModal(ref, origin, 'sqs'), 'modal')).toEqual({ ok: true });
    expect(readResolveSubmission(ref, values({ reason: '  ' }))).toEqual({ ok: false, errors: { reason: expect.any(String) } });
    expect(readResolveSubmission(ref, values({ reason: 'expired URL' }))).toEqual({ ok: true, value: { op: 'resolve', queue: 'orders-dlq', id: 'm-1', reason: 'expired URL' } });
  });

  it('edit and replay refuses invalid JSON on the field and passes valid JSON as the edited body', () => {
    expect(checkView(editReplayModal(ref, editReplayBlocks(ref, '{"a":1}', 'sqs'), origin), 'modal')).toEqual({ ok: true });
    const bad = readEditReplaySubmission(ref, values({ body: '{"a":' }));
    expect(bad.ok).toBe(false);
    expect(bad.ok ? null : bad.errors.body).toMatch(/Not valid JSON/);
    expect(readEditReplaySubmission(ref, values({ body: '{"a":2}' }))).toEqual({ ok: true, value: { op: 'replay', queue: 'orders-dlq', id: 'm-1', body: '{"a":2}' } });
  });

  it('bulk replay: empty = redrive-all, a count or a filter = redrive-batch, bad numbers refused per field', () => {
    expect(checkView(bulkReplayModal('orders-dlq', origin, 'sqs'), 'modal')).toEqual({ ok: true });
    expect(readBulkSubmission('q', values({}))).toEqual({ ok: true, value: { op: 'redrive-all', queue: 'q', rate: null } });
    expect(readBulkSubmission('q', values({ count: '20', rate: '5' }))).toEqual({ ok: true, value: { op: 'redrive-batch', queue: 'q', count: 20, rate: 5 } });
    expect(readBulkSubmission('q', values({ category: 'Transient' }))).toEqual({
      ok: true,
      value: { op: 'redrive-batch', queue: 'q', count: null, rate: null, filter: { category: 'transient', domain: null, signature: null, olderThanSeconds: null } },
    });
    expect(readBulkSubmission('q', values({ count: '-1', rate: '9000' }))).toEqual({ ok: false, errors: { count: expect.any(String), rate: expect.any(String) } });
    // Older than: the same durations as `redrive-batch --older-than`; nonsense is refused in the field.
    expect(readBulkSubmission('q', values({ older_than: '2h', rate: '10' }))).toEqual({
      ok: true,
      value: { op: 'redrive-batch', queue: 'q', count: null, rate: 10, filter: { category: null, domain: null, signature: null, olderThanSeconds: 7_200 } },
    });
    expect(readBulkSubmission('q', values({ older_than: 'yesterday' }))).toEqual({ ok: false, errors: { older_than: 'A duration like 90s, 30m, 2h or 7d, or empty.' } });
    // Override failing pre-flight checks: the typed reason rides on the command (the router checks admin).
    expect(readBulkSubmission('q', values({ preflight_override: ' alarm is stale ' }))).toEqual({ ok: true, value: { op: 'redrive-all', queue: 'q', rate: null, override: 'alarm is stale' } });
    expect(readBulkSubmission('q', values({ count: '5', preflight_override: 'ok' }))).toEqual({ ok: true, value: { op: 'redrive-batch', queue: 'q', count: 5, rate: null, override: 'ok' } });
    const blockIds = bulkReplayModal('orders-dlq', origin, 'sqs').blocks.map((b) => (b as { block_id?: string }).block_id);
    expect(blockIds).toContain('older_than');
    // Canary: a whole number (0 = none) passed on to either job; empty leaves the queue's setting.
    expect(blockIds).toContain('canary');
    expect(readBulkSubmission('q', values({ canary: '3' }))).toEqual({ ok: true, value: { op: 'redrive-all', queue: 'q', rate: null, canary: 3 } });
    expect(readBulkSubmission('q', values({ count: '20', canary: '0' }))).toEqual({ ok: true, value: { op: 'redrive-batch', queue: 'q', count: 20, rate: null, canary: 0 } });
    expect(readBulkSubmission('q', values({ canary: 'two' }))).toEqual({ ok: false, errors: { canary: expect.stringContaining('A whole number from 0') } });
  });

  it('bulk resolve: a count, a filter or "replayed before", and a reason, are required; each bad field is refused on itself', () => {
    expect(checkView(bulkResolveModal('orders-dlq', origin), 'modal')).toEqual({ ok: true });
    expect(readBulkResolveSubmission('q', values({ category: 'Permanent', reason: 'not retryable' }))).toEqual({
      ok: true,
      value: { op: 'resolve-batch', queue: 'q', count: null, rate: null, filter: { category: 'permanent', domain: null, signature: null, olderThanSeconds: null }, reason: 'not retryable' },
    });
    expect(readBulkResolveSubmission('q', values({ replayed_before: '2h', count: '5', reason: 'reprocessed' }))).toEqual({
      ok: true,
      value: { op: 'resolve-batch', queue: 'q', count: 5, rate: null, replayedBefore: { agoSeconds: 7_200 }, reason: 'reprocessed' },
    });
    expect(readBulkResolveSubmission('q', values({ reason: 'everything' }))).toEqual({ ok: false, errors: { count: expect.stringMatching(/count or at least one filter/) } });
    expect(readBulkResolveSubmission('q', values({ category: 'permanent' }))).toEqual({ ok: false, errors: { reason: expect.stringMatching(/Say why/) } });
    expect(readBulkResolveSubmission('q', values({ replayed_before: 'last week', count: '0', reason: 'x' }))).toEqual({
      ok: false,
      errors: { replayed_before: expect.any(String), count: expect.any(String) },
    });
  });
});

describe('App Home and job messages', () => {
  const job: Job = {
    id: 'job-1', kind: 'redrive-batch', queue: 'orders-dlq', status: 'running', params: { count: 30, ratePerSecond: 5 }, checkpoint: {},
    progress: { done: 10, failed: 1, total: 30 }, createdBy: 'U_ALICE', createdAt: NOW, updatedAt: NOW, incidentId: null, error: null, thread: null,
  } as Job;

  it('App Home lists queues with depth, level and the incident link, and the last actions, escaped', () => {
    const view = renderAppHome({
      at: NOW,
      queues: [
        { name: 'orders-dlq', kind: 'sqs', depth: 1234, error: null, level: 'L2', incidentLink: 'https://t.slack.com/archives/C1/p1' },
        { name: '<!channel>', kind: 'kafka', depth: null, error: 'broker down <@U1>', level: null, incidentLink: null },
      ],
      recent: [{ id: 1, at: NOW, action: 'replay', queue: 'orders-dlq', messageId: 'm-1', traceId: null, partition: null, offset: null, actor: 'U_BOB', result: 'success', error: null, incidentId: null, jobId: null, details: {} }],
    });
    expect(checkView(view, 'home')).toEqual({ ok: true });
    const all = strings(view.blocks).join('\n');
    expect(all).toContain('*1,234* in the DLQ');
    expect(all).toContain('L2 critical');
    expect(all).toContain('<https://t.slack.com/archives/C1/p1|open incident>');
    expect(all).toContain('&lt;!channel&gt;');
    expect(all).toContain('broker down &lt;@U1&gt;');
    expect(all).toContain('<@U_BOB> `replay orders-dlq m-1`');
  });

  it('App Home says how many queues it hid, and what to say when the user may view none', () => {
    const base = { at: NOW, queues: [{ name: 'orders-dlq', kind: 'sqs', depth: 1, error: null, level: null, incidentLink: null }], recent: [] };
    const hidden = renderAppHome({ ...base, hiddenNote: '2 queues hidden: you have no viewer role on them.' });
    expect(checkView(hidden, 'home')).toEqual({ ok: true });
    expect(strings(hidden.blocks).join('\n')).toContain(':see_no_evil: 2 queues hidden: you have no viewer role on them.');
    expect(strings(renderAppHome(base).blocks).join('\n')).not.toContain('hidden');
    expect(strings(renderAppHome({ ...base, queues: [], hiddenNote: '1 queue hidden: you have no viewer role on it.' }).blocks).join('\n')).toContain('No queue you may view.');
    expect(strings(renderAppHome({ ...base, queues: [] }).blocks).join('\n')).toContain('No queues are configured.');
  });

  it('job messages: started (no button: the ephemeral answer names /dlq cancel), root with Cancel, progress, final count, result', () => {
    const started = renderJobStarted(job, 'Progress follows in a thread.');
    expect(checkMessage({ text: started.text, blocks: started.blocks })).toEqual({ ok: true });
    expect(buttonsOf(started.blocks)).toEqual([]);
    expect(strings(started.blocks).join('\n')).toContain('/dlq cancel job-1');
    expect(buttonsOf(renderJobRoot(job).blocks)).toEqual([expect.objectContaining({ action_id: JOB_ACTIONS.cancel, value: 'job-1' })]);
    expect(renderJobProgress(job, { done: 10, failed: 1, total: 30 }).text).toContain('10 of 30 replayed (33%), 1 failed');
    const final = renderJobFinalProgress({ ...job, status: 'succeeded', progress: { done: 30, failed: 0, total: 30 } });
    expect(final.text).toBe('Job job-1 on orders-dlq succeeded: 30 replayed, 0 failed (final)');
    const ended = renderJobEnded({ ...job, status: 'succeeded', progress: { done: 30, failed: 0, total: 30 } });
    expect(buttonsOf(ended.blocks)).toEqual([]);
    expect(strings(ended.blocks).join('\n')).toContain('succeeded (30 replayed, 0 failed)');
    const result = renderJobResult({ job: { ...job, status: 'cancelled' }, done: 10, failed: [] });
    expect(checkMessage({ text: result.text, blocks: result.blocks })).toEqual({ ok: true });
    expect(result.text).toContain('cancelled: 10 message(s) replayed');
    const paused = renderJobResult({ job: { ...job, status: 'paused' }, done: 10, failed: [] });
    expect(paused.text).toContain('paused: 10 message(s) replayed so far');
    expect(strings(paused.blocks).join('\n')).toContain('resume orders-dlq job-1');
    const filtered = renderJobStarted({ ...job, params: { count: null, filter: { category: 'transient', domain: null, signature: null, olderThanSeconds: null } } }, '');
    expect(strings(filtered.blocks).join('\n')).toContain('every message matching category=transient, batches of 10');
  });

  it('job messages: a takeover note for a manual job and for a move task, escaped and within Block Kit limits', () => {
    const manual = renderJobTakenOver({ ...job, queue: 'orders-dlq <!channel>' }, 'replica-b');
    expect(checkMessage({ text: manual.text, blocks: manual.blocks })).toEqual({ ok: true });
    expect(strings(manual.blocks).join('\n')).toContain('Redrive replica replica-b continues it from its checkpoint (10 replayed so far; none is sent twice)');
    expect(strings(manual.blocks).join('\n')).toContain('&lt;!channel&gt;');
    const moveTask = renderJobTakenOver({ ...job, kind: 'redrive-all', params: { taskHandle: 'h-1' } }, null);
    expect(moveTask.text).toContain('Another Redrive replica follows the message move task to its end');
  });
});
