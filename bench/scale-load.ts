/**
 * The scale loader: fills the real tables (the catalogue's agencies across provinces, dossiers with
 * statuses, dates and outcomes that follow from their age, digitized copies in the vault) inside the
 * server with `insert … select … from generate_series` in committed batches, the fastest way in
 * without a COPY client library, and nothing crosses the wire but the batch bounds.
 *
 * Safe to re-run: it refuses a target that already holds dossiers unless `--append`; an interrupted
 * load leaves its state row (scale_load_run) and the next run resumes it where the last batch
 * committed. Secondary indexes and the statistics triggers are off during the load and rebuilt after
 * it (faster in bulk), then the daily figures are rebuilt, the sequences brought level and VACUUM ANALYZE run.
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { systemClock } from '../domain/clock';
import { serviceSettingsFor } from '../gateway/hub';
import { loadConfig } from '../platform/config';
import { createLogger } from '../platform/logger';
import { DEMO_AGENCIES, loadReferenceProcedures } from '../scripts/demo-data';
import { openStore } from '../store/database';
import { createServices } from '../store/services';
import type { AgencyRecord } from '../store/services/catalogue.service';

export const SCALE_LOAD_HELP = `Usage: npm run bench -- scale-load [options]

Fills PostgreSQL with dossiers and vault documents at national scale (the real tables, migrated first).

Options:
  --dossiers N        dossiers to load (default 1000000)
  --documents N       digitized copies in the vault, each of a loaded dossier (default dossiers / 10)
  --database-url URL  the server (default DATABASE_URL or postgresql://postgres@127.0.0.1:5432/test)
  --schema NAME       the schema to fill (default scale)
  --provinces N       provinces: the catalogue's agencies, copied under other province codes (default 1)
  --days N            reception days, ending yesterday (default 365)
  --seed N            the same seed gives the same rows (default 1)
  --batch N           rows per committed batch (default 100000)
  --append            add to a target that already holds dossiers
  -h, --help          this help

An interrupted load resumes on the next run (same options are taken from the run's state).
Run it on a quiet database: the statistics triggers are off while it loads, and rebuilt after.`;

/** Province e-identifier suffixes: the catalogue's own first, then others for the copies. */
const PROVINCE_CODES = ['H46', ...Array.from({ length: 40 }, (_, i) => `H${String(i + 1).padStart(2, '0')}`).filter((c) => c !== 'H46')];

interface Run {
  dossiers_target: string;
  dossiers_done: string;
  documents_target: string;
  documents_done: string;
  provinces: number;
  days: number;
  first_day: string;
  seed: number;
  sequence_offset: number;
  dropped_indexes: { name: string; definition: string }[];
}

/** The catalogue's reception agencies, copied per province (codes and parents renamed). */
export function provinceAgencies(provinces: number): AgencyRecord[] {
  const records: AgencyRecord[] = [];
  for (const province of PROVINCE_CODES.slice(0, provinces)) {
    for (const agency of DEMO_AGENCIES) {
      if (province === 'H46') continue;
      records.push({
        ...agency,
        code: agency.code.replace(/H46$/, province),
        name: `${agency.name} (${province})`,
        parentCode: agency.parentCode ? agency.parentCode.replace(/H46$/, province) : null,
        adminUnitCode: agency.adminUnitCode ? `${province.slice(1)}${agency.adminUnitCode}` : null,
      });
    }
  }
  return records;
}

/** A deterministic non-negative integer per (row, attribute, seed). */
const h = (g: string, k: number) => `abs(hashint8(${g} * 64 + ${k} + $seed::bigint * 1000003)::bigint)`;

/**
 * The columns of dossier number `g` (0-based) as a lateral subquery over loader_agency and
 * loader_procedure: agency g % A, its k-th dossier on day k % days, sequence k / days after the offset.
 */
function dossierOf(g: string): string {
  return `(select a.code as agency_code, pr.code as procedure_code, pr.days as resolution_days,
      (d.day_index) as day_index, d.received_at, d.code, d.k, d.applicant_id
    from (select ${g} % $agencies::bigint as ai, ${g} / $agencies::bigint as k) ak
    join loader_agency a on a.idx = ak.ai
    join loader_procedure pr on pr.level = a.level and pr.idx = ${h(g, 1)} % a.procedure_count
    cross join lateral (select ak.k, ak.k % $days::bigint as day_index,
        ($firstDay::date + (ak.k % $days::bigint)::int + time '08:00' + ((${h(g, 2)} % 32400) || ' seconds')::interval) at time zone 'UTC' - interval '7 hours' as received_at,
        a.code || '-' || to_char($firstDay::date + (ak.k % $days::bigint)::int, 'YYMMDD') || '-' || to_char(ak.k / $days::bigint + 1 + $sequenceOffset::bigint, 'FM9990000') as code,
        case when ${h(g, 3)} % 100 < 92 then '0' || substr(a.code, length(a.code) - 1, 2) || lpad((${h(g, 4)} % 1000000000)::text, 9, '0')
             else lpad((${h(g, 4)} % 10000000000)::text, 10, '0') end as applicant_id) d)`;
}

