/**
 * The status look-up: an authenticated `dossier(code) { code status dueAt }` through the hub against a
 * bare Node `http` + `pg` server answering the same indexed select by dossier code, in the same run;
 * then a minimal Apollo Server doing that select (the framework's own floor), and the hub layer by layer
 * (`/healthz`, `{ __typename }` with a token, the public `dossierStatus`). Each row also gives the CPU
 * time its serving process spent per request: on a shared machine it moves less than requests/s.
 * The hub, the bare server and the load generator each run in a process of their own
 * (bench/status-processes.ts); the load generator keeps `--connections` requests in flight for
 * `--seconds`, each for a dossier picked at random among those loaded.
 *
 * Usage: npm run bench -- status [--dossiers 100000 | --schema NAME] [--connections 64] [--seconds 10] [--profile FILE]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { DEMO_AGENCIES, loadReferenceProcedures } from '../scripts/demo-data';
import { serverUrl } from './reception.bench';
import {
  cpuMs,
  peakRssMb,
  resetPeakRss,
  startChild,
  type ChildProcess,
  type CodeSpace,
  type LoadFigures,
  type LoadStart,
} from './status-processes';

const CLIENT_ID = 'bench-status-monitor';
const SECRET = 'bench-secret-value';
/** Where the bench's dossiers were received: one day, so every code shares its date part. */
const RECEIVED_ON = { date: '260115', at: '2026-01-15 08:00+07' };
/** The targets, against the bare server in the same run. */
const TARGET = { throughput: 0.5, p99: 2 };

const USAGE = `Usage: npm run bench -- status [options]

  --dossiers N       dossiers loaded into the PostgreSQL server before measuring (default 100000)
  --schema NAME      measure on this schema as it is (e.g. what \`npm run bench -- scale-load\` filled) instead
                     of loading a new one: codes are sampled from its dossiers, nothing is loaded or dropped
  --connections N    connections the load generator keeps busy (default 64)
  --seconds S        measured duration of each scenario (default 10; each also has a 2 s warm-up)
  --only LIST        comma-separated scenarios to run after the bare server (apollo, hub, status, healthz, typename)
  --profile FILE     write a CPU profile (.cpuprofile) of the hub's process during the hub dossier(code) scenario
  --help             this text
`;

interface Row {
  key: string;
  label: string;
  figures: LoadFigures;
  rssMb: number | undefined;
  /** CPU time of the serving process per request. */
  cpuMsPerRequest: number | undefined;
}

/** Up to `limit` codes of dossiers already in `schema`, spread over the table (a block sample, then random order). */
async function sampleCodes(client: Client, schema: string, limit: number): Promise<{ codes: string[]; estimate: number }> {
  const { rows: size } = await client.query<{ estimate: string }>(
    `select greatest(reltuples, 0)::bigint as estimate from pg_class where oid = to_regclass($1)`,
    [`"${schema}".dossier`],
  );
  const estimate = Number(size[0]?.estimate ?? 0);
  const percent = estimate > 0 ? Math.min(100, (limit * 400) / estimate) : 100;
  const { rows } = await client.query<{ code: string }>(
    `select code from "${schema}".dossier tablesample system ($1) order by random() limit $2`,
    [percent, limit],
  );
  return { codes: rows.map((r) => r.code), estimate };
}

/** Inserts `count` dossiers in one statement (generate_series), with codes from `space`. */
async function loadDossiers(client: Client, schema: string, space: CodeSpace): Promise<void> {
  const procedures = loadReferenceProcedures().map((p) => p.code);
  await client.query(
    `insert into "${schema}".dossier (code, procedure_code, receiving_agency_code, applicant_id, applicant_kind, channel, status,
       received_at, due_at, resolved_at, completion, reused_components, total_components, missed_reuse, register_year, register_number)
     select ($1::text[])[1 + g % array_length($1::text[], 1)] || '-' || $4 || '-' || lpad(g::text, 7, '0'),
       ($2::text[])[1 + g % array_length($2::text[], 1)], ($1::text[])[1 + g % array_length($1::text[], 1)],
       lpad((46203000000 + g)::text, 12, '0'), 'CITIZEN', (array['DESK','POST','ONLINE'])[1 + g % 3],
       (array['RECEIVED','PROCESSING','RESOLVED','RETURNED','WITHDRAWN'])[1 + g % 5],
       $5::timestamptz, $5::timestamptz + ((5 + g % 20) || ' days')::interval,
       case when g % 5 in (2, 3) then $5::timestamptz + ((g % 9) || ' days')::interval end,
       case when g % 5 in (2, 3) then (array['EARLY','ON_TIME','LATE'])[1 + g % 3] end,
       g % 3, 3, case when g % 5 = 0 then 1 else 0 end, 2026, g
     from generate_series(1, $3::int) g`,
    [space.agencies, procedures, space.count, space.date, RECEIVED_ON.at],
  );
  await client.query(`analyze "${schema}".dossier`);
}

