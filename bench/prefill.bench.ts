/**
 * Prefill overhead: `prefill(procedureCode, consentToken)` through the hub over HTTP (access token,
 * consent token checked, the registries asked concurrently, the processing log written) against the
 * slowest of the registries it reads called directly — the same HTTP call its connector makes, through
 * the same undici client settings (connectors/upstream-tls.ts) — measured in the same run. Each
 * registry simulator answers after a fixed added latency; the registry cache is off so every prefill
 * reaches the registries. Overhead = hub p50 − slowest upstream p50 (target ≤ 3 ms).
 *
 * Then throughput against Hive Gateway: the same registry sources (the supergraph mesh.config.ts
 * composes) served by `@graphql-hive/gateway` in a process of its own, asked for the same registry
 * reads the hub's connectors make for the prefill (the same operations and selections, in one
 * query), against the same simulators and latencies, by the same load generator in a process of its
 * own, `--versus-connections` requests in flight for `--versus-seconds` each. The hub does more per
 * request (access token, consent check, processing log): that is what the ratio prices.
 *
 * Usage: npm run bench -- prefill [--procedure 1.001612] [--requests 400] [--population-ms 20] [--land-ms 30] [--business-ms 40]
 */
import 'reflect-metadata';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { representativeIndex } from '../connectors/business/simulator/business-generator';
import { landSoapRequest, ownerIdElement } from '../connectors/land/land-registry.client';
import { DEFAULT_POPULATION_SIZE } from '../connectors/land/simulator/land-generator';
import { generateCitizen } from '../connectors/population/simulator/citizen-generator';
import { createUpstreamHttp } from '../connectors/upstream-tls';
import type { ConsentAttribute } from '../domain/consent/consent';
import { registryOf, type PrefillRegistry } from '../domain/consent/prefill';
import { startHub } from '../gateway/hub';
import { createLogger } from '../platform/logger';
import { shippedPrefillFields } from '../platform/prefill-fields';
import { seedDemoData } from '../scripts/demo-data';
import { fullSelection } from '../connectors/selection';
import { benchHubConfig, formatBenchTable, measure, prefillRequest, type BenchResult } from './bench-support';
import { startHiveGatewayProcess } from './hive-gateway-process';
import { serverUrl } from './reception.bench';
import { startSimulatorProcess } from './simulator-process';
import { peakRssMb, resetPeakRss, startChild, type LoadFigures } from './status-processes';

const SEED = 20250701;
const SECRET = 'bench-secret-value';
const PORTAL = 'demo-portal';
/** Requests made before measuring, per scenario: compilation, connections. */
const WARM_UP = 50;
const CONCURRENCIES = [1, 16] as const;
/** The hub's overhead over the slowest registry this benchmark aims at, at p50. */
const TARGET_OVERHEAD_MS = 3;
/** The hub's prefill throughput this benchmark aims at, as a multiple of Hive Gateway's on the same sources. */
const TARGET_VERSUS_HIVE = 3;

const USAGE = `Usage: npm run bench -- prefill [options]

  --procedure CODE     the procedure whose declaration is prefilled (default 1.001612: population and business;
                       no shipped procedure reads all three registries; 1.013978 reads population and land)
  --requests N         measured requests per scenario and concurrency (default 400)
  --population-ms MS   added latency of the population registry simulator (default 20)
  --land-ms MS         added latency of the land registry simulator (default 30)
  --business-ms MS     added latency of the business registry simulator (default 40)
  --versus-connections N  requests in flight in the comparison with Hive Gateway (default 32)
  --versus-seconds S   seconds of load per side in that comparison (default 10)
  --no-versus          skip the comparison with Hive Gateway
  --phases             also print the mean time of each step of the hub's path (consent check, registries, processing log)
  --profile FILE       write a CPU profile (.cpuprofile) of the hub's process during the prefill scenarios only
  --help               this text
`;

