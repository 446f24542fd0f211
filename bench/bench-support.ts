/** Shared measurement and reporting for the benchmarks: throughput, latency percentiles, memory, ratios. */
import { loadConfig, type HubConfig } from '../platform/config';

/**
 * A benchmarked hub's configuration: any free port, silent, no simulators of its own, rate limits out
 * of the way (the load is the point); each bench adds what it measures.
 */
export function benchHubConfig(settings: Record<string, string | undefined>): HubConfig {
  return loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    LOG_LEVEL: 'silent',
    START_SIMULATORS: 'false',
    RATE_LIMIT_PER_MINUTE: '10000000',
    // A token lasts the whole run, however slowly a busy machine gets through it.
    ACCESS_TOKEN_TTL_SECONDS: '3600',
    ...settings,
  });
}

export interface BenchResult {
  label: string;
  operations: number;
  seconds: number;
  perSecond: number;
  /** Operations per second of this process's user CPU time (as `openssl speed` counts by default). */
  perCpuSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  rssMb: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Runs `operation` `count` times with `concurrency` workers (each passed its index); prints progress. */
export async function measure(
  label: string,
  count: number,
  concurrency: number,
  operation: (worker: number) => Promise<void>,
): Promise<BenchResult> {
  const latencies: number[] = [];
  let started = 0;
  let done = 0;
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const progress = setInterval(() => process.stderr.write(`\r  ${label}: ${done}/${count}   `), 500);
  const worker = async (index: number) => {
    while (started < count) {
      started += 1;
      const t = process.hrtime.bigint();
      await operation(index);
      latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
      done += 1;
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, (_, i) => worker(i)));
  } finally {
    clearInterval(progress);
    process.stderr.write(`\r  ${label}: ${done}/${count}   \n`);
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const userCpuSeconds = process.cpuUsage(cpu0).user / 1e6;
  latencies.sort((a, b) => a - b);
  return {
    label,
    operations: count,
    seconds,
    perSecond: count / seconds,
    perCpuSecond: userCpuSeconds > 0 ? count / userCpuSeconds : Infinity,
    p50Ms: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
    p99Ms: percentile(latencies, 99),
    rssMb: process.memoryUsage().rss / 1024 / 1024,
  };
}

/** A table with each result's ratio to the first (the baseline); `p99` adds that column. */
export function formatBenchTable(results: BenchResult[], { p99 = false }: { p99?: boolean } = {}): string {
  const baseline = results[0];
  const rows = results.map((r) => [
    r.label,
    r.perSecond.toFixed(0),
    baseline ? `${(r.perSecond / baseline.perSecond).toFixed(2)}×` : '-',
    r.p50Ms.toFixed(1),
    r.p95Ms.toFixed(1),
    ...(p99 ? [r.p99Ms.toFixed(1)] : []),
    r.rssMb.toFixed(0),
  ]);
  const header = ['scenario', 'ops/s', 'vs baseline', 'p50 ms', 'p95 ms', ...(p99 ? ['p99 ms'] : []), 'RSS MB'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** One prefill over HTTP, failing when the hub answers with an error or a registry did not answer. */
export function prefillRequest(graphqlUrl: string, authorization: string, body: string): () => Promise<void> {
  return async () => {
    const response = await fetch(graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body,
    });
    const answer = (await response.json()) as { errors?: unknown; data?: { prefill: { reason: string | null }[] } };
    if (!response.ok || answer.errors || answer.data!.prefill.some((f) => f.reason === 'UPSTREAM_UNAVAILABLE'))
      throw new Error(`prefill failed: ${JSON.stringify(answer)}`);
  };
}
