// Bidi overrides, NUL, ESC and C1 controls in real DLQ messages reach Slack only as visible `\uXXXX`:
// peek, /dlq view, the View modal and analyze, through signed Slack requests on the real app, with
// the local Slack API server recording what Redrive sent. SQS (ElasticMQ, like AWS) refuses NUL and
// the other C0 controls in a body, so the SQS messages carry bidi and C1 controls and a JSON-escaped
// NUL; the Kafka messages carry raw NUL and ESC bytes as well: a record holding those is taken for
// binary and shown as its bytes in hex (never the characters), a JSON record spells them out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MESSAGE_ACTIONS } from '../../src/presentation/slack/block-kit/interactive-actions.ts';
import { sendMessages, services } from '../integration/sqs/sqs-test-env.ts';
import type { RecordedCall } from '../support/slack-api-server.ts';
import { buttonsIn, shown, startKafkaSlackE2e, startSlackE2e, type KafkaSlackE2e, type SlackE2e } from '../support/slack-e2e-app.ts';
import { newSlackTs } from '../support/slack-payloads.ts';

/** Any bidi control or C0/C1 control but the line feed and tab a code block legitimately holds. */
const HIDDEN = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069\u061C]/;

const expectVisible = (call: RecordedCall | undefined, spelled: string[]): void => {
  const text = shown(call);
  expect(text).not.toMatch(HIDDEN);
  for (const s of spelled) expect(text).toContain(s);
};

describe.skipIf(!services)('control characters in SQS messages (ElasticMQ) through Slack', () => {
  let e: SlackE2e;
  const peekTs = newSlackTs();

  beforeAll(async () => {
    e = await startSlackE2e('controls');
    await sendMessages(e.sqs, e.pair.dlq.url, [
      JSON.stringify({ orderId: 1, error: 'attachment invoice\u202Efdp.exe refused', note: 'nul\u0000here', mark: '\u2066isolated\u2069 \u200F' }),
      'raw body: report\u202Etxt.exe \u0085 next \u009B2J',
    ]);
  });
  afterAll(async () => {
    await e?.close();
  });

  it('peek shows \\u202E and the C1 controls, never the characters', async () => {
    const peek = await e.dlq(`peek ${e.queue} --count 10`);
    expectVisible(peek, ['\\u202E', '\\u0085', '\\u009B', '\\u2066', '\\u2069', '\\u200F']);
  });

  it('the View modal, /dlq view and analyze show them visibly too', async () => {
    const peek = await e.dlq(`peek ${e.queue} --count 10`);
    const views = buttonsIn(peek).filter((b) => b.action_id === MESSAGE_ACTIONS.view);
    expect(views).toHaveLength(2);
    for (const button of views) {
      const before = e.slack.callsTo('views.update').length;
      await e.click({ actionId: MESSAGE_ACTIONS.view, value: button.value, messageTs: peekTs });
      const [modal] = (await e.slack.waitForCalls('views.update', before + 1, 15_000)).slice(before);
      expect((modal?.response as { ok?: boolean }).ok).toBe(true);
      expectVisible(modal, ['\\u202E']);
      const id = (JSON.parse(button.value) as { id: string }).id;
      const view = await e.dlq(`view ${e.queue} ${id}`);
      expectVisible(view, ['\\u202E']);
    }
    // The JSON-escaped NUL: parsed, pretty-printed, and still spelled out.
    const all = await Promise.all(views.map((b) => e.dlq(`view ${e.queue} ${(JSON.parse(b.value) as { id: string }).id}`)));
    expect(all.map(shown).join('\n')).toContain('nul\\u0000here');
    expectVisible(await e.dlq(`analyze ${e.queue}`), []);
  });
});

describe.skipIf(!services)('control characters in Kafka records (real broker) through Slack', () => {
  let k: KafkaSlackE2e;
  const peekTs = newSlackTs();

  beforeAll(async () => {
    k = await startKafkaSlackE2e('controls');
    await k.bench.produce(k.dlqTopic, [
      { key: 'evt-raw', value: Buffer.from('raw\u0000body \u001B[2J\u001B[31m red \u202Eexe.txt\r overwritten', 'utf8') },
      { key: 'evt-json', value: JSON.stringify({ trace_id: 'evt-\u202E-json', error_category: 'permanent\u0000', url: 'https://cdn.example.com/\u202Efdp.exe', final_error: 'HTTP 404\u001B[0m' }) },
    ]);
  }, 60_000);
  afterAll(async () => {
    await k?.close();
  });

  it('peek (the runbook list), /dlq view of both records, analyze: NUL and U+202E spelled out, the raw record as hex bytes', async () => {
    const peek = await k.dlq(`peek ${k.queue} --count 10`);
    expectVisible(peek, ['evt-\\u202E-json', 'permanent\\u0000']);
    const raw = await k.dlq(`view ${k.queue} 0:0`);
    expectVisible(raw, ['72 61 77 00 62 6f 64 79 20 1b 5b 32 4a', 'binary']);
    const json = await k.dlq(`view ${k.queue} 0:1`);
    expectVisible(json, ['\\u202E']);
    expectVisible(await k.dlq(`analyze ${k.queue}`), []);
  });

  it('the View modal of the raw record shows its bytes in hex, no control character', async () => {
    const peek = await k.dlq(`peek ${k.queue} --count 10`);
    const view = buttonsIn(peek).find((b) => b.action_id === MESSAGE_ACTIONS.view && (JSON.parse(b.value) as { id: string }).id === '0:0');
    expect(view).toBeDefined();
    const before = k.slack.callsTo('views.update').length;
    expect(await k.click(MESSAGE_ACTIONS.view, view?.value ?? '', peekTs)).toBe(200);
    const [modal] = (await k.slack.waitForCalls('views.update', before + 1, 30_000)).slice(before);
    expect((modal?.response as { ok?: boolean }).ok).toBe(true);
    expectVisible(modal, ['72 61 77 00 62 6f 64 79 20 1b 5b 32 4a', 'binary']);
  }, 60_000);
});
