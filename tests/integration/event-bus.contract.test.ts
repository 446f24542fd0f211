import { randomUUID } from 'node:crypto';
import type { EventBus, HubEvent } from '../../domain/events/event-bus.port';
import type { Store } from '../../store/database';
import { consumeOnce } from '../../store/outbox';
import { InProcessEventBus } from '../../workers/event-bus/in-process-event-bus';
import { KafkaEventBus } from '../../workers/event-bus/kafka-event-bus';
import { dropSchema, freshSchemaName, openTestStore, quietLogger } from '../support/database';
import { testEnv } from '../support/environment';
import { freshTopicPrefix } from '../support/kafka';

async function eventually(predicate: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function events(subject: string, count: number): HubEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    id: randomUUID(),
    type: 'dossier.forwarded' as const,
    subject,
    time: new Date(),
    data: { step: i },
    sequence: String(i + 1),
  }));
}

/** The same contract, run against every driver of the event bus. */
const DRIVERS: [string, () => Promise<EventBus>][] = [
  ['in-process', async () => new InProcessEventBus()],
  [
    'kafka',
    async () => {
      const bus = new KafkaEventBus({
        brokers: testEnv('kafkaBrokers').split(','),
        clientId: 'hub-contract',
        topicPrefix: freshTopicPrefix('contract'),
        consumerGroup: `contract-${randomUUID().slice(0, 8)}`,
        logger: quietLogger,
      });
      await bus.start();
      return bus;
    },
  ],
];

describe.each(DRIVERS)('event bus contract: %s driver', (_name, createBus) => {
  const schema = freshSchemaName(`bus_${_name}`);
  let store: Store;
  let bus: EventBus;

  beforeAll(async () => {
    store = await openTestStore(schema);
    bus = await createBus();
  });

  afterAll(async () => {
    await bus?.close();
    await store?.close();
    await dropSchema(schema);
  });

  it('answers its health check', async () => {
    await expect(bus.checkHealth()).resolves.toBeUndefined();
  });

  it('delivers one subject’s events to a consumer in publishing order', async () => {
    const seen: number[] = [];
    await bus.subscribe('order-check', async (event) => {
      if (event.subject === 'ORDER-260101-0001') seen.push(Number(event.data.step));
    });
    await bus.publish(events('ORDER-260101-0001', 20));
    await eventually(() => seen.length === 20);
    expect(seen).toEqual([...Array(20).keys()]);
  });

  it('redelivers after a consumer failure, and consumeOnce applies the effect exactly once', async () => {
    let failuresLeft = 2;
    let attempts = 0;
    await bus.subscribe('flaky', async (event) => {
      if (event.subject !== 'FLAKY-260101-0001') return;
      attempts += 1;
      await consumeOnce(store.orm, 'flaky', event, async (em) => {
        await em.execute('create table if not exists flaky_effect (event_id uuid)');
        await em.execute('insert into flaky_effect (event_id) values (?)', [event.id]);
      });
      if (failuresLeft-- > 0) throw new Error('consumer crashed after applying');
    });
    const [event] = events('FLAKY-260101-0001', 1);
    // In-process delivery surfaces the failure to the publisher (the relay), which retries.
    for (let tries = 0; tries < 5; tries += 1) {
      try {
        await bus.publish([event!]);
        break;
      } catch {
        // retried like the relay would
      }
    }
    await eventually(() => attempts >= 3, 60_000);
    const rows = await store.orm.em.fork().execute<{ count: string }[]>('select count(*)::text as count from flaky_effect');
    expect(rows[0]?.count).toBe('1');
  });
});
