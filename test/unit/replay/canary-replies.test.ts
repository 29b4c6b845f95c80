// What the canary and the post-replay watch post: within Block Kit limits however many came back,
// with queue text escaped and redacted (an error text can neither ping the channel nor leak a token),
// Continue / Cancel only in Slack, and the terminal told the commands instead.

import { describe, expect, it } from 'vitest';
import { renderCanaryPaused, renderWatchResult, signatureCounts } from '../../../src/presentation/slack/replies/canary-replies.ts';
import type { ReturnedReplay } from '../../../src/app/jobs/replay-watch.ts';
import type { Job } from '../../../src/core/model.ts';
import { JOB_ACTIONS } from '../../../src/presentation/slack/block-kit/interactive-actions.ts';
import { checkMessage } from '../../../src/slack-api-emulator/block-kit-validator.ts';

const NOW = new Date(Date.UTC(2026, 11, 4, 12));
const job = { id: 'job-1', kind: 'redrive-batch', queue: 'orders-dlq', status: 'paused', params: {}, checkpoint: {}, progress: { done: 2, failed: 0, total: 6 }, createdBy: 'U_A', createdAt: NOW, updatedAt: NOW, incidentId: null, error: null, thread: null } as Job;
const back = (i: number, signature: string): ReturnedReplay => ({ messageKey: `new-${i}`, replayedKey: `old-${i}`, traceId: `t-${i}`, signature, receiveCount: 6, replayedAt: NOW, jobId: 'job-1' });

const blockText = (reply: { blocks: unknown[] }): string => JSON.stringify(reply.blocks);

describe('canary and watch replies', () => {
  it('pauses with which came back and why, Continue / Cancel in Slack, commands in the terminal', () => {
    const returns = [back(1, 'HTTP 415: Unsupported Media Type'), back(2, 'HTTP 415: Unsupported Media Type')];
    const slack = renderCanaryPaused(job, 2, returns, 'slack');
    expect(checkMessage({ text: slack.text, blocks: slack.blocks })).toEqual({ ok: true });
    expect(slack.text).toContain('paused: 2 of 2 canary message(s) came back');
    expect(blockText(slack)).toContain('2× HTTP 415: Unsupported Media Type');
    const buttons = slack.blocks.flatMap((b) => ((b as { elements?: { action_id?: string; value?: string }[] }).elements ?? []).filter((e) => e.action_id));
    expect(buttons.map((b) => b.action_id)).toEqual([JOB_ACTIONS.continueAfterCanary, JOB_ACTIONS.cancel]);
    expect(JSON.parse(buttons[0]?.value ?? '{}')).toEqual({ q: 'orders-dlq', id: 'job-1' });
    const terminal = renderCanaryPaused(job, 2, returns, 'terminal');
    expect(blockText(terminal)).toContain('resume orders-dlq job-1');
    expect(blockText(terminal)).not.toContain(JOB_ACTIONS.continueAfterCanary);
  });

  it('escapes and redacts what came from the queue, and stays within limits for many returns', () => {
    const hostile = Array.from({ length: 300 }, (_, i) => back(i, `<!channel> failed with token=ghp_${'x'.repeat(36)} ${'y'.repeat(150)}`));
    for (const reply of [renderCanaryPaused(job, 300, hostile, 'slack'), renderWatchResult({ queue: 'orders-dlq', what: 'job job-1', replayed: 400, watchMs: 120_000, returns: hostile })]) {
      expect(checkMessage({ text: reply.text, blocks: reply.blocks })).toEqual({ ok: true });
      expect(blockText(reply)).not.toContain('<!channel>');
      expect(blockText(reply)).not.toContain(`ghp_${'x'.repeat(36)}`);
    }
  });

  it('the watch says none came back, or how many with their signatures, most frequent first', () => {
    expect(renderWatchResult({ queue: 'q', what: 'a replay of m-1', replayed: 1, watchMs: 60_000, returns: [] }).text).toBe('Post-replay watch on q: none of the 1 message(s) replayed by a replay of m-1 came back within 1m');
    const returns = [back(1, 'b'), back(2, 'a'), back(3, 'a')];
    expect(signatureCounts(returns)).toEqual([['a', 2], ['b', 1]]);
    expect(renderWatchResult({ queue: 'q', what: 'job j', replayed: 5, watchMs: 30_000, returns }).text).toContain('3 of 5 message(s) replayed by job j came back');
  });
});
