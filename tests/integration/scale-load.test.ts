import { Client } from 'pg';
import { runScaleLoad } from '../../bench/scale-load';
import { systemClock } from '../../domain/clock';
import { parseDossierCode } from '../../domain/dossier/dossier-code';
import { StatisticsService } from '../../store/services/statistics.service';
import { UnitOfWork } from '../../store/unit-of-work';
import type { Store } from '../../store/database';
import { dropSchema, freshSchemaName, openTestStore } from '../support/database';
import { testEnv } from '../support/environment';

/** The scale loader on a small scale: valid rows, figures that match, safe to run again. */
describe('scale-load', () => {
  const schema = freshSchemaName('scale-load');
  let store: Store;
  let client: Client;
  const load = (...args: string[]) =>
    runScaleLoad(['--database-url', testEnv('databaseUrl'), '--schema', schema, '--batch', '1000', '--days', '30', ...args]);
  const rows = async <T>(sql: string) => (await client.query(sql)).rows as T[];
  const indexes = () =>
    rows<{ name: string }>(
      `select indexname as name from pg_indexes where schemaname = '${schema}' and tablename in ('dossier', 'document') order by 1`,
    );

  beforeAll(async () => {
    store = await openTestStore(schema);
    client = new Client({ connectionString: testEnv('databaseUrl') });
    await client.connect();
    await client.query(`set search_path to "${schema}"`);
  });

  afterAll(async () => {
    await client?.end();
    await store?.close();
    await dropSchema(schema);
  });

  it('loads dossiers with valid codes across provinces, vault copies of them, and the daily figures a recount gives', async () => {
    const before = await indexes();
    await load('--dossiers', '3000', '--documents', '300', '--provinces', '2');
    const [counts] = await rows<{ dossiers: number; documents: number; provinces: number }>(
      `select (select count(*)::int from dossier) as dossiers, (select count(*)::int from document) as documents,
         (select count(distinct right(receiving_agency_code, 3))::int from dossier) as provinces`,
    );
    expect(counts).toEqual({ dossiers: 3000, documents: 300, provinces: 2 });
    for (const { code, receiving_agency_code: agency } of await rows<{ code: string; receiving_agency_code: string }>(
      `select code, receiving_agency_code from dossier`,
    )) {
      expect(parseDossierCode(code)?.agencyCode).toBe(agency);
    }
    // Every vault copy belongs to its dossier's applicant.
    expect(await rows(`select 1 from document d join dossier x on x.code = d.dossier_code where d.owner_id <> x.applicant_id`)).toEqual([]);
    // The indexes dropped for the load are back; the run's state is gone.
    expect(await indexes()).toEqual(before);
    expect(await rows(`select 1 from pg_tables where schemaname = '${schema}' and tablename = 'scale_load_run'`)).toEqual([]);
    const statistics = new StatisticsService(new UnitOfWork(store.orm), systemClock);
    const from = new Date(Date.UTC(2000, 0, 1) - 7 * 3600_000);
    const to = new Date(Date.UTC(2100, 0, 1) - 7 * 3600_000);
    const kept = await statistics.dossierCounts(from, to);
    expect(kept.total.received).toBe(3000);
    expect(kept).toEqual(await statistics.dossierCounts(from, to, undefined, { recount: true }));
  });

  it('refuses a target that already holds dossiers unless told to append', async () => {
    await expect(load('--dossiers', '100', '--documents', '0')).rejects.toThrow(/already holds dossiers/);
    const [{ count }] = (await rows<{ count: number }>(`select count(*)::int as count from dossier`)) as [{ count: number }];
    expect(count).toBe(3000);
  });

  it('appends after every code and register number already given, and reception continues after them', async () => {
    await load('--dossiers', '1000', '--documents', '100', '--append');
    const [counts] = await rows<{ dossiers: number; numbered: number; behind: number }>(
      `select (select count(*)::int from dossier) as dossiers,
         (select count(*)::int from dossier x join dossier_sequence s on s.agency_code = x.receiving_agency_code
            and s.reception_date = substr(x.code, length(x.receiving_agency_code) + 2, 6)) as numbered,
         (select count(*)::int from dossier x join dossier_sequence s on s.agency_code = x.receiving_agency_code
            and s.reception_date = substr(x.code, length(x.receiving_agency_code) + 2, 6)
          where substr(x.code, length(x.receiving_agency_code) + 9)::int > s.last_value) as behind`,
    );
    expect(counts).toEqual({ dossiers: 4000, numbered: 4000, behind: 0 });
  });
});
