// EventBridge target dead-letter queues: the body is the original event; String message attributes
// RULE_ARN, TARGET_ARN, ERROR_CODE (CONNECTION_FAILURE, NO_PERMISSIONS, NO_RESOURCE, THROTTLING,
// TIMEOUT, SDK_CLIENT_ERROR, ...), ERROR_MESSAGE, EXHAUSTED_RETRY_CONDITION (only when a retry limit
// ended the delivery) and RETRY_ATTEMPTS (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html).
// Pure; never throws.

import { asCount } from '../field-values.ts';
import { arnResourceName, messageAttributeText, facts, type FrameworkRecogniser } from './framework-metadata.ts';

export const recogniseEventBridgeDlq: FrameworkRecogniser = (input) => {
  const ruleArn = messageAttributeText(input, 'RULE_ARN');
  const targetArn = messageAttributeText(input, 'TARGET_ARN');
  const errorCode = messageAttributeText(input, 'ERROR_CODE');
  if ((ruleArn === null && targetArn === null) || errorCode === null) return null;
  const retries = messageAttributeText(input, 'RETRY_ATTEMPTS');
  const exhausted = messageAttributeText(input, 'EXHAUSTED_RETRY_CONDITION');
  const rule = ruleArn === null ? '?' : arnResourceName(ruleArn);
  return {
    framework: 'aws-eventbridge',
    label: 'EventBridge target DLQ',
    shortName: 'EventBridge',
    errorCode,
    errorType: errorCode,
    errorMessage: messageAttributeText(input, 'ERROR_MESSAGE'),
    origin: `rule ${rule} → ${targetArn ?? '?'}`,
    originalTopic: null,
    retryCount: asCount(retries),
    payload: null,
    facts: facts([
      ['rule', ruleArn],
      ['target', targetArn],
      ['error code', errorCode],
      ['error message', messageAttributeText(input, 'ERROR_MESSAGE')],
      ['retry attempts', retries],
      ['retries ended by', exhausted],
    ]),
  };
};
