// The canonical string SNS signs: `Key\nValue\n` for a fixed list of keys per message type, in that
// order, skipping Subject when the message has none.
// https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message-verify-message-signature.html

import type { SnsEnvelope } from './sns-message.schema.ts';

const NOTIFICATION_KEYS = ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'] as const;
const CONFIRMATION_KEYS = ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'] as const;

export const snsStringToSign = (message: SnsEnvelope): string => {
  const fields = message as unknown as Readonly<Record<string, unknown>>;
  const keys = message.Type === 'Notification' ? NOTIFICATION_KEYS : CONFIRMATION_KEYS;
  let out = '';
  for (const key of keys) {
    const value = fields[key];
    if (typeof value !== 'string') continue; // only Subject is ever absent; the schema requires the rest
    out += `${key}\n${value}\n`;
  }
  return out;
};
