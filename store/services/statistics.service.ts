import { agenciesInProvince, type AgencyPlacement } from '../../domain/catalogue/agency-province';
import type { Clock } from '../../domain/clock';
import type { UnitOfWork } from '../unit-of-work';

export interface DossierCounts {
  agencyCode: string | null;
  received: number;
  resolved: number;
  early: number;
  onTime: number;
  late: number;
  pending: number;
  overdueNow: number;
  refused: number;
  withdrawn: number;
  stopped: number;
  online: number;
  /** Papers satisfied at reception from what the state held: a vault document or a registry confirmation. */
  reusedPapers: number;
  totalPapers: number;
  /** Papers handed in anew although the vault held a usable document or the registry the fact, at reception. */
  missedReuse: number;
  /** Dossiers with no missed reuse: nothing was asked for that the state already held. */
  onceOnlyDossiers: number;
  ratings: number;
  averageRating: number | null;
}

interface Row {
  agency_code: string | null;
  received: string;
  resolved: string;
  early: string;
  on_time: string;
  late: string;
  pending: string;
  overdue_now: string;
  refused: string;
  withdrawn: string;
  stopped: string;
  online: string;
  reused: string | null;
  papers: string | null;
  missed_reuse: string | null;
  once_only: string;
  ratings: string;
  average_rating: string | null;
}

/**
 * The once-only figures of a set of dossiers, from the columns reception fills in per dossier:
 * `reused_components` (papers satisfied from a vault document or a registry confirmation),
 * `total_components` and `missed_reuse` (papers handed in anew although the state held them).
 */
const ONCE_ONLY_AGGREGATES = `sum(reused_components)::text as reused,
         sum(total_components)::text as papers,
         sum(missed_reuse)::text as missed_reuse,
         count(*) filter (where missed_reuse = 0)::text as once_only`;

/**
 * Monitoring figures over the dossiers received in a period (seed 000's on time / late / pending),
 * in one aggregate pass per agency plus the total (GROUPING SETS).
 */
