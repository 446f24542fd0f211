/**
 * statistics over many dossiers: the GraphQL query over HTTP (authentication, policy, the daily
 * figures summed per agency and in total) against baselines measured in the same run: a bare
 * `group by` recount of the same period with pg (what the query did before the daily figures) and a
 * bare `count(*)`; then one province-year (`province: "46"`: the dossiers are spread over the demo
 * agencies of Huế and a copy of them in Quảng Trị), then filtered `dossiers` pages over HTTP.
 *
 * Usage: npm run bench -- statistics [--dossiers 100000] [--runs 20]
 *        npm run bench -- statistics --schema s10m [--database-url URL]   (a schema filled by scale-load)
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { startHub } from '../gateway/hub';
import { createLogger } from '../platform/logger';
import { DEMO_AGENCIES, loadReferenceProcedures } from '../scripts/demo-data';
import type { AgencyRecord } from '../store/services/catalogue.service';
import { benchHubConfig, formatBenchTable, measure, type BenchResult } from './bench-support';
import { serverUrl } from './reception.bench';

/**
 * The demo catalogue's agencies (Huế, 46) copied into a second province, Quảng Trị (44): its province
 * agencies carry 44, its wards real ward codes of Quảng Trị, so `province` tells the two apart.
 */
function secondProvinceAgencies(): AgencyRecord[] {
  const wards = new Map([
    ['19753', '18859'],
    ['19774', '18871'],
  ]);
  return DEMO_AGENCIES.map((agency) => ({
    ...agency,
    code: agency.code.replace(/H46$/, 'H44'),
    name: `${agency.name} (Quảng Trị)`,
    parentCode: agency.parentCode ? agency.parentCode.replace(/H46$/, 'H44') : null,
    adminUnitCode: agency.level === 'province' ? '44' : (wards.get(agency.adminUnitCode ?? '') ?? '18859'),
  }));
}

