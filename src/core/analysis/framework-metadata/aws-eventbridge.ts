// EventBridge target dead-letter queues: the body is the original event; String message attributes
// RULE_ARN, TARGET_ARN, ERROR_CODE (CONNECTION_FAILURE, NO_PERMISSIONS, NO_RESOURCE, THROTTLING,
// TIMEOUT, SDK_CLIENT_ERROR, ...), ERROR_MESSAGE, EXHAUSTED_RETRY_CONDITION (only when a retry limit
// ended the delivery) and RETRY_ATTEMPTS (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html).
// Pure; never throws.

import { asCount } from '../field-values.ts';
import { arnResourceName, attributeText, facts, type FrameworkRecogniser } from './framework-metadata.ts';

export const recogniseEventBridgeDlq: FrameworkRecogniser = (envelope) => {
  const ruleArn = attributeText(envelope, 'RULE_ARN');
  const targetArn = attributeText(envelope, 'TARGET_ARN');
  const errorCode = attributeText(envelope, 'ERROR_CODE');
  if ((ruleArn === null && targetArn === null) || errorCode === null) return null;
  const retries = attributeText(envelope, 'RETRY_ATTEMPTS');
  const exhausted = attributeText(envelope, 'EXHAUSTED_RETRY_CONDITION');
  const rule = ruleArn === null ? '?' : arnResourceName(ruleArn);
  return {
    framework: 'aws-eventbridge',
    title: 'EventBridge target DLQ',
    shortName: 'EventBridge',
    errorCode,
    errorType: errorCode,
    errorMessage: attributeText(envelope, 'ERROR_MESSAGE'),
    source: `rule ${rule} → ${targetArn ?? '?'}`,
    retryCount: asCount(retries),
    payload: null,
    facts: facts([
      ['written by', 'EventBridge (rule target DLQ)'],
      ['rule', ruleArn],
      ['target', targetArn],
      ['error code', errorCode],
      ['error message', attributeText(envelope, 'ERROR_MESSAGE')],
      ['retry attempts', retries],
      ['retries ended by', exhausted],
    ]),
  };
};
