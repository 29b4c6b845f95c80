// AWS dead-letter shapes on the real ElasticMQ, produced with the attributes AWS writes (Lambda DLQ,
// EventBridge target DLQ, SNS envelope), seen through signed Slack requests and the terminal: peek and
// view name who wrote each message and why; analyze groups the mixed DLQ by error code and by where it
// failed; replay keeps every message attribute, Binary ones and custom types byte for byte.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReceiveMessageCommand, SendMessageCommand, type MessageAttributeValue } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromMessageAttributes } from '../../src/adapters/outbound/sqs/sqs-message-mapper.ts';
import { eventBridgeDeadLetter, eventBridgeEvent, lambdaDeadLetter, s3Event, snsDeadLetter, type AwsDeadLetter } from '../fixtures/aws/aws-dead-letters.ts';
import { services, sqsEndpoint } from '../integration/sqs/sqs-test-env.ts';
import { runRedrive } from '../support/run-redrive.ts';
import { CHANNEL, followPeekPages, shown, startSlackE2e, type SlackE2e } from '../support/slack-e2e-app.ts';

const eventBridge = (code: string, id: string): AwsDeadLetter =>
  eventBridgeDeadLetter({
    event: eventBridgeEvent({ id, detailType: 'OrderPlaced', detail: { orderId: id } }),
    rule: 'orders-to-billing',
    targetArn: 'arn:aws:lambda:us-east-1:123456789012:function:billing',
    errorCode: code,
    errorMessage: code === 'NO_PERMISSIONS' ? 'Not authorized to invoke the target' : 'Rate exceeded',
    retryAttempts: code === 'NO_PERMISSIONS' ? 0 : 185,
    ...(code === 'NO_PERMISSIONS' ? {} : { exhaustedRetryCondition: 'MaximumRetryAttempts' as const }),
  });

/** Attributes of every kind SQS has, binary ones with bytes that are not UTF-8. */
const BINARY_ATTRIBUTES: Record<string, MessageAttributeValue> = {
  payload: { DataType: 'Binary', BinaryValue: new Uint8Array([0x00, 0xff, 0xfe, 0x80, 0x0a, 0x1f, 0x8b, 0x08]) },
  schema: { DataType: 'Binary.avro', BinaryValue: new Uint8Array([0x00, 0x00, 0x00, 0x00, 0x2a, 0xc3, 0x28]) },
  tenant: { DataType: 'String', StringValue: 'acme ✓ <b>' },
  attempt: { DataType: 'Number.int', StringValue: '3' },
};

