// The queue replies with hostile message bodies: secrets (presigned URL signatures, passwords, bearer
// tokens, configured keys, secret-named attributes) come out as [REDACTED], Slack control syntax
// (`<!channel>`, `<@U..>`, `<url|text>`) comes out escaped, long content is truncated with a marker,
// and every reply passes the Block Kit referee (block count, section length, message size).

import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../../src/core/analysis/analyzer.ts';
import { DEFAULT_FIELD_MAPPING } from '../../../src/core/analysis/field-mapping.ts';
import type { Reply } from '../../../src/presentation/slack/block-kit/blocks.ts';
import type { Job } from '../../../src/core/model.ts';
import type { DlqMessage } from '../../../src/ports/dead-letter-queue.port.ts';
import { renderAnalysis } from '../../../src/presentation/slack/replies/analysis-replies.ts';
import type { QueueAnalysis } from '../../../src/app/messages/analyze-queue.use-case.ts';
import { renderJobs } from '../../../src/presentation/slack/replies/job-replies.ts';
import { renderMessage, renderPeek } from '../../../src/presentation/slack/replies/queue-replies.ts';
import { code } from '../../../src/presentation/slack/replies/reply-format.ts';
import { checkMessage } from '../../../src/slack-api-emulator/block-kit-validator.ts';
import { dlqMessage, runbookExampleMessage } from '../../fixtures/download-dlq-body.ts';

const NOW = new Date('2026-03-02T12:00:00.000Z');
const SIGNATURE = 'f00dfacecafe1234567890abcdef';
const PASSWORD = 'hunter2-correct-horse';
const BEARER = 'sk_live_9f8e7d6c5b4a3210';
const SSN = '123-45-6789';
const SECRETS = [SIGNATURE, PASSWORD, BEARER, SSN, 'attr-secret-value'];
const REDACT_KEYS = ['ssn'];

const hostileBody = JSON.stringify({
  job_id: 'city-7',
  url: `https://bucket.s3.amazonaws.com/report.pdf?X-Amz-Expires=3600&X-Amz-Signature=${SIGNATURE}`,
  password: PASSWORD,
  ssn: SSN,
  errorMessage: `HTTP 403 Forbidden calling <!channel> with Authorization: Bearer ${BEARER} <@U0123ABCD> <https://evil.example|click me>`,
  note: 'closes the fence ``` then *bold* <!here>',
});

const hostile = (key: string, body = hostileBody): DlqMessage => ({
  ...dlqMessage(body, { queue: 'frontier-dlq', messageKey: key, enqueuedAt: new Date(NOW.getTime() - 90_000), receiveCount: 3 }),
  messageAttributes: {
    password: { dataType: 'String', stringValue: 'attr-secret-value' },
    origin: { dataType: 'String', stringValue: '<!everyone> frontier' },
  },
});

