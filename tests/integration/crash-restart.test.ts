import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { generateCitizen } from '../../connectors/population/simulator/citizen-generator';
import { fromProjectRoot, projectRoot } from '../../platform/paths';
import { dropSchema, freshSchemaName } from '../support/database';
import { TEST_SIMULATOR_SEED, testEnv } from '../support/environment';
import { readFileSync } from 'node:fs';
import type { ProcedureDefinition } from '../../domain/catalogue/procedure-definition';
import { BIRTH_REGISTRATION, DESK, paperInputs } from '../support/hub-fixtures';
import { spawnHub, waitUntilHealthy, type HubProcess } from '../support/hub-process';
import { collectMessages, freshTopicPrefix } from '../support/kafka';
import { freePort } from '../support/ports';
import { until } from '../support/until';

const run = promisify(execFile);

const RECEIVE = `mutation($input: ReceiveDossierInput!) { receiveDossier(input: $input) { ... on DossierReceived { dossier { code } } } }`;

interface Attempt {
  key: string;
  applicantId: string;
  code?: string;
}

/** The same reception, every time an attempt is sent or retried. */
function receptionOf(attempt: Attempt) {
  return {
    input: {
      procedureCode: BIRTH_REGISTRATION,
      applicantId: attempt.applicantId,
      channel: 'DESK',
      agencyCode: DESK,
      idempotencyKey: attempt.key,
      components: BIRTH_PAPERS,
    },
  };
}

function birthPapers() {
  const catalogue = JSON.parse(readFileSync(fromProjectRoot('reference/catalogue/procedures.json'), 'utf8')) as ProcedureDefinition[];
  return paperInputs(catalogue.find((p) => p.code === BIRTH_REGISTRATION)!);
}
const BIRTH_PAPERS = birthPapers();

/**
 * Sends receptions with four concurrent clients until the hub dies; returns every attempt, with the
 * dossier code for those the hub acknowledged (HTTP 200 and a code).
 */
const tokens = new Map<string, string>();

/** A token of the demo agency system of the desk the receptions go to (one per hub instance). */
async function deskToken(url: string): Promise<string> {
  const cached = tokens.get(url);
  if (cached) return cached;
  const response = await fetch(`${url}/oauth/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'demo-district', client_secret: 'demo-secret' }),
  });
  const token = ((await response.json()) as { access_token: string }).access_token;
  tokens.set(url, token);
  return token;
}

async function writeUntilKilled(hub: HubProcess, killAfterAcks: number): Promise<Attempt[]> {
  const attempts: Attempt[] = [];
  const authorization = `Bearer ${await deskToken(hub.url)}`;
  let acked = 0;
  let killed = false;
  let counter = 0;
  const client = async () => {
    while (!killed) {
      const n = counter++;
      const attempt: Attempt = {
        key: `crash-test-${String(n).padStart(6, '0')}`,
        applicantId: generateCitizen(TEST_SIMULATOR_SEED, n % 1000).personalId,
      };
      attempts.push(attempt);
      try {
        const response = await fetch(`${hub.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization },
          body: JSON.stringify({ query: RECEIVE, variables: receptionOf(attempt) }),
          signal: AbortSignal.timeout(10_000),
        });
        const body = (await response.json()) as { data?: { receiveDossier?: { dossier?: { code: string } } } };
        if (response.ok && body.data?.receiveDossier?.dossier?.code) {
          attempt.code = body.data.receiveDossier.dossier.code;
          acked += 1;
          if (acked === killAfterAcks && !killed) {
            killed = true;
            hub.child.kill('SIGKILL'); // mid-write: the other clients' requests are in flight
          }
        }
      } catch {
        if (killed) return;
      }
    }
  };
  await Promise.all([client(), client(), client(), client()]);
  await hub.exited;
  return attempts;
}

async function graphql<T>(url: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await deskToken(url)}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data: T; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

/** After the restart: every acknowledged dossier is there, and a retry of any attempt never duplicates. */
async function expectNoAcknowledgedDossierLost(url: string, attempts: Attempt[]): Promise<void> {
  for (const attempt of attempts.filter((a) => a.code)) {
    const data = await graphql<{ dossier: { code: string } }>(
      url,
      `
        query ($c: String!) {
          dossier(code: $c) {
            code
          }
        }
      `,
      { c: attempt.code },
    );
    expect(data.dossier.code).toBe(attempt.code);
  }
  // Retrying every attempt with its idempotency key returns the acknowledged code, never a second dossier.
  for (const attempt of attempts) {
    const data = await graphql<{ receiveDossier: { dossier: { code: string } } }>(url, RECEIVE, receptionOf(attempt));
    if (attempt.code) expect(data.receiveDossier.dossier.code).toBe(attempt.code);
  }
  const total = await graphql<{ dossiers: { totalCount: number } }>(
    url,
    `{ dossiers(filter: { procedureCode: "${BIRTH_REGISTRATION}" }) { totalCount } }`,
  );
  // Demo data adds one birth registration.
  expect(total.dossiers.totalCount).toBe(attempts.length + 1);
}

