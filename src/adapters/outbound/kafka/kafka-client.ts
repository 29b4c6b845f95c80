// Kafka connections, one set per configured cluster and shared by every queue on it: the wire
// (group-free reads, offsets, commits) and a lazily connected producer for replays. kafkajs logs go
// to a pino child logger. Timeouts and retries are small so a dead broker is reported in seconds.
// Security: SASL credentials come in already resolved from the environment; they are never logged.

import { Kafka, Partitioners, logLevel as KafkaLogLevel, type LogEntry, type Producer, type SASLOptions } from 'kafkajs';
import type { KafkaClusterConfig } from '../../../config/config.schema.ts';
import { RedriveError } from '../../../errors.ts';
import type { Logger } from '../logging/pino-logger.ts';
import { KafkaWire } from './kafka-wire.ts';

export interface KafkaConnectionSettings {
  /** The cluster's name in the config, for logs. */
  name: string;
  brokers: string[];
  clientId: string;
  ssl: boolean;
  sasl?: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string } | undefined;
  connectionTimeoutMs: number;
  requestTimeoutMs: number;
  /** kafkajs retries per operation (default 2, each after 100 ms to 1 s). */
  retries?: number;
}

/** The cluster's config slice plus its SASL secret (from load-config's resolveSecrets). */
export const kafkaConnectionSettings = (
  name: string,
  config: KafkaClusterConfig,
  secret?: { username?: string | undefined; password?: string | undefined },
): KafkaConnectionSettings => ({
  name,
  brokers: config.brokers,
  clientId: config.clientId,
  ssl: config.ssl,
  sasl: config.sasl ? { mechanism: config.sasl.mechanism, username: secret?.username ?? '', password: secret?.password ?? '' } : undefined,
  connectionTimeoutMs: config.connectionTimeoutMs,
  requestTimeoutMs: config.requestTimeoutMs,
});

type PinoLevel = 'warn' | 'debug' | 'trace';

/** kafkajs ERROR and WARN → warn, INFO → debug (it narrates every connect), DEBUG → trace. */
const pinoLevelOf = (level: number, message: string): PinoLevel => {
  // Protocol errors are logged by kafkajs *and* thrown; the adapter reports the thrown one.
  if (level <= KafkaLogLevel.WARN) return message.startsWith('Response ') ? 'debug' : 'warn';
  return level === KafkaLogLevel.INFO ? 'debug' : 'trace';
};

/** The kafkajs level that lets through what the pino logger would print. */
export const kafkaLogLevelFor = (logger: Logger): number => {
  if (logger.isLevelEnabled('trace')) return KafkaLogLevel.DEBUG;
  if (logger.isLevelEnabled('debug')) return KafkaLogLevel.INFO;
  if (logger.isLevelEnabled('warn')) return KafkaLogLevel.WARN;
  return KafkaLogLevel.NOTHING;
};

/** A kafkajs logCreator writing to `logger` with the kafkajs namespace as a field. */
export const kafkaLogCreator =
  (logger: Logger) =>
  () =>
  (entry: LogEntry): void => {
    const { message, timestamp: _timestamp, logger: _source, ...extra } = entry.log;
    logger[pinoLevelOf(entry.level, String(message))]({ kafkajs: entry.namespace, ...extra }, String(message));
  };

const retryOptions = (settings: KafkaConnectionSettings) => ({ retries: settings.retries ?? 2, initialRetryTime: 100, maxRetryTime: 1_000 });

const saslOptions = (settings: KafkaConnectionSettings): SASLOptions | undefined => {
  const sasl = settings.sasl;
  if (!sasl) return undefined;
  return { mechanism: sasl.mechanism, username: sasl.username, password: sasl.password } as SASLOptions;
};

/** Everything Kafka-side one cluster needs; `close` disconnects all of it. */
export class KafkaClients {
  readonly settings: KafkaConnectionSettings;
  readonly wire: KafkaWire;
  readonly kafka: Kafka;
  readonly logger: Logger;
  #producer: Promise<Producer> | null = null;

  constructor(settings: KafkaConnectionSettings, logger: Logger) {
    this.settings = settings;
    this.logger = logger.child({ component: 'kafka', cluster: settings.name });
    const level = kafkaLogLevelFor(this.logger);
    const logCreator = kafkaLogCreator(this.logger);
    const common = {
      brokers: settings.brokers,
      clientId: settings.clientId,
      ssl: settings.ssl,
      connectionTimeout: settings.connectionTimeoutMs,
      requestTimeout: settings.requestTimeoutMs,
      retry: retryOptions(settings),
      logLevel: level,
      logCreator,
    };
    this.kafka = new Kafka({ ...common, ...(settings.sasl ? { sasl: saslOptions(settings) as SASLOptions } : {}) });
    this.wire = new KafkaWire({
      ...common,
      connectionTimeoutMs: settings.connectionTimeoutMs,
      requestTimeoutMs: settings.requestTimeoutMs,
      sasl: settings.sasl,
    });
  }

  /** The shared producer, connected on first use (acks and idempotence are chosen per send). */
  producer(): Promise<Producer> {
    this.#producer ??= (async () => {
      const producer = this.kafka.producer({
        createPartitioner: Partitioners.DefaultPartitioner,
        allowAutoTopicCreation: false,
        retry: retryOptions(this.settings),
      });
      await producer.connect();
      return producer;
    })().catch((error: unknown) => {
      this.#producer = null;
      throw error;
    });
    return this.#producer;
  }

  async close(): Promise<void> {
    const producer = this.#producer;
    this.#producer = null;
    await Promise.allSettled([this.wire.disconnect(), producer?.then((p) => p.disconnect())]);
  }
}

/** One KafkaClients per cluster name, created on first use and closed together. */
export class KafkaClientPool {
  readonly #settings: ReadonlyMap<string, KafkaConnectionSettings>;
  readonly #logger: Logger;
  readonly #clients = new Map<string, KafkaClients>();

  constructor(settings: KafkaConnectionSettings[], logger: Logger) {
    this.#settings = new Map(settings.map((s) => [s.name, s]));
    this.#logger = logger;
  }

  get(cluster: string): KafkaClients {
    let clients = this.#clients.get(cluster);
    if (!clients) {
      const settings = this.#settings.get(cluster);
      if (!settings) throw new RedriveError('CONFIG_INVALID', `Kafka cluster "${cluster}" is not configured.`, { context: { cluster } });
      clients = new KafkaClients(settings, this.#logger);
      this.#clients.set(cluster, clients);
    }
    return clients;
  }

  async close(): Promise<void> {
    const all = [...this.#clients.values()];
    this.#clients.clear();
    await Promise.allSettled(all.map((c) => c.close()));
  }
}
