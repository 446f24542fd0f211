import { performance } from 'node:perf_hooks';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export interface IdleCollectionOptions {
  /** How often the process looks whether it is at rest. @default 10_000 */
  intervalMs?: number;
  /** Heap grown since the last collection below which nothing is done, in bytes. @default 8 MiB */
  minGrowthBytes?: number;
  /** Share of the last interval the event loop may have been busy and still count as at rest. @default 0.02 */
  maxUtilization?: number;
  /** What is measured and done (tests replace them): heap in use, the event loop's busy share since the last call, a full collection. */
  probe?: { heapUsed(): number; utilization(): number; collect(): void };
}

export interface IdleCollection {
  /** Full collections made so far. */
  readonly collections: number;
  stop(): void;
}

/** V8's full collection, without starting Node with --expose-gc: the flag applies to contexts made after it is set. */
export function fullCollection(): () => void {
  if (typeof globalThis.gc === 'function') return globalThis.gc;
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  setFlagsFromString('--no-expose-gc');
  return gc;
}

function processProbe(): NonNullable<IdleCollectionOptions['probe']> {
  const collect = fullCollection();
  let last = performance.eventLoopUtilization();
  return {
    heapUsed: () => getHeapStatistics().used_heap_size,
    utilization() {
      const since = performance.eventLoopUtilization(last);
      last = performance.eventLoopUtilization();
      return since.utilization;
    },
    collect,
  };
}

/**
 * Gives the heap's garbage back once the process is at rest. V8 collects when JavaScript allocates;
 * a hub that stopped serving allocates nothing, so what its start or its last requests left (tens
 * of MB) would otherwise stay resident until the next request. One full collection when the event
 * loop was nearly idle for an interval and the heap grew since the last one; none while busy, and
 * none again at rest until something allocated.
 */
export function startIdleCollection(options: IdleCollectionOptions = {}): IdleCollection {
  const intervalMs = options.intervalMs ?? 10_000;
  const minGrowthBytes = options.minGrowthBytes ?? 8 * 1024 * 1024;
  const maxUtilization = options.maxUtilization ?? 0.02;
  const probe = options.probe ?? processProbe();
  let collections = 0;
  let afterLast = 0;
  const timer = setInterval(() => {
    if (probe.utilization() > maxUtilization) return;
    if (probe.heapUsed() - afterLast < minGrowthBytes) return;
    probe.collect();
    collections += 1;
    afterLast = probe.heapUsed();
  }, intervalMs);
  timer.unref();
  return {
    get collections() {
      return collections;
    },
    stop: () => clearInterval(timer),
  };
}