export class StatisticsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  /**
   * From the daily figures kept as dossiers change (dossier_daily_statistics) when the period is whole
   * Vietnam days, as the GraphQL query asks; otherwise, and for `recount`, over the dossiers themselves.
   * Either way `overdueNow` is counted at the moment of asking, over the pending dossiers only.
   * `province` (a 2025 code) keeps the agencies placed in it (through their parents, as the catalogue
   * places them today), and with `agencyCode` that agency only if it is one of them.
   */
  async dossierCounts(
    from: Date,
    to: Date,
    agencyCode?: string,
    { recount = false, province }: { recount?: boolean; province?: string | undefined } = {},
  ): Promise<{ total: DossierCounts; byAgency: DossierCounts[] }> {
    const agencies =
      province !== undefined ? await this.agenciesOf(province, agencyCode) : agencyCode !== undefined ? [agencyCode] : undefined;
    const rows = recount || !wholeDays(from, to) ? await this.recount(from, to, agencies) : await this.fromDailyFigures(from, to, agencies);
    const counts = rows.map(toCounts);
    const total = counts.find((c) => c.agencyCode === null) ?? { ...EMPTY, agencyCode: agencyCode ?? null };
    return { total: { ...total, agencyCode: agencyCode ?? null }, byAgency: counts.filter((c) => c.agencyCode !== null) };
  }

  /** The agencies of a province (narrowed to `agencyCode` when given): a few thousand rows of the catalogue at most. */
  private async agenciesOf(province: string, agencyCode: string | undefined): Promise<string[]> {
    const rows = await this.uow.query<{ code: string; level: string; parent_code: string | null; admin_unit_code: string | null }>(
      'select code, level, parent_code, admin_unit_code from agency',
      [],
    );
    const placements: AgencyPlacement[] = rows.map((row) => ({
      code: row.code,
      level: row.level,
      parentCode: row.parent_code,
      adminUnitCode: row.admin_unit_code,
    }));
    const codes = agenciesInProvince(placements, province);
    return agencyCode === undefined ? codes : codes.filter((code) => code === agencyCode);
  }

  /** `agencies`: the receiving agencies counted (undefined: all). */
  private async fromDailyFigures(from: Date, to: Date, agencies: readonly string[] | undefined): Promise<Row[]> {
    const params = [vietnamDay(from), vietnamDay(to), ...(agencies ? [textArray(agencies)] : [])];
    const [rows, overdue] = await Promise.all([
      this.uow.reader().execute<Row[]>(
        `select agency_code,
           sum(received)::text as received, sum(resolved)::text as resolved, sum(early)::text as early,
           sum(on_time)::text as on_time, sum(late)::text as late, sum(pending)::text as pending, '0' as overdue_now,
           sum(refused)::text as refused, sum(withdrawn)::text as withdrawn, sum(stopped)::text as stopped,
           sum(online)::text as online, sum(reused)::text as reused, sum(papers)::text as papers,
           sum(missed_reuse)::text as missed_reuse, sum(once_only)::text as once_only, sum(ratings)::text as ratings,
           (sum(rating_sum)::numeric / nullif(sum(ratings), 0))::text as average_rating
         from dossier_daily_statistics
         where day >= ?::date and day < ?::date ${agencies ? 'and agency_code = any(?::text[])' : ''}
         group by grouping sets ((agency_code), ())
         having sum(received) > 0
         order by agency_code nulls first`,
        params,
      ),
      this.uow.reader().execute<{ agency_code: string | null; overdue_now: string }[]>(
        `select receiving_agency_code as agency_code, count(*)::text as overdue_now
         from dossier
         where resolved_at is null and status not in ('REFUSED', 'WITHDRAWN', 'STOPPED') and due_at < ?
           and received_at >= ? and received_at < ? ${agencies ? 'and receiving_agency_code = any(?::text[])' : ''}
         group by grouping sets ((receiving_agency_code), ())`,
        [this.clock.now(), from, to, ...(agencies ? [textArray(agencies)] : [])],
      ),
    ]);
    const overdueOf = new Map(overdue.map((row) => [row.agency_code, row.overdue_now]));
    return rows.map((row) => ({ ...row, overdue_now: overdueOf.get(row.agency_code) ?? '0' }));
  }

  private async recount(from: Date, to: Date, agencies: readonly string[] | undefined): Promise<Row[]> {
    return this.uow.reader().execute<Row[]>(
      `select receiving_agency_code as agency_code,
         count(*)::text as received,
         count(*) filter (where resolved_at is not null)::text as resolved,
         count(*) filter (where completion = 'EARLY')::text as early,
         count(*) filter (where completion = 'ON_TIME')::text as on_time,
         count(*) filter (where completion = 'LATE')::text as late,
         count(*) filter (where resolved_at is null and status not in ('REFUSED', 'WITHDRAWN', 'STOPPED'))::text as pending,
         count(*) filter (where resolved_at is null and status not in ('REFUSED', 'WITHDRAWN', 'STOPPED') and due_at < ?)::text as overdue_now,
         count(*) filter (where status = 'REFUSED')::text as refused,
         count(*) filter (where status = 'WITHDRAWN')::text as withdrawn,
         count(*) filter (where status = 'STOPPED')::text as stopped,
         count(*) filter (where channel = 'ONLINE')::text as online,
         ${ONCE_ONLY_AGGREGATES},
         count(rating)::text as ratings,
         avg(rating)::text as average_rating
       from dossier
       where received_at >= ? and received_at < ? ${agencies ? 'and receiving_agency_code = any(?::text[])' : ''}
       group by grouping sets ((receiving_agency_code), ())
       having count(*) > 0
       order by receiving_agency_code nulls first`,
      [this.clock.now(), from, to, ...(agencies ? [textArray(agencies)] : [])],
    );
  }

  /**
   * The daily figures again from the dossiers, a month per transaction: each month's rows are
   * replaced while the dossiers are share-locked (writers wait for that month only; a change meanwhile
   * is counted by the triggers in a month already rebuilt, or found in the dossiers of one to come).
   * Returns how many (day, agency, procedure) rows were written.
   */
  async rebuildDailyFigures(onProgress?: (done: number, total: number, month: string) => void): Promise<number> {
    const [range] = await this.uow.reader().execute<{ first: string | null; last: string | null }[]>(
      `select to_char(min(received_at) at time zone 'UTC' + interval '7 hours', 'YYYY-MM') as first,
              to_char(max(received_at) at time zone 'UTC' + interval '7 hours', 'YYYY-MM') as last from dossier`,
    );
    const months: string[] = [];
    if (range?.first && range.last) {
      for (let [y, m] = range.first.split('-').map(Number) as [number, number]; `${y}-${String(m).padStart(2, '0')}` <= range.last;) {
        months.push(`${y}-${String(m).padStart(2, '0')}`);
        [y, m] = m === 12 ? [y + 1, 1] : [y, m + 1];
      }
    }
    const monthAfter = (month: string) => {
      const [y, m] = month.split('-').map(Number) as [number, number];
      return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
    };
    let written = 0;
    await this.uow.run(async (em) => {
      await em.execute(`lock table dossier in share mode`);
      // Days outside every dossier's month hold nothing.
      if (months.length === 0) await em.execute(`delete from dossier_daily_statistics`);
      else
        await em.execute(`delete from dossier_daily_statistics where day < ?::date or day >= ?::date`, [
          `${months[0]}-01`,
          `${monthAfter(months[months.length - 1]!)}-01`,
        ]);
    });
    for (const [index, month] of months.entries()) {
      written += await this.uow.run(async (em) => {
        await em.execute(`lock table dossier in share mode`);
        const [row] = await em.execute<{ written: string }[]>(`select dossier_statistics_rebuild(?::date, ?::date)::text as written`, [
          `${month}-01`,
          `${monthAfter(month)}-01`,
        ]);
        return Number(row?.written ?? 0);
      });
      onProgress?.(index + 1, months.length, month);
    }
    return written;
  }
}

