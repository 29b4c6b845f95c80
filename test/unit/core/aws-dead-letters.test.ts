import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../../src/core/analysis/analyzer.ts';
import { mapDlqMessage } from '../../../src/core/analysis/field-mapping.ts';
import { recogniseFramework } from '../../../src/core/analysis/framework-metadata/recognise-framework.ts';
import { renderMessage, renderPeek } from '../../../src/presentation/slack/replies/queue-replies.ts';
import type { DlqMessage } from '../../../src/ports/dead-letter-queue.port.ts';
import { eventBridgeDeadLetter, eventBridgeEvent, lambdaDeadLetter, s3Event, snsDeadLetter, type AwsDeadLetter } from '../../fixtures/aws/aws-dead-letters.ts';

const NOW = new Date('2026-12-04T12:00:00.000Z');
let n = 0;
const asMessage = (letter: AwsDeadLetter): DlqMessage => {
  n += 1;
  return {
    queue: 'aws-dlq', messageKey: `m-${n}`, body: letter.body, attributes: { ApproximateReceiveCount: '1' }, messageAttributes: letter.messageAttributes,
    enqueuedAt: new Date(NOW.getTime() - 60_000), receiveCount: 1, partition: null, offset: null, key: null, groupId: null, deduplicationId: null,
  };
};

const lambda = () => lambdaDeadLetter({ requestId: 'c4b1e3a2-0000-4000-8000-000000000001', errorMessage: 'Task timed out after 3.00 seconds', event: s3Event('in/a.csv') });
const eventBridge = (code = 'NO_PERMISSIONS') =>
  eventBridgeDeadLetter({
    event: eventBridgeEvent({ id: 'e-1', detailType: 'OrderPlaced', detail: { orderId: 'o-1' } }),
    rule: 'orders-to-billing',
    targetArn: 'arn:aws:lambda:us-east-1:123456789012:function:billing',
    errorCode: code,
    errorMessage: 'Not authorized to invoke the target',
    retryAttempts: code === 'NO_PERMISSIONS' ? 0 : 5,
    ...(code === 'NO_PERMISSIONS' ? {} : { exhaustedRetryCondition: 'MaximumRetryAttempts' as const }),
  });
const sns = () => snsDeadLetter({ messageId: 'sns-1', topic: 'invoices', subject: 'invoice', message: JSON.stringify({ invoice_id: 'inv-9', error_message: 'HTTP 503 from billing' }) });

