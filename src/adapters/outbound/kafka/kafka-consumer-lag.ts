// A Kafka consumer group's lag on a topic, for the pre-flight check of a replay topic: per partition
// the high watermark minus the group's committed offset, summed. A group with no committed offset on
// the topic has no measurable lag, and that is an error, not zero.

import { RedriveError } from '../../../errors.ts';
import type { ConsumerGroupLag } from '../../../ports/preflight-probes.port.ts';
import type { KafkaWire } from './kafka-wire.ts';

export const createKafkaConsumerLag = (wire: KafkaWire): ConsumerGroupLag => ({
  lag: async (group, topic) => {
    const partitions = await wire.partitions(topic);
    const [offsets, committed] = await Promise.all([wire.offsets(topic, partitions), wire.committed(group, topic, partitions)]);
    let lag = 0n;
    let known = 0;
    for (const p of offsets) {
      const at = committed.get(p.partition) ?? -1n;
      if (at < 0n) {
        lag += p.high - p.low;
        continue;
      }
      known += 1;
      lag += p.high > at ? p.high - at : 0n;
    }
    if (known === 0) {
      throw new RedriveError('DLQ_OPERATION_UNSUPPORTED', `Consumer group ${group} has no committed offset on ${topic}, so its lag cannot be measured.`, { context: { group, topic } });
    }
    return Number(lag);
  },
});
