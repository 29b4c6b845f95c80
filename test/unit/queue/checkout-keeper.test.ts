// The keeper extends what a run holds from its 1 s heartbeat without ever stacking calls or
// failing the run: one extension in flight at a time, errors reported, held and in-flight both kept.

import { describe, expect, it } from 'vitest';
import { createCheckoutKeeper } from '../../../src/app/jobs/checkout-keeper.ts';
import type { CheckedOutMessage } from '../../../src/ports/dead-letter-queue.port.ts';

const message = (key: string): CheckedOutMessage =>
  ({ message: { messageKey: key } as CheckedOutMessage['message'], handle: `handle-${key}` });

describe('createCheckoutKeeper', () => {
  it('extends the held and the in-flight messages, one call at a time, and forgets handled batches', async () => {
    const calls: string[][] = [];
    let finish: () => void = () => undefined;
    const dlq = {
      keepCheckedOut: (messages: CheckedOutMessage[]) => {
        calls.push(messages.map((m) => m.message.messageKey));
        return new Promise<void>((resolve) => (finish = resolve));
      },
    };
    const held = [message('skipped-1')];
    const keeper = createCheckoutKeeper(dlq, held, () => undefined);
    const batch = [message('a'), message('b')];
    keeper.taken(batch);
    keeper.beat();
    keeper.beat(); // still running: not stacked
    expect(calls).toEqual([['skipped-1', 'a', 'b']]);
    finish();
    await keeper.settle();
    keeper.handled(batch);
    held.push(message('skipped-2'));
    keeper.beat();
    expect(calls[1]).toEqual(['skipped-1', 'skipped-2']);
    finish();
    await keeper.settle();
  });

  it('reports a failed extension and carries on; a DLQ without the method is left alone', async () => {
    const errors: unknown[] = [];
    const boom = new Error('SQS said no');
    const keeper = createCheckoutKeeper({ keepCheckedOut: () => Promise.reject(boom) }, [message('x')], (e) => errors.push(e));
    keeper.beat();
    await keeper.settle();
    keeper.beat();
    await keeper.settle();
    expect(errors).toEqual([boom, boom]);
    const none = createCheckoutKeeper({}, [message('x')], (e) => errors.push(e));
    none.beat();
    await none.settle();
    expect(errors).toHaveLength(2);
  });
});
