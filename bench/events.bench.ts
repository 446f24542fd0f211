/**
 * Events end to end: outbox rows committed the way the hub writes them (a use case's transaction,
 * events recorded in it) → the hub's relay → the Kafka broker → a consumer in a group of its own;
 * against a bare kafkajs producer → consumer of the same messages (same keys, same sizes, same
 * headers) on the same broker, in the same run. Latency runs from the commit of the outbox row (the
 * bare producer: from the call to send) to the consumer's handling of the message.
 *
 * Two offered loads per size: as fast as the writers go (throughput), and a steady --rate (the
 * latency a deployment sees at that load, without a backlog built by an unbounded writer).
 *
 * Usage: npm run bench -- events [--events 1000,10000,100000] [--rate 5000] [--batch 100]
 *        [--writers 4] [--brokers host:port] [--relay-batch N]
 * Without --brokers a broker is started on free ports (scripts/kafka-broker.sh) and stopped after.
 */
import 'reflect-metadata';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseArgs } from 'node:util';
import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import { Client } from 'pg';
import type { EventType } from '../domain/events/dossier-events';
import { startHub, type Hub } from '../gateway/hub';
import { projectRoot } from '../platform/paths';
import { createLogger } from '../platform/logger';
import { UnitOfWork } from '../store/unit-of-work';
import { toCloudEvent } from '../workers/event-bus/cloud-events';
import { freePort } from '../tests/support/ports';
import { benchHubConfig, formatBenchTable, type BenchResult } from './bench-support';
import { serverUrl } from './reception.bench';

const run = promisify(execFile);

/**
 * A dossier's life as events, in separate transactions: two steps share a topic, so the consumer can
 * see whether one dossier's events of one type keep their order.
 */
const LIFE: readonly EventType[] = ['dossier.received', 'dossier.step-completed', 'dossier.step-completed', 'dossier.result-recorded'];
const TOPIC_TYPES = [...new Set(LIFE)];

interface PlannedEvent {
  index: number;
  type: EventType;
  subject: string;
  data: Record<string, unknown>;
}

/** `count` events over count/4 dossiers, in an order where each dossier's events come in its life order. */
function planEvents(count: number, runId: string): PlannedEvent[] {
  const dossiers = Math.max(1, Math.ceil(count / LIFE.length));
  const events: PlannedEvent[] = [];
  for (let i = 0; i < count; i += 1) {
    // Step i/dossiers of dossier i%dossiers: all dossiers are received before any is forwarded, etc.
    const dossier = i % dossiers;
    const step = Math.floor(i / dossiers);
    const subject = `${runId}-260101-${String(dossier).padStart(6, '0')}`;
    events.push({
      index: i,
      type: LIFE[step]!,
      subject,
      // The shape and size of what dossier.service records (no personal data).
      data: {
        code: subject,
        action: ['RECEIVE', 'COMPLETE_STEP', 'COMPLETE_STEP', 'RECORD_RESULT'][step],
        procedureCode: '1.001612',
        agencyCode: 'UBND-XA-PHUONG-BEN-NGHE',
        status: ['RECEIVED', 'PROCESSING', 'PROCESSING', 'RESOLVED'][step],
        fromStatus: [null, 'RECEIVED', 'PROCESSING', 'PROCESSING'][step],
        actor: 'officer:bench',
        channel: 'DESK',
        dueAt: '2026-01-08T10:00:00.000Z',
        benchIndex: i,
      },
    });
  }
  return events;
}

