import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import { PROVINCES_2025 } from '../domain/catalogue/agency-province';
import { InvalidInputError } from '../domain/errors';
import { fromVietnamLocal } from '../domain/time/vietnam-time';
import type { DossierCounts } from '../store/services/statistics.service';
import type { HubContext } from './context';
import { DateScalar } from './types/date.scalar';
import { DossierStatistics, Statistics } from './types/statistics.type';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function dayStart(value: string, field: string): Date {
  const match = DATE.exec(value);
  const instant = match ? fromVietnamLocal(Number(match[1]), Number(match[2]), Number(match[3])) : undefined;
  if (
    !match ||
    !instant ||
    Number.isNaN(instant.getTime()) ||
    new Date(instant.getTime() + 7 * 3600_000).getUTCDate() !== Number(match[3])
  ) {
    throw new InvalidInputError(`"${field}" must be a calendar date YYYY-MM-DD, got "${value.slice(0, 20)}".`, {
      reason: 'STATISTICS.INVALID_DATE',
    });
  }
  return instant;
}

const share = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000);

function toStatistics(counts: DossierCounts): DossierStatistics {
  return {
    ...counts,
    onTimeRate: share(counts.early + counts.onTime, counts.resolved),
    onlineShare: share(counts.online, counts.received),
    reuseShare: share(counts.reusedPapers, counts.totalPapers),
    onceOnlyShare: share(counts.onceOnlyDossiers, counts.received),
  };
}

@Resolver()
export class StatisticsResolver {
  @Query(() => Statistics, {
    description: 'Received, early / on time / late, pending, overdue now, online and once-only shares, ratings: per agency and in total.',
  })
  async statistics(
    @Arg('from', () => DateScalar, { description: 'First day (Vietnam time).' }) from: string,
    @Arg('to', () => DateScalar, { description: 'Last day, included.' }) to: string,
    @Ctx() context: HubContext,
    @Arg('agencyCode', () => String, { nullable: true }) agencyCode?: string | null,
    @Arg('province', () => String, {
      nullable: true,
      description:
        'The receiving agencies of one province (2-digit code of the 34 since 1 July 2025), placed by their parents as in `agencies(filter: { adminUnitCode })`.',
    })
    province?: string | null,
  ): Promise<Statistics> {
    const start = dayStart(from, 'from');
    const end = new Date(dayStart(to, 'to').getTime() + 24 * 3600_000);
    if (end <= start) throw new InvalidInputError('"to" must not be before "from".', { reason: 'STATISTICS.EMPTY_PERIOD' });
    if (end.getTime() - start.getTime() > 366 * 24 * 3600_000 * 5)
      throw new InvalidInputError('A period is at most five years.', { reason: 'STATISTICS.PERIOD_TOO_LONG' });
    if (province != null && !PROVINCES_2025.has(province)) {
      throw new InvalidInputError(
        `"province" must be the 2-digit code of one of the 34 provinces since 1 July 2025 (Decision 19/2025/QĐ-TTg), got "${province.slice(0, 10)}".`,
        { reason: 'STATISTICS.UNKNOWN_PROVINCE' },
      );
    }
    const principal = context.principal;
    // An agency sees its own figures (naming no agency means its own; a province narrows them to its
    // own if it lies there); the monitoring centre any, a province's included.
    const scope =
      agencyCode ?? (principal.kind !== 'PUBLIC' && principal.kind !== 'MONITOR' ? (principal.agencyCode ?? undefined) : undefined);
    context.authorize({ action: 'statistics.read', agencyCode: scope });
    const counts = await context.services.statistics.dossierCounts(start, end, scope, { province: province ?? undefined });
    return { from, to, province: province ?? null, total: toStatistics(counts.total), byAgency: counts.byAgency.map(toStatistics) };
  }
}
