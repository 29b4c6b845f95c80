// /dlq audit and /dlq report without I/O: how a ref is read, the audit records and the denial as
// Block Kit (the referee's limits, hostile text escaped), the terminal table, and the weekly
// report's arithmetic (arrivals from depth samples vs the message index, permanent vs transient,
// top domains, replayed vs resolved, incidents by peak level).

import { describe, expect, it } from 'vitest';
import { renderReplyForTerminal } from '../../../src/presentation/terminal/render-terminal.ts';
import { renderDenied } from '../../../src/presentation/slack/replies/access-replies.ts';
import { renderAuditSearch } from '../../../src/presentation/slack/replies/audit-replies.ts';
import { renderReport } from '../../../src/presentation/slack/replies/report-replies.ts';
import { planAuditSearch } from '../../../src/core/audit/audit-ref.ts';
import { decide } from '../../../src/core/auth/access-policy.ts';
import type { AuditRecord, DepthSample, Incident, MessageIndexEntry } from '../../../src/core/model.ts';
import { arrivalsFromSamples, buildDlqReport, classifyError, type QueueReportInput } from '../../../src/core/report/dlq-report.ts';
import { checkMessage } from '../../../src/slack-api-emulator/block-kit-validator.ts';

const T0 = new Date('2026-03-02T12:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

const record = (id: number, overrides: Partial<AuditRecord> = {}): AuditRecord => ({
  id,
  at: at(id),
  action: 'replay',
  queue: 'orders-dlq',
  messageId: `m-${id}`,
  traceId: null,
  partition: null,
  offset: null,
  actor: 'U_ALICE',
  result: 'success',
  error: null,
  incidentId: null,
  jobId: null,
  details: {},
  ...overrides,
});

describe('audit ref', () => {
  const queues = ['orders-dlq', 'downloads.dlq'];
  it.each([
    [null, 'latest', [{ limit: 20 }]],
    ['  ', 'latest', [{ limit: 20 }]],
    ['<@U123ABC>', 'user', [{ actor: 'U123ABC', limit: 20 }]],
    ['<@U123ABC|alice>', 'user', [{ actor: 'U123ABC', limit: 20 }]],
    ['U123ABC', 'user', [{ actor: 'U123ABC', limit: 20 }, { ref: 'U123ABC', limit: 20 }]],
    ['cli:alice', 'user', [{ actor: 'cli:alice', limit: 20 }, { ref: 'cli:alice', limit: 20 }]],
    ['42', 'audit id', [{ id: 42, limit: 1 }, { ref: '42', limit: 20 }]],
    ['#42', 'audit id', [{ id: 42, limit: 1 }, { ref: '#42', limit: 20 }]],
    ['orders-dlq', 'queue', [{ queue: 'orders-dlq', limit: 20 }]],
    ['evt-abc-123', 'id', [{ ref: 'evt-abc-123', limit: 20 }]],
    ['3:1234', 'id', [{ ref: '3:1234', limit: 20 }]],
  ])('%s → %s', (ref, kind, queries) => {
    expect(planAuditSearch(ref, queues)).toEqual({ kind, queries });
  });
});

describe('audit replies', () => {
  it('one section per record within Slack limits, newest first, with the ids, the user and the error', () => {
    const records = [
      record(3, { result: 'denied', actor: 'U_CAROL', error: 'replay on orders-dlq needs the operator role; you are a viewer on orders-dlq.' }),
      record(2, { action: 'resolve', traceId: 'evt-1', partition: 3, offset: '1234', incidentId: 'inc-1', jobId: 'job-1', details: { reason: 'expired URL' } }),
      record(1, { result: 'failure', actor: 'cli:bob', error: 'DLQ_MESSAGE_NOT_FOUND: gone' }),
    ];
    const reply = renderAuditSearch({ ref: null, kind: 'latest', records });
    expect(checkMessage({ text: reply.text, blocks: reply.blocks })).toEqual({ ok: true });
    expect(reply.private).toBe(true);
    const sections = reply.blocks.filter((b) => b.type === 'section').map((b) => (b.text as { text: string }).text);
    expect(sections).toHaveLength(3);
    expect(sections[0]).toContain(':no_entry: *denied* · `replay` by <@U_CAROL>');
    expect(sections[1]).toContain('trace `evt-1` · partition 3 offset 1234 · incident `inc-1` · job `job-1`');
    expect(sections[1]).toContain('reason: expired URL');
    expect(sections[2]).toContain(':x: *failure* · `replay` by `cli:bob`');
  });

  it('escapes stored text: a ref or an error can neither ping a channel nor fake a link', () => {
    const hostile = '<!channel> <https://evil.example|click> & <@U_BOSS>';
    const reply = renderAuditSearch({ ref: hostile, kind: 'id', records: [record(1, { messageId: hostile, error: hostile, actor: '<!here>' })] });
    const json = JSON.stringify(reply.blocks);
    expect(json).not.toContain('<!channel>');
    expect(json).not.toContain('<!here>');
    expect(json).not.toContain('<https://evil');
    expect(json).not.toContain('<@U_BOSS>');
    expect(json).toContain('&lt;!channel&gt;');
  });

  it('20 records with long errors still fit one message', () => {
    const records = Array.from({ length: 20 }, (_, i) => record(20 - i, { error: 'x'.repeat(2_000), messageId: 'm'.repeat(300) }));
    const reply = renderAuditSearch({ ref: null, kind: 'latest', records });
    expect(checkMessage({ text: reply.text, blocks: reply.blocks })).toEqual({ ok: true });
  });

  it('says so when nothing matches', () => {
    expect(renderAuditSearch({ ref: 'nope', kind: 'id', records: [] }).text).toBe('No audit records for nope.');
  });

  it('prints a table in the terminal', () => {
    const out = renderReplyForTerminal(renderAuditSearch({ ref: null, kind: 'latest', records: [record(2, { partition: 1, offset: '7' }), record(1, { actor: 'cli:bob' })] }));
    const lines = out.split('\n');
    expect(lines[1]).toMatch(/^ID\s+TIME\s+ACTION\s+RESULT\s+USER\s+QUEUE\s+MESSAGE \/ TRACE\s+P:OFFSET\s+INCIDENT\s+JOB\s+ERROR$/);
    expect(lines[3]).toMatch(/^2\s+2026-03-02 12:02:00Z\s+replay\s+success\s+U_ALICE\s+orders-dlq\s+m-2\s+1:7/);
    expect(lines[4]).toContain('cli:bob');
  });
});

describe('denial reply', () => {
  it('names the role needed, the role held, the config key, the admins and the user groups; escapes the queue', () => {
    const decision = decide('U_CAROL', [], 'redrive-all', 'orders<!channel>', {
      global: { admins: ['U_ADMIN'], operators: [], viewers: 'everyone', userGroups: { S_PLATFORM: 'admin', S_ONCALL: 'operator' } },
      queues: {},
    });
    if (decision.kind !== 'denied') throw new Error('expected a denial');
    const reply = renderDenied(decision);
    expect(reply.private).toBe(true);
    expect(checkMessage({ text: reply.text, blocks: reply.blocks })).toEqual({ ok: true });
    const json = JSON.stringify(reply.blocks);
    expect(json).toContain('needs the admin role; you are a viewer');
    expect(json).toContain('`roles.admins`');
    expect(json).toContain('<@U_ADMIN>');
    expect(json).toContain('<!subteam^S_PLATFORM>');
    expect(json).not.toContain('S_ONCALL');
    expect(json).not.toContain('<!channel>');
  });
});

describe('weekly report', () => {
  const sample = (minutes: number, depth: number, oldestAgeSeconds: number | null = null): DepthSample => ({ queue: 'q', at: at(minutes), depth, oldestAgeSeconds });
  const indexed = (key: string, summary: Record<string, string | number | null>): MessageIndexEntry => ({
    queue: 'q', messageKey: key, traceId: null, partition: null, offset: null, bodyHash: key, firstSeenAt: T0, lastSeenAt: T0, summary,
  });
  const incident = (level: 'L1' | 'L2' | 'L3', peakLevel: string, status: 'open' | 'resolved' = 'resolved'): Incident =>
    ({ id: `inc-${level}-${peakLevel}`, queue: 'q', status, level, levelSince: T0, openedAt: T0, resolvedAt: null, acknowledgedBy: null, acknowledgedAt: null, lastNotifiedAt: null, slackChannel: null, slackTs: null, peakDepth: 0, alertState: 'ok', data: { peakLevel }, version: 1 }) as Incident;
  const queue = (overrides: Partial<QueueReportInput> = {}): QueueReportInput => ({
    queue: 'q', kind: 'kafka', samples: [], indexed: [], replays: [], resolutions: [], jobs: [], incidents: [], ...overrides,
  });

  it('arrivals: the sum of the rises between samples (falls are removals, not negative arrivals)', () => {
    expect(arrivalsFromSamples([sample(0, 0), sample(1, 5), sample(2, 3), sample(3, 10), sample(4, 10)])).toBe(12);
    expect(arrivalsFromSamples([sample(0, 7)])).toBe(0);
  });

  it('arrivals: what Redrive took out between two samples is added back to that interval only', () => {
    const samples = [sample(0, 10), sample(10, 8), sample(20, 8)];
    // 5 removed in the first interval while the depth fell by 2: 3 arrived. 1 in the second: 1 arrived.
    expect(arrivalsFromSamples(samples, [at(1), at(2), at(3), at(4), at(10), at(15)])).toBe(4);
    // Removals before the first or after the last sample change nothing.
    expect(arrivalsFromSamples(samples, [at(-5), at(25)])).toBe(0);
  });

  it('permanent vs transient: by error category, else by retry count (0 permanent, 4 exhausted)', () => {
    expect(classifyError({ errorCategory: 'PERMANENT' })).toBe('permanent');
    expect(classifyError({ errorCategory: 'transient', retryCount: 4 })).toBe('exhausted');
    expect(classifyError({ errorCategory: 'transient', retryCount: 1 })).toBe('transient');
    expect(classifyError({ retryCount: 0 })).toBe('permanent');
    expect(classifyError({ retryCount: 2 })).toBe('transient');
    expect(classifyError({ errorCategory: 'weird' })).toBe('unknown');
    expect(classifyError({})).toBe('unknown');
  });

  it('builds the runbook items per queue and in total, and says where arrivals come from', () => {
    const report = buildDlqReport({
      since: at(-7 * 24 * 60),
      until: T0,
      days: 7,
      audit: [record(1), record(2, { result: 'denied' }), record(3, { result: 'failure', action: 'resolve' })],
      queues: [
        queue({
          samples: [sample(0, 0), sample(10, 3, 8 * 86_400)],
          indexed: [
            indexed('a', { errorCategory: 'permanent', domain: 'a.example', url: 'https://a.example/x' }),
            indexed('b', { errorCategory: 'transient', retryCount: 4, domain: 'a.example', url: 'https://a.example/y' }),
            indexed('c', { retryCount: 0, domain: 'b.example' }),
            indexed('d', {}),
            indexed('e', { errorCategory: 'transient', retryCount: 1 }),
          ],
          replays: [{ queue: 'q', messageKey: 'b', fingerprints: [], jobId: null, replayedBy: 'U_A', replayedAt: T0, destination: 'x' }],
          resolutions: [],
          jobs: [{ id: 'j', kind: 'redrive-all', queue: 'q', status: 'succeeded', params: { taskHandle: 't' }, progress: { total: 40, done: 40, failed: 0 }, checkpoint: {}, createdBy: 'U_A', createdAt: T0, updatedAt: T0 } as never],
          incidents: [incident('L1', 'L3'), incident('L2', 'L2', 'open'), incident('L1', 'OK')],
        }),
        queue({ queue: 'quiet', kind: 'sqs', samples: [sample(0, 4), sample(5, 9)] }),
      ],
    });
    const [q, quiet] = report.queues;
    expect(q?.arrivals).toEqual({ estimate: 5, source: 'message index', fromSamples: 3, fromIndex: 5, samples: 2 });
    expect(quiet?.arrivals).toMatchObject({ estimate: 5, source: 'depth samples' });
    expect(q?.errors).toEqual({ permanent: 2, transient: 1, exhausted: 1, unknown: 1 });
    expect(q?.topDomains).toEqual([{ key: 'a.example', count: 2 }, { key: 'b.example', count: 1 }]);
    expect(q).toMatchObject({ replayed: 41, movedByTask: 40, resolved: 0, incidents: { L1: 1, L2: 1, L3: 1 }, openIncidents: 1, oldMessages: true, depthNow: 3 });
    expect(report.totals).toMatchObject({ arrivals: 10, depthNow: 12, replayed: 41, resolved: 0 });
    expect(report.audit).toMatchObject({ actions: 3, failures: 1, denied: 1 });

    const reply = renderReport(report);
    expect(checkMessage({ text: reply.text, blocks: reply.blocks })).toEqual({ ok: true });
    const json = JSON.stringify(reply.blocks);
    expect(json).toContain('Messages older than 7 days in `q`');
    // The recommendation names the commands that do it.
    expect(json).toContain('`resolve-batch q --older-than 7d --reason \\"...\\"`');
    expect(json).toContain('`redrive-batch q --older-than 7d`');
    expect(json).toContain('5 (index)');
    expect(json).toContain('Actions taken: 41 replayed (40 by message move tasks), 0 resolved');
  });

  it('a report with no queues and no data still renders', () => {
    const reply = renderReport(buildDlqReport({ since: at(-60), until: T0, days: 1, audit: [], queues: [] }));
    expect(checkMessage({ text: reply.text, blocks: reply.blocks })).toEqual({ ok: true });
    expect(reply.text).toContain('last 1 days');
  });
});