export const DOSSIER_INSERT = `insert into dossier (code, procedure_code, receiving_agency_code, applicant_id, applicant_kind, channel, status,
    received_at, due_at, resolved_at, returned_at, completion, current_agency_code, involved_agency_codes,
    register_year, register_number, rating, reused_components, total_components, missed_reuse)
  select x.code, x.procedure_code, x.agency_code, x.applicant_id, case when length(x.applicant_id) = 12 then 'CITIZEN' else 'BUSINESS' end,
    case when ${h('g', 5)} % 100 < 35 then 'ONLINE' when ${h('g', 5)} % 100 < 90 then 'DESK' else 'POST' end,
    o.status, x.received_at, o.due_at, o.resolved_at,
    case when o.status = 'RETURNED' then least(o.resolved_at + interval '1 day', $now::timestamptz) end,
    case when o.resolved_at is null then null when o.resolved_at > o.due_at then 'LATE'
         when o.resolved_at < o.due_at - interval '1 day' then 'EARLY' else 'ON_TIME' end,
    case when o.resolved_at is null then x.agency_code end, array[x.agency_code],
    extract(year from x.received_at at time zone 'UTC' + interval '7 hours')::int, (x.k + 1 + $registerOffset::bigint)::int,
    case when o.status = 'RETURNED' and ${h('g', 6)} % 100 < 30 then (array[5,5,4,4,4,3,2,1])[1 + ${h('g', 7)} % 8] end,
    c.reused, c.total, c.missed
  from generate_series($from::bigint, $to::bigint - 1) g
  cross join lateral ${dossierOf('g')} x
  cross join lateral (select x.received_at + (greatest(x.resolution_days, 1) * 1.4 || ' days')::interval as due_at) due
  cross join lateral (select ${h('g', 8)} % 100 as roll, ${h('g', 9)} % 1000 / 1000.0 as part) r
  cross join lateral (select
      case when due.due_at < $now::timestamptz then
             case when r.roll < 70 then 'RETURNED' when r.roll < 93 then 'RESOLVED' when r.roll < 95 then 'REFUSED'
                  when r.roll < 97 then 'WITHDRAWN' when r.roll < 98 then 'STOPPED' else 'PROCESSING' end
           else case when r.roll < 25 then 'RESOLVED' when r.roll < 35 then 'RETURNED' when r.roll < 60 then 'PROCESSING'
                  when r.roll < 90 then 'RECEIVED' when r.roll < 95 then 'SUPPLEMENT_REQUESTED' when r.roll < 98 then 'REFUSED' else 'WITHDRAWN' end
      end as status, due.due_at) s
  cross join lateral (select s.status, s.due_at,
      case when s.status in ('RESOLVED', 'RETURNED') then
        least(x.received_at + (due.due_at - x.received_at) * (0.3 + r.part * 0.85), $now::timestamptz - interval '1 hour') end as resolved_at) o
  cross join lateral (select t.total, least(t.total, ${h('g', 10)} % (t.total + 1)) as reused,
      case when ${h('g', 11)} % 100 < 12 then 1 else 0 end as missed
    from (select 2 + ${h('g', 12)} % 4 as total) t) c`;

const DOCUMENT_TYPES = `array['CITIZEN_ID_COPY','BIRTH_CERTIFICATE','MARRIAGE_CERTIFICATE','LAND_USE_CERTIFICATE','BUSINESS_REGISTRATION']`;

