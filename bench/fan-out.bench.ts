/**
 * Registry fan-out: one GraphQL request that needs several registries (population and business over
 * REST, land over SOAP) takes about as long as the
 * slowest of them, not the sum, because the hub asks them concurrently. Each registry simulator
 * gets the same injected latency; the baselines are requests needing one registry each, measured
 * in the same run. Caches are cleared before every request so each one really reaches the registries.
 *
 * Usage: npm run bench -- fan-out [--latency 500] [--requests 10]
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startBusinessSimulator } from '../connectors/business/simulator/business-simulator.server';
import { generateEnterpriseCode } from '../connectors/business/simulator/business-generator';
import { startPopulationSimulator } from '../connectors/population/simulator/population-simulator.server';
import { startLandSimulator } from '../connectors/land/simulator/land-simulator.server';
import { DEFAULT_BUSINESS_COUNT, DEFAULT_POPULATION_SIZE } from '../connectors/land/simulator/land-generator';
import { startHub } from '../gateway/hub';
import { createLogger } from '../platform/logger';
import { seedDemoData } from '../scripts/demo-data';
import { benchHubConfig, formatBenchTable, measure, type BenchResult } from './bench-support';
import { reportHeadline } from './summary';

const SEED = 20250701;
const SECRET = 'bench-secret-value';

export async function runFanOutBench(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { latency: { type: 'string', default: '500' }, requests: { type: 'string', default: '10' } },
  });
  const latencyMs = Number(values.latency);
  const requests = Number(values.requests);
  if (!Number.isInteger(latencyMs) || latencyMs < 0 || !Number.isInteger(requests) || requests < 1) {
    throw new RangeError('--latency must be a whole number of milliseconds and --requests a positive whole number.');
  }
  const logger = createLogger({ level: 'silent' });
  const faults = { latencyMs };
  const population = await startPopulationSimulator({ port: 0, seed: SEED, logger, faults });
  const business = await startBusinessSimulator({ port: 0, seed: SEED, logger, faults });
  // The demo data's land dossier names a parcel of a land registry with these sizes.
  const land = await startLandSimulator({
    port: 0,
    seed: SEED,
    populationSize: DEFAULT_POPULATION_SIZE,
    businessCount: DEFAULT_BUSINESS_COUNT,
    logger,
    faults,
  });
  const dataDir = mkdtempSync(path.join(tmpdir(), 'hub-bench-'));
  const hub = await startHub({
    config: benchHubConfig({
      PORTAL_SYNC: 'false',
      DATA_DIR: dataDir,
      POPULATION_REGISTRY_URL: population.url,
      POPULATION_REGISTRY_TIMEOUT_MS: String(latencyMs + 2000),
      BUSINESS_REGISTRY_URL: business.url,
      BUSINESS_REGISTRY_TIMEOUT_MS: String(latencyMs + 2000),
      LAND_REGISTRY_URL: land.endpoint,
      LAND_REGISTRY_TIMEOUT_MS: String(latencyMs + 2000),
    }),
    logger,
  });
  try {
    const demo = await seedDemoData(hub.services, SEED, SECRET);
    const tokenResponse = await fetch(`${hub.url}/oauth/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'demo-district', client_secret: SECRET }),
    });
    const authorization = `Bearer ${((await tokenResponse.json()) as { access_token: string }).access_token}`;
    // The first demo dossier is a citizen's at demo-district's own desk: a legal basis to read the applicant.
    const citizenDossier = demo.dossierCodes[0]!;
    // The last demo dossier is a land procedure at the same desk, naming a parcel its applicant holds.
    const landDossier = demo.dossierCodes.at(-1)!;
    const enterpriseCode = generateEnterpriseCode(SEED, 7);
    const scenarios: [string, string][] = [
      ['population registry only', `{ dossier(code: "${citizenDossier}") { applicant { fullName } } }`],
      ['business registry only', `{ business(enterpriseCode: "${enterpriseCode}") { name } }`],
      ['land registry only (SOAP)', `{ dossier(code: "${landDossier}") { landParcel { areaM2 } } }`],
      [
        'all three registries in one request',
        `{ dossier(code: "${landDossier}") { applicant { fullName } landParcel { areaM2 owners { fullName } } } business(enterpriseCode: "${enterpriseCode}") { name } }`,
      ],
    ];
    const results: BenchResult[] = [];
    for (const [label, query] of scenarios) {
      results.push(
        await measure(label, requests, 1, async () => {
          hub.population.clearCache();
          hub.business.clearCache();
          hub.land.clearCache();
          const response = await fetch(`${hub.url}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization },
            body: JSON.stringify({ query }),
          });
          const body = (await response.json()) as { errors?: unknown };
          if (!response.ok || body.errors) throw new Error(`${label} failed: ${JSON.stringify(body)}`);
        }),
      );
    }
    const singles = results.slice(0, -1);
    const all = results.at(-1)!;
    const slowest = Math.max(...singles.map((r) => r.p50Ms));
    const sum = singles.reduce((total, r) => total + r.p50Ms, 0);
    reportHeadline({
      bench: 'fan-out',
      figure: `one request to three registries (${latencyMs} ms each), p50`,
      value: all.p50Ms,
      unit: 'ms',
      baseline: { label: 'the slowest single registry', value: slowest },
    });
    process.stdout.write(
      `\nRegistry fan-out: ${latencyMs} ms injected on each registry, ${requests} sequential requests per scenario\n` +
        `${formatBenchTable(results)}\n` +
        `all three registries: p50 ${all.p50Ms.toFixed(0)} ms = ${(all.p50Ms / slowest).toFixed(2)}× the slowest single registry ` +
        `(${slowest.toFixed(0)} ms), ${(all.p50Ms / sum).toFixed(2)}× their sum (${sum.toFixed(0)} ms)\n`,
    );
  } finally {
    await hub.stop();
    await Promise.all([population.close(), business.close(), land.close()]);
    rmSync(dataDir, { recursive: true, force: true });
  }
}