interface Offer {
  label: string;
  /** Makes one batch of events visible to the pipeline; resolves at the commit (the moment latency counts from). */
  offer(batch: PlannedEvent[]): Promise<void>;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/**
 * Offers `events` in batches from `writers` concurrent writers, paced at `rate` events/s (0: as fast
 * as they go), to a consumer already listening; waits until every event arrived.
 */
async function drive(
  label: string,
  events: PlannedEvent[],
  target: Offer,
  received: Map<number, number>,
  options: { batch: number; writers: number; rate: number; timeoutMs: number },
): Promise<{ result: BenchResult; writtenSeconds: number }> {
  const committedAt = new Float64Array(events.length);
  const batches: PlannedEvent[][] = [];
  for (let i = 0; i < events.length; i += options.batch) batches.push(events.slice(i, i + options.batch));
  // One dossier's later events are written only after its earlier ones committed (as in the hub:
  // one officer's actions follow one another), so with several writers the batches of one step
  // wait for the step before to be committed.
  const dossiers = Math.max(1, Math.ceil(events.length / LIFE.length));
  let next = 0;
  let committedUpTo = -1;
  const committedFlags = new Uint8Array(batches.length);
  const t0 = performance.now();
  let writtenSeconds = 0;
  const progress = setInterval(() => process.stderr.write(`\r  ${label}: ${received.size}/${events.length}   `), 500);
  const writer = async () => {
    while (next < batches.length) {
      const k = next;
      next += 1;
      const batch = batches[k]!;
      if (options.rate > 0) {
        const due = t0 + (batch[0]!.index / options.rate) * 1000;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
      // The earliest event of this batch's dossiers at the step before must be committed first.
      const needed = batch[0]!.index - dossiers + batch.length - 1;
      while (needed > committedUpTo) await new Promise((resolve) => setTimeout(resolve, 1));
      await target.offer(batch);
      const at = performance.now();
      for (const event of batch) committedAt[event.index] = at;
      committedFlags[k] = 1;
      while (committedUpTo + 1 < events.length && committedFlags[Math.floor((committedUpTo + 1) / options.batch)] === 1) {
        committedUpTo = Math.min(events.length - 1, (Math.floor((committedUpTo + 1) / options.batch) + 1) * options.batch - 1);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: options.writers }, () => writer()));
    writtenSeconds = (performance.now() - t0) / 1000;
    const deadline = performance.now() + options.timeoutMs;
    while (received.size < events.length) {
      if (performance.now() > deadline) throw new Error(`${label}: ${received.size} of ${events.length} events arrived in time`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } finally {
    clearInterval(progress);
    process.stderr.write(`\r  ${label}: ${received.size}/${events.length}   \n`);
  }
  let last = 0;
  const latencies: number[] = [];
  for (const event of events) {
    const at = received.get(event.index)!;
    last = Math.max(last, at);
    latencies.push(at - committedAt[event.index]!);
  }
  latencies.sort((a, b) => a - b);
  const seconds = (last - t0) / 1000;
  return {
    writtenSeconds,
    result: {
      label,
      operations: events.length,
      seconds,
      perSecond: events.length / seconds,
      p50Ms: percentile(latencies, 50),
      p95Ms: percentile(latencies, 95),
      p99Ms: percentile(latencies, 99),
      rssMb: process.memoryUsage().rss / 1024 / 1024,
      // The pipeline spans the relay, the broker and the consumer: no one process's CPU time to count.
      perCpuSecond: Number.NaN,
    },
  };
}

/**
 * A consumer in a group of its own on `topics`, for the whole bench: each round gives it a fresh
 * tally, and it records when each of that round's events arrived (others are earlier rounds' or
 * the warm-up's) and whether one dossier's events of one topic kept their order.
 */
class Listener {
  received = new Map<number, number>();
  outOfOrder = 0;
  duplicates = 0;
  private runId = '';
  private lastByKey = new Map<string, number>();

  private constructor(readonly consumer: Consumer) {}

  static async start(kafka: Kafka, topics: string[]): Promise<Listener> {
    const consumer = kafka.consumer({ groupId: `bench-events-${process.pid}-${Math.random().toString(36).slice(2, 8)}` });
    const listener = new Listener(consumer);
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: true });
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.run({ eachMessage: async ({ topic, message }) => listener.handle(topic, message.key, message.value) });
    await joined;
    return listener;
  }

  /** Starts counting the events of `runId`. */
  reset(runId: string): Map<number, number> {
    this.runId = `${runId}-`;
    this.received = new Map();
    this.lastByKey = new Map();
    this.outOfOrder = 0;
    this.duplicates = 0;
    return this.received;
  }

  private handle(topic: string, key: Buffer | null, value: Buffer | null): void {
    const at = performance.now();
    const event = JSON.parse(value!.toString('utf8')) as { subject: string; data: { benchIndex: number } };
    if (!event.subject.startsWith(this.runId)) return;
    const index = event.data.benchIndex;
    if (this.received.has(index)) {
      this.duplicates += 1;
      return;
    }
    this.received.set(index, at);
    const ordering = `${topic} ${key?.toString() ?? ''}`;
    if ((this.lastByKey.get(ordering) ?? -1) > index) this.outOfOrder += 1;
    this.lastByKey.set(ordering, index);
  }
}

/** A broker of this run's own, on free ports with a data directory thrown away after. */
async function startBroker(): Promise<{ brokers: string[]; stop(): Promise<void> }> {
  const script = path.join(projectRoot(), 'scripts', 'kafka-broker.sh');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'hub-bench-kafka-'));
  const env = {
    ...process.env,
    KAFKA_PORT: String(await freePort()),
    KAFKA_CONTROLLER_PORT: String(await freePort()),
    KAFKA_DATA_DIR: dataDir,
  };
  process.stderr.write(`  starting a Kafka broker on 127.0.0.1:${env.KAFKA_PORT}...\n`);
  await run('bash', [script, 'start'], { env, timeout: 300_000 });
  return {
    brokers: [`127.0.0.1:${env.KAFKA_PORT}`],
    async stop() {
      await run('bash', [script, 'stop'], { env, timeout: 120_000 }).catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The bare baseline: a kafkajs producer with default settings (acks from all replicas), one send per batch. */
function bareProducer(producer: Producer, prefix: string): Offer {
  return {
    label: 'baseline: bare kafkajs producer → consumer',
    async offer(batch) {
      const byTopic = new Map<string, { key: string; value: string; headers: Record<string, string> }[]>();
      for (const event of batch) {
        const topic = `${prefix}${event.type}`;
        const messages = byTopic.get(topic) ?? [];
        messages.push({
          key: event.subject,
          // The same bytes the hub publishes: its CloudEvent, with an id and outbox position of the same length.
          value: JSON.stringify(
            toCloudEvent({
              id: `00000000-0000-4000-8000-${String(event.index).padStart(12, '0')}`,
              type: event.type,
              subject: event.subject,
              time: new Date(),
              data: event.data,
              sequence: String(1_000_000 + event.index),
            }),
          ),
          headers: { 'content-type': 'application/cloudevents+json; charset=utf-8' },
        });
        byTopic.set(topic, messages);
      }
      await producer.sendBatch({ acks: -1, topicMessages: [...byTopic.entries()].map(([topic, messages]) => ({ topic, messages })) });
    },
  };
}

/** The hub: each batch is one use case's transaction recording its events, through the outbox's own unit of work. */
function hubOutbox(hub: Hub): Offer {
  const uow = new UnitOfWork(hub.store.orm);
  // As the hub wires its own unit of work: a commit wakes the relay in-process.
  uow.onCommit(() => hub.relay.wake());
  return {
    label: 'hub: outbox → relay → Kafka → consumer',
    async offer(batch) {
      await uow.run(async (_em, events) => {
        const occurredAt = new Date();
        for (const event of batch) events.record({ type: event.type, subject: event.subject, occurredAt, data: event.data });
      });
    },
  };
}

export async function runEventsBench(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      events: { type: 'string', default: '1000,10000,100000' },
      rate: { type: 'string', default: '5000' },
      batch: { type: 'string', default: '100' },
      writers: { type: 'string', default: '4' },
      brokers: { type: 'string' },
      'relay-batch': { type: 'string' },
      'timeout-seconds': { type: 'string', default: '600' },
    },
  });
  const sizes = values.events.split(',').map(Number);
  if (sizes.some((n) => !Number.isInteger(n) || n <= 0)) throw new Error('--events: comma-separated positive counts');
  const rate = Number(values.rate);
  const batch = Number(values.batch);
  const writers = Number(values.writers);
  const timeoutMs = Number(values['timeout-seconds']) * 1000;
  const url = await serverUrl();
  if (!url) {
    process.stdout.write('events bench needs a PostgreSQL server (DATABASE_URL or 127.0.0.1:5432/test)\n');
    return;
  }
  const broker = values.brokers ? { brokers: values.brokers.split(','), stop: async () => undefined } : await startBroker();
  const schema = `bench_events_${process.pid}`;
  const hubPrefix = `bench${process.pid}.hub.`;
  const barePrefix = `bench${process.pid}.bare.`;
  let hub: Hub | undefined;
  const kafka = new Kafka({ clientId: 'bench-events', brokers: broker.brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  const reports: string[] = [];
  const listeners: Listener[] = [];
  try {
    hub = await startHub({
      config: benchHubConfig({
        DATABASE_URL: url,
        DATABASE_SCHEMA: schema,
        KAFKA_BROKERS: broker.brokers.join(','),
        KAFKA_TOPIC_PREFIX: hubPrefix,
        ...(values['relay-batch'] ? { OUTBOX_BATCH_SIZE: values['relay-batch'] } : {}),
      }),
      logger: createLogger({ level: 'silent' }),
    });
    await admin.connect();
    // The bare topics as the hub creates its own: one per event type, 3 partitions.
    await admin.createTopics({
      waitForLeaders: true,
      topics: TOPIC_TYPES.map((type) => ({ topic: `${barePrefix}${type}`, numPartitions: 3 })),
    });
    await producer.connect();
    // Where the relay's time goes: its sends to the broker (the rest is reading and marking the outbox).
    const sends = { count: 0, ms: 0 };
    const publish = hub.bus.publish.bind(hub.bus);
    hub.bus.publish = async (events) => {
      const t = performance.now();
      await publish(events);
      sends.count += 1;
      sends.ms += performance.now() - t;
    };
    const pipelines = [
      {
        offer: bareProducer(producer, barePrefix),
        listener: await Listener.start(
          kafka,
          TOPIC_TYPES.map((t) => `${barePrefix}${t}`),
        ),
      },
      {
        offer: hubOutbox(hub),
        listener: await Listener.start(
          kafka,
          TOPIC_TYPES.map((t) => `${hubPrefix}${t}`),
        ),
      },
    ];
    listeners.push(...pipelines.map((p) => p.listener));
    let round = 0;
    // Warm-up, not reported: connections, metadata, the consumers' first fetches.
    for (const { offer, listener } of pipelines) {
      round += 1;
      const events = planEvents(400, `R${round}`);
      await drive('warm-up', events, offer, listener.reset(`R${round}`), { batch, writers, rate: 0, timeoutMs });
    }
    for (const count of sizes) {
      const results: BenchResult[] = [];
      const notes: string[] = [];
      const paces: [number, string][] = [[0, 'as fast as the writers go']];
      if (rate > 0) paces.push([rate, `offered at ${rate}/s`]);
      for (const [pace, paceLabel] of paces) {
        for (const { offer, listener } of pipelines) {
          round += 1;
          const runId = `R${round}`;
          const events = planEvents(count, runId);
          const received = listener.reset(runId);
          const relayBefore = hub.relay.status.rounds;
          const sendsBefore = { ...sends };
          const label = `${offer.label}, ${paceLabel}`;
          const { result, writtenSeconds } = await drive(label, events, offer, received, { batch, writers, rate: pace, timeoutMs });
          results.push(result);
          const relay = offer.label.startsWith('hub')
            ? `, relay rounds ${hub.relay.status.rounds - relayBefore}, sends ${sends.count - sendsBefore.count} of ${((sends.ms - sendsBefore.ms) / Math.max(1, sends.count - sendsBefore.count)).toFixed(1)} ms on average`
            : '';
          notes.push(
            `  ${label}: written in ${writtenSeconds.toFixed(1)} s of ${result.seconds.toFixed(1)} s, out of order ${listener.outOfOrder}, duplicates ${listener.duplicates}${relay}`,
          );
        }
      }
      reports.push(
        `\n${count} events (${Math.ceil(count / LIFE.length)} dossiers × ${LIFE.length} events), batches of ${batch} from ${writers} writers, relay batch ${hub.config.OUTBOX_BATCH_SIZE}\n` +
          `target: ≥ 5000 events/s end to end, p99 ≤ 1000 ms\n${formatBenchTable(results, { p99: true })}\n${notes.join('\n')}\n`,
      );
      process.stdout.write(reports[reports.length - 1]!);
    }
  } finally {
    await Promise.allSettled(listeners.map((l) => l.consumer.disconnect()));
    await producer.disconnect().catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
    await hub?.stop();
    const client = new Client({ connectionString: url });
    await client.connect();
    await client.query(`drop schema if exists "${schema}" cascade`);
    await client.end();
    await broker.stop();
  }
}
