import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { EventBus } from '../domain/events/event-bus.port';
import type { Logger } from '../platform/logger';
import type { OutboxStore } from '../store/outbox';
import type { OutboxNotifications } from '../store/outbox-notifications';

export interface OutboxRelayOptions {
  /** Most events per round (one send to the bus). */
  batchSize: number;
  /**
   * Lease holder name. The embedded store can be opened by one process only, so it passes a fixed
   * name (a restart takes over at once); servers use a unique one per process. @default host-pid-random
   */
  holder?: string;
  /** Lease lifetime; it is renewed every third of it, whatever the traffic. @default 10000 */
  leaseTtlMs?: number;
  /**
   * The only publisher there can be (the embedded store: one process): the lease is taken once and
   * never renewed, and there is no safety poll, since every commit wakes the relay in-process.
   */
  exclusive?: boolean;
  /**
   * Look for unpublished events this often even when nothing woke the relay (a lost notification);
   * 0: never. @default 30000
   */
  safetyPollMs?: number;
  /** Commits of other replicas (PostgreSQL LISTEN/NOTIFY). */
  notifications?: OutboxNotifications;
  /** Longest wait between retries after a failed publish. @default 30000 */
  maxBackoffMs?: number;
}

export interface RelayStatus {
  published: number;
  failures: number;
  lastError: string | undefined;
  holdsLease: boolean;
  /** Publishing rounds run (each one reads the outbox once): for tests and metrics. */
  rounds: number;
}

/**
 * Publishes committed outbox events to the bus, in outbox order, after their transaction has
 * committed. At least once: an event is marked published only after the bus accepted it.
 *
 * It runs when woken (a commit in this process, a notification from another replica, the lease
 * newly taken) and otherwise only for the slow safety poll and the lease renewal: at rest it sends
 * the database nothing else.
 */
export class OutboxRelay {
  private readonly holder: string;
  private readonly ttlMs: number;
  private running = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private backoffMs = 0;
  /** Work was asked for (a wake-up, or more left after a full batch). */
  private pending = true;
  /** Monotonic times (ms): the lease is ours until; next renewal; next safety poll; next retry. */
  private leaseUntil = 0;
  private renewAt = 0;
  private pollAt = Infinity;
  private retryAt = 0;
  readonly status: RelayStatus = { published: 0, failures: 0, lastError: undefined, holdsLease: false, rounds: 0 };

  constructor(
    private readonly outbox: OutboxStore,
    private readonly bus: EventBus,
    private readonly logger: Logger,
    private readonly options: OutboxRelayOptions,
  ) {
    this.holder = options.holder ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
    this.ttlMs = options.leaseTtlMs ?? 10_000;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.pending = true;
    this.options.notifications?.start(() => this.wake());
    this.loop = this.run();
  }

  /** Called after a commit that wrote events (here or, by notification, elsewhere): publish now. */
  wake(): void {
    this.pending = true;
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wakeUp?.();
    await this.options.notifications?.stop();
    await this.loop;
    await this.outbox.releaseLease(this.holder).catch(() => undefined);
  }

  /** One round: returns how many events were published. Exposed for tests and the drain command. */
  async publishPending(): Promise<number> {
    if (!this.holdsLease()) await this.renewLease();
    if (!this.holdsLease()) return 0;
    return this.publishBatch();
  }

  private holdsLease(): boolean {
    return this.status.holdsLease && performance.now() < this.leaseUntil;
  }

  private async renewLease(): Promise<void> {
    const startedAt = performance.now();
    const renewEvery = Math.max(Math.floor(this.ttlMs / 3), 1);
    const before = this.holdsLease();
    try {
      this.status.holdsLease = await this.outbox.acquireLease(this.holder, this.ttlMs);
      // Counted from before the statement was sent: the database's expiry is no earlier than this.
      this.leaseUntil = this.status.holdsLease ? (this.options.exclusive ? Infinity : startedAt + this.ttlMs) : 0;
      this.renewAt = this.status.holdsLease && this.options.exclusive ? Infinity : startedAt + renewEvery;
    } catch (error) {
      this.logger.warn({ err: error }, 'outbox relay could not renew its lease; will retry');
      this.renewAt = startedAt + Math.min(renewEvery, 1000);
    }
    if (!before && this.holdsLease()) {
      // Newly ours: whatever the previous holder left is ours to publish.
      this.pending = true;
      this.schedulePoll(startedAt);
    }
  }

  private schedulePoll(from: number): void {
    const every = this.options.safetyPollMs ?? 30_000;
    this.pollAt = this.options.exclusive || every <= 0 ? Infinity : from + every;
  }

  private async publishBatch(): Promise<number> {
    this.status.rounds += 1;
    const events = await this.outbox.fetchUnpublished(this.options.batchSize);
    if (events.length === 0) return 0;
    const sequences = events.map((event) => event.sequence);
    try {
      await this.bus.publish(events);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.status.failures += 1;
      this.status.lastError = message;
      await this.outbox.recordFailure(sequences, message).catch(() => undefined);
      throw error;
    }
    await this.outbox.markPublished(sequences);
    this.status.published += events.length;
    this.status.lastError = undefined;
    return events.length;
  }

  private async run(): Promise<void> {
    while (this.running) {
      const now = performance.now();
      if (now >= this.renewAt) await this.renewLease();
      if (!this.running) break;
      if (this.holdsLease() && ((this.pending && now >= this.retryAt) || now >= this.pollAt)) {
        this.pending = false;
        this.schedulePoll(now);
        try {
          const published = await this.publishBatch();
          this.backoffMs = 0;
          this.retryAt = 0;
          // A full batch means more may be waiting: go again at once.
          if (published >= this.options.batchSize) this.pending = true;
        } catch (error) {
          this.backoffMs = Math.min(Math.max(this.backoffMs * 2, 500), this.options.maxBackoffMs ?? 30_000);
          this.retryAt = performance.now() + this.backoffMs;
          this.pending = true;
          this.logger.warn({ err: error, retryInMs: this.backoffMs }, 'outbox relay could not publish; will retry');
        }
        continue;
      }
      const due = Math.min(this.renewAt, this.holdsLease() ? Math.min(this.pollAt, this.pending ? this.retryAt : Infinity) : Infinity);
      await this.sleep(due - performance.now());
    }
  }

  /** Until `ms` have passed (never, for Infinity) or a wake-up. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
      // setTimeout holds at most 2^31-1 ms; a longer wait just loops once more.
      if (Number.isFinite(ms)) timer = setTimeout(done, Math.min(Math.max(ms, 0), 2_147_483_647));
      this.wakeUp = done;
    });
  }
}