const textsIn = (value: unknown): string[] => {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(textsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(textsIn);
  return [];
};

/** Every string Slack would render: the fallback text and every string in the blocks. */
const rendered = (reply: Reply): string => [reply.text, ...textsIn(reply.blocks)].join('\n');

const expectSafe = (reply: Reply): void => {
  const all = rendered(reply);
  for (const secret of SECRETS) expect(all).not.toContain(secret);
  expect(all).toContain('[REDACTED]');
  for (const control of ['<!channel>', '<!here>', '<!everyone>', '<@U0123ABCD>', '<https://evil.example|click me>']) expect(all).not.toContain(control);
  // Queue replies never make links or mentions: no raw angle bracket reaches Slack at all.
  expect(all).not.toMatch(/[<>]/);
  expect(checkMessage({ text: reply.text, blocks: reply.blocks })).toEqual({ ok: true });
};

describe('queue replies with hostile bodies', () => {
  it('peek redacts signatures, passwords, bearer tokens, configured keys and secret attributes, and escapes mentions', () => {
    const reply = renderPeek('frontier-dlq', [hostile('m-1'), hostile('m-2')], NOW, 'sqs', { redactKeys: REDACT_KEYS });
    expectSafe(reply);
    const all = rendered(reply);
    expect(all).toContain('&lt;!channel&gt;');
    expect(all).toContain('&lt;!everyone&gt; frontier');
    expect(all).toContain('X-Amz-Expires=3600');
    expect(all).toContain('password (String) = [REDACTED]');
  });

  it('view redacts the pretty JSON, the mapped fields and the attributes', () => {
    const reply = renderMessage(hostile('m-1'), NOW, { redactKeys: REDACT_KEYS, mapping: DEFAULT_FIELD_MAPPING });
    expectSafe(reply);
    const all = rendered(reply);
    expect(all).toContain('"password": "[REDACTED]"');
    expect(all).toContain('"ssn": "[REDACTED]"');
    expect(all).toMatch(/runbook pattern\s+Permission or credential failure/);
    expect(all).toMatch(/job id\s+city-7/);
  });

  it('a non-JSON hostile body is redacted and escaped as raw text', () => {
    const raw = `password=${PASSWORD} token: ${BEARER} <!channel> ssn: ${SSN}`;
    const reply = renderMessage(hostile('m-raw', raw), NOW, { redactKeys: REDACT_KEYS });
    expectSafe(reply);
    expect(rendered(reply)).toContain('Body is not JSON; shown raw.');
  });

  it('long bodies are cut with a marker and many messages still fit one Slack message', () => {
    const huge = JSON.stringify({ error: 'x'.repeat(50_000), password: PASSWORD });
    const reply = renderPeek('frontier-dlq', Array.from({ length: 40 }, (_, i) => hostile(`m-${i}`, huge)), NOW, 'sqs');
    expect(checkMessage({ text: reply.text, blocks: reply.blocks })).toEqual({ ok: true });
    expect(rendered(reply)).toMatch(/truncated \d+ chars/);
    expect(rendered(reply)).not.toContain(PASSWORD);
    expect(rendered(reply)).toMatch(/Messages 1–\d of 40 \(page 1 of \d+\)/);
  });

  it('view of a huge body stays within one section and says it was truncated', () => {
    const reply = renderMessage(hostile('m-big', JSON.stringify({ data: 'y'.repeat(20_000) })), NOW);
    expect(checkMessage({ text: reply.text, blocks: reply.blocks })).toEqual({ ok: true });
    expect(rendered(reply)).toMatch(/truncated \d+ chars/);
  });

  it('a body cannot close the code fence early', () => {
    expect(code('a ``` b')).not.toMatch(/^```.*```.*```$/s);
  });
});

describe('analysis reply', () => {
  const analysisOf = (messages: DlqMessage[]): QueueAnalysis => {
    const analyzer = createAnalyzer({ now: NOW });
    for (const m of messages) analyzer.add(m);
    return { queue: 'frontier-dlq', kind: 'sqs', report: analyzer.result(), scanned: messages.length, limited: false, limit: 10_000, elapsedMs: 1234, returned: { count: 0, samples: [], jobIds: [] } };
  };

  it('redacts and escapes signatures, domains and samples taken from hostile bodies', () => {
    const messages = Array.from({ length: 4 }, (_, i) => hostile(`m-${i}`));
    const reply = renderAnalysis(analysisOf(messages), { redactKeys: REDACT_KEYS });
    const all = rendered(reply);
    for (const secret of SECRETS) expect(all).not.toContain(secret);
    expect(all).not.toContain('<!channel>');
    expect(all).not.toContain('<@U0123ABCD>');
    expect(all).not.toMatch(/[<>]/);
    expect(checkMessage({ text: reply.text, blocks: reply.blocks })).toEqual({ ok: true });
  });

  it('shows the systematic verdict with its action, findings by severity, and the runbook pattern per group', () => {
    const failedAt = new Date(NOW.getTime() - 5 * 60_000);
    const messages = Array.from({ length: 12 }, (_, i) =>
      runbookExampleMessage('sslCertificate', { traceId: `evt-${i}`, failedAt, offset: i, overrides: { url: `https://bad-cert.example/doc-${i}.pdf` } }),
    );
    const reply = renderAnalysis(analysisOf(messages));
    const all = rendered(reply);
    expect(all).toContain(':rotating_light: *Verdict:* Systematic: of 12 messages, 100% share the error');
    expect(all).toContain('Pause the consumer and escalate');
    expect(all).toContain('TLS certificate verification failed at the source');
    expect(all).toMatch(/ssl-certificate\s+permanent\s+SSL certificate verification failed/);
    expect(all).toContain('bad-cert.example');
    const findings = textsIn(reply.blocks).find((text) => text.startsWith('*Findings*'))?.split('\n').slice(1) ?? [];
    const order = findings.map((line) => (line.startsWith(':red_circle:') ? 0 : line.startsWith(':warning:') ? 1 : 2));
    expect(order).toEqual([...order].sort());
    expect(order[0]).toBe(0);
    expect(checkMessage({ text: reply.text, blocks: reply.blocks })).toEqual({ ok: true });
  });

  it('an empty DLQ says so', () => {
    const reply = renderAnalysis(analysisOf([]));
    expect(rendered(reply)).toContain('holds no messages');
  });

  it('hundreds of distinct signatures still fit one message', () => {
    const messages = Array.from({ length: 300 }, (_, i) =>
      dlqMessage(JSON.stringify({ error: `Unique failure ${'z'.repeat(i % 50)} kind-${String.fromCharCode(97 + (i % 26))}${i}`, url: `https://h${i}.example/x` }), {
        messageKey: `k-${i}`,
        enqueuedAt: new Date(NOW.getTime() - i * 60_000),
      }),
    );
    const reply = renderAnalysis(analysisOf(messages));
    expect(checkMessage({ text: reply.text, blocks: reply.blocks })).toEqual({ ok: true });
  });
});

describe('jobs reply', () => {
  const job = (over: Partial<Job>): Job => ({
    id: '3f2a9c1e-0b7d-4a51-9e36-2c8d1f0a4b77',
    kind: 'redrive-batch',
    queue: 'frontier-dlq',
    status: 'running',
    params: { ratePerSecond: 10 },
    progress: { total: 100, done: 40, failed: 2 },
    checkpoint: {},
    createdBy: 'U0123ABCD',
    createdAt: new Date(NOW.getTime() - 5_000),
    updatedAt: NOW,
    incidentId: null,
    error: null,
    thread: null,
    ...over,
  });

  it('shows done/failed/total, percent and the rate against its cap', () => {
    const reply = renderJobs('frontier-dlq', [{ job: job({}), ratePerSecond: 8, rateLimit: 10, taskStatus: null, refreshError: null }], NOW);
    const all = rendered(reply);
    expect(all).toMatch(/3f2a9c1e-0b7d-4a51-9e36-2c8d1f0a4b77\s+redrive-batch\s+frontier-dlq\s+running\s+40\s+2\s+100\s+40%\s+8\.0\/s \(cap 10\)/);
    expect(all).toContain('*40/100* done, 2 failed');
    expect(checkMessage({ text: reply.text, blocks: reply.blocks })).toEqual({ ok: true });
    expect(rendered(reply)).not.toMatch(/[<>]/);
    expect(rendered(renderJobs('frontier-dlq', [], NOW))).not.toMatch(/[<>]/);
  });

  it('says when a running job\'s runner is gone, and what carries it on', () => {
    const thread = { channel: 'C1', threadTs: '1.1', startTs: '1.1', progressTs: null };
    const slackJob = { job: job({ thread }), ratePerSecond: null, rateLimit: 10, taskStatus: null, refreshError: null, stalled: { lastHeartbeat: new Date(NOW.getTime() - 120_000) } };
    const reply = renderJobs('frontier-dlq', [slackJob], NOW);
    expect(rendered(reply)).toContain('its runner is gone (no heartbeat since 2m ago); the replica running the poller takes it over at its next poll');
    expect(checkMessage({ text: reply.text, blocks: reply.blocks })).toEqual({ ok: true });
    const terminal = renderJobs('frontier-dlq', [{ ...slackJob, job: job({}), stalled: { lastHeartbeat: null } }], NOW);
    expect(rendered(terminal)).toContain('its runner is gone (no heartbeat); `resume frontier-dlq 3f2a9c1e-0b7d-4a51-9e36-2c8d1f0a4b77` continues it');
  });

  it('escapes a job error that quotes queue text', () => {
    const reply = renderJobs(null, [{ job: job({ status: 'failed', error: `bad <!channel> password=${PASSWORD}` }), ratePerSecond: null, rateLimit: null, taskStatus: null, refreshError: null }], NOW);
    expect(rendered(reply)).not.toContain('<!channel>');
    expect(rendered(reply)).not.toContain(PASSWORD);
  });
});
