// Lambda asynchronous invocation failures, two shapes:
// - the function's dead-letter queue (DeadLetterConfig): the body is the original event, unchanged;
//   message attributes RequestID (String), ErrorCode (Number, the 3-digit HTTP code) and
//   ErrorMessage (String, cut to 1 KB) say why (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html);
// - an on-failure destination's invocation record: a JSON body with requestContext (requestId,
//   functionArn, condition, approximateInvokeCount), requestPayload (the event), responseContext
//   and responsePayload (errorType, errorMessage).
// Pure; never throws.

import { arnResourceName, messageAttributeText, facts, parseObject, stringField, type FrameworkRecogniser } from './framework-metadata.ts';

export const recogniseLambdaDlq: FrameworkRecogniser = (input) => {
  const requestId = messageAttributeText(input, 'RequestID');
  const errorCode = messageAttributeText(input, 'ErrorCode');
  const errorMessage = messageAttributeText(input, 'ErrorMessage');
  if (requestId === null || (errorCode === null && errorMessage === null)) return null;
  return {
    framework: 'aws-lambda',
    label: 'Lambda async invocation DLQ',
    shortName: 'Lambda',
    errorCode,
    errorType: null,
    errorMessage,
    // The attributes do not name the function: the DLQ belongs to one (or a few) functions.
    origin: null,
    originalTopic: null,
    retryCount: null,
    payload: null,
    facts: facts([
      ['request id', requestId],
      ['error code', errorCode],
      ['error message', errorMessage],
    ]),
  };
};

const LAMBDA_CONDITIONS = new Set(['RetriesExhausted', 'EventAgeExceeded', 'RetryDisabled']);

export const recogniseLambdaDestinationRecord: FrameworkRecogniser = (input) => {
  if (!input.body.includes('"requestContext"')) return null;
  const record = parseObject(input.body);
  const context = record?.requestContext;
  if (!record || context === null || typeof context !== 'object' || Array.isArray(context)) return null;
  const request = context as Record<string, unknown>;
  const functionArn = stringField(request, 'functionArn');
  const condition = stringField(request, 'condition');
  if (functionArn === null || !functionArn.includes(':lambda:') || condition === null || !LAMBDA_CONDITIONS.has(condition)) return null;
  const response = (record.responsePayload !== null && typeof record.responsePayload === 'object' ? record.responsePayload : null) as Record<string, unknown> | null;
  const responseContext = (record.responseContext !== null && typeof record.responseContext === 'object' ? record.responseContext : null) as Record<string, unknown> | null;
  const invokeCount = typeof request.approximateInvokeCount === 'number' ? request.approximateInvokeCount : null;
  const statusCode = typeof responseContext?.statusCode === 'number' ? String(responseContext.statusCode) : null;
  const functionName = arnResourceName(functionArn.replace(/:(\$LATEST|\d+)$/, ''));
  const errorType = stringField(response, 'errorType') ?? stringField(responseContext, 'functionError');
  return {
    framework: 'aws-lambda-destination',
    label: 'Lambda on-failure destination record',
    shortName: 'Lambda',
    errorCode: statusCode,
    errorType,
    errorMessage: stringField(response, 'errorMessage') ?? condition,
    origin: `function ${functionName}`,
    originalTopic: null,
    retryCount: invokeCount === null ? null : Math.max(0, invokeCount - 1),
    payload: null,
    facts: facts([
      ['function', functionArn],
      ['condition', condition],
      ['request id', stringField(request, 'requestId')],
      ['invocations', invokeCount],
      ['status code', statusCode],
      ['error type', errorType],
      ['error message', stringField(response, 'errorMessage')],
    ]),
  };
};
