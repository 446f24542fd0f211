import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Clock } from '../../domain/clock';
import { startHub, type Hub } from '../../gateway/hub';
import { loadConfig } from '../../platform/config';
import { dropSchema, freshSchemaName, quietLogger } from './database';
import { TEST_POPULATION_SIZE, TEST_SIMULATOR_SEED, testEnv } from './environment';
import { seedDemoData, type DemoSummary } from '../../scripts/demo-data';
import type { StoreServices } from '../../store/services';

export const DEMO_SECRET = 'demo-secret';
/** The operators' token of test hubs: /readyz details and /metrics need it. */
export const TEST_OPERATOR_TOKEN = 'test-operator-token-0123456789abcdef';

export interface GraphQLResult<T> {
  status: number;
  headers: Headers;
  body: { data?: T | null; errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[] };
}

export interface RequestOptions {
  /** Call as this client (a token is fetched and cached); without it, as the public. */
  as?: string;
  headers?: Record<string, string>;
}

export interface TestHub extends Hub {
  graphql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    options?: RequestOptions,
  ): Promise<GraphQLResult<T>>;
  /** An access token for a client, through the real token endpoint. */
  tokenFor(clientId: string, secret?: string): Promise<string>;
  /** Headers that authenticate an operator (/readyz details, /metrics). */
  operatorHeaders: Record<string, string>;
  /** Stops the hub and drops its schema. */
  dispose(): Promise<void>;
}

export interface TestHubOptions {
  clock?: Clock;
  /** A schema another hub already uses (replicas of one hub); a fresh one otherwise. */
  schema?: string;
  /** Without a copy of the shared test CA in the data folder (a replica finds the CA in the database). */
  withoutCaFolder?: boolean;
}

/** A real hub (gateway on a random port) over the test PostgreSQL, in its own schema. */
export async function startTestHub(label: string, env: Record<string, string> = {}, options: TestHubOptions = {}): Promise<TestHub> {
  const schema = options.schema ?? freshSchemaName(label);
  // A data folder of its own, with a copy of the shared test CA when the passphrase is the default one.
  const dataDir = mkdtempSync(path.join(tmpdir(), `hub-test-${label}-`));
  if (!env.PKI_KEY_PASSPHRASE && !options.withoutCaFolder) cpSync(testEnv('pkiTemplate'), path.join(dataDir, 'pki'), { recursive: true });
  const config = loadConfig({
    DATA_DIR: dataDir,
    NODE_ENV: 'test',
    PORT: '0',
    LOG_LEVEL: 'silent',
    DATABASE_URL: testEnv('databaseUrl'),
    POPULATION_REGISTRY_URL: testEnv('populationUrl'),
    BUSINESS_REGISTRY_URL: testEnv('businessUrl'),
    LAND_REGISTRY_URL: `${testEnv('landUrl')}/soap`,
    PORTAL_URL: testEnv('portalUrl'),
    IDENTITY_ISSUER_URL: testEnv('identityUrl'),
    // Off unless a test is about it: the portal is shared by every test file.
    PORTAL_SYNC: 'false',
    DATABASE_SCHEMA: schema,
    // High enough that only the rate-limit tests reach it.
    RATE_LIMIT_PER_MINUTE: '100000',
    RATE_LIMIT_PUBLIC_PER_MINUTE: '100000',
    OPERATOR_TOKEN: TEST_OPERATOR_TOKEN,
    ...env,
  });
  const hub = await startHub({ config, logger: quietLogger, ...(options.clock ? { clock: options.clock } : {}) });
  // Kept while the hub's clock says it is valid: a test that sets the clock gets a token of that time.
  const tokens = new Map<string, { token: string; issuedAt: number; expiresAt: number }>();
  const tokenFor = async (clientId: string, secret = DEMO_SECRET): Promise<string> => {
    const now = hub.services.clock.now().getTime();
    const cached = tokens.get(`${clientId}:${secret}`);
    if (cached && cached.issuedAt <= now && now < cached.expiresAt) return cached.token;
    const response = await fetch(`${hub.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret }),
    });
    const body = (await response.json()) as { access_token?: string; expires_in?: number; error?: string };
    if (!body.access_token) throw new Error(`no token for ${clientId}: ${JSON.stringify(body)}`);
    tokens.set(`${clientId}:${secret}`, { token: body.access_token, issuedAt: now, expiresAt: now + (body.expires_in ?? 0) * 1000 });
    return body.access_token;
  };
  return Object.assign(hub, {
    tokenFor,
    operatorHeaders: { authorization: `Bearer ${TEST_OPERATOR_TOKEN}` },
    async graphql<T>(query: string, variables?: Record<string, unknown>, options: RequestOptions = {}): Promise<GraphQLResult<T>> {
      const auth: Record<string, string> = options.as ? { authorization: `Bearer ${await tokenFor(options.as)}` } : {};
      const response = await fetch(`${hub.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...auth, ...options.headers },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, headers: response.headers, body: (await response.json()) as GraphQLResult<T>['body'] };
    },
    async dispose() {
      await hub.stop();
      await dropSchema(schema);
      rmSync(dataDir, { recursive: true, force: true });
    },
  });
}

/** The demo catalogue, clients and dossiers, with applicants from the test simulators. */
export function seedTestDemo(services: StoreServices): Promise<DemoSummary> {
  return seedDemoData(services, TEST_SIMULATOR_SEED, DEMO_SECRET, { populationSize: TEST_POPULATION_SIZE });
}