export async function runPrefillBench(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      procedure: { type: 'string', default: '1.001612' },
      requests: { type: 'string', default: '400' },
      'population-ms': { type: 'string', default: '20' },
      'land-ms': { type: 'string', default: '30' },
      'business-ms': { type: 'string', default: '40' },
      phases: { type: 'boolean', default: false },
      'versus-connections': { type: 'string', default: '32' },
      'versus-seconds': { type: 'string', default: '10' },
      'no-versus': { type: 'boolean', default: false },
      profile: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const requests = Number(values.requests);
  const versus = values['no-versus']
    ? undefined
    : { connections: Number(values['versus-connections']), seconds: Number(values['versus-seconds']) };
  if (versus && !(Number.isInteger(versus.connections) && versus.connections > 0 && versus.seconds > 0)) {
    throw new RangeError('--versus-connections must be a positive whole number and --versus-seconds positive.');
  }
  const latency: Record<PrefillRegistry, number> = {
    population: Number(values['population-ms']),
    land: Number(values['land-ms']),
    business: Number(values['business-ms']),
  };
  if (!Number.isInteger(requests) || requests < 1 || Object.values(latency).some((ms) => !Number.isInteger(ms) || ms < 0)) {
    throw new RangeError('--requests must be a positive whole number and each latency a whole number of milliseconds.');
  }
  const procedureCode = values.procedure;
  const fields = shippedPrefillFields().get(procedureCode);
  if (!fields) throw new RangeError(`Procedure ${procedureCode} has no prefill field list (reference/catalogue/prefill-fields.json).`);
  const attributes = [...new Set(fields.map((f) => f.attribute))] as ConsentAttribute[];
  const registries = [...new Set(attributes.map(registryOf))];
  // The slowest by injected latency first: it is the baseline of the table.
  registries.sort((a, b) => latency[b] - latency[a]);

  const logger = createLogger({ level: 'silent' });
  process.stderr.write(
    `prefill ${procedureCode}: registries ${registries.join(', ')}; latency population ${latency.population} ms, land ${latency.land} ms, business ${latency.business} ms\n`,
  );
  // Each registry in a process of its own: the hub's event loop does the hub's work only.
  const [population, business, land] = await Promise.all(
    (['population', 'business', 'land'] as const).map((registry) =>
      startSimulatorProcess({ registry, seed: SEED, faults: { latencyMs: latency[registry] } }),
    ),
  );
  const dbUrl = await serverUrl();
  const schema = `bench_prefill_${process.pid}`;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'hub-bench-'));
  const config = benchHubConfig({
    PORTAL_SYNC: 'false',
    // Every prefill reaches the registries: this measures the hub's path, not its cache.
    REGISTRY_CACHE_TTL_SECONDS: '0',
    DATA_DIR: dataDir,
    ...(dbUrl ? { DATABASE_URL: dbUrl, DATABASE_SCHEMA: schema } : {}),
    POPULATION_REGISTRY_URL: population.url,
    BUSINESS_REGISTRY_URL: business.url,
    LAND_REGISTRY_URL: land.endpoint,
  });
  const store = dbUrl ? 'PostgreSQL server' : 'embedded store (no PostgreSQL server reachable)';
  // The direct calls: a client of their own with the hub's settings (no TLS here: plain keep-alive undici).
  const direct = createUpstreamHttp(undefined);
  let hub: Awaited<ReturnType<typeof startHub>> | undefined;
  try {
    hub = await startHub({ config, logger });
    await seedDemoData(hub.services, SEED, SECRET);
    // A citizen who represents an enterprise, so the business registry answers a non-empty list.
    const citizen = generateCitizen(SEED, representativeIndex(SEED, 7, DEFAULT_POPULATION_SIZE));
    await hub.services.consentPurposes.registerDefaultPrefill(PORTAL, [procedureCode]);
    const { token: consentToken } = await hub.services.consents.grant({
      personalId: citizen.personalId,
      clientId: PORTAL,
      attributes,
      purpose: `prefill:${procedureCode}`,
      procedureCode,
      notAfter: new Date(Date.now() + 86_400_000),
      dataLifeSeconds: 3_600,
      requestId: null,
    });
    const hubUrl = hub.url;
    const accessToken = async () => {
      const tokenResponse = await fetch(`${hubUrl}/oauth/token`, {
        method: 'POST',
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: PORTAL, client_secret: SECRET }),
      });
      return `Bearer ${((await tokenResponse.json()) as { access_token: string }).access_token}`;
    };
    const authorization = await accessToken();
    const query = `query($p: String!, $t: String!) { prefill(procedureCode: $p, consentToken: $t) { field value sourceUpdatedAt retrievedAt reason } }`;
    const body = JSON.stringify({ query, variables: { p: procedureCode, t: consentToken } });
    const graphqlUrl = `${hub.url}/graphql`;
    const prefill = prefillRequest(graphqlUrl, authorization, body);
    // What each connector sends for this citizen: the composed graph's REST calls, the land client's SOAP call.
    const upstreamCalls: Record<PrefillRegistry, () => Promise<void>> = {
      population: async () => {
        const response = await direct.fetch(new URL('/v1/citizens/batch-lookup', population.url), {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({ personalIds: [citizen.personalId] }),
        });
        const answer = (await response.json()) as { citizens?: unknown[] };
        if (!response.ok || answer.citizens?.length !== 1) throw new Error(`population registry: ${JSON.stringify(answer)}`);
      },
      business: async () => {
        const url = new URL('/v1/enterprises', business.url);
        url.searchParams.set('representativeId', citizen.personalId);
        const response = await direct.fetch(url, {
          headers: { accept: 'application/json', 'X-Api-Key': config.BUSINESS_REGISTRY_API_KEY },
        });
        const answer = (await response.json()) as { enterprises?: unknown[] };
        if (!response.ok || !Array.isArray(answer.enterprises)) throw new Error(`business registry: ${JSON.stringify(answer)}`);
      },
      land: async () => {
        const response = await direct.fetch(land.endpoint, {
          method: 'POST',
          ...landSoapRequest('FindParcelsByOwner', ownerIdElement(citizen.personalId), {
            username: config.LAND_REGISTRY_USERNAME,
            password: config.LAND_REGISTRY_PASSWORD,
          }),
        });
        const text = await response.text();
        if (!response.ok) throw new Error(`land registry: ${response.status} ${text}`);
      },
    };
    const phases = values.phases ? timePhases(hub) : undefined;
    for (let i = 0; i < WARM_UP; i += 1) {
      await prefill();
      for (const registry of registries) await upstreamCalls[registry]();
    }
    const summaries: string[] = [];
    for (const concurrency of CONCURRENCIES) {
      const results: BenchResult[] = [];
      for (const registry of registries) {
        results.push(
          await measure(`${registry} registry direct (${latency[registry]} ms)`, requests, concurrency, upstreamCalls[registry]),
        );
      }
      const slowest = results[0]!;
      phases?.reset();
      const cpu = process.cpuUsage();
      const loop = performance.eventLoopUtilization();
      const profiling = values.profile ? await startProfile() : undefined;
      const through = await measure(`prefill through the hub`, requests, concurrency, prefill);
      if (profiling) await profiling.stop(values.profile!.replace(/(\.cpuprofile)?$/, `-c${concurrency}.cpuprofile`));
      const { user, system } = process.cpuUsage(cpu);
      const busy = performance.eventLoopUtilization(loop).utilization;
      results.push(through);
      const overhead = through.p50Ms - slowest.p50Ms;
      summaries.push(
        `\nconcurrency ${concurrency}, ${requests} requests per scenario\n${formatBenchTable(results, { p99: true })}\n` +
          `overhead at p50: ${overhead.toFixed(1)} ms (target ≤ ${TARGET_OVERHEAD_MS} ms${overhead <= TARGET_OVERHEAD_MS ? ', met' : ', MISSED'}); ` +
          `hub p50 = ${(through.p50Ms / slowest.p50Ms).toFixed(2)}× the slowest registry's, ` +
          `p99 ${(through.p99Ms - slowest.p99Ms).toFixed(1)} ms over it; ` +
          `the hub's process: CPU ${((user + system) / 1000 / requests).toFixed(1)} ms per prefill, event loop busy ${(busy * 100).toFixed(0)}%\n` +
          (phases ? `${phases.report()}\n` : ''),
      );
    }
    process.stdout.write(
      `\nPrefill ${procedureCode} (${fields.length} fields from ${registries.join(' and ')}) through the hub vs the slowest registry called directly; ` +
        `${store}; registry cache off\n${summaries.join('')}`,
    );
    if (versus) {
      if (registries.includes('land')) {
        process.stdout.write('\nHive Gateway comparison skipped: the land registry (SOAP) is not in the composed supergraph.\n');
      } else {
        process.stdout.write(
          await versusHive({
            // A fresh access token: on a busy machine the run so far may outlast the first one.
            hub: { url: graphqlUrl, body, authorization: await accessToken() },
            registrySchema: hub.registry.schema,
            supergraphSdl: hub.registry.supergraphSdl,
            registries,
            personalId: citizen.personalId,
            dir: dataDir,
            population: population.url,
            business: business.url,
            businessApiKey: config.BUSINESS_REGISTRY_API_KEY,
            ...versus,
          }),
        );
      }
    }
  } finally {
    await direct.close();
    await hub?.stop();
    await Promise.all([population.close(), business.close(), land.close()]);
    rmSync(dataDir, { recursive: true, force: true });
    if (dbUrl) {
      const client = new Client({ connectionString: dbUrl });
      await client.connect();
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.end();
    }
  }
}

