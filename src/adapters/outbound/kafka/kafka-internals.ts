// The shapes of the kafkajs internals KafkaWire uses (Cluster, Broker, Batch; kafkajs 2.2.4, its last
// release, so they are frozen). Types only: kafka-wire.ts stays the one module that loads kafkajs/src.

/** A record as kafkajs decodes it (RecordBatch v2). */
export interface WireRecord {
  offset: string;
  timestamp: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer | Buffer[] | string | undefined>;
  isControlRecord?: boolean;
}

export interface PartitionResponse {
  partition: number;
  errorCode: number;
  highWatermark: string;
  lastStableOffset?: string;
  abortedTransactions?: unknown[];
  messages: WireRecord[];
}

export interface FetchResponse {
  responses: { topicName: string; partitions: PartitionResponse[] }[];
}

export interface TopicPartitions<P> {
  topic: string;
  partitions: P[];
}

export interface InternalBroker {
  fetch(request: {
    maxWaitTime: number;
    minBytes: number;
    maxBytes: number;
    isolationLevel: number;
    topics: TopicPartitions<{ partition: number; fetchOffset: string; maxBytes: number }>[];
  }): Promise<FetchResponse>;
  offsetFetch(request: { groupId: string; topics: TopicPartitions<{ partition: number }>[] }): Promise<{
    responses: TopicPartitions<{ partition: number; offset: string; errorCode?: number }>[];
  }>;
  offsetCommit(request: {
    groupId: string;
    groupGenerationId: number;
    memberId: string;
    topics: TopicPartitions<{ partition: number; offset: string }>[];
  }): Promise<{ responses: TopicPartitions<{ partition: number; errorCode: number }>[] }>;
}

export interface InternalCluster {
  isConnected(): boolean;
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  addTargetTopic(topic: string): Promise<void>;
  refreshMetadata(): Promise<void>;
  refreshMetadataIfNecessary(): Promise<void>;
  findTopicPartitionMetadata(topic: string): { partitionId: number; leader: number | null }[];
  findLeaderForPartitions(topic: string, partitions: number[]): Record<string, number[]>;
  findBroker(options: { nodeId: string }): Promise<InternalBroker>;
  findGroupCoordinator(options: { groupId: string }): Promise<InternalBroker>;
  fetchTopicsOffset(topics: { topic: string; fromBeginning: boolean; partitions: { partition: number }[] }[]): Promise<
    TopicPartitions<{ partition: number; offset: string }>[]
  >;
}

export type ClusterConstructor = new (options: Record<string, unknown>) => InternalCluster;
export type BatchConstructor = new (topic: string, fetchedOffset: string, partitionData: PartitionResponse) => {
  messages: WireRecord[];
  messagesWithinOffset: WireRecord[];
};
