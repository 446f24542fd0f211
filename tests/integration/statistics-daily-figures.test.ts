import { DEMO_AGENCIES, loadReferenceProcedures } from '../../scripts/demo-data';
import { fromVietnamLocal } from '../../domain/time/vietnam-time';
import { seedTestDemo, startTestHub, type TestHub } from '../support/test-hub';

/**
 * The statistics read from the daily figures kept by the dossier triggers give exactly what a
 * recount over the same dossiers gives, for several filters, after inserts one by one and in bulk,
 * status changes, a move to another day and agency, a deletion, and a rebuild.
 */
describe('statistics: daily figures kept as dossiers change equal a recount', () => {
  let hub: TestHub;
  const desks = DEMO_AGENCIES.filter((agency) => agency.roles?.includes('reception')).map((agency) => agency.code);
  const procedures = loadReferenceProcedures().map((p) => p.code);
  const day = (y: number, m: number, d: number) => fromVietnamLocal(y, m, d);

  const PERIODS: [string, Date, Date, string | undefined][] = [
    ['the year 2023', day(2023, 1, 1), day(2024, 1, 1), undefined],
    ['one agency over the year', day(2023, 1, 1), day(2024, 1, 1), desks[0]],
    ['another agency, March', day(2023, 3, 1), day(2023, 4, 1), desks[1]],
    ['one day', day(2023, 6, 15), day(2023, 6, 16), undefined],
    ['a period with nothing in it', day(2022, 1, 1), day(2022, 2, 1), undefined],
  ];

  const expectSameAsRecount = async () => {
    for (const [, from, to, agency] of PERIODS) {
      const kept = await hub.services.statistics.dossierCounts(from, to, agency);
      const recounted = await hub.services.statistics.dossierCounts(from, to, agency, { recount: true });
      expect(kept).toEqual(recounted);
    }
  };

  const sql = (query: string, params: unknown[] = []) => hub.store.orm.em.fork().execute(query, params);

  beforeAll(async () => {
    hub = await startTestHub('statistics-daily-figures');
    await seedTestDemo(hub.services);
  });

  afterAll(async () => {
    await hub?.dispose();
  });

  it('counts a bulk insert of many dossiers over the year as a recount does', async () => {
    await sql(
      `insert into dossier (code, procedure_code, receiving_agency_code, applicant_id, applicant_kind, channel, status,
         received_at, due_at, resolved_at, completion, reused_components, total_components, missed_reuse, rating)
       select 'DAILY-' || g, (?::text[])[1 + g % 5], (?::text[])[1 + g % 3], lpad((46203000000 + g)::text, 12, '0'), 'CITIZEN',
         (array['DESK','POST','ONLINE'])[1 + g % 3],
         (array['RECEIVED','PROCESSING','RESOLVED','RETURNED','REFUSED','WITHDRAWN','STOPPED'])[1 + g % 7],
         r, r + interval '5 days',
         case when g % 7 between 2 and 3 then r + ((g % 9) || ' days')::interval end,
         case when g % 7 between 2 and 3 then (array['EARLY','ON_TIME','LATE'])[1 + g % 3] end,
         g % 3, 3, case when g % 5 = 0 then 1 else 0 end, case when g % 4 = 0 then 1 + g % 5 end
       from generate_series(1, 3000) g,
         lateral (select timestamptz '2023-01-01 00:00+07' + ((g % 365) || ' days')::interval + ((g % 24) || ' hours')::interval as r) t`,
      [`{${procedures.join(',')}}`, `{${desks.join(',')}}`],
    );
    const year = await hub.services.statistics.dossierCounts(day(2023, 1, 1), day(2024, 1, 1));
    expect(year.total.received).toBe(3000);
    await expectSameAsRecount();
  });

  it('counts dossiers inserted one by one, on the edges of a day', async () => {
    for (const [index, at] of ['2023-06-15T00:00:00+07:00', '2023-06-15T23:59:59+07:00', '2023-06-14T23:59:59+07:00'].entries()) {
      await sql(
        `insert into dossier (code, procedure_code, receiving_agency_code, applicant_id, applicant_kind, channel, status, received_at, due_at)
         values (?, ?, ?, ?, 'CITIZEN', 'ONLINE', 'RECEIVED', ?, ?)`,
        [`DAILY-EDGE-${index}`, procedures[0], desks[0], `04620399${String(index).padStart(4, '0')}`, at, '2023-06-20T17:00:00+07:00'],
      );
    }
    await expectSameAsRecount();
  });

  it('follows status changes: resolved with a completion, refused, withdrawn, rated', async () => {
    await sql(`update dossier set status = 'RESOLVED', resolved_at = received_at + interval '2 days', completion = 'EARLY'
               where code like 'DAILY-%' and status in ('RECEIVED', 'PROCESSING') and id % 2 = 0`);
    await sql(`update dossier set status = 'REFUSED' where code like 'DAILY-%' and status = 'RECEIVED' and id % 3 = 0`);
    await sql(`update dossier set status = 'WITHDRAWN' where code = 'DAILY-EDGE-1'`);
    await sql(`update dossier set status = 'RETURNED', rating = 4 where code like 'DAILY-%' and status = 'RESOLVED' and rating is null`);
    await expectSameAsRecount();
  });

  it('moves a dossier to another day and agency, and takes back a deleted one', async () => {
    await sql(`update dossier set received_at = received_at + interval '40 days', receiving_agency_code = ? where code = 'DAILY-7'`, [
      desks[1],
    ]);
    await sql(`delete from dossier where code in ('DAILY-8', 'DAILY-EDGE-2')`);
    await expectSameAsRecount();
  });

  it('leaves the figures untouched when an update changes nothing they count', async () => {
    const before = await sql(`select * from dossier_daily_statistics order by day, agency_code, procedure_code`);
    await sql(`update dossier set updated_at = now(), result_summary = 'unchanged figures' where code like 'DAILY-%'`);
    expect(await sql(`select * from dossier_daily_statistics order by day, agency_code, procedure_code`)).toEqual(before);
  });

  it('counts concurrent receptions of the same agency, procedure and day once each (no lost update)', async () => {
    await Promise.all(
      Array.from({ length: 12 }, (_, index) =>
        sql(
          `insert into dossier (code, procedure_code, receiving_agency_code, applicant_id, applicant_kind, channel, status, received_at)
           values (?, ?, ?, ?, 'CITIZEN', 'DESK', 'RECEIVED', '2023-09-09T10:00:00+07:00')`,
          [`DAILY-RACE-${index}`, procedures[0], desks[0], `04620388${String(index).padStart(4, '0')}`],
        ),
      ),
    );
    const nine = await hub.services.statistics.dossierCounts(day(2023, 9, 9), day(2023, 9, 10), desks[0]);
    const recounted = await hub.services.statistics.dossierCounts(day(2023, 9, 9), day(2023, 9, 10), desks[0], { recount: true });
    expect(nine).toEqual(recounted);
    expect(nine.total.received).toBeGreaterThanOrEqual(12);
    await expectSameAsRecount();
  });

  it('rebuilds the figures from the dossiers after they were damaged', async () => {
    await sql(`update dossier_daily_statistics set received = received + 5, late = 0`);
    const damaged = await hub.services.statistics.dossierCounts(day(2023, 1, 1), day(2024, 1, 1));
    expect(damaged.total.received).not.toBe(
      (await hub.services.statistics.dossierCounts(day(2023, 1, 1), day(2024, 1, 1), undefined, { recount: true })).total.received,
    );
    expect(await hub.services.statistics.rebuildDailyFigures()).toBeGreaterThan(0);
    await expectSameAsRecount();
  });

  it('gives the same answer through GraphQL as a recount', async () => {
    const result = await hub.graphql<{
      statistics: { total: { received: number; pending: number; late: number; averageRating: number | null } };
    }>(
      `{ statistics(from: "2023-01-01", to: "2023-12-31") { total { received pending late averageRating } } }`,
      {},
      { as: 'demo-monitor' },
    );
    expect(result.body.errors).toBeUndefined();
    const recounted = await hub.services.statistics.dossierCounts(day(2023, 1, 1), day(2024, 1, 1), undefined, { recount: true });
    expect(result.body.data!.statistics.total).toEqual({
      received: recounted.total.received,
      pending: recounted.total.pending,
      late: recounted.total.late,
      averageRating: recounted.total.averageRating,
    });
  });

  it('empties the figures when the dossiers are truncated', async () => {
    await sql(`truncate dossier cascade`);
    expect(await sql(`select * from dossier_daily_statistics`)).toEqual([]);
    await expectSameAsRecount();
  });
});
