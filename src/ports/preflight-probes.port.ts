// What pre-flight checks read from the outside world (issue 14): CloudWatch alarm states, an HTTP
// health URL, a Kafka consumer group's lag. Adapters translate failures into `error` strings (never
// throw for an unreachable target): a check that cannot be evaluated blocks, it does not pass.

export interface AlarmState {
  state: string;
  reason: string | null;
}

export interface AlarmStates {
  /** The states of the named alarms; an alarm that does not exist is absent from the map. Throws when CloudWatch cannot be asked. */
  read(names: readonly string[]): Promise<Map<string, AlarmState>>;
}

export type HealthAnswer = { status: number; elapsedMs: number } | { status: null; elapsedMs: number | null; error: string | null };

export interface HealthProbe {
  /** GETs the URL; `status: null` when it did not answer within `timeoutMs` (error null) or was unreachable (error set). */
  check(url: string, timeoutMs: number): Promise<HealthAnswer>;
}

export interface ConsumerGroupLag {
  /**
   * Messages the group has not consumed on the topic (high watermark − committed offset, summed over
   * partitions). Throws when the cluster does not answer, the topic is missing, or the group has no
   * committed offset on the topic (its lag would be a guess).
   */
  lag(group: string, topic: string): Promise<number>;
}
