import { describe, expect, it } from 'vitest';
import type { SnsEnvelope } from '../../../src/adapters/inbound/sns/sns-message.schema.ts';
import { snsStringToSign } from '../../../src/adapters/inbound/sns/sns-string-to-sign.ts';

const base = {
  MessageId: 'm-1',
  TopicArn: 'arn:aws:sns:eu-west-1:123456789012:t',
  Message: '{"AlarmName":"a"}\nline two',
  Timestamp: '2026-11-22T08:00:00.000Z',
  SignatureVersion: '2',
  Signature: 'c2ln',
  SigningCertURL: 'https://sns.eu-west-1.amazonaws.com/x.pem',
};

describe('snsStringToSign', () => {
  it('lists Message, MessageId, Timestamp, TopicArn, Type for a notification without Subject', () => {
    const message: SnsEnvelope = { ...base, Type: 'Notification', UnsubscribeURL: 'https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe' };
    expect(snsStringToSign(message)).toBe(
      'Message\n{"AlarmName":"a"}\nline two\nMessageId\nm-1\nTimestamp\n2026-11-22T08:00:00.000Z\nTopicArn\narn:aws:sns:eu-west-1:123456789012:t\nType\nNotification\n',
    );
  });

  it('puts Subject between MessageId and Timestamp when present (even empty)', () => {
    expect(snsStringToSign({ ...base, Type: 'Notification', Subject: 'ALARM: "x"' })).toBe(
      'Message\n{"AlarmName":"a"}\nline two\nMessageId\nm-1\nSubject\nALARM: "x"\nTimestamp\n2026-11-22T08:00:00.000Z\nTopicArn\narn:aws:sns:eu-west-1:123456789012:t\nType\nNotification\n',
    );
    expect(snsStringToSign({ ...base, Type: 'Notification', Subject: '' })).toContain('MessageId\nm-1\nSubject\n\nTimestamp\n');
  });

  it.each(['SubscriptionConfirmation', 'UnsubscribeConfirmation'] as const)('signs SubscribeURL and Token for %s', (type) => {
    const message: SnsEnvelope = { ...base, Type: type, Token: 'tok', SubscribeURL: 'https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription' };
    expect(snsStringToSign(message)).toBe(
      `Message\n{"AlarmName":"a"}\nline two\nMessageId\nm-1\nSubscribeURL\nhttps://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription\nTimestamp\n2026-11-22T08:00:00.000Z\nToken\ntok\nTopicArn\narn:aws:sns:eu-west-1:123456789012:t\nType\n${type}\n`,
    );
  });

  it('never signs fields outside the list (UnsubscribeURL, SigningCertURL, Signature)', () => {
    const text = snsStringToSign({ ...base, Type: 'Notification', UnsubscribeURL: 'https://evil' });
    expect(text).not.toMatch(/UnsubscribeURL|SigningCertURL|Signature/);
  });
});
