/**
 * Reception throughput: receiveDossier over real HTTP (parse, validate, one transaction with the
 * dossier, its papers, first step, timeline entry, counters and outbox row, relay and consumer
 * running) on a PostgreSQL server and on the embedded store, against a baseline measured in the same
 * run: the same rows written with plain SQL through `pg` into the same tables, the least work any
 * implementation must do.
 *
 * Then the cost of once-only at reception, same run: the same birth registration received with its
 * population-backed paper (C08, the parent's identity) confirmed by the population registry (the
 * simulator, in process, registry cache off so every reception asks it) against the same reception
 * with no registry confirming (RECEPTION_CONFIRMING_REGISTRIES without population) and that paper handed in.
 *
 * Usage: npm run bench -- reception [--count N] [--concurrency C]
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { generateCitizen } from '../connectors/population/simulator/citizen-generator';
import { startPopulationSimulator } from '../connectors/population/simulator/population-simulator.server';
import { startHub } from '../gateway/hub';
import { createLogger } from '../platform/logger';
import { DEMO_AGENCIES, demoPapers, loadReferenceProcedures } from '../scripts/demo-data';
import { benchHubConfig, formatBenchTable, measure, type BenchResult } from './bench-support';

const SEED = 20250701;
const DESK = DEMO_AGENCIES.find((agency) => agency.level === 'commune')!.code;
/** Receptions made before measuring, on each hub. */
const WARM_UP = 30;

export async function serverUrl(): Promise<string | undefined> {
  const url = process.env.DATABASE_URL ?? `postgresql://${process.env.PGUSER || process.env.USER || 'postgres'}@127.0.0.1:5432/test`;
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return url;
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * The baseline: per reception, one transaction writing with plain SQL the rows the hub writes, into
 * the hub's own tables (migrated by a hub started and stopped on the schema: the same indexes,
 * constraints and statistics triggers): the two counters (code sequence, yearly register), the
 * dossier, its papers (one statement), its first step, its timeline entry and its outbox event.
 * What the hub does besides (publishing the event, the journal consuming it) is not in it.
 */