/** Inserts `count` dossiers spread over 2026 and over both provinces' desks with realistic outcomes, in one SQL statement. */
async function generateDossiers(client: Client, schema: string, count: number): Promise<void> {
  const desks = [...DEMO_AGENCIES, ...secondProvinceAgencies()].filter((a) => a.roles?.includes('reception')).map((a) => a.code);
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
    options: {
      dossiers: { type: 'string', default: '100000' },
      runs: { type: 'string', default: '20' },
      schema: { type: 'string' },
      'database-url': { type: 'string' },
    },
  });
  const count = Number(values.dossiers);
  const runs = Number(values.runs);
  const loaded = values.schema;
  if (loaded !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(loaded)) throw new Error('--schema must be a lower-case SQL identifier');
  const url = values['database-url'] ?? (await serverUrl());
  if (!url) {
    process.stdout.write('statistics bench needs a PostgreSQL server (DATABASE_URL or 127.0.0.1:5432/test)\n');
    return;
  }
  const schema = loaded ?? `bench_stats_${process.pid}`;
  const config = benchHubConfig({
    DATABASE_URL: url,
    DATABASE_SCHEMA: schema,
  });
  const hub = await startHub({ config, logger: createLogger({ level: 'silent' }) });
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await hub.services.catalogue.importProcedures(loadReferenceProcedures());
    await hub.services.catalogue.importAgencies(DEMO_AGENCIES);
    if (!loaded) await hub.services.catalogue.importAgencies(secondProvinceAgencies());
    await hub.services.clients.ensure({
      clientId: 'bench-monitor',
      name: 'Benchmark monitor',
      kind: 'MONITOR',
      secret: 'bench-secret-value',
    });
    if (!loaded) {
      const started = Date.now();
      process.stderr.write(`  generating ${count} dossiers...\n`);
      await generateDossiers(client, schema, count);
      process.stderr.write(`  generated in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    }
    // The year the dossiers span: 2026 when generated here; the last 365 days when loaded by scale-load.
    const [span] = (
      await client.query<{ from: string; to: string; total: string }>(
        `select to_char(min(received_at) at time zone 'UTC' + interval '7 hours', 'YYYY-MM-DD') as from,
           to_char(least(max(received_at), min(received_at) + interval '364 days') at time zone 'UTC' + interval '7 hours', 'YYYY-MM-DD') as to,
           (select reltuples::bigint from pg_class where oid = '"${schema}".dossier'::regclass)::text as total
         from "${schema}".dossier`,
      )
    ).rows;
    const from = span!.from;
    const to = span!.to;
    const inDossiers = loaded ? Number(span!.total) : count;
    const token = (
      (await (
        await fetch(`${hub.url}/oauth/token`, {
          method: 'POST',
          body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'bench-monitor', client_secret: 'bench-secret-value' }),
        })
      ).json()) as { access_token: string }
    ).access_token;
    const query = `{ statistics(from: "${from}", to: "${to}") { total { received resolved early onTime late onTimeRate pending overdueNow onlineShare reuseShare missedReuse onceOnlyShare averageRating } byAgency { agencyCode received onTimeRate onceOnlyShare } } }`;
    const results: BenchResult[] = [];
    const periodSql = `received_at >= '${from} 00:00+07' and received_at < date '${to}' + 1 - interval '7 hours'`;
    results.push(
      await measure('baseline: bare group by of the year (pg)', runs, 1, async () => {
        await client.query(
          `select receiving_agency_code, count(*), count(*) filter (where resolved_at is not null),
             count(*) filter (where completion = 'EARLY'), count(*) filter (where completion = 'ON_TIME'),
             count(*) filter (where completion = 'LATE'),
             count(*) filter (where resolved_at is null and status not in ('REFUSED', 'WITHDRAWN', 'STOPPED')),
             count(*) filter (where resolved_at is null and status not in ('REFUSED', 'WITHDRAWN', 'STOPPED') and due_at < now()),
             count(*) filter (where status = 'REFUSED'), count(*) filter (where status = 'WITHDRAWN'),
             count(*) filter (where status = 'STOPPED'), count(*) filter (where channel = 'ONLINE'),
             sum(reused_components), sum(total_components), sum(missed_reuse), count(*) filter (where missed_reuse = 0),
             count(rating), avg(rating)
           from "${schema}".dossier where ${periodSql}
           group by grouping sets ((receiving_agency_code), ())`,
        );
      }),
    );
    results.push(
      await measure('bare count(*) of the year (pg)', runs, 1, async () => {
        await client.query(`select count(*) from "${schema}".dossier where ${periodSql}`);
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
    // One province-year (Huế, 46: the demo catalogue's; the other province's, or scale-load's copies, are left out).
    const provinceQuery = query.replace(`to: "${to}")`, `to: "${to}", province: "46")`);
    let provinceReceived = 0;
    results.push(
      await measure('statistics of one province-year (46) over HTTP', runs, 1, async () => {
        const response = await fetch(`${hub.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: provinceQuery }),
        });
        const body = (await response.json()) as { data?: { statistics: { total: { received: number } } }; errors?: unknown };
        if (body.errors || !body.data) throw new Error(`statistics (province) failed: ${JSON.stringify(body.errors)}`);
        provinceReceived = body.data.statistics.total.received;
      }),
    );
    // The same figures recounted by the service (the query before the daily figures), then compared.
    const start = new Date(`${from}T00:00:00+07:00`);
    const end = new Date(new Date(`${to}T00:00:00+07:00`).getTime() + 24 * 3600_000);
    results.push(
      await measure('statistics recount (service, before)', Math.min(runs, 5), 1, async () => {
        await hub.services.statistics.dossierCounts(start, end, undefined, { recount: true });
      }),
    );
    const kept = await hub.services.statistics.dossierCounts(start, end);
    const recounted = await hub.services.statistics.dossierCounts(start, end, undefined, { recount: true });
    const keptProvince = await hub.services.statistics.dossierCounts(start, end, undefined, { province: '46' });
    const recountedProvince = await hub.services.statistics.dossierCounts(start, end, undefined, { province: '46', recount: true });
    const same = JSON.stringify(kept) === JSON.stringify(recounted) && JSON.stringify(keptProvince) === JSON.stringify(recountedProvince);
    // Filtered dossiers pages: one agency's pending dossiers of a month, and its overdue ones.
    const agency = kept.byAgency[0]?.agencyCode ?? '';
    const month = `${to.slice(0, 7)}-01T00:00:00+07:00`;
    const pages: [string, string][] = [
      [
        'dossiers page: agency + status + month',
        `{ agencyCode: "${agency}", status: PROCESSING, receivedFrom: "${new Date(month).toISOString()}" }`,
      ],
      ['dossiers page: agency + overdue', `{ agencyCode: "${agency}", overdue: true }`],
    ];
    for (const [label, filter] of pages) {
      results.push(
        await measure(label, runs, 1, async () => {
          const response = await fetch(`${hub.url}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({
              query: `{ dossiers(filter: ${filter}, first: 20) { totalCount edges { node { code status dueAt } } } }`,
            }),
          });
          const body = (await response.json()) as { errors?: unknown };
          if (body.errors) throw new Error(`dossiers failed: ${JSON.stringify(body.errors)}`);
        }),
      );
    }
    process.stdout.write(
      `\nStatistics over ${inDossiers} dossiers (${received} in ${from} .. ${to}, ${provinceReceived} of them in province 46), ${runs} runs each; latency is what matters here\n` +
        `daily figures ${same ? 'equal' : 'DIFFER FROM'} the recount (all and province 46)\n${formatBenchTable(results)}\n`,
    );
  } finally {
    if (!loaded) await client.query(`drop schema if exists "${schema}" cascade`);
    await client.end();
    await hub.stop();
  }
}
