// SNS subscription dead-letter queues: with raw message delivery off, the body is the SNS envelope
// (Type "Notification", MessageId, TopicArn, Subject, Message, Timestamp, SignatureVersion,
// Signature, SigningCertURL, UnsubscribeURL, MessageAttributes). The inner Message is what the
// subscriber should have got: it is the payload shown and mapped; the topic is the origin. SNS adds no
// error attributes. Replay sends the body as it is. Pure; never throws.

import { arnResourceName, facts, parseObject, stringField, type FrameworkRecogniser } from './framework-metadata.ts';

export const recogniseSnsEnvelope: FrameworkRecogniser = (input) => {
  if (!input.body.includes('"TopicArn"')) return null;
  const json = parseObject(input.body);
  const topicArn = stringField(json, 'TopicArn');
  const message = json?.Message;
  if (json?.Type !== 'Notification' || topicArn === null || !topicArn.includes(':sns:') || typeof message !== 'string' || stringField(json, 'MessageId') === null) {
    return null;
  }
  const attributes = json.MessageAttributes !== null && typeof json.MessageAttributes === 'object' ? Object.keys(json.MessageAttributes as object) : [];
  return {
    framework: 'aws-sns',
    label: 'SNS subscription DLQ (SNS envelope)',
    shortName: 'SNS',
    errorCode: null,
    errorType: null,
    errorMessage: null,
    origin: `topic ${arnResourceName(topicArn)}`,
    originalTopic: null,
    retryCount: null,
    payload: message,
    facts: facts([
      ['topic', topicArn],
      ['SNS message id', stringField(json, 'MessageId')],
      ['subject', stringField(json, 'Subject')],
      ['published', stringField(json, 'Timestamp')],
      ['SNS attributes', attributes.join(', ')],
    ]),
  };
};
