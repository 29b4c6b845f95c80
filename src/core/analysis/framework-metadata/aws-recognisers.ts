// The AWS dead-letter shapes Redrive recognises without configuration, tried in order: attribute
// shapes first (cheap), then body envelopes. The first match wins. Pure.

import { recogniseEventBridgeDlq } from './aws-eventbridge.ts';
import { recogniseLambdaDestinationRecord, recogniseLambdaDlq } from './aws-lambda.ts';
import { recogniseSnsEnvelope } from './aws-sns.ts';
import type { FrameworkEnvelope, FrameworkMetadata, FrameworkRecogniser } from './framework-metadata.ts';

export const AWS_RECOGNISERS: readonly FrameworkRecogniser[] = [recogniseLambdaDlq, recogniseEventBridgeDlq, recogniseSnsEnvelope, recogniseLambdaDestinationRecord];

export const recogniseAwsDeadLetter = (envelope: FrameworkEnvelope): FrameworkMetadata | null => {
  for (const recognise of AWS_RECOGNISERS) {
    const found = recognise(envelope);
    if (found) return found;
  }
  return null;
};
