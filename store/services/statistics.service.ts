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

  async dossierCounts(from: Date, to: Date, agencyCode?: string): Promise<{ total: DossierCounts; byAgency: DossierCounts[] }> {
    const rows = await this.uow.reader().execute<Row[]>(
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
       where received_at >= ? and received_at < ? ${agencyCode ? 'and receiving_agency_code = ?' : ''}
       group by grouping sets ((receiving_agency_code), ())
       order by receiving_agency_code nulls first`,
      [this.clock.now(), from, to, ...(agencyCode ? [agencyCode] : [])],
    );
    const counts = rows.map(toCounts);
    const total = counts.find((c) => c.agencyCode === null) ?? { ...EMPTY, agencyCode: agencyCode ?? null };
    return { total: { ...total, agencyCode: agencyCode ?? null }, byAgency: counts.filter((c) => c.agencyCode !== null) };
  }
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