/** Digitized copy j (0-based) of dossier j * stride, scanned at its reception. */
const DOCUMENT_INSERT = `insert into document (code, kind, title, media_type, owner_id, dossier_code, agency_code, content, sha256, signature,
    signer_serial, signed_at, access_key_hash, created_by, type_code, issued_at, status, source, storage_key, size_bytes)
  select x.agency_code || '-SY-' || to_char(x.received_at at time zone 'UTC' + interval '7 hours', 'YYMMDD') || '-' || upper(lpad(to_hex(j + $documentOffset::bigint), 8, '0')),
    'DIGITIZED_COPY', 'Bản sao điện tử (digitized copy) ' || x.code, 'application/pdf', x.applicant_id, x.code, x.agency_code, null,
    encode(sha256(('scale-' || j)::bytea), 'hex'), decode(md5('sig-' || j), 'hex'), 'SCALE-LOAD', x.received_at,
    encode(sha256(('key-' || j)::bytea), 'hex'), 'scale-load', (${DOCUMENT_TYPES})[1 + ${h('j', 13)} % 5], x.received_at, 'VALID', 'DESK_SCAN',
    'scale/' || j, 50000 + ${h('j', 14)} % 2000000
  from generate_series($from::bigint, $to::bigint - 1) j
  cross join lateral ${dossierOf('(j * $stride::bigint + $dossierBase::bigint)')} x`;

/** `$name` placeholders to positional parameters, in the order first seen. */
export function bind(sql: string, values: Record<string, unknown>): [string, unknown[]] {
  const names: string[] = [];
  const text = sql.replace(/\$([a-zA-Z]+)/g, (_, name: string) => {
    if (!(name in values)) throw new Error(`scale-load: no value for $${name}`);
    let index = names.indexOf(name);
    if (index < 0) index = names.push(name) - 1;
    return `$${index + 1}`;
  });
  return [text, names.map((n) => values[n])];
}

/** A progress bar with rate and ETA on a terminal; a plain line every few seconds otherwise. */
export class Progress {
  private readonly started = Date.now();
  private lastLine = 0;
  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  update(done: number): void {
    const seconds = (Date.now() - this.started) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    const eta = rate > 0 ? (this.total - done) / rate : 0;
    const share = this.total === 0 ? 1 : done / this.total;
    const figures = `${done.toLocaleString('en')}/${this.total.toLocaleString('en')} ${Math.round(rate).toLocaleString('en')} rows/s ETA ${formatDuration(eta)}`;
    if (this.stream.isTTY) {
      const width = 30;
      const filled = Math.round(share * width);
      this.stream.write(
        `\r  ${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(share * 100).toFixed(1)}% ${figures}   `,
      );
      if (done >= this.total) this.stream.write('\n');
    } else if (Date.now() - this.lastLine >= 5000 || done >= this.total) {
      this.lastLine = Date.now();
      this.stream.write(`  ${this.label}: ${(share * 100).toFixed(1)}% ${figures}\n`);
    }
  }
}

