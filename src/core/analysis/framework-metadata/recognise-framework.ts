// The recognisers Redrive knows, one list for every reader (field mapping and analyze, peek, view, the
// Kafka replay target's original topic), tried in order: header and message-attribute shapes first
// (cheap lookups), then the ones that parse the body. The first that claims a message describes it.
// Add a framework by writing a recogniser beside the others and listing it here. Pure.

import { recogniseEventBridgeDlq } from './aws-eventbridge.ts';
import { recogniseLambdaDestinationRecord, recogniseLambdaDlq } from './aws-lambda.ts';
import { recogniseSnsEnvelope } from './aws-sns.ts';
import type { FrameworkInput, FrameworkMetadata, FrameworkRecogniser } from './framework-metadata.ts';
import { recogniseKafkaConnect } from './kafka-connect.ts';
import { recogniseSpringKafka } from './spring-kafka.ts';

export type { FrameworkAttribute, FrameworkFact, FrameworkInput, FrameworkMetadata, FrameworkRecogniser } from './framework-metadata.ts';

export const FRAMEWORK_RECOGNISERS: readonly FrameworkRecogniser[] = [
  recogniseKafkaConnect,
  recogniseSpringKafka,
  recogniseLambdaDlq,
  recogniseEventBridgeDlq,
  recogniseSnsEnvelope,
  recogniseLambdaDestinationRecord,
];

/** What the framework that wrote this message says about its failure; null for a plain message. */
export const recogniseFramework = (input: FrameworkInput, recognisers: readonly FrameworkRecogniser[] = FRAMEWORK_RECOGNISERS): FrameworkMetadata | null => {
  for (const recognise of recognisers) {
    const found = recognise(input);
    if (found) return found;
  }
  return null;
};