/** A PostgreSQL text[] literal (one bound parameter, however many codes): each element quoted. */
function textArray(values: readonly string[]): string {
  return `{${values.map((value) => `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`;
}

const DAY_MS = 24 * 3600_000;
const VIETNAM_OFFSET_MS = 7 * 3600_000;

/** Whether both ends fall on a Vietnam midnight (UTC+7, no daylight saving), the grain of the daily figures. */
function wholeDays(from: Date, to: Date): boolean {
  return (from.getTime() + VIETNAM_OFFSET_MS) % DAY_MS === 0 && (to.getTime() + VIETNAM_OFFSET_MS) % DAY_MS === 0;
}

function vietnamDay(instant: Date): string {
  return new Date(instant.getTime() + VIETNAM_OFFSET_MS).toISOString().slice(0, 10);
}

const EMPTY: DossierCounts = {
  agencyCode: null,
  received: 0,
  resolved: 0,
  early: 0,
  onTime: 0,
  late: 0,
  pending: 0,
  overdueNow: 0,
  refused: 0,
  withdrawn: 0,
  stopped: 0,
  online: 0,
  reusedPapers: 0,
  totalPapers: 0,
  missedReuse: 0,
  onceOnlyDossiers: 0,
  ratings: 0,
  averageRating: null,
};

function toCounts(row: Row): DossierCounts {
  return {
    agencyCode: row.agency_code,
    received: Number(row.received),
    resolved: Number(row.resolved),
    early: Number(row.early),
    onTime: Number(row.on_time),
    late: Number(row.late),
    pending: Number(row.pending),
    overdueNow: Number(row.overdue_now),
    refused: Number(row.refused),
    withdrawn: Number(row.withdrawn),
    stopped: Number(row.stopped),
    online: Number(row.online),
    reusedPapers: Number(row.reused ?? 0),
    totalPapers: Number(row.papers ?? 0),
    missedReuse: Number(row.missed_reuse ?? 0),
    onceOnlyDossiers: Number(row.once_only),
    ratings: Number(row.ratings),
    averageRating: row.average_rating === null ? null : Math.round(Number(row.average_rating) * 100) / 100,
  };
}