function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return s >= 3600
    ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`
    : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

export async function runScaleLoad(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      dossiers: { type: 'string', default: '1000000' },
      documents: { type: 'string' },
      'database-url': { type: 'string' },
      schema: { type: 'string', default: 'scale' },
      provinces: { type: 'string', default: '1' },
      days: { type: 'string', default: '365' },
      seed: { type: 'string', default: '1' },
      batch: { type: 'string', default: '100000' },
      append: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${SCALE_LOAD_HELP}\n`);
    return;
  }
  const whole = (name: string, value: string | undefined, min: number, max: number) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new Error(`--${name} must be a whole number from ${min} to ${max}, got "${value}"`);
    return n;
  };
  const dossiers = whole('dossiers', values.dossiers, 1, 200_000_000);
  const documents = whole('documents', values.documents ?? String(Math.floor(dossiers / 10)), 0, dossiers);
  const provinces = whole('provinces', values.provinces, 1, PROVINCE_CODES.length);
  const days = whole('days', values.days, 1, 3660);
  const seed = whole('seed', values.seed, 0, 1_000_000);
  const batch = whole('batch', values.batch, 1000, 10_000_000);
  const schema = values.schema!;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error('--schema must be a lower-case SQL identifier');
  const url = values['database-url'] ?? process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

  // The schema as the hub has it (migrations), the catalogue and the provinces' agencies.
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    START_SIMULATORS: 'false',
    DATABASE_URL: url,
    DATABASE_SCHEMA: schema,
  });
  const store = await openStore(
    { databaseUrl: url, dataDir: config.DATA_DIR, poolMax: 2, embeddedPort: config.EMBEDDED_DATABASE_PORT, schema },
    createLogger({ level: 'silent' }),
  );
  const client = new Client({ connectionString: url });
  try {
    const services = createServices(store.orm, systemClock, serviceSettingsFor(config)).services;
    await client.connect();
    await client.query(`set search_path to "${schema}"`);
    const query = async <T>(sql: string, params: Record<string, unknown> = {}) => {
      const [text, list] = bind(sql, params);
      return (await client.query(text, list)).rows as T[];
    };
    await query(`create table if not exists scale_load_run (
      id integer primary key check (id = 1), dossiers_target bigint not null, dossiers_done bigint not null,
      documents_target bigint not null, documents_done bigint not null, provinces integer not null, days integer not null,
      first_day date not null, seed integer not null, sequence_offset integer not null, dropped_indexes jsonb not null)`);
    let [run] = await query<Run>(`select *, first_day::text as first_day from scale_load_run`);
    if (run) {
      process.stderr.write(
        `  resuming the interrupted load: ${run.dossiers_done}/${run.dossiers_target} dossiers, ${run.documents_done}/${run.documents_target} documents\n`,
      );
    } else {
      const [{ exists }] = (await query<{ exists: boolean }>(`select exists (select 1 from dossier) as exists`)) as [{ exists: boolean }];
      if (exists && !values.append) {
        throw new Error(`schema "${schema}" already holds dossiers: add --append to load more into it, or use another --schema`);
      }
      await services.catalogue.importProcedures(loadReferenceProcedures());
      await services.catalogue.importAgencies(DEMO_AGENCIES);
      if (provinces > 1) await services.catalogue.importAgencies(provinceAgencies(provinces));
      // Appended dossiers number after every code and register entry already given.
      const [offsets] = await query<{ sequence_offset: number }>(
        `select greatest((select coalesce(max(last_value), 0) from dossier_sequence),
                         (select coalesce(max(last_value), 0) from dossier_register_sequence))::int as sequence_offset`,
      );
      const yesterday = new Date(systemClock.now().getTime() + 7 * 3600_000 - 24 * 3600_000);
      const firstDay = new Date(yesterday.getTime() - (days - 1) * 24 * 3600_000).toISOString().slice(0, 10);
      // Secondary indexes go now and come back after the load (one sorted build beats row-by-row upkeep).
      const dropped = await query<{ name: string; definition: string }>(
        `select i.indexname as name, i.indexdef as definition from pg_indexes i
         join pg_class c on c.relname = i.indexname join pg_index x on x.indexrelid = c.oid
         where i.schemaname = $schema and i.tablename in ('dossier', 'document') and not x.indisunique and not x.indisprimary
           and c.relnamespace = (select oid from pg_namespace where nspname = $schema)`,
        { schema },
      );
      await query(
        `insert into scale_load_run values (1, $dossiers, 0, $documents, 0, $provinces, $days, $firstDay, $seed, $sequenceOffset, $dropped::jsonb)`,
        {
          dossiers,
          documents,
          provinces,
          days,
          firstDay,
          seed,
          sequenceOffset: offsets!.sequence_offset,
          dropped: JSON.stringify(dropped),
        },
      );
      [run] = await query<Run>(`select *, first_day::text as first_day from scale_load_run`);
    }
    const state = run!;
    // Each run numbers its own dossiers from 0: the sequence offset keeps their codes apart from earlier runs'.
    const dossierBase = 0;
    for (const index of state.dropped_indexes) await query(`drop index if exists "${index.name}"`);
    await query(`alter table dossier disable trigger dossier_statistics_insert`);

    // The agencies that receive dossiers, each with the procedures of its level.
    await query(
      `create temporary table if not exists loader_agency (idx bigint primary key, code text, level text, procedure_count bigint)`,
    );
    await query(
      `create temporary table if not exists loader_procedure (level text, idx bigint, code text, days integer, primary key (level, idx))`,
    );
    await query(`truncate loader_agency, loader_procedure`);
    const provinceList = PROVINCE_CODES.slice(0, state.provinces);
    await query(
      `insert into loader_procedure select level, row_number() over (partition by level order by code) - 1, code, coalesce(resolution_working_days, 1)
       from procedure where level in ('commune', 'province')`,
    );
    await query(
      `insert into loader_agency select row_number() over (order by a.code) - 1, a.code, a.level,
         (select count(*) from loader_procedure p where p.level = a.level)
       from agency a where 'reception' = any(a.roles) and a.level in ('commune', 'province') and right(a.code, 3) = any($provinces::text[])`,
      { provinces: `{${provinceList.join(',')}}` },
    );
    const [{ agencies }] = (await query<{ agencies: number }>(`select count(*)::int as agencies from loader_agency`)) as [
      { agencies: number },
    ];
    const common = {
      seed: state.seed,
      agencies,
      days: state.days,
      firstDay: state.first_day,
      sequenceOffset: state.sequence_offset,
      now: systemClock.now(),
    };

    const dossierTarget = Number(state.dossiers_target);
    const started = Date.now();
    const dossierProgress = new Progress('dossiers', dossierTarget);
    for (let done = Number(state.dossiers_done); done < dossierTarget;) {
      const next = Math.min(dossierTarget, done + batch);
      await query('begin');
      await query(DOSSIER_INSERT, { ...common, registerOffset: state.sequence_offset, from: dossierBase + done, to: dossierBase + next });
      await query(`update scale_load_run set dossiers_done = $next`, { next });
      await query('commit');
      done = next;
      dossierProgress.update(done);
    }
    const dossierSeconds = (Date.now() - started) / 1000;

    const documentTarget = Number(state.documents_target);
    const stride = Math.max(1, Math.floor(dossierTarget / Math.max(1, documentTarget)));
    const [{ documentOffset }] = (await query<{ documentOffset: string }>(
      `select (count(*) - $done::bigint)::text as "documentOffset" from document where created_by = 'scale-load'`,
      { done: Number(state.documents_done) },
    )) as [{ documentOffset: string }];
    const documentsStarted = Date.now();
    const documentProgress = new Progress('documents', documentTarget);
    for (let done = Number(state.documents_done); done < documentTarget;) {
      const next = Math.min(documentTarget, done + batch);
      await query('begin');
      await query(DOCUMENT_INSERT, { ...common, stride, dossierBase, documentOffset: Number(documentOffset), from: done, to: next });
      await query(`update scale_load_run set documents_done = $next`, { next });
      await query('commit');
      done = next;
      documentProgress.update(done);
    }
    const documentSeconds = (Date.now() - documentsStarted) / 1000;

    process.stderr.write(`  indexes, sequences, daily figures, analyze...\n`);
    const finishing = Date.now();
    for (const index of state.dropped_indexes) await query(index.definition.replace(/^CREATE INDEX /, 'CREATE INDEX IF NOT EXISTS '));
    // Receptions after the load continue the codes and register numbers the load gave.
    await query(
      `insert into dossier_sequence (agency_code, reception_date, last_value)
       select receiving_agency_code, substr(code, length(receiving_agency_code) + 2, 6), max(substr(code, length(receiving_agency_code) + 9)::int)
       from dossier group by 1, 2
       on conflict (agency_code, reception_date) do update set last_value = greatest(dossier_sequence.last_value, excluded.last_value)`,
    );
    await query(
      `insert into dossier_register_sequence (agency_code, year, last_value)
       select receiving_agency_code, register_year, max(register_number) from dossier where register_year is not null group by 1, 2
       on conflict (agency_code, year) do update set last_value = greatest(dossier_register_sequence.last_value, excluded.last_value)`,
    );
    await query(`alter table dossier enable trigger dossier_statistics_insert`);
    const [rebuilt] = await query<{ rows: string }>(`select dossier_statistics_rebuild()::text as rows`);
    // VACUUM as well as ANALYZE: the visibility map lets the pending-dossier counts be index-only scans.
    await query(`vacuum (analyze) dossier`);
    await query(`vacuum (analyze) document`);
    await query(`vacuum (analyze) dossier_daily_statistics`);
    await query(`drop table scale_load_run`);
    const finishSeconds = (Date.now() - finishing) / 1000;
    const [size] = await query<{ dossier: string; document: string; database: string }>(
      `select pg_size_pretty(pg_total_relation_size('dossier')) as dossier, pg_size_pretty(pg_total_relation_size('document')) as document,
         pg_size_pretty(pg_database_size(current_database())) as database`,
    );
    const loadedDossiers = dossierTarget - Number(state.dossiers_done);
    process.stdout.write(
      `\nScale load into "${schema}": ${agencies} agencies in ${state.provinces} province(s), ${state.days} days from ${state.first_day}\n` +
        `  dossiers   ${loadedDossiers.toLocaleString('en')} in ${dossierSeconds.toFixed(1)} s (${Math.round(loadedDossiers / Math.max(dossierSeconds, 0.001)).toLocaleString('en')} rows/s, this run)\n` +
        `  documents  ${documentTarget.toLocaleString('en')} in ${documentSeconds.toFixed(1)} s (${Math.round(documentTarget / Math.max(documentSeconds, 0.001)).toLocaleString('en')} rows/s)\n` +
        `  indexes, sequences, ${rebuilt?.rows} daily-figure rows, analyze: ${finishSeconds.toFixed(1)} s\n` +
        `  size: dossier ${size?.dossier}, document ${size?.document}, database ${size?.database}\n`,
    );
  } finally {
    await client.end().catch(() => undefined);
    await store.close();
  }
}