async function rawSqlBaseline(url: string, count: number, concurrency: number): Promise<BenchResult> {
  const schema = `bench_raw_${process.pid}`;
  const hub = await startHub({
    config: benchHubConfig({ DATABASE_URL: url, DATABASE_SCHEMA: schema }),
    logger: createLogger({ level: 'silent' }),
  });
  await hub.services.catalogue.importProcedures(loadReferenceProcedures());
  await hub.services.catalogue.importAgencies(DEMO_AGENCIES);
  await hub.stop();
  const birthRegistration = loadReferenceProcedures().find((p) => p.code === '1.001193')!;
  const [notice, identity] = birthRegistration.components.filter((c) => c.required);
  const admin = new Client({ connectionString: url });
  await admin.connect();
  const clients = await Promise.all(
    Array.from({ length: concurrency }, async () => {
      const client = new Client({ connectionString: url, options: `-c search_path=${schema}` });
      await client.connect();
      return client;
    }),
  );
  let next = 0;
  const result = await measure('raw SQL baseline (pg, server, same rows)', count, concurrency, async (worker) => {
    const client = clients[worker]!;
    const n = next++;
    const now = new Date();
    const due = new Date(now.getTime() + 3 * 86_400_000);
    await client.query('begin');
    const seq = await client.query<{ last_value: number }>(
      `insert into dossier_sequence (agency_code, reception_date, last_value) values ($1, '261123', 1)
       on conflict (agency_code, reception_date) do update set last_value = dossier_sequence.last_value + 1 returning last_value`,
      [DESK],
    );
    const register = await client.query<{ last_value: number }>(
      `insert into dossier_register_sequence (agency_code, year, last_value) values ($1, 2026, 1)
       on conflict (agency_code, year) do update set last_value = dossier_register_sequence.last_value + 1 returning last_value`,
      [DESK],
    );
    const code = `${DESK}-261123-${String(seq.rows[0]!.last_value).padStart(4, '0')}`;
    const dossier = await client.query<{ id: string }>(
      `insert into dossier (code, procedure_code, receiving_agency_code, applicant_id, applicant_kind, channel, status, received_at,
         due_at, current_agency_code, involved_agency_codes, register_year, register_number, reused_components, total_components,
         missed_reuse, missed_reuse_papers, created_at, updated_at)
       values ($1, '1.001193', $2, $3, 'CITIZEN', 'DESK', 'RECEIVED', $4, $5, $2, '{}', 2026, $6, 0, 2, 0, '[]', $4, $4) returning id`,
      [code, DESK, generateCitizen(SEED, n % 1000).personalId, now, due, register.rows[0]!.last_value],
    );
    const id = dossier.rows[0]!.id;
    await client.query(
      `insert into dossier_component (dossier_id, requirement_code, name, source, file_name, file_sha256, taken_from_vault, supplied_at, supplement)
       values ($1, $2, $3, 'NEW_FILE', 'C01.pdf', $4, false, $6, false), ($1, $5, $7, 'PRESENTED', null, null, false, $6, false)`,
      [
        id,
        notice!.code,
        notice!.name,
        '53b702b36bb9cbccf62cda529c483b3013abc408a99ac7fb8b7f3530cf9c49c5',
        identity!.code,
        now,
        identity!.name,
      ],
    );
    await client.query(
      `insert into dossier_step (dossier_id, sequence, step_code, name, agency_code, handed_over_by, handed_over_at, due_at)
       values ($1, 1, 'S1', 'Tiếp nhận, kiểm tra hồ sơ', $2, 'bench-desk', $3, $4)`,
      [id, DESK, now, due],
    );
    await client.query(
      `insert into dossier_activity (dossier_id, at, action, actor, to_status, details) values ($1, $2, 'RECEIVE', 'bench-desk', 'RECEIVED', $3)`,
      [id, now, JSON.stringify({ channel: 'DESK', registerNumber: register.rows[0]!.last_value, reused: 0, missedReuse: 0, papers: 2 })],
    );
    await client.query(
      `insert into outbox_event (event_id, type, subject, data, occurred_at, attempts) values (gen_random_uuid(), 'dossier.received', $1, $2, $3, 0)`,
      [
        code,
        JSON.stringify({ code, action: 'RECEIVE', procedureCode: '1.001193', agencyCode: DESK, status: 'RECEIVED', at: now.toISOString() }),
        now,
      ],
    );
    await client.query('commit');
  });
  await Promise.all(clients.map((c) => c.end()));
  await admin.query(`drop schema ${schema} cascade`);
  await admin.end();
  return result;
}

/** Which papers the desk hands in: the required ones no registry backs, or every required one. */
type PaperSet = 'not-registry-backed' | 'all-required';

async function throughHub(
  label: string,
  env: Record<string, string>,
  count: number,
  concurrency: number,
  paperSet: PaperSet = 'all-required',
  /** Papers satisfied from a registry per reception when the desk hands in only the others. */
  reusedExpected = 0,
): Promise<BenchResult> {
  // Rate limits off the path: this measures the hub's own work.
  const config = benchHubConfig({
    // Plain reception unless a scenario is about registries: every required paper handed in, no
    // registry asked.
    RECEPTION_CONFIRMING_REGISTRIES: 'none',
    ...env,
  });
  const hub = await startHub({ config, logger: createLogger({ level: 'silent' }) });
  try {
    await hub.services.catalogue.importProcedures(loadReferenceProcedures());
    await hub.services.catalogue.importAgencies(DEMO_AGENCIES);
    await hub.services.clients.ensure({
      clientId: 'bench-desk',
      name: 'Benchmark desk',
      kind: 'AGENCY_SYSTEM',
      agencyCode: DESK,
      secret: 'bench-secret-value',
    });
    const tokenResponse = await fetch(`${hub.url}/oauth/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'bench-desk', client_secret: 'bench-secret-value' }),
    });
    const authorization = `Bearer ${((await tokenResponse.json()) as { access_token: string }).access_token}`;
    const mutation = `mutation($input: ReceiveDossierInput!) { receiveDossier(input: $input) { __typename ... on DossierReceived { dossier { code reusedPapers } } } }`;
    const birthRegistration = loadReferenceProcedures().find((p) => p.code === '1.001193')!;
    const handedIn =
      paperSet === 'all-required'
        ? demoPapers({ ...birthRegistration, components: birthRegistration.components.map((c) => ({ ...c, registrySource: null })) })
        : demoPapers(birthRegistration);
    const papers = handedIn.map((p) => ({
      requirementCode: p.requirementCode,
      fileName: p.file?.name,
      fileSha256: p.file?.sha256,
      presented: p.presented,
    }));
    let next = 0;
    const receive = async () => {
      const n = next++;
      const response = await fetch(`${hub.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body: JSON.stringify({
          query: mutation,
          variables: {
            input: {
              procedureCode: '1.001193',
              applicantId: generateCitizen(SEED, n % 1000).personalId,
              channel: 'DESK',
              agencyCode: DESK,
              components: papers,
            },
          },
        }),
      });
      const body = (await response.json()) as { errors?: unknown; data?: { receiveDossier: { dossier?: { reusedPapers: number } } } };
      const dossier = body.data?.receiveDossier.dossier;
      // Received, and with the papers taken from the registry that this scenario is about.
      if (!response.ok || body.errors || !dossier || dossier.reusedPapers !== (paperSet === 'all-required' ? 0 : reusedExpected))
        throw new Error(`reception failed: ${JSON.stringify(body)}`);
    };
    // Warm-up, not measured: the first requests pay for compilation and connections, whichever scenario runs first.
    for (let i = 0; i < WARM_UP; i += 1) await receive();
    return await measure(label, count, concurrency, receive);
  } finally {
    await hub.stop();
  }
}

