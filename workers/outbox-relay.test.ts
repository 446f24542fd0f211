import type { EventBus, HubEvent } from '../domain/events/event-bus.port';
import { createLogger } from '../platform/logger';
import type { ClaimedEvent, OutboxStore } from '../store/outbox';
import { OutboxRelay } from './outbox-relay';

/** An outbox in memory that counts the statements the relay would send. */
function fakeOutbox() {
  const rows: ClaimedEvent[] = [];
  const calls = { acquireLease: 0, fetchUnpublished: 0, markPublished: 0 };
  const outbox = {
    acquireLease: async () => {
      calls.acquireLease += 1;
      return true;
    },
    releaseLease: async () => undefined,
    fetchUnpublished: async (limit: number) => {
      calls.fetchUnpublished += 1;
      return rows.slice(0, limit);
    },
    markPublished: async (sequences: readonly string[]) => {
      calls.markPublished += 1;
      for (const sequence of sequences)
        rows.splice(
          rows.findIndex((row) => row.sequence === sequence),
          1,
        );
    },
    recordFailure: async () => undefined,
  };
  return { outbox: outbox as unknown as OutboxStore, rows, calls };
}

const event = (n: number): ClaimedEvent => ({
  sequence: String(n),
  id: `e${n}`,
  type: 'dossier.received',
  subject: `D-${n}`,
  time: new Date(0),
  data: {},
});

function recordingBus() {
  const published: HubEvent[] = [];
  const bus: EventBus = {
    kind: 'in-process',
    publish: async (events) => void published.push(...events),
    subscribe: async () => undefined,
    checkHealth: async () => undefined,
    close: async () => undefined,
  };
  return { bus, published };
}

const logger = createLogger({ level: 'silent', name: 'test' });
/** Lets the relay's promise chain run (fake timers do not advance it by themselves). */
const settle = () => jest.advanceTimersByTimeAsync(0);

describe('outbox relay', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('with a sole holder (embedded): takes the lease once, publishes when woken, and sends nothing at rest', async () => {
    const { outbox, rows, calls } = fakeOutbox();
    const { bus, published } = recordingBus();
    const relay = new OutboxRelay(outbox, bus, logger, { batchSize: 10, holder: 'embedded', exclusive: true, leaseTtlMs: 10_000 });
    relay.start();
    await settle();
    expect(calls).toEqual({ acquireLease: 1, fetchUnpublished: 1, markPublished: 0 });
    rows.push(event(1));
    relay.wake();
    await settle();
    expect(published.map((e) => e.subject)).toEqual(['D-1']);
    const after = { ...calls };
    await jest.advanceTimersByTimeAsync(3_600_000);
    expect(calls).toEqual(after);
    await relay.stop();
  });

  it('with replicas: renews the lease every third of its lifetime, not per round, and polls only at the safety pace', async () => {
    const { outbox, calls } = fakeOutbox();
    const { bus } = recordingBus();
    const relay = new OutboxRelay(outbox, bus, logger, { batchSize: 10, leaseTtlMs: 30_000, safetyPollMs: 60_000 });
    relay.start();
    await settle();
    expect(calls).toEqual({ acquireLease: 1, fetchUnpublished: 1, markPublished: 0 });
    // Many wake-ups: a round each, no lease statement.
    for (let i = 0; i < 5; i += 1) {
      relay.wake();
      await settle();
    }
    expect(calls.acquireLease).toBe(1);
    expect(calls.fetchUnpublished).toBe(6);
    // Two minutes at rest: renewals at 10, 20, ... 120 s, safety polls at 60 and 120 s.
    await jest.advanceTimersByTimeAsync(120_000);
    expect(calls.acquireLease).toBe(13);
    expect(calls.fetchUnpublished).toBe(8);
    await relay.stop();
  });

  it('a replica that does not hold the lease reads nothing when woken (another replica publishes)', async () => {
    const { outbox, calls } = fakeOutbox();
    (outbox as unknown as { acquireLease: () => Promise<boolean> }).acquireLease = async () => {
      calls.acquireLease += 1;
      return false;
    };
    const { bus } = recordingBus();
    const relay = new OutboxRelay(outbox, bus, logger, { batchSize: 10, leaseTtlMs: 30_000 });
    relay.start();
    await settle();
    for (let i = 0; i < 5; i += 1) {
      relay.wake();
      await settle();
    }
    expect(calls).toEqual({ acquireLease: 1, fetchUnpublished: 0, markPublished: 0 });
    await relay.stop();
  });
});
