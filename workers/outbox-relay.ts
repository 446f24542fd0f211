import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { EventBus } from '../domain/events/event-bus.port';
import type { Logger } from '../platform/logger';
import type { OutboxStore } from '../store/outbox';

export interface OutboxRelayOptions {
  /** Pause between rounds when the outbox is empty. @default 250 */
  pollIntervalMs: number;
  /** Events per round. @default 100 */
  batchSize: number;
  /**
   * Lease holder name. The embedded store can be opened by one process only, so it passes a fixed
   * name (a restart takes over at once); servers use a unique one per process. @default host-pid-random
   */
  holder?: string;
  /** @default 10000 */
  leaseTtlMs?: number;
  /** Longest wait between retries after a failed publish. @default 30000 */
  maxBackoffMs?: number;
}

export interface RelayStatus {
  published: number;
  failures: number;
  lastError: string | undefined;
  holdsLease: boolean;
}

/**
 * Publishes committed outbox events to the bus, in outbox order, after their transaction has
 * committed. At least once: an event is marked published only after the bus accepted it.
 */
export class OutboxRelay {
  private readonly holder: string;
  private running = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private backoffMs = 0;
  readonly status: RelayStatus = { published: 0, failures: 0, lastError: undefined, holdsLease: false };

  constructor(
    private readonly outbox: OutboxStore,
    private readonly bus: EventBus,
    private readonly logger: Logger,
    private readonly options: OutboxRelayOptions,
  ) {
    this.holder = options.holder ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Called after a commit that wrote events: publish now rather than at the next poll. */
  wake(): void {
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
    await this.outbox.releaseLease(this.holder).catch(() => undefined);
  }

  /** One round: returns how many events were published. Exposed for tests and the drain command. */
  async publishPending(): Promise<number> {
    this.status.holdsLease = await this.outbox.acquireLease(this.holder, this.options.leaseTtlMs ?? 10_000);
    if (!this.status.holdsLease) return 0;
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
      let published = 0;
      try {
        published = await this.publishPending();
        this.backoffMs = 0;
      } catch (error) {
        this.backoffMs = Math.min(Math.max(this.backoffMs * 2, 500), this.options.maxBackoffMs ?? 30_000);
        this.logger.warn({ err: error, retryInMs: this.backoffMs }, 'outbox relay could not publish; will retry');
      }
      if (!this.running) break;
      // A full batch means more may be waiting: go again at once.
      if (published >= this.options.batchSize && this.backoffMs === 0) continue;
      await this.sleep(this.backoffMs || this.options.pollIntervalMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = () => {
        this.wakeUp = undefined;
        // After a failure, keep the backoff; otherwise wake now.
        if (this.backoffMs === 0 || !this.running) done();
      };
    });
  }
}
