/**
 * The embedded default at rest: starts the hub as `npm start` does (embedded store, in-process
 * events, demo data; simulators off, and so the portal sync unless PORTAL_SYNC is set), waits until it is idle, then reports its memory and, over a
 * window at rest, its CPU and the statements the embedded database executed.
 *
 * Statements are counted where every connection's traffic passes: the wire-protocol messages PGlite
 * executes (a simple query `Q` or an extended-protocol `E`xecute each count one).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startHub } from '../gateway/hub';
import { loadConfig } from '../platform/config';
import { createLogger } from '../platform/logger';
import { seedDemoData } from '../scripts/demo-data';

interface Counter {
  statements: number;
  wasmBytes: number;
}

/** Counts the statements in the frontend messages PGlite is handed (type byte + int32 length each). */
async function countPgliteStatements(): Promise<Counter> {
  const counter: Counter = { statements: 0, wasmBytes: 0 };
  const { PGlite } = await import('@electric-sql/pglite');
  const proto = PGlite.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const name of ['execProtocolRawStream', 'execProtocolRaw']) {
    const original = proto[name];
    if (typeof original !== 'function') continue;
    proto[name] = function (this: { mod?: { HEAPU8?: Uint8Array } }, message: unknown, ...rest: unknown[]) {
      if (message instanceof Uint8Array) {
        for (let at = 0; at + 5 <= message.length;) {
          const type = String.fromCharCode(message[at]!);
          const length = new DataView(message.buffer, message.byteOffset + at + 1, 4).getInt32(0);
          if (type === 'Q' || type === 'E') counter.statements += 1;
          at += 1 + Math.max(length, 4);
        }
      }
      counter.wasmBytes = this.mod?.HEAPU8?.byteLength ?? counter.wasmBytes;
      return original.call(this, message, ...rest);
    };
  }
  return counter;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function option(argv: string[], name: string, fallback: number): number {
  const at = argv.indexOf(`--${name}`);
  return at >= 0 ? Number(argv[at + 1]) : fallback;
}

export async function runIdleMemoryBench(argv: string[]): Promise<void> {
  const seconds = option(argv, 'seconds', 30);
  const settleSeconds = option(argv, 'settle', 10);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'hub-idle-'));
  const counter = await countPgliteStatements();
  const before = process.memoryUsage();
  const config = loadConfig({
    ...process.env,
    DATA_DIR: dataDir,
    PORT: '0',
    START_SIMULATORS: 'false',
    PORTAL_SYNC: process.env.PORTAL_SYNC ?? 'false',
    DATABASE_URL: '',
    KAFKA_BROKERS: '',
  });
  const hub = await startHub({ config, logger: createLogger({ level: 'warn', name: 'hub' }) });
  try {
    if (config.DEMO_DATA) await seedDemoData(hub.services, config.SIMULATOR_SEED, config.DEMO_CLIENT_SECRET);
    const started = process.memoryUsage();
    process.stderr.write(`  hub started (${hub.store.kind} store, ${hub.bus.kind} events); settling ${settleSeconds} s\n`);
    await new Promise((resolve) => setTimeout(resolve, settleSeconds * 1000));
    const statements = counter.statements;
    const cpu = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    process.stderr.write(`  at rest for ${seconds} s\n`);
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    const used = process.cpuUsage(cpu);
    const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
    const idle = process.memoryUsage();
    const rows = [
      ['', 'before the hub', 'started', `at rest (+${settleSeconds + seconds} s)`],
      ['RSS', mb(before.rss), mb(started.rss), mb(idle.rss)],
      ['heap used', mb(before.heapUsed), mb(started.heapUsed), mb(idle.heapUsed)],
      ['heap total', mb(before.heapTotal), mb(started.heapTotal), mb(idle.heapTotal)],
      ['external', mb(before.external), mb(started.external), mb(idle.external)],
      ['array buffers', mb(before.arrayBuffers), mb(started.arrayBuffers), mb(idle.arrayBuffers)],
    ];
    const width = [14, 16, 12, 22];
    const table = rows.map((row) => row.map((cell, i) => cell.padEnd(width[i]!)).join(' ')).join('\n');
    process.stdout.write(
      `\nidle: the embedded hub at rest\n${table}\n` +
        `PGlite WASM memory      ${mb(counter.wasmBytes)} (inside external/array buffers)\n` +
        `CPU at rest             ${(((used.user + used.system) / 1e6 / elapsed) * 100).toFixed(2)}% of one core over ${elapsed.toFixed(1)} s\n` +
        `database statements     ${counter.statements - statements} at rest (${counter.statements} in all)\n`,
    );
  } finally {
    await hub.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
