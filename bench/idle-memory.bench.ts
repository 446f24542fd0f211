/**
 * The embedded default at rest: starts the hub as `npm start` does (embedded store, in-process
 * events, demo data; simulators off, and so the portal sync unless PORTAL_SYNC is set), waits until it is idle, then reports its memory and, over a
 * window at rest, its CPU and the statements the embedded database executed. Then what the first
 * uses add, each timed first and second time: a form printed (the renderer loads on first use) and
 * a prefill through the composed graph, from registry simulators in processes of their own so
 * that their memory is not the hub's (`--no-first-use` skips both).
 *
 * Statements are counted where every connection's traffic passes: the wire-protocol messages PGlite
 * executes (a simple query `Q` or an extended-protocol `E`xecute each count one).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { representativeIndex } from '../connectors/business/simulator/business-generator';
import { DEFAULT_POPULATION_SIZE } from '../connectors/land/simulator/land-generator';
import { generateCitizen } from '../connectors/population/simulator/citizen-generator';
import type { ConsentAttribute } from '../domain/consent/consent';
import { SAMPLE_DATA } from '../forms/form-samples';
import { renderForm } from '../forms/render-form';
import { startHub, type Hub } from '../gateway/hub';
import { loadConfig } from '../platform/config';
import { createLogger } from '../platform/logger';
import { shippedPrefillFields } from '../platform/prefill-fields';
import { DEMO_CONSENT_PORTAL, seedDemoData } from '../scripts/demo-data';
import { prefillRequest } from './bench-support';
import { startSimulatorProcess, type SimulatorProcess } from './simulator-process';

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

/** A procedure whose prefill reads the population and business registries (as the prefill bench). */
const PREFILL_PROCEDURE = '1.001612';

async function timed(work: () => Promise<unknown>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/** One prefill call over HTTP as a portal makes it, with a consent granted for it. */
async function prefillCaller(hub: Hub, seed: number, clientSecret: string): Promise<() => Promise<void>> {
  const fields = shippedPrefillFields().get(PREFILL_PROCEDURE)!;
  const attributes = [...new Set(fields.map((f) => f.attribute))] as ConsentAttribute[];
  const citizen = generateCitizen(seed, representativeIndex(seed, 7, DEFAULT_POPULATION_SIZE));
  await hub.services.consentPurposes.registerDefaultPrefill(DEMO_CONSENT_PORTAL, [PREFILL_PROCEDURE]);
  const { token } = await hub.services.consents.grant({
    personalId: citizen.personalId,
    clientId: DEMO_CONSENT_PORTAL,
    attributes,
    purpose: `prefill:${PREFILL_PROCEDURE}`,
    procedureCode: PREFILL_PROCEDURE,
    notAfter: new Date(Date.now() + 86_400_000),
    dataLifeSeconds: 3_600,
    requestId: null,
  });
  const tokenResponse = await fetch(`${hub.url}/oauth/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: DEMO_CONSENT_PORTAL, client_secret: clientSecret }),
  });
  const authorization = `Bearer ${((await tokenResponse.json()) as { access_token: string }).access_token}`;
  const body = JSON.stringify({
    query: `query($p: String!, $t: String!) { prefill(procedureCode: $p, consentToken: $t) { field value reason } }`,
    variables: { p: PREFILL_PROCEDURE, t: token },
  });
  return prefillRequest(`${hub.url}/graphql`, authorization, body);
}

function option(argv: string[], name: string, fallback: number): number {
  const at = argv.indexOf(`--${name}`);
  return at >= 0 ? Number(argv[at + 1]) : fallback;
}

export async function runIdleMemoryBench(argv: string[]): Promise<void> {
  const seconds = option(argv, 'seconds', 30);
  const settleSeconds = option(argv, 'settle', 10);
  const firstUse = !argv.includes('--no-first-use');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'hub-idle-'));
  const counter = await countPgliteStatements();
  const seed = loadConfig(process.env).SIMULATOR_SEED;
  const simulators: SimulatorProcess[] = firstUse
    ? await Promise.all(
        (['population', 'business', 'land'] as const).map((registry) => startSimulatorProcess({ registry, seed, faults: {} })),
      )
    : [];
  const before = process.memoryUsage();
  const config = loadConfig({
    ...process.env,
    DATA_DIR: dataDir,
    PORT: '0',
    START_SIMULATORS: 'false',
    PORTAL_SYNC: process.env.PORTAL_SYNC ?? 'false',
    DATABASE_URL: '',
    KAFKA_BROKERS: '',
    ...(firstUse
      ? {
          POPULATION_REGISTRY_URL: simulators[0]!.url,
          BUSINESS_REGISTRY_URL: simulators[1]!.url,
          LAND_REGISTRY_URL: simulators[2]!.endpoint,
        }
      : {}),
  });
  const startT0 = process.hrtime.bigint();
  const hub = await startHub({ config, logger: createLogger({ level: 'warn', name: 'hub' }) });
  const startupMs = Number(process.hrtime.bigint() - startT0) / 1e6;
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
    const atRest = counter.statements - statements;
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
    let firstUses = '';
    if (firstUse) {
      const form = () => renderForm('01', SAMPLE_DATA['01']);
      const formMs = [await timed(form), await timed(form)];
      await new Promise((resolve) => setTimeout(resolve, 15_000));
      const printed = process.memoryUsage();
      const prefill = await prefillCaller(hub, config.SIMULATOR_SEED, config.DEMO_CLIENT_SECRET);
      const prefillMs = [await timed(prefill), await timed(prefill)];
      await new Promise((resolve) => setTimeout(resolve, 15_000));
      const prefilled = process.memoryUsage();
      const use = (label: string, memory: NodeJS.MemoryUsage, ms: number[]) =>
        `${label.padEnd(24)}${mb(memory.rss).padEnd(12)}${mb(memory.heapUsed).padEnd(12)}${ms[0]!.toFixed(0)} ms, then ${ms[1]!.toFixed(0)} ms\n`;
      firstUses =
        `\nfirst uses (15 s later) RSS         heap used   first, second call\n` +
        use('form 01 printed', printed, formMs) +
        use(`prefill ${PREFILL_PROCEDURE}`, prefilled, prefillMs);
    }
    process.stdout.write(
      `\nidle: the embedded hub at rest\n${table}\n` +
        `hub start               ${(startupMs / 1000).toFixed(1)} s (store, CA, registry graph, schema, gateway)\n` +
        `PGlite WASM memory      ${mb(counter.wasmBytes)} (inside external/array buffers)\n` +
        `CPU at rest             ${(((used.user + used.system) / 1e6 / elapsed) * 100).toFixed(2)}% of one core over ${elapsed.toFixed(1)} s\n` +
        `database statements     ${atRest} at rest (${counter.statements} in all)\n` +
        `C allocator             ${process.env.MALLOC_MMAP_THRESHOLD_ ? `MALLOC_MMAP_THRESHOLD_=${process.env.MALLOC_MMAP_THRESHOLD_}` : 'MALLOC_MMAP_THRESHOLD_ unset (npm start sets 4194304)'}\n` +
        firstUses,
    );
  } finally {
    await hub.stop();
    await Promise.all(simulators.map((simulator) => simulator.close()));
    rmSync(dataDir, { recursive: true, force: true });
  }
}
