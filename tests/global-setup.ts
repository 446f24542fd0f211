import { execFile } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { authoritySettingsFor, CertificateAuthority } from '../certs/pki/certificate-authority';
import { loadConfig } from '../platform/config';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../store/embedded-postgres';
import { startSimulators } from '../scripts/simulators';
import type { ManagedProcess } from '../scripts/child-process';
import { projectRoot } from '../platform/paths';
import { TEST_ENV, TEST_IDENTITY_CLIENTS, TEST_KAFKA_PORT, TEST_POPULATION_SIZE, TEST_SIMULATOR_SEED } from './support/environment';
import { freePort } from './support/ports';

const run = promisify(execFile);
const CI = process.env.CI === 'true';

interface Started {
  embedded?: EmbeddedPostgres;
  simulators: ManagedProcess[];
  kafkaStartedHere: boolean;
}

declare global {
  var __hubTestServices: Started | undefined;
}

async function reachable(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** DATABASE_URL, else the local server's `test` database, else (outside CI) the embedded store. */
async function database(started: Started): Promise<void> {
  // An explicit role: without USER in the environment the driver would send none.
  const localUser = process.env.PGUSER || process.env.USER || 'postgres';
  const candidates = [process.env.DATABASE_URL, `postgresql://${localUser}@127.0.0.1:5432/test`].filter(Boolean) as string[];
  for (const url of candidates) {
    if (await reachable(url)) {
      process.env[TEST_ENV.databaseUrl] = url;
      process.env[TEST_ENV.databaseKind] = 'server';
      return;
    }
  }
  if (CI) {
    throw new Error(
      `No PostgreSQL server answers at ${candidates.join(' or ')}. CI runs the suite on a real PostgreSQL server: start it (.ci/run does) or set DATABASE_URL.`,
    );
  }
  process.stderr.write('\n[tests] no PostgreSQL server found: using the embedded store\n');
  const dataDir = path.join(projectRoot(), 'data', 'test-embedded');
  rmSync(dataDir, { recursive: true, force: true });
  started.embedded = await startEmbeddedPostgres({ dataDir });
  process.env[TEST_ENV.databaseUrl] = started.embedded.url;
  process.env[TEST_ENV.databaseKind] = 'embedded';
}

async function kafka(started: Started): Promise<void> {
  const script = path.join(projectRoot(), 'scripts', 'kafka-broker.sh');
  const env = { ...process.env, KAFKA_PORT: String(TEST_KAFKA_PORT), KAFKA_CONTROLLER_PORT: String(TEST_KAFKA_PORT + 1) };
  const status = await run('bash', [script, 'status'], { env }).then(
    () => 'running',
    () => 'stopped',
  );
  if (status === 'stopped') {
    try {
      await run('bash', [script, 'start'], { env, timeout: 300_000 });
    } catch (error) {
      const detail = (error as { stderr?: string }).stderr ?? String(error);
      throw new Error(`The tests need a real Kafka broker and scripts/kafka-broker.sh could not start one:\n${detail}`);
    }
    started.kafkaStartedHere = true;
  }
  process.env[TEST_ENV.kafkaBrokers] = `127.0.0.1:${TEST_KAFKA_PORT}`;
}

async function simulators(started: Started): Promise<void> {
  const [population, business, land, portal, identity] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
  const url = (port: number) => `http://127.0.0.1:${port}`;
  started.simulators = await startSimulators({
    populationUrl: url(population),
    businessUrl: url(business),
    landUrl: url(land),
    portalUrl: url(portal),
    identityUrl: url(identity),
    identityClients: TEST_IDENTITY_CLIENTS,
    seed: TEST_SIMULATOR_SEED,
    populationSize: TEST_POPULATION_SIZE,
    portalClientSecret: 'portal-sim-secret',
    // The hub's defaults (LAND_REGISTRY_USERNAME, LAND_REGISTRY_PASSWORD).
    landUsername: 'hub',
    landPassword: 'land-sim-password',
    logDir: path.join(projectRoot(), 'data', 'test-logs'),
  });
  process.env[TEST_ENV.populationUrl] = url(population);
  process.env[TEST_ENV.businessUrl] = url(business);
  process.env[TEST_ENV.landUrl] = url(land);
  process.env[TEST_ENV.portalUrl] = url(portal);
  process.env[TEST_ENV.identityUrl] = url(identity);
  process.env[TEST_ENV.simulatorSeed] = String(TEST_SIMULATOR_SEED);
}

/** One CA for all test hubs: creating one costs RSA key generation, copying it costs nothing. */
async function certificateAuthority(): Promise<void> {
  const dir = path.join(projectRoot(), 'data', 'test-pki-template');
  rmSync(dir, { recursive: true, force: true });
  CertificateAuthority.init({ ...authoritySettingsFor(loadConfig({})), dir });
  process.env[TEST_ENV.pkiTemplate] = dir;
}

export default async function globalSetup(): Promise<void> {
  if (!existsSync(path.join(projectRoot(), 'dist', 'scripts', 'hub.js'))) {
    throw new Error(
      'dist/ is missing: the tests run the compiled hub and simulators. Run "npm test" (it builds first) or "npm run build".',
    );
  }
  const started: Started = { simulators: [], kafkaStartedHere: false };
  globalThis.__hubTestServices = started;
  // The CA's key generation holds the event loop for seconds on a busy machine: first, so it cannot
  // run out the time limit of the database probe started beside it.
  await certificateAuthority();
  await Promise.all([database(started), kafka(started), simulators(started)]);
}
