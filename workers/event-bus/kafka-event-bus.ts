import { Kafka, logLevel, type Admin, type Consumer, type Producer, type LogEntry } from 'kafkajs';
import { EVENT_TYPES } from '../../domain/events/dossier-events';
import { ServiceUnreachableError } from '../../domain/errors';
import type { EventBus, EventHandler, HubEvent } from '../../domain/events/event-bus.port';
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
      connectionTimeout: 3000,
      retry: { retries: 1, initialRetryTime: 300 },
      logLevel: logLevel.NOTHING,
    }).admin();
    try {
      await probe.connect();
      await probe.describeCluster();
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
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
