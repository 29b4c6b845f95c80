// The recognisers Redrive knows, tried in order: the first that claims a message describes it. Add a
// framework by writing a recogniser beside the others and listing it here. Pure.

import type { FrameworkInput, FrameworkMetadata, FrameworkRecogniser } from './framework-metadata.ts';
import { recogniseKafkaConnect } from './kafka-connect.ts';
import { recogniseSpringKafka } from './spring-kafka.ts';

export type { FrameworkField, FrameworkInput, FrameworkMetadata, FrameworkRecogniser } from './framework-metadata.ts';

export const FRAMEWORK_RECOGNISERS: readonly FrameworkRecogniser[] = [recogniseKafkaConnect, recogniseSpringKafka];

/** What the framework that wrote this message says about its failure; null for a plain message. */
export const recogniseFramework = (input: FrameworkInput, recognisers: readonly FrameworkRecogniser[] = FRAMEWORK_RECOGNISERS): FrameworkMetadata | null => {
  for (const recognise of recognisers) {
    const found = recognise(input);
    if (found) return found;
  }
  return null;
};
