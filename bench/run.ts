/**
 * The benchmark runner: `npm run bench -- <name> [options]`. Each benchmark prints its figures and
 * their ratio to a baseline measured in the same run; nothing here is a pass/fail test.
 */
import { runFanOutBench } from './fan-out.bench';
import { runIdleMemoryBench } from './idle-memory.bench';
import { runPrefillBench } from './prefill.bench';
import { runReceptionBench } from './reception.bench';
import { runScaleLoad } from './scale-load';
import { runSignaturesBench } from './signatures.bench';
import { runStatisticsBench } from './statistics.bench';
import { runStatusBench } from './status.bench';
import { runVerifyBoundsBench } from './verify-bounds.bench';

const BENCHES: Record<string, { describe: string; run: (argv: string[]) => Promise<void> }> = {
  reception: {
    describe:
      'receiveDossier throughput over HTTP vs raw SQL inserts; then with vs without a registry confirming a paper [--count 1000] [--concurrency 8]',
    run: runReceptionBench,
  },
  'fan-out': {
    describe: 'one request needing two registries vs one registry each, with injected latency [--latency 500] [--requests 10]',
    run: runFanOutBench,
  },
  prefill: {
    describe:
      'prefill through the hub vs the slowest registry called directly, at concurrency 1 and 16 [--procedure 1.001612] [--requests 400] [--help]',
    run: runPrefillBench,
  },
  'scale-load': {
    describe:
      'fill PostgreSQL with dossiers and vault documents at national scale, with progress and ETA [--dossiers 1000000] [--documents N] [--help]',
    run: runScaleLoad,
  },
  signatures: {
    describe: 'CMS signatures made and verified per second vs openssl speed rsa3072 [--count 500] [--size 100000]',
    run: runSignaturesBench,
  },
  statistics: {
    describe: 'statistics over many dossiers vs a bare count(*) [--dossiers 100000] [--runs 20]',
    run: runStatisticsBench,
  },
  status: {
    describe:
      'dossier(code) { code status dueAt } through the hub vs a bare http + pg server, and the hub layer by layer [--dossiers 100000] [--connections 64] [--seconds 10] [--profile FILE] [--help]',
    run: runStatusBench,
  },
  idle: {
    describe:
      'the embedded hub at rest (as npm start, simulators off): RSS, heap, CPU and database statements [--seconds 30] [--settle 10]',
    run: runIdleMemoryBench,
  },
  'verify-bounds': {
    describe: 'peak memory and time of one POST /documents/verify: a signed PDF vs crafted byte-range floods [--runs 5]',
    run: runVerifyBoundsBench,
  },
};

async function main(): Promise<void> {
  const [name, ...rest] = process.argv.slice(2);
  if (!name || name === '--help' || name === '-h' || !BENCHES[name]) {
    const list = Object.entries(BENCHES).map(([n, b]) => `  ${n.padEnd(12)} ${b.describe}`);
    process.stdout.write(
      `Usage: npm run bench -- <name> [options]\n\nBenchmarks:\n${list.join('\n')}\n  all          every benchmark with its defaults\n`,
    );
    if (name && name !== '--help' && name !== '-h' && name !== 'all') process.exit(2);
    if (name !== 'all') return;
    // The loader fills a schema of its own that stays for the benches that read it: it runs on its own.
    for (const [n, bench] of Object.entries(BENCHES)) if (n !== 'scale-load') await bench.run([]);
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
