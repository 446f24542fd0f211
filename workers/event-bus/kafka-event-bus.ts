import { Kafka, logLevel, type Admin, type Consumer, type KafkaConfig, type Producer, type LogEntry } from 'kafkajs';
import { readCaFile, readKeyPairFiles } from '../../certs/tls-material';
import { EVENT_TYPES } from '../../domain/events/dossier-events';
import { ServiceUnreachableError } from '../../domain/errors';
import type { EventBus, EventHandler, HubEvent } from '../../domain/events/event-bus.port';
import type { HubConfig } from '../../platform/config';
import type { Logger } from '../../platform/logger';
import { fromCloudEvent, toCloudEvent } from './cloud-events';

export interface KafkaEventBusOptions {
  brokers: string[];
  clientId: string;
  /** Topic = prefix + event type. @default 'onestop.' */
  topicPrefix: string;
  /** Consumer groups are `<group>.<consumer name>`. */
  consumerGroup: string;
  /** Partitions of topics the hub creates. @default 3 */
  partitions?: number;
  /** Replication factor of topics the hub creates. @default 1 */
  replicationFactor?: number;
  logger: Logger;
  /** TLS and SASL towards the brokers (`kafkaConnectionSecurity`). @default plaintext, no authentication */
  security?: KafkaConnectionSecurity;
}

/** What kafkajs is given to reach the brokers securely. */
export type KafkaConnectionSecurity = Pick<KafkaConfig, 'ssl' | 'sasl'>;

export type KafkaSecuritySettings = Pick<
  HubConfig,
  | 'KAFKA_SSL'
  | 'KAFKA_SSL_CA_FILE'
  | 'KAFKA_SSL_CERT_FILE'
  | 'KAFKA_SSL_KEY_FILE'
  | 'KAFKA_SASL_MECHANISM'
  | 'KAFKA_SASL_USERNAME'
  | 'KAFKA_SASL_PASSWORD'
>;

/**
 * The KAFKA_SSL* and KAFKA_SASL_* settings as kafkajs options. TLS trusts KAFKA_SSL_CA_FILE (or
 * Node's trust store) and presents KAFKA_SSL_CERT_FILE when given; the files are read and checked
 * now (certs/), so that a wrong one stops the start with its setting named.
 */
export function kafkaConnectionSecurity(settings: KafkaSecuritySettings): KafkaConnectionSecurity {
  const security: KafkaConnectionSecurity = {};
  if (settings.KAFKA_SSL) {
    const ca = settings.KAFKA_SSL_CA_FILE ? readCaFile({ setting: 'KAFKA_SSL_CA_FILE', file: settings.KAFKA_SSL_CA_FILE }) : undefined;
    const pair =
      settings.KAFKA_SSL_CERT_FILE && settings.KAFKA_SSL_KEY_FILE
        ? readKeyPairFiles(
            { setting: 'KAFKA_SSL_CERT_FILE', file: settings.KAFKA_SSL_CERT_FILE },
            { setting: 'KAFKA_SSL_KEY_FILE', file: settings.KAFKA_SSL_KEY_FILE },
          )
        : undefined;
    security.ssl =
      ca || pair
        ? { rejectUnauthorized: true, ...(ca ? { ca: [ca] } : {}), ...(pair ? { cert: pair.certificatePem, key: pair.keyPem } : {}) }
        : true;
  }
  if (settings.KAFKA_SASL_MECHANISM && settings.KAFKA_SASL_USERNAME && settings.KAFKA_SASL_PASSWORD) {
    const { KAFKA_SASL_USERNAME: username, KAFKA_SASL_PASSWORD: password } = settings;
    // One literal per mechanism: kafkajs types each mechanism's options apart.
    security.sasl =
      settings.KAFKA_SASL_MECHANISM === 'plain'
        ? { mechanism: 'plain', username, password }
        : settings.KAFKA_SASL_MECHANISM === 'scram-sha-256'
          ? { mechanism: 'scram-sha-256', username, password }
          : { mechanism: 'scram-sha-512', username, password };
  }
  return security;
}

function kafkaLogCreator(logger: Logger) {
  return () =>
    ({ level, log }: LogEntry) => {
      const { message, ...extra } = log;
      if (level <= logLevel.ERROR) logger.error(extra, `kafka: ${message}`);
      else if (level === logLevel.WARN) logger.warn(extra, `kafka: ${message}`);
      else logger.debug(extra, `kafka: ${message}`);
    };
}