/** Wraps the steps of the hub's prefill path to time them (the same objects the gateway calls). */
function timePhases(hub: Awaited<ReturnType<typeof startHub>>): { reset(): void; report(): string } {
  const totals = new Map<string, { ms: number; calls: number }>();
  const wrap = <O extends object>(label: string, owner: O, method: keyof O & string) => {
    const original = (owner[method] as (...args: unknown[]) => Promise<unknown>).bind(owner);
    (owner as Record<string, unknown>)[method] = async (...args: unknown[]) => {
      const t = performance.now();
      try {
        return await original(...args);
      } finally {
        const total = totals.get(label) ?? { ms: 0, calls: 0 };
        total.ms += performance.now() - t;
        total.calls += 1;
        totals.set(label, total);
      }
    };
  };
  wrap('consent token checked (consents.present)', hub.services.consents, 'present');
  wrap('consent subject opened (consents.subjectOf)', hub.services.consents, 'subjectOf');
  wrap('population registry read', hub.population, 'lookup');
  wrap('business registry read', hub.business, 'findByRepresentative');
  wrap('land registry read', hub.land, 'findParcelsByOwner');
  wrap('processing log written (audit.append)', hub.services.audit, 'append');
  return {
    reset: () => totals.clear(),
    report: () =>
      `mean time per step of the hub path\n` +
      [...totals].map(([label, t]) => `  ${label.padEnd(46)} ${(t.ms / t.calls).toFixed(2)} ms`).join('\n'),
  };
}