describe('AWS dead-letter shapes, recognised without configuration', () => {
  it('Lambda DLQ: RequestID / ErrorCode (Number) / ErrorMessage; the body stays the original event', () => {
    const found = recogniseFramework(asMessage(lambda()));
    expect(found).toMatchObject({ framework: 'aws-lambda', label: 'Lambda async invocation DLQ', errorCode: '200', errorMessage: 'Task timed out after 3.00 seconds', payload: null, originalTopic: null });
    expect(found?.facts.map((f) => f.label)).toEqual(['request id', 'error code', 'error message']);
  });

  it('EventBridge DLQ: rule, target, error code and retry attempts', () => {
    const mapped = mapDlqMessage(asMessage(eventBridge('THROTTLING')));
    expect(mapped.framework).toMatchObject({ framework: 'aws-eventbridge', errorCode: 'THROTTLING', origin: 'rule orders-to-billing → arn:aws:lambda:us-east-1:123456789012:function:billing' });
    expect(mapped.errorType).toBe('THROTTLING');
    expect(mapped.errorText).toBe('Not authorized to invoke the target');
    expect([mapped.retryCount, mapped.retryCountSource]).toEqual([5, 'header']);
    expect(mapped.eventType).toBe('OrderPlaced');
  });

  it('SNS envelope: the inner Message is mapped, the topic is the source', () => {
    const mapped = mapDlqMessage(asMessage(sns()));
    // The SNS topic is where it failed, not a Kafka topic to replay to.
    expect(mapped.framework).toMatchObject({ framework: 'aws-sns', origin: 'topic invoices', originalTopic: null });
    expect(mapped.errorText).toBe('HTTP 503 from billing');
    expect(mapped.jobId ?? mapped.traceId).toBeNull();
    expect(mapped.shape).toBe('{error_message:string,invoice_id:string}');
  });

  it('Lambda on-failure destination record names the function', () => {
    const body = JSON.stringify({
      version: '1.0', timestamp: '2026-12-04T10:00:00.000Z',
      requestContext: { requestId: 'r-1', functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:resize:$LATEST', condition: 'RetriesExhausted', approximateInvokeCount: 3 },
      requestPayload: { key: 'a.png' },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: { errorType: 'ImageTooLarge', errorMessage: 'image is 40 MB' },
    });
    expect(recogniseFramework({ body })).toMatchObject({ framework: 'aws-lambda-destination', origin: 'function resize', errorType: 'ImageTooLarge', retryCount: 2 });
  });

  it('leaves other messages alone: look-alikes without the full shape are not recognised', () => {
    expect(recogniseFramework({ body: '{"TopicArn":"arn:aws:sns:x","Type":"Notification"}' })).toBeNull();
    expect(recogniseFramework({ body: '{}', messageAttributes: { RequestID: { dataType: 'String', stringValue: 'r' } } })).toBeNull();
    expect(recogniseFramework({ body: '{}', messageAttributes: { ERROR_CODE: { dataType: 'String', stringValue: 'X' } } })).toBeNull();
    expect(recogniseFramework({ body: 'not json {"TopicArn"' })).toBeNull();
  });

  it('analyze groups a mixed DLQ by error code and by where it failed (and who wrote it)', () => {
    const analyzer = createAnalyzer({ now: NOW });
    for (const letter of [lambda(), lambda(), eventBridge(), eventBridge(), eventBridge('THROTTLING'), sns()]) analyzer.add(asMessage(letter));
    analyzer.add(asMessage({ body: '{"job_id":"j1","error":"boom"}', messageAttributes: {} }));
    const report = analyzer.result();
    expect(Object.fromEntries(report.byErrorType.map((g) => [String(g.errorType), g.count]))).toEqual({
      'EventBridge NO_PERMISSIONS': 2,
      'Lambda 200': 2,
      'EventBridge THROTTLING': 1,
      'SNS (no error code)': 1,
      null: 1,
    });
    expect(report.byOrigin.map((g) => [g.framework, g.origin, g.count]).slice(0, 2)).toEqual([
      ['EventBridge', 'rule orders-to-billing → arn:aws:lambda:us-east-1:123456789012:function:billing', 3],
      ['Lambda', null, 2],
    ]);
    expect(report.byOrigin.map((g) => [g.framework, g.origin, g.count]).slice(2)).toEqual(expect.arrayContaining([['SNS', 'topic invoices', 1], [null, null, 1]]));
    expect(report.bySignature.find((g) => g.signature.startsWith('Task timed out'))?.count).toBe(2);
  });

  it('peek and view show who wrote the message and why; an SNS card shows the inner Message', () => {
    const messages = [asMessage(eventBridge()), asMessage(sns())];
    const peek = JSON.stringify(renderPeek('aws-dlq', messages, NOW).blocks);
    expect(peek).toContain('EventBridge target DLQ · NO_PERMISSIONS · rule orders-to-billing');
    expect(peek).toContain('SNS subscription DLQ (SNS envelope) · topic invoices');
    expect(peek).toContain('inv-9');
    expect(peek).not.toContain('SigningCertURL');
    const view = JSON.stringify(renderMessage(messages[1] as DlqMessage, NOW).blocks);
    expect(view).toContain('arn:aws:sns:us-east-1:123456789012:invoices');
    expect(view).toContain('the inner Message is shown; a replay sends the whole envelope as received');
  });
});