/**
 * Kafka driver: CloudEvents JSON values, key = dossier code (one dossier's events stay in one
 * partition, in order), idempotent producer, acks from all in-sync replicas.
 */
export class KafkaEventBus implements EventBus {
  readonly kind = 'kafka' as const;
  private readonly kafka: Kafka;
  private readonly producer: Producer;
  private readonly admin: Admin;
  private readonly consumers: Consumer[] = [];
  private connected = false;

  constructor(private readonly options: KafkaEventBusOptions) {
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: options.brokers,
      ...options.security,
      connectionTimeout: 3000,
      requestTimeout: 10000,
      retry: { retries: 5, initialRetryTime: 200 },
      logCreator: kafkaLogCreator(options.logger),
    });
    this.producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    this.admin = this.kafka.admin();
  }

  topicFor(type: string): string {
    return `${this.options.topicPrefix}${type}`;
  }

  /** Connects and makes sure every event topic exists; fails with the variable's name when unreachable. */
  async start(): Promise<void> {
    const probe = new Kafka({
      clientId: `${this.options.clientId}-probe`,
      brokers: this.options.brokers,
      ...this.options.security,
      connectionTimeout: 3000,
      retry: { retries: 1, initialRetryTime: 300 },
      logLevel: logLevel.NOTHING,
    }).admin();
    try {
      await probe.connect();
      await probe.describeCluster();
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      if (error instanceof Error && error.name === 'KafkaJSSASLAuthenticationError') {
        throw new ServiceUnreachableError(`KAFKA_SASL_USERNAME: the brokers refused the credentials: ${detail}`, {
          reason: 'EVENTS.UNREACHABLE',
          cause: error,
        });
      }
      throw new ServiceUnreachableError(`KAFKA_BROKERS: cannot reach ${this.options.brokers.join(',')}: ${detail}`, {
        reason: 'EVENTS.UNREACHABLE',
        cause: error,
      });
    } finally {
      await probe.disconnect().catch(() => undefined);
    }
    await this.admin.connect();
    const existing = new Set(await this.admin.listTopics());
    const missing = EVENT_TYPES.map((type) => this.topicFor(type)).filter((topic) => !existing.has(topic));
    if (missing.length > 0) {
      await this.admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({
          topic,
          numPartitions: this.options.partitions ?? 3,
          replicationFactor: this.options.replicationFactor ?? 1,
        })),
      });
    }
    await this.producer.connect();
    this.connected = true;
  }

  async publish(events: readonly HubEvent[]): Promise<void> {
    if (events.length === 0) return;
    const byTopic = new Map<string, { key: string; value: string; headers: Record<string, string> }[]>();
    for (const event of events) {
      const topic = this.topicFor(event.type);
      const messages = byTopic.get(topic) ?? [];
      messages.push({
        key: event.subject,
        value: JSON.stringify(toCloudEvent(event)),
        headers: { 'content-type': 'application/cloudevents+json; charset=utf-8' },
      });
      byTopic.set(topic, messages);
    }
    await this.producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic.entries()].map(([topic, messages]) => ({ topic, messages })),
    });
  }

  async subscribe(consumerName: string, handler: EventHandler): Promise<void> {
    const consumer = this.kafka.consumer({ groupId: `${this.options.consumerGroup}.${consumerName}`, allowAutoTopicCreation: false });
    await consumer.connect();
    await consumer.subscribe({ topics: EVENT_TYPES.map((type) => this.topicFor(type)), fromBeginning: true });
    await consumer.run({
      // A thrown handler error leaves the offset uncommitted: the message is redelivered (at least once).
      eachMessage: async ({ message }) => {
        if (!message.value) return;
        let event: HubEvent;
        try {
          event = fromCloudEvent(JSON.parse(message.value.toString('utf8')));
        } catch (error) {
          this.options.logger.error({ err: error, consumer: consumerName }, 'skipping a message that is not a hub event');
          return;
        }
        await handler(event);
      },
    });
    this.consumers.push(consumer);
  }

  async checkHealth(): Promise<void> {
    await this.admin.describeCluster();
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.consumers.map((consumer) => consumer.disconnect()));
    if (this.connected) await this.producer.disconnect().catch(() => undefined);
    await this.admin.disconnect().catch(() => undefined);
  }
}
