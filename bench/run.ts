/**
 * The benchmark runner: `npm run bench -- <name> [options]`. Each benchmark prints its figures and
 * their ratio to a baseline measured in the same run; nothing here is a pass/fail test. Each is
 * loaded when it runs, so that one bench's process holds no other's modules (the idle bench
 * measures memory).
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { formatHeadlines, reportedHeadlines } from './summary';

const BENCHES: Record<string, { describe: string; run: (argv: string[]) => Promise<void> }> = {
  reception: {
    describe:
      'receiveDossier throughput over HTTP vs raw SQL inserts; then with vs without a registry confirming a paper [--count 1000] [--concurrency 8]',
    run: async (argv) => (await import('./reception.bench')).runReceptionBench(argv),
  },
  events: {
    describe:
      'events/s and p99 from the outbox commit to a consumer, through the relay and Kafka, vs a bare kafkajs producer → consumer [--events 1000,10000,100000] [--rate 5000] [--brokers host:port]',
    run: async (argv) => (await import('./events.bench')).runEventsBench(argv),
  },
  'fan-out': {
    describe: 'one request needing two registries vs one registry each, with injected latency [--latency 500] [--requests 10]',
    run: async (argv) => (await import('./fan-out.bench')).runFanOutBench(argv),
  },
  prefill: {
    describe:
      'prefill through the hub vs the slowest registry called directly, at concurrency 1 and 16 [--procedure 1.001612] [--requests 400] [--help]',
    run: async (argv) => (await import('./prefill.bench')).runPrefillBench(argv),
  },
  'scale-load': {
    describe:
      'fill PostgreSQL with dossiers and vault documents at national scale, with progress and ETA [--dossiers 1000000] [--documents N] [--help]',
    run: async (argv) => (await import('./scale-load')).runScaleLoad(argv),
  },
  signatures: {
    describe:
      'CMS signatures (time-stamped too) made and verified per second vs openssl speed of the same key types (rsa3072, ecdsap256) [--count 500] [--size 100000]',
    run: async (argv) => (await import('./signatures.bench')).runSignaturesBench(argv),
  },
  statistics: {
    describe: 'statistics over many dossiers vs a bare count(*) [--dossiers 100000] [--runs 20]',
    run: async (argv) => (await import('./statistics.bench')).runStatisticsBench(argv),
  },
  status: {
    describe:
      'dossier(code) { code status dueAt } through the hub vs a bare http + pg server and a minimal Apollo Server, and the hub layer by layer [--dossiers 100000 | --schema NAME] [--connections 64] [--seconds 10] [--profile FILE] [--help]',
    run: async (argv) => (await import('./status.bench')).runStatusBench(argv),
  },
  idle: {
    describe:
      'the embedded hub at rest (as npm start, simulators off): start time, RSS, heap, CPU and database statements; then after a first form print and a first prefill [--seconds 30] [--settle 10] [--no-first-use]',
    run: async (argv) => (await import('./idle-memory.bench')).runIdleMemoryBench(argv),
  },
  'verify-bounds': {
    describe: 'peak memory and time of one POST /documents/verify: a signed PDF vs crafted byte-range floods [--runs 5]',
    run: async (argv) => (await import('./verify-bounds.bench')).runVerifyBoundsBench(argv),
  },
};

/**
 * Every benchmark with its defaults, then one table of their headline figures (bench/summary.ts).
 * The loader fills a schema of its own that stays for the benches that read it: it runs on its own.
 * A benchmark that fails is reported and the others still run.
 */
async function runAll(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { out: { type: 'string' } } });
  const failed: string[] = [];
  for (const [n, bench] of Object.entries(BENCHES)) {
    if (n === 'scale-load') continue;
    process.stdout.write(`\n=== ${n} ===\n`);
    try {
      await bench.run([]);
    } catch (error) {
      failed.push(n);
      process.stdout.write(`${n} failed: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  }
  const table = formatHeadlines(reportedHeadlines());
  process.stdout.write(`\n=== all benchmarks, ${new Date().toISOString()}, Node ${process.version} ===\n${table}\n`);
  if (failed.length > 0) process.stdout.write(`failed: ${failed.join(', ')}\n`);
  if (values.out) writeFileSync(values.out, `${table}\n`);
}

async function main(): Promise<void> {
  const [name, ...rest] = process.argv.slice(2);
  if (!name || name === '--help' || name === '-h' || !BENCHES[name]) {
    const list = Object.entries(BENCHES).map(([n, b]) => `  ${n.padEnd(12)} ${b.describe}`);
    process.stdout.write(
      `Usage: npm run bench -- <name> [options]\n\nBenchmarks:\n${list.join('\n')}\n  all          every benchmark with its defaults, then one table of their headline figures [--out FILE]\n`,
    );
    if (name && name !== '--help' && name !== '-h' && name !== 'all') process.exit(2);
    if (name !== 'all') return;
    await runAll(rest);
    return;
  }
  // Figures differ between Node.js releases: say which one made them.
  process.stdout.write(`bench ${name}: Node.js ${process.version}\n`);
  await BENCHES[name]!.run(rest);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
