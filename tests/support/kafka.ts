import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, type Consumer, type KafkaMessage } from 'kafkajs';
import { testEnv } from './environment';

/** Topic prefix unique to one test, so runs and files never see each other's events. */
export function freshTopicPrefix(label: string): string {
  return `test.${label}.${randomBytes(3).toString('hex')}.`;
}

export interface ReceivedMessage {
  topic: string;
  key: string | null;
  value: Record<string, unknown>;
  headers: Record<string, string>;
}

/** A plain kafkajs consumer on the real test broker, collecting everything on the given topics. */
export async function collectMessages(topics: string[]): Promise<{
  messages: ReceivedMessage[];
  consumer: Consumer;
  waitFor(predicate: (m: ReceivedMessage[]) => boolean, timeoutMs?: number): Promise<void>;
}> {
  const kafka = new Kafka({ clientId: 'hub-tests', brokers: testEnv('kafkaBrokers').split(','), logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `tests-${randomBytes(4).toString('hex')}` });
  const messages: ReceivedMessage[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ topic, message }: { topic: string; message: KafkaMessage }) => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(message.headers ?? {})) headers[name] = String(value);
      messages.push({ topic, key: message.key?.toString() ?? null, value: JSON.parse(message.value?.toString() ?? 'null'), headers });
    },
  });
  return {
    messages,
    consumer,
    async waitFor(predicate, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(messages)) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for Kafka messages; got ${messages.length}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
  };
}