/**
 * Starts a hub with `env`, receives dossiers until it is SIGKILLed after `acknowledged` of them,
 * starts it again and checks that nothing acknowledged was lost: what each store case shares.
 */
async function killAndRestart(env: Record<string, string>, label: string, acknowledged: number) {
  const first = spawnHub(env);
  await waitUntilHealthy(first);
  const attempts = await writeUntilKilled(first, acknowledged);
  const acked = attempts.filter((a) => a.code);
  console.log(`${label}: ${acked.length} receptions acknowledged, ${attempts.length - acked.length} in flight at the kill`);
  expect(acked.length).toBeGreaterThanOrEqual(acknowledged);
  expect(await first.exited).toBe('SIGKILL');

  const second = spawnHub(env);
  await waitUntilHealthy(second);
  tokens.delete(second.url);
  await expectNoAcknowledgedDossierLost(second.url, attempts);
  return { acked, second };
}

/**
 * Two hub processes started one after the other, a kill, and a Kafka consumer group to join: more
 * than the suite's default minute on a loaded 2-core machine (a guard, not a speed claim).
 */
jest.setTimeout(180_000);

describe('a killed hub loses nothing it acknowledged', () => {
  it('PostgreSQL server + Kafka: every acknowledged dossier and its event survive SIGKILL mid-write', async () => {
    const schema = freshSchemaName('crash');
    const prefix = freshTopicPrefix('crash');
    const port = await freePort();
    const env = {
      PORT: String(port),
      DATABASE_URL: testEnv('databaseUrl'),
      DATABASE_SCHEMA: schema,
      KAFKA_BROKERS: testEnv('kafkaBrokers'),
      KAFKA_TOPIC_PREFIX: prefix,
      POPULATION_REGISTRY_URL: testEnv('populationUrl'),
      START_SIMULATORS: 'false',
      PORTAL_SYNC: 'false',
      LOG_LEVEL: 'warn',
      DATA_DIR: path.join(projectRoot(), 'data', 'test-crash'),
    };
    try {
      const { acked, second } = await killAndRestart(env, 'server + Kafka', 40);

      // Every acknowledged dossier's event was committed with it, and the relay publishes it.
      const client = new Client({ connectionString: testEnv('databaseUrl') });
      await client.connect();
      const rows = await client.query<{ subject: string; n: string }>(
        `select subject, count(*)::text as n from "${schema}".outbox_event where type = 'dossier.received' group by subject`,
      );
      await client.end();
      const events = new Map(rows.rows.map((r) => [r.subject, Number(r.n)]));
      for (const attempt of acked) expect(events.get(attempt.code!)).toBe(1);

      const collector = await collectMessages([`${prefix}dossier.received`]);
      const ackedCodes = new Set(acked.map((a) => a.code!));
      await collector.waitFor((messages) => [...ackedCodes].every((code) => messages.some((m) => m.key === code)), 60_000);
      await collector.consumer.disconnect();

      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    } finally {
      await dropSchema(schema);
    }
  });

  it('embedded store: every acknowledged dossier and its event survive SIGKILL mid-write', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'hub-crash-'));
    const port = await freePort();
    const env = {
      PORT: String(port),
      DATA_DIR: dataDir,
      POPULATION_REGISTRY_URL: testEnv('populationUrl'),
      START_SIMULATORS: 'false',
      PORTAL_SYNC: 'false',
      LOG_LEVEL: 'warn',
    };
    try {
      const { acked, second } = await killAndRestart(env, 'embedded', 25);
      // The relay delivers what the crash left pending (in-process: published is consumed): stop once nothing is left.
      await until(
        async () => /^hub_outbox_pending_events 0$/m.test(await (await fetch(`${second.url}/metrics`)).text()),
        'the outbox drained after the restart',
        { timeoutMs: 60_000, intervalMs: 200 },
      );
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);

      const { stdout } = await run(process.execPath, [
        path.join(projectRoot(), 'dist', 'tests', 'support', 'embedded-query.js'),
        dataDir,
        `select o.subject, o.published_at is not null as published, exists (select 1 from consumed_event c where c.event_id = o.event_id) as consumed
         from outbox_event o where o.type = 'dossier.received'`,
      ]);
      const rows = JSON.parse(stdout) as { subject: string; published: boolean; consumed: boolean }[];
      for (const attempt of acked) {
        const row = rows.filter((r) => r.subject === attempt.code);
        expect(row).toEqual([{ subject: attempt.code, published: true, consumed: true }]);
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