/** The V8 profiler of this process, as `node --cpu-prof` runs it, over one scenario only. */
async function startProfile(): Promise<{ stop(file: string): Promise<void> }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    async stop(file) {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
      process.stderr.write(`  CPU profile written to ${file}\n`);
    },
  };
}

interface VersusHive {
  hub: { url: string; body: string; authorization: string };
  registrySchema: import('graphql').GraphQLSchema;
  supergraphSdl: string;
  registries: PrefillRegistry[];
  personalId: string;
  dir: string;
  population: string;
  business: string;
  businessApiKey: string;
  connections: number;
  seconds: number;
}

/**
 * The hub's prefill throughput against Hive Gateway's answering the same registry reads: each side
 * warmed up, then loaded by the same generator (its own process) for the same time.
 */
async function versusHive(v: VersusHive): Promise<string> {
  // What the hub's connectors execute on the composed graph for this prefill, as one query (Hive asks
  // the registries of its root fields concurrently, as the hub does).
  const operations: Record<'population' | 'business', { variable: string; field: string }> = {
    population: {
      variable: '$personalId: String!',
      field: `lookupCitizens(input: { personalIds: [$personalId] }) {
        __typename
        ... on CitizenLookupResult { citizens ${fullSelection(v.registrySchema, 'Citizen')} notFound invalid }
        ... on Problem { status code }
      }`,
    },
    business: {
      variable: '$representativeId: PersonalId!',
      field: `findEnterprisesByRepresentative(representativeId: $representativeId) {
        __typename
        ... on EnterpriseList { enterprises ${fullSelection(v.registrySchema, 'Enterprise')} }
        ... on Problem { status code }
      }`,
    },
  };
  const asked = v.registries.map((r) => operations[r as 'population' | 'business']);
  const query = `query Prefill(${asked.map((o) => o.variable).join(', ')}) { ${asked.map((o) => o.field).join('\n')} }`;
  const variables = {
    ...(v.registries.includes('population') ? { personalId: v.personalId } : {}),
    ...(v.registries.includes('business') ? { representativeId: v.personalId } : {}),
  };
  // The supergraph the hub composes from mesh.config.ts, as `npm run mesh:compose` writes it.
  const supergraphFile = path.join(v.dir, 'registry-supergraph.graphql');
  writeFileSync(supergraphFile, v.supergraphSdl);
  const hive = await startHiveGatewayProcess({
    supergraphFile,
    dir: v.dir,
    populationUrl: v.population,
    businessUrl: v.business,
    businessApiKey: v.businessApiKey,
  });
  try {
    const hiveBody = JSON.stringify({ query, variables });
    const hiveUrl = new URL(hive.url);
    // The same answer the hub's prefill is made from: the citizen's record and their enterprises.
    const check = (await (
      await fetch(hive.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: hiveBody })
    ).json()) as {
      data?: { lookupCitizens?: { citizens?: { personalId: string }[] }; findEnterprisesByRepresentative?: { enterprises?: unknown[] } };
      errors?: unknown;
    };
    if (
      check.errors ||
      (v.registries.includes('population') && check.data?.lookupCitizens?.citizens?.[0]?.personalId !== v.personalId) ||
      (v.registries.includes('business') && !check.data?.findEnterprisesByRepresentative?.enterprises?.length)
    ) {
      throw new Error(`Hive Gateway answered otherwise than the registries: ${JSON.stringify(check).slice(0, 500)}`);
    }
    const hubUrl = new URL(v.hub.url);
    const sides: {
      label: string;
      pid: number;
      load: { origin: string; path: string; headers: Record<string, string>; body: string; expect: string };
    }[] = [
      {
        label: 'Hive Gateway, the same registry reads',
        pid: hive.pid,
        load: {
          origin: hiveUrl.origin,
          path: hiveUrl.pathname,
          headers: { 'content-type': 'application/json' },
          body: hiveBody,
          expect: v.registries.includes('population') ? `"personalId":"${v.personalId}"` : '"enterprises":[',
        },
      },
      {
        label: 'hub prefill (token, consent, processing log)',
        pid: process.pid,
        load: {
          origin: hubUrl.origin,
          path: hubUrl.pathname,
          headers: { 'content-type': 'application/json', authorization: v.hub.authorization },
          body: v.hub.body,
          expect: '"prefill":[',
        },
      },
    ];
    const rows: { label: string; figures: LoadFigures; cpuMsPerRequest: number | undefined; rssMb: number | undefined }[] = [];
    for (const side of sides) {
      const run = async (seconds: number, connections: number) => {
        const load = await startChild({
          role: 'load',
          method: 'POST',
          codes: { agencies: ['-'], date: '000000', count: 1 },
          connections,
          seconds,
          ...side.load,
        });
        // The load process prints its figures as its one line, when done.
        const figures = load.ready as unknown as LoadFigures;
        await load.close();
        if (figures.errors > 0) throw new Error(`${side.label}: ${figures.errors} errors, the first: ${figures.firstError}`);
        return figures;
      };
      process.stderr.write(`  ${side.label}: warm-up`);
      await run(3, v.connections);
      resetPeakRss(side.pid);
      const cpuBefore = processCpuMs(side.pid);
      process.stderr.write(`, ${v.seconds} s at ${v.connections} connections...`);
      const figures = await run(v.seconds, v.connections);
      const cpuAfter = processCpuMs(side.pid);
      const cpuMsPerRequest = cpuBefore !== undefined && cpuAfter !== undefined ? (cpuAfter - cpuBefore) / figures.requests : undefined;
      process.stderr.write(` ${(figures.requests / figures.seconds).toFixed(0)} requests/s\n`);
      rows.push({ label: side.label, figures, cpuMsPerRequest, rssMb: peakRssMb(side.pid) });
    }
    const rate = (f: LoadFigures) => f.requests / f.seconds;
    const baseline = rate(rows[0]!.figures);
    const table = formatRows(
      ['scenario', 'req/s', 'vs Hive', 'p50 ms', 'p99 ms', 'CPU ms/req', 'peak RSS MB'],
      rows.map((r) => [
        r.label,
        rate(r.figures).toFixed(0),
        `${(rate(r.figures) / baseline).toFixed(2)}×`,
        r.figures.p50Ms.toFixed(1),
        r.figures.p99Ms.toFixed(1),
        r.cpuMsPerRequest?.toFixed(2) ?? '-',
        r.rssMb?.toFixed(0) ?? '-',
      ]),
    );
    const ratio = rate(rows[1]!.figures) / baseline;
    return (
      `\nThroughput against Hive Gateway (${v.registries.join(' and ')} registries, ${v.connections} requests in flight, ${v.seconds} s each; ` +
      `the hub's process also runs the benchmark's idle parts)\n${table}\n` +
      `hub / Hive Gateway: ${ratio.toFixed(2)}× (target ≥ ${TARGET_VERSUS_HIVE}×${ratio >= TARGET_VERSUS_HIVE ? ', met' : ', MISSED'})\n`
    );
  } finally {
    await hive.close();
  }
}

/** The CPU time a process used so far (user + system, Linux /proc), in ms; undefined elsewhere. */
function processCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): utime and stime are the 14th and 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / 100;
  } catch {
    return undefined;
  }
}

function formatRows(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