export async function runReceptionBench(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { count: { type: 'string', default: '1000' }, concurrency: { type: 'string', default: '8' } },
  });
  const count = Number(values.count);
  const concurrency = Number(values.concurrency);
  const results: BenchResult[] = [];
  const url = await serverUrl();
  if (url) {
    results.push(await rawSqlBaseline(url, count, concurrency));
    const schema = `bench_hub_${process.pid}`;
    results.push(await throughHub('hub over HTTP, PostgreSQL server', { DATABASE_URL: url, DATABASE_SCHEMA: schema }, count, concurrency));
    const client = new Client({ connectionString: url });
    await client.connect();
    await client.query(`drop schema ${schema} cascade`);
    await client.end();
    // Printed now: the embedded store's scenario comes after, and a slow machine may fail it.
    process.stdout.write(
      `\nReception, PostgreSQL server: ${count} dossiers, ${concurrency} concurrent clients\n${formatBenchTable(results)}\n`,
    );
  } else {
    process.stdout.write('no PostgreSQL server reachable (DATABASE_URL or 127.0.0.1:5432/test): server scenarios skipped\n');
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), 'hub-bench-'));
  results.push(await throughHub('hub over HTTP, embedded store', { DATA_DIR: dataDir }, count, concurrency));
  rmSync(dataDir, { recursive: true, force: true });
  process.stdout.write(`\nReception: ${count} dossiers, ${concurrency} concurrent clients\n${formatBenchTable(results)}\n`);
  if (url) await registryConfirmationBench(url, count, concurrency);
}

/** Reception with and without the population registry confirming a paper, same run, same server. */
async function registryConfirmationBench(url: string, count: number, concurrency: number): Promise<void> {
  const logger = createLogger({ level: 'silent' });
  // Citizens 0..999 of this seed are the applicants (generateCitizen above): all known to the simulator.
  const population = await startPopulationSimulator({ port: 0, seed: SEED, logger });
  const results: BenchResult[] = [];
  try {
    const common = { DATABASE_URL: url, POPULATION_REGISTRY_URL: population.url, PORTAL_SYNC: 'false' };
    const scenarios: [string, Record<string, string>, PaperSet][] = [
      ['no registry confirms: C08 handed in', {}, 'all-required'],
      [
        'population registry confirms C08 (cache off)',
        { RECEPTION_CONFIRMING_REGISTRIES: 'population', REGISTRY_CACHE_TTL_SECONDS: '0' },
        'not-registry-backed',
      ],
    ];
    for (const [label, env, paperSet] of scenarios) {
      const schema = `bench_confirm_${process.pid}_${results.length}`;
      results.push(await throughHub(label, { ...common, ...env, DATABASE_SCHEMA: schema }, count, concurrency, paperSet, 1));
      const client = new Client({ connectionString: url });
      await client.connect();
      await client.query(`drop schema ${schema} cascade`);
      await client.end();
    }
  } finally {
    await population.close();
  }
  process.stdout.write(
    `\nReception with registry confirmations: ${count} dossiers, ${concurrency} concurrent clients, PostgreSQL server\n${formatBenchTable(results)}\n`,
  );
}