export async function runStatusBench(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      dossiers: { type: 'string', default: '100000' },
      connections: { type: 'string', default: '64' },
      seconds: { type: 'string', default: '10' },
      only: { type: 'string' },
      profile: { type: 'string' },
      schema: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  let count = Number(values.dossiers);
  const connections = Number(values.connections);
  const seconds = Number(values.seconds);
  if (![count, connections].every((n) => Number.isInteger(n) && n > 0) || !(seconds > 0)) {
    throw new RangeError('--dossiers and --connections must be positive whole numbers, --seconds a positive number.');
  }
  const only = values.only ? new Set(values.only.split(',')) : undefined;
  const url = await serverUrl();
  if (!url) {
    process.stdout.write('status bench needs a PostgreSQL server (DATABASE_URL or 127.0.0.1:5432/test)\n');
    return;
  }
  const reused = values.schema;
  if (reused !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(reused)) throw new Error('--schema must be a lower-case SQL identifier');
  const schema = reused ?? `bench_status_${process.pid}`;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'hub-bench-'));
  const space: CodeSpace = {
    agencies: DEMO_AGENCIES.filter((a) => a.roles?.includes('reception')).map((a) => a.code),
    date: RECEIVED_ON.date,
    count,
  };
  const client = new Client({ connectionString: url });
  await client.connect();
  const children: ChildProcess[] = [];
  try {
    process.stderr.write(`status: starting the hub (schema ${schema})\n`);
    const hub = await startChild({ role: 'hub', databaseUrl: url, schema, dataDir, clientId: CLIENT_ID, secret: SECRET });
    children.push(hub);
    const hubUrl = new URL(String(hub.ready.url));
    let codesFile: string | undefined;
    if (reused) {
      const sample = await sampleCodes(client, schema, 20_000);
      if (sample.codes.length === 0) throw new Error(`schema "${schema}" holds no dossiers`);
      count = sample.estimate;
      codesFile = path.join(dataDir, 'codes.txt');
      writeFileSync(codesFile, sample.codes.join('\n'));
      process.stderr.write(`  about ${count} dossiers in ${schema}: ${sample.codes.length} codes sampled\n`);
    } else {
      const started = Date.now();
      process.stderr.write(`  loading ${count} dossiers...\n`);
      await loadDossiers(client, schema, space);
      process.stderr.write(`  loaded in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    }
    const bare = await startChild({ role: 'bare', databaseUrl: url, schema, poolMax: 10 });
    children.push(bare);
    const bareUrl = new URL(String(bare.ready.url));
    const apollo = await startChild({ role: 'apollo', databaseUrl: url, schema, poolMax: 10 });
    children.push(apollo);
    const apolloUrl = new URL(String(apollo.ready.url));

    const tokenResponse = await fetch(new URL('/oauth/token', hubUrl), {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: SECRET }),
    });
    if (!tokenResponse.ok) throw new Error(`token: ${tokenResponse.status} ${await tokenResponse.text()}`);
    const authorization = `Bearer ${((await tokenResponse.json()) as { access_token: string }).access_token}`;
    const json = { 'content-type': 'application/json' };
    const graphql = (query: string, withToken: boolean): Pick<LoadStart, 'method' | 'path' | 'headers' | 'body'> => ({
      method: 'POST',
      path: '/graphql',
      headers: withToken ? { ...json, authorization } : json,
      body: JSON.stringify({ query, variables: { code: '{code}' } }),
    });
    const scenarios: {
      key: string;
      label: string;
      pid: number;
      origin: URL;
      request: Pick<LoadStart, 'method' | 'path' | 'headers' | 'body'>;
      expect: string;
    }[] = [
      {
        key: 'bare',
        label: 'bare http + pg: select by code',
        pid: bare.pid,
        origin: bareUrl,
        request: { method: 'GET', path: '/status?code={code}', headers: {} },
        expect: '"code":"{code}"',
      },
      {
        key: 'apollo',
        label: 'minimal Apollo Server: dossier(code)',
        pid: apollo.pid,
        origin: apolloUrl,
        request: graphql('query($code: String!) { dossier(code: $code) { code status dueAt } }', false),
        expect: '"code":"{code}"',
      },
      {
        key: 'hub',
        label: 'hub: dossier(code) { code status dueAt }, token',
        pid: hub.pid,
        origin: hubUrl,
        request: graphql('query($code: String!) { dossier(code: $code) { code status dueAt } }', true),
        expect: '"code":"{code}"',
      },
      {
        key: 'status',
        label: 'hub: public dossierStatus(code)',
        pid: hub.pid,
        origin: hubUrl,
        request: graphql('query($code: String!) { dossierStatus(code: $code) { code status dueAt } }', false),
        expect: '"code":"{code}"',
      },
      {
        key: 'typename',
        label: 'hub: { __typename }, token',
        pid: hub.pid,
        origin: hubUrl,
        request: {
          method: 'POST',
          path: '/graphql',
          headers: { ...json, authorization },
          body: JSON.stringify({ query: '{ __typename }' }),
        },
        expect: '"Query"',
      },
      {
        key: 'healthz',
        label: 'hub: GET /healthz',
        pid: hub.pid,
        origin: hubUrl,
        request: { method: 'GET', path: '/healthz', headers: {} },
        expect: '',
      },
    ];
    const rows: Row[] = [];
    for (const scenario of scenarios) {
      if (only && scenario.key !== 'bare' && !only.has(scenario.key)) continue;
      const load = (s: number) =>
        startChild({
          role: 'load',
          origin: scenario.origin.origin,
          ...scenario.request,
          codes: space,
          ...(codesFile ? { codesFile } : {}),
          connections,
          seconds: s,
          expect: scenario.expect,
        });
      process.stderr.write(`  ${scenario.label}: warm-up`);
      const warm = (await (await load(2)).ready) as unknown as LoadFigures;
      if (warm.errors > 0) throw new Error(`${scenario.label}: ${warm.errors} failed requests, e.g. ${warm.firstError}`);
      resetPeakRss(scenario.pid);
      const profiling = values.profile && scenario.key === 'hub';
      if (profiling) {
        hub.send('profile start');
        await hub.next();
      }
      process.stderr.write(`, ${seconds} s at ${connections} connections...`);
      const cpuBefore = cpuMs(scenario.pid);
      const figures = (await load(seconds)).ready as unknown as LoadFigures;
      const cpuAfter = cpuMs(scenario.pid);
      if (profiling) {
        hub.send(`profile stop ${path.resolve(values.profile!)}`);
        process.stderr.write(` profile written to ${String((await hub.next()).profile)}`);
      }
      process.stderr.write(` ${(figures.requests / figures.seconds).toFixed(0)} requests/s\n`);
      if (figures.errors > 0) throw new Error(`${scenario.label}: ${figures.errors} failed requests, e.g. ${figures.firstError}`);
      const cpuMsPerRequest =
        cpuBefore === undefined || cpuAfter === undefined || figures.requests === 0 ? undefined : (cpuAfter - cpuBefore) / figures.requests;
      rows.push({ key: scenario.key, label: scenario.label, figures, rssMb: peakRssMb(scenario.pid), cpuMsPerRequest });
    }
    process.stdout.write(
      `\nStatus look-up: ${count} dossiers in the PostgreSQL server, ${connections} connections, ${seconds} s per scenario; ` +
        `the bare server is the baseline (first row)\n${formatRows(rows)}\n`,
    );
    const baseline = rows[0];
    const hubRow = rows.find((r) => r.key === 'hub');
    if (baseline && hubRow) {
      const throughput = hubRow.figures.requests / hubRow.figures.seconds / (baseline.figures.requests / baseline.figures.seconds);
      const p99 = hubRow.figures.p99Ms / baseline.figures.p99Ms;
      process.stdout.write(
        `hub dossier(code): ${throughput.toFixed(2)}× the bare server's throughput (target ≥ ${TARGET.throughput}×${throughput >= TARGET.throughput ? ', met' : ', MISSED'}), ` +
          `p99 ${p99.toFixed(2)}× its p99 (target ≤ ${TARGET.p99}×${p99 <= TARGET.p99 ? ', met' : ', MISSED'})\n`,
      );
    }
  } finally {
    for (const child of children.reverse()) await child.close();
    if (!reused) await client.query(`drop schema if exists "${schema}" cascade`).catch(() => undefined);
    await client.end();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The table: requests/s, the ratio to the first row, p50, p99, its ratio, CPU per request and the serving process's peak RSS. */
function formatRows(rows: Row[]): string {
  const rate = (r: Row) => r.figures.requests / r.figures.seconds;
  const base = rows[0];
  const cells = rows.map((r) => [
    r.label,
    rate(r).toFixed(0),
    base ? `${(rate(r) / rate(base)).toFixed(2)}×` : '-',
    r.figures.p50Ms.toFixed(1),
    r.figures.p99Ms.toFixed(1),
    base ? `${(r.figures.p99Ms / base.figures.p99Ms).toFixed(2)}×` : '-',
    r.cpuMsPerRequest === undefined ? '-' : r.cpuMsPerRequest.toFixed(3),
    r.rssMb === undefined ? '-' : r.rssMb.toFixed(0),
  ]);
  const header = ['scenario', 'requests/s', 'vs bare', 'p50 ms', 'p99 ms', 'p99 vs bare', 'CPU ms/request', 'peak RSS MB'];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((row) => row[i]!.length)));
  const line = (c: string[]) => c.map((x, i) => (i === 0 ? x.padEnd(widths[i]!) : x.padStart(widths[i]!))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}
