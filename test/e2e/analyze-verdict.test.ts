// Analyze's verdict and its findings follow one rule, on a real SQS DLQ (ElasticMQ) through signed
// /dlq analyze: one error on more than 100 messages (73% of the DLQ, under the 80% share) is
// "Systematic", beside the finding that the same error affects them, never "Isolated" next to it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendMessages, services } from '../integration/sqs/sqs-test-env.ts';
import { shown, startSlackE2e, type SlackE2e } from '../support/slack-e2e-app.ts';

const OTHER_ERRORS = ['Access denied to bucket reports', 'Invalid JSON: missing field customerId', 'HTTP 429 Too Many Requests', 'TypeError: cannot read properties of undefined'];

describe.skipIf(!services)('analyze verdict and findings (SQS DLQ on ElasticMQ)', () => {
  let e: SlackE2e;
  beforeAll(async () => {
    e = await startSlackE2e('verdict');
  });
  afterAll(async () => {
    await e?.close();
  });

  it('one error on 110 of 150 messages: the verdict is systematic, as the same-error finding says', async () => {
    const bodies = [
      ...Array.from({ length: 110 }, (_, i) => JSON.stringify({ orderId: i, error: 'Lambda timeout after 30000 ms' })),
      ...OTHER_ERRORS.flatMap((error, n) => Array.from({ length: 10 }, (_, i) => JSON.stringify({ orderId: 1_000 + n * 10 + i, error }))),
    ];
    await sendMessages(e.sqs, e.pair.dlq.url, bodies);
    const reply = await e.dlq(`analyze ${e.queue}`);
    const text = shown(reply);
    expect(text).toContain('Analysis of');
    expect(text).toContain('150 messages');
    expect(text).toMatch(/\*Verdict:\* Systematic: of 150 messages, 110 \(73%\) share the error “Lambda timeout after &lt;n&gt; ms”, more than 100\./);
    expect(text).toContain('The same error affects 110 messages (more than 100: escalate to L3)');
    expect(text).not.toMatch(/Isolated/);
    expect(String(reply.args.text)).toContain('— systematic');
  });
});
