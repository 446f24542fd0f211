import { LRUCache } from 'lru-cache';

export interface RecordCacheOptions<T> {
  /** The longest a record is reused, in seconds (0: never cache). */
  limitSeconds: number;
  /** Seconds a record fetched at `fetchedAt` may be reused, within `limitSeconds`; without it, `limitSeconds`. */
  lifetimeSeconds?: ((record: T, fetchedAt: Date, limitSeconds: number) => number) | undefined;
  /** @default 50000 */
  maxEntries?: number;
}

/**
 * Registry records kept for reuse, each for as long as its freshness allows: a record that changed
 * recently is asked for again sooner. Records whose lifetime is under a second are not kept. Each
 * record remembers when it was fetched, so a caller can refuse one older than it accepts.
 */
export class RecordCache<T extends object> {
  private readonly cache: LRUCache<string, { record: T; fetchedAt: Date }> | undefined;

  constructor(private readonly options: RecordCacheOptions<T>) {
    this.cache =
      options.limitSeconds > 0
        ? // Bounded by count through maxSize: `max` would allocate room for every entry up front.
          new LRUCache<string, { record: T; fetchedAt: Date }>({
            maxSize: options.maxEntries ?? 50_000,
            sizeCalculation: () => 1,
            ttl: options.limitSeconds * 1000,
          })
        : undefined;
  }

  /** The cached record, unless `accept` refuses it for when it was fetched (too old for this read). */
  get(key: string, accept?: (fetchedAt: Date) => boolean): T | undefined {
    const entry = this.cache?.get(key);
    if (!entry || (accept && !accept(entry.fetchedAt))) return undefined;
    return entry.record;
  }

  remember(key: string, record: T, fetchedAt: Date): void {
    if (!this.cache) return;
    const limit = this.options.limitSeconds;
    const seconds = this.options.lifetimeSeconds ? this.options.lifetimeSeconds(record, fetchedAt, limit) : limit;
    if (seconds >= 1) this.cache.set(key, { record, fetchedAt }, { ttl: seconds * 1000 });
  }

  /** Seconds a cached record has left (0 when not cached): for operators and tests. */
  secondsLeft(key: string): number {
    return Math.max(0, Math.floor((this.cache?.getRemainingTTL(key) ?? 0) / 1000));
  }

  clear(): void {
    this.cache?.clear();
  }
}
