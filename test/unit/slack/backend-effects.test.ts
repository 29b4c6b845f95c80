// Every confirm dialog and form says what its backend really does to the DLQ: SQS deletes a replayed
// message once the send is accepted; Kafka keeps it in the DLQ topic until it is resolved.
import { describe, expect, it } from 'vitest';
import { renderKafkaList } from '../../../src/presentation/slack/replies/kafka-replies.ts';
import { renderMessageModal, renderPeek } from '../../../src/presentation/slack/replies/queue-replies.ts';
import { BULK_REPLAY_EFFECT, REPLAY_EFFECT, RESOLVE_EFFECT } from '../../../src/presentation/slack/block-kit/backend-effects.ts';
import { MESSAGE_ACTIONS } from '../../../src/presentation/slack/block-kit/interactive-actions.ts';
import { bulkReplayModal, editReplayBlocks, resolveModal } from '../../../src/presentation/slack/block-kit/modals.ts';
import type { DlqMessage } from '../../../src/ports/dead-letter-queue.port.ts';

const NOW = new Date('2026-03-01T12:00:00Z');
const origin = { channel: 'C1', messageTs: null, threadTs: null };
const message = (kind: 'sqs' | 'kafka', key: string): DlqMessage => ({
  queue: 'q', messageKey: key, body: '{"a":1}', enqueuedAt: NOW, receiveCount: 1, messageAttributes: {}, attributes: {},
  partition: kind === 'kafka' ? 0 : null, offset: kind === 'kafka' ? '3' : null, groupId: null, key: null, headers: {},
} as unknown as DlqMessage);

type Element = { action_id?: string; confirm?: { text: { text: string } } };
const replayConfirms = (blocks: readonly unknown[]): string[] =>
  (blocks as { type: string; elements?: Element[] }[])
    .flatMap((b) => (b.type === 'actions' ? (b.elements ?? []) : []))
    .filter((e) => e.action_id === MESSAGE_ACTIONS.replay)
    .map((e) => e.confirm?.text.text ?? '');
const text = (view: { blocks: unknown[] }): string => JSON.stringify(view.blocks);

describe('confirm texts per backend', () => {
  it('SQS: Replay says deleted from the DLQ once the send is accepted (peek and View modal)', () => {
    const peek = replayConfirms(renderPeek('q', [message('sqs', 'm-1')], NOW, 'sqs').blocks);
    const modal = replayConfirms(renderMessageModal(message('sqs', 'm-1'), NOW, { kind: 'sqs' }));
    for (const confirm of [...peek, ...modal]) {
      expect(confirm).toContain('deleted from the DLQ once the send is accepted');
      expect(confirm).not.toContain('stays in the DLQ');
    }
    expect(peek).toHaveLength(1);
    expect(modal).toHaveLength(1);
  });

  it('Kafka: Replay says the message stays in the DLQ topic until resolved (peek and View modal)', () => {
    const peek = replayConfirms(renderKafkaList('q', [message('kafka', '0:3')]).blocks);
    const modal = replayConfirms(renderMessageModal(message('kafka', '0:3'), NOW, { kind: 'kafka' }));
    for (const confirm of [...peek, ...modal]) {
      expect(confirm).toContain('stays in the DLQ topic until it is resolved');
      expect(confirm).not.toMatch(/deleted|out of the DLQ/);
    }
    expect(peek).toHaveLength(1);
    expect(modal).toHaveLength(1);
  });

  it('a long id is cut in the confirm, never the effect; the text fits Slack’s 300 characters', () => {
    const [confirm] = replayConfirms(renderKafkaList('q', [message('kafka', `0:${'9'.repeat(500)}`)]).blocks);
    expect(confirm?.length).toBeLessThanOrEqual(300);
    expect(confirm).toContain(REPLAY_EFFECT.kafka);
  });

  it('Resolve, Edit and replay and Bulk replay forms say what each backend does', () => {
    const ref = { queue: 'q', id: 'm-1' };
    expect(text(resolveModal(ref, origin, 'sqs'))).toContain('then it is deleted from the DLQ');
    expect(text(resolveModal(ref, origin, 'kafka'))).toContain('the record itself stays in the topic');
    expect(text(resolveModal(ref, origin, 'kafka'))).not.toContain('deleted from the DLQ');
    expect(JSON.stringify(editReplayBlocks(ref, '{}', 'kafka'))).toContain(REPLAY_EFFECT.kafka);
    expect(JSON.stringify(editReplayBlocks(ref, '{}', 'sqs'))).toContain(REPLAY_EFFECT.sqs);
    expect(text(bulkReplayModal('q', origin, 'kafka'))).toContain('stay in the DLQ topic until they are resolved');
    expect(text(bulkReplayModal('q', origin, 'sqs'))).toContain('deletes each message from the DLQ as it moves it');
    // A queue whose kind is not known (no longer configured) gets both, labelled.
    expect(text(resolveModal(ref, origin, null))).toContain(`On SQS: ${RESOLVE_EFFECT.sqs}`);
    expect(text(bulkReplayModal('q', origin, null))).toContain('On Kafka:');
    expect(BULK_REPLAY_EFFECT.kafka).not.toContain('deleted');
  });
});