describe.skipIf(!services)('AWS dead-letter shapes through Slack and the terminal (ElasticMQ)', () => {
  let e: SlackE2e;
  const ids: Record<string, string> = {};

  const send = async (name: string, letter: { body: string; attributes: Record<string, MessageAttributeValue> }): Promise<void> => {
    const sent = await e.sqs.send(new SendMessageCommand({ QueueUrl: e.pair.dlq.url, MessageBody: letter.body, MessageAttributes: letter.attributes }));
    ids[name] = sent.MessageId ?? '';
  };
  const aws = (letter: AwsDeadLetter) => ({ body: letter.body, attributes: fromMessageAttributes(letter.messageAttributes) });

  beforeAll(async () => {
    e = await startSlackE2e('awsdlq');
    await send('lambda1', aws(lambdaDeadLetter({ requestId: 'c4b1e3a2-0000-4000-8000-000000000001', errorMessage: 'Task timed out after 3.00 seconds', event: s3Event('in/a.csv') })));
    await send('lambda2', aws(lambdaDeadLetter({ requestId: 'c4b1e3a2-0000-4000-8000-000000000002', errorMessage: 'Task timed out after 3.00 seconds', event: s3Event('in/b.csv') })));
    await send('eb1', aws(eventBridge('NO_PERMISSIONS', 'e-1')));
    await send('eb2', aws(eventBridge('NO_PERMISSIONS', 'e-2')));
    await send('eb3', aws(eventBridge('THROTTLING', 'e-3')));
    await send('sns', aws(snsDeadLetter({ messageId: 'sns-1', topic: 'invoices', subject: 'invoice', message: JSON.stringify({ invoice_id: 'inv-9', error_message: 'HTTP 503 from billing' }) })));
    await send('binary', { body: '{"trace_id":"bin-1","error":"HTTP 503"}', attributes: BINARY_ATTRIBUTES });
  }, 60_000);
  afterAll(async () => {
    await e?.close();
  });

  it('peek names who wrote each message and why; an SNS card shows the inner Message', async () => {
    // Seven cards do not fit one Slack message: read every page (Next), as an operator would.
    const first = await e.dlq(`peek ${e.queue} --count 10`);
    const peekTs = e.slack.messagesIn(CHANNEL).at(-1)?.ts ?? '';
    const pages = await followPeekPages(e.slack, first, (actionId, value) => e.click({ actionId, value, messageTs: peekTs }).then((r) => r.status));
    const text = pages.map(shown).join('\n');
    expect(text).toContain('Lambda async invocation DLQ · 200 · Task timed out after 3.00 seconds');
    expect(text).toContain('EventBridge target DLQ · NO_PERMISSIONS · rule orders-to-billing → arn:aws:lambda:us-east-1:123456789012:function:billing');
    expect(text).toContain('SNS subscription DLQ (SNS envelope) · topic invoices');
    expect(text).toContain('inv-9');
  });

  it('view shows the framework facts; for SNS the topic and the inner Message', async () => {
    const eb = shown(await e.dlq(`view ${e.queue} ${ids.eb3}`));
    for (const fact of ['arn:aws:events:us-east-1:123456789012:rule/orders-to-billing', 'THROTTLING', 'Rate exceeded', 'MaximumRetryAttempts', 'retry attempts']) expect(eb).toContain(fact);
    const sns = shown(await e.dlq(`view ${e.queue} ${ids.sns}`));
    expect(sns).toContain('arn:aws:sns:us-east-1:123456789012:invoices');
    expect(sns).toContain('"invoice_id": "inv-9"');
    expect(sns).toContain('the inner Message is shown; a replay sends the whole envelope as received');
  });

  it('view shows Binary attributes as what they are: length and a hex preview', async () => {
    const text = shown(await e.dlq(`view ${e.queue} ${ids.binary}`));
    expect(text).toContain('payload (Binary) = &lt;binary, 8 bytes: 00 ff fe 80 0a 1f 8b 08&gt;');
    expect(text).toContain('schema (Binary.avro) = &lt;binary, 7 bytes: 00 00 00 00 2a c3 28&gt;');
    expect(text).toContain('attempt (Number.int) = 3');
  });

  it('analyze groups the mixed DLQ by error code and by where it failed (Slack and terminal)', async () => {
    const text = shown(await e.dlq(`analyze ${e.queue}`));
    expect(text).toMatch(/EventBridge NO_PERMISSIONS\s+2\s/);
    expect(text).toMatch(/Lambda 200\s+2\s/);
    expect(text).toMatch(/EventBridge THROTTLING\s+1\s/);
    expect(text).toMatch(/rule orders-to-billing → arn:aws:lambda:us-east-1:123456789012:function:billing\s+EventBridge\s+3\s/);
    expect(text).toMatch(/topic invoices\s+SNS\s+1\s/);
    expect(text).toContain('Task timed out after');

    const dir = mkdtempSync(join(tmpdir(), 'redrive-awsdlq-cli-'));
    const config = join(dir, 'redrive.json');
    const { endpoint, region } = sqsEndpoint();
    writeFileSync(config, JSON.stringify({ store: { kind: 'sqlite', path: join(dir, 'r.db') }, aws: { region, sqsEndpoint: endpoint }, queues: [{ name: 'aws-dlq', kind: 'sqs', queueUrl: e.pair.dlq.url }] }));
    const cli = await runRedrive(['dlq', 'analyze', 'aws-dlq', '--config', config], { env: { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', LOG_LEVEL: 'error' } });
    expect(cli.code).toBe(0);
    expect(cli.stdout).toMatch(/EXCEPTION CLASS \/ ERROR CODE/);
    expect(cli.stdout).toMatch(/EventBridge NO_PERMISSIONS\s+2\s/);
    expect(cli.stdout).toMatch(/\(not named in the message\)\s+Lambda\s+2\s/);
  }, 60_000);

  it('replay keeps every message attribute byte for byte: Binary, custom types, and the AWS ones', async () => {
    for (const name of ['binary', 'eb3', 'lambda1']) {
      const answer = shown(await e.dlq(`replay ${e.queue} ${ids[name]}`));
      expect(answer).not.toMatch(/:x:/);
    }
    const received = await e.sqs.send(new ReceiveMessageCommand({ QueueUrl: e.pair.source.url, MaxNumberOfMessages: 10, VisibilityTimeout: 0, WaitTimeSeconds: 2, MessageAttributeNames: ['All'] }));
    const byBody = new Map((received.Messages ?? []).map((m) => [m.Body ?? '', m.MessageAttributes ?? {}]));
    expect(byBody.size).toBe(3);
    const binary = byBody.get('{"trace_id":"bin-1","error":"HTTP 503"}') ?? {};
    expect(Object.keys(binary).sort()).toEqual(Object.keys(BINARY_ATTRIBUTES).sort());
    for (const [name, sent] of Object.entries(BINARY_ATTRIBUTES)) {
      const got = binary[name];
      expect(got?.DataType).toBe(sent.DataType);
      if (sent.BinaryValue) expect(Buffer.from(got?.BinaryValue ?? new Uint8Array()).equals(Buffer.from(sent.BinaryValue))).toBe(true);
      else expect(got?.StringValue).toBe(sent.StringValue);
    }
    const eb = byBody.get(eventBridge('THROTTLING', 'e-3').body) ?? {};
    expect(Object.fromEntries(Object.entries(eb).map(([k, v]) => [k, [v.DataType, v.StringValue]]))).toEqual(
      Object.fromEntries(Object.entries(eventBridge('THROTTLING', 'e-3').messageAttributes).map(([k, v]) => [k, [v.dataType, v.stringValue]])),
    );
    const lambda = [...byBody.entries()].find(([body]) => body.includes('in/a.csv'))?.[1] ?? {};
    expect(lambda.ErrorCode).toMatchObject({ DataType: 'Number', StringValue: '200' });
    expect(lambda.RequestID?.StringValue).toBe('c4b1e3a2-0000-4000-8000-000000000001');
  }, 60_000);
});
