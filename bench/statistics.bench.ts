/**
 * statistics over many dossiers: the GraphQL query over HTTP (authentication, policy, one aggregate
 * SQL pass per agency and in total) against a baseline measured in the same run: a bare
 * `count(*)` of the same period with pg, the least a database must do to answer anything.
 *
 * Usage: npm run bench -- statistics [--dossiers 100000] [--runs 20]
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { startHub } from '../gateway/hub';
import { loadConfig } from '../platform/config';
import { createLogger } from '../platform/logger';
import { DEMO_AGENCIES, loadReferenceProcedures } from '../scripts/demo-data';
import { formatBenchTable, measure, type BenchResult } from './bench-support';
import { serverUrl } from './reception.bench';

/** Inserts `count` dossiers spread over 2026 with realistic outcomes, in one SQL statement. */
async function generateDossiers(client: Client, schema: string, count: number): Promise<void> {
  const desks = DEMO_AGENCIES.filter((a) => a.roles?.includes('reception')).map((a) => a.code);
  const procedures = loadReferenceProcedures().map((p) => p.code);
  await client.query(
    `insert into "${schema}".dossier (code, procedure_code, receiving_agency_code, applicant_id, applicant_kind, channel, status,
       received_at, due_at, resolved_at, completion, reused_components, total_components, missed_reuse, rating, register_year, register_number)
     select 'BENCH-' || g, ($1::text[])[1 + g % array_length($1::text[], 1)], ($2::text[])[1 + g % array_length($2::text[], 1)],
       lpad((46203000000 + g)::text, 12, '0'), 'CITIZEN', (array['DESK','POST','ONLINE'])[1 + g % 3],
       (array['RECEIVED','PROCESSING','RESOLVED','RETURNED','RETURNED','RETURNED','WITHDRAWN'])[1 + g % 7],
       r, r + interval '5 days',
       case when g % 7 between 2 and 5 then r + ((g % 9) || ' days')::interval end,
       case when g % 7 between 2 and 5 then (array['EARLY','ON_TIME','LATE'])[1 + g % 3] end,
       g % 3, 3, case when g % 5 = 0 then 1 else 0 end, case when g % 7 between 3 and 5 then 1 + g % 5 end, 2026, g
     from generate_series(1, $3) g, lateral (select timestamptz '2026-01-01 08:00+07' + ((g % 360) || ' days')::interval as r) t`,
    [procedures, desks, count],
  );
  await client.query(`analyze "${schema}".dossier`);
}

export async function runStatisticsBench(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { dossiers: { type: 'string', default: '100000' }, runs: { type: 'string', default: '20' } },
  });
  const count = Number(values.dossiers);
  const runs = Number(values.runs);
  const url = await serverUrl();
  if (!url) {
    process.stdout.write('statistics bench needs a PostgreSQL server (DATABASE_URL or 127.0.0.1:5432/test)\n');
    return;
  }
  const schema = `bench_stats_${process.pid}`;
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    LOG_LEVEL: 'silent',
    START_SIMULATORS: 'false',
    DATABASE_URL: url,
    DATABASE_SCHEMA: schema,
    RATE_LIMIT_PER_MINUTE: '10000000',
  });
  const hub = await startHub({ config, logger: createLogger({ level: 'silent' }) });
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await hub.services.catalogue.importProcedures(loadReferenceProcedures());
    await hub.services.catalogue.importAgencies(DEMO_AGENCIES);
    await hub.services.clients.ensure({
      clientId: 'bench-monitor',
      name: 'Benchmark monitor',
      kind: 'MONITOR',
      secret: 'bench-secret-value',
    });
    const started = Date.now();
    process.stderr.write(`  generating ${count} dossiers...\n`);
    await generateDossiers(client, schema, count);
    process.stderr.write(`  generated in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    const token = (
      (await (
        await fetch(`${hub.url}/oauth/token`, {
          method: 'POST',
          body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'bench-monitor', client_secret: 'bench-secret-value' }),
        })
      ).json()) as { access_token: string }
    ).access_token;
    const query = `{ statistics(from: "2026-01-01", to: "2026-12-31") { total { received resolved early onTime late onTimeRate pending overdueNow onlineShare reuseShare missedReuse onceOnlyShare averageRating } byAgency { agencyCode received onTimeRate onceOnlyShare } } }`;
    const results: BenchResult[] = [];
    results.push(
      await measure('baseline: count(*) of the period (pg)', runs, 1, async () => {
        await client.query(
          `select count(*) from "${schema}".dossier where received_at >= '2026-01-01 00:00+07' and received_at < '2027-01-01 00:00+07'`,
        );
      }),
    );
    let received = 0;
    results.push(
      await measure('statistics over HTTP (GraphQL)', runs, 1, async () => {
        const response = await fetch(`${hub.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query }),
        });
        const body = (await response.json()) as { data?: { statistics: { total: { received: number } } }; errors?: unknown };
        if (body.errors || !body.data) throw new Error(`statistics failed: ${JSON.stringify(body.errors)}`);
        received = body.data.statistics.total.received;
      }),
    );
    process.stdout.write(
      `\nStatistics over ${count} dossiers (${received} in the period), ${runs} runs each; latency is what matters here\n${formatBenchTable(results)}\n`,
    );
  } finally {
    await client.query(`drop schema if exists "${schema}" cascade`);
    await client.end();
    await hub.stop();
  }
}
