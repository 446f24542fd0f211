import { InvalidInputError, InvalidTransitionError } from '../errors';
import { formatVietnamIso } from '../time/vietnam-time';
import { atLocalTime, localDateOf, localTimeOfDayMs, requireClockTime, requireInstant, type ClockTime } from './local-date';
import type { WorkingCalendar } from './working-calendar';

/**
 * The hub's deadline convention (docs/DEADLINES.md). Every function is pure: times come in as
 * arguments, and the working days and hours come from the WorkingCalendar.
 */

/** Resolved within N working days, counted after the reception day. */
export interface WorkingDaysResolution {
  kind: 'working-days';
  /** Whole number of working days, at least 1. */
  days: number;
}

/** Resolved the same day if received before the cut-off, otherwise the next working day. */
export interface SameDayResolution {
  kind: 'same-day';
  /**
   * Received before this time → due the same day; at or after it → the next working day. Set per
   * procedure (birth registration: 15:00). @default '11:00'
   */
  cutoff?: ClockTime;
  /** Due time when received before the cut-off. @default '16:30' */
  dueSameDay?: ClockTime;
  /** Due time on the next working day when received from the cut-off on. @default '11:00' */
  dueNextDay?: ClockTime;
}

export type ResolutionTime = WorkingDaysResolution | SameDayResolution;

/** Seed 000's same-day rule: before 11:00 → 16:30 that day; from 11:00 → 11:00 the next working day. */
export const SAME_DAY_DEFAULTS = { cutoff: '11:00', dueSameDay: '16:30', dueNextDay: '11:00' } as const satisfies Required<
  Omit<SameDayResolution, 'kind'>
>;
/** Received from this time on → handed to the competent body at the start of the next working day. */
export const DEFAULT_HAND_OVER_CUTOFF: ClockTime = '15:00';
/** Working days to send an incomplete dossier back with a supplement request. */
export const DEFAULT_SUPPLEMENT_REQUEST_WORKING_DAYS = 3;
/** Working days ahead of the due time by which the apology (form 04) must be issued. */
export const DEFAULT_APOLOGY_NOTICE_WORKING_DAYS = 1;

const RULE_REASON = 'DEADLINE.INVALID_RULE';

function requireWorkingDays(days: number, what: string): number {
  if (!Number.isInteger(days) || days < 1) {
    throw new InvalidInputError(`${what} must be a whole number of working days, at least 1; got ${days}.`, { reason: RULE_REASON });
  }
  return days;
}

/** When a reception counts: the instant itself during working hours, otherwise the desk's next opening. */
export function effectiveReceptionAt(receivedAt: Date, calendar: WorkingCalendar): Date {
  return calendar.nextOpening(requireInstant(receivedAt, 'The reception time'));
}

/**
 * The citizen's due time.
 * - N working days: the same clock time as the (effective) reception, on the N-th working day after the
 *   reception day; the reception day is not counted.
 * - Same day: (effective) reception before the cut-off → `dueSameDay` that day; otherwise `dueNextDay`
 *   on the next working day.
 * A reception on a non-working day or outside working hours counts from the next opening (nextOpening).
 */
export function computeDueAt(receivedAt: Date, resolution: ResolutionTime, calendar: WorkingCalendar): Date {
  const received = effectiveReceptionAt(receivedAt, calendar);
  const day = localDateOf(received);
  const time = localTimeOfDayMs(received);
  switch (resolution.kind) {
    case 'working-days':
      return atLocalTime(calendar.addWorkingDays(day, requireWorkingDays(resolution.days, 'The resolution time')), time);
    case 'same-day': {
      const cutoff = requireClockTime(resolution.cutoff ?? SAME_DAY_DEFAULTS.cutoff, 'The same-day cut-off', RULE_REASON);
      const dueSameDay = requireClockTime(resolution.dueSameDay ?? SAME_DAY_DEFAULTS.dueSameDay, 'The same-day due time', RULE_REASON);
      const dueNextDay = requireClockTime(resolution.dueNextDay ?? SAME_DAY_DEFAULTS.dueNextDay, 'The next-day due time', RULE_REASON);
      if (dueSameDay < cutoff) {
        const message = 'The same-day due time must not be earlier than the cut-off, or a dossier would be due before it arrives.';
        throw new InvalidInputError(message, { reason: RULE_REASON });
      }
      return time < cutoff ? atLocalTime(day, dueSameDay) : atLocalTime(calendar.nextWorkingDay(day), dueNextDay);
    }
    default: {
      const unknown: never = resolution;
      throw new InvalidInputError(`Unknown resolution time kind ${JSON.stringify((unknown as { kind?: unknown }).kind)}.`, {
        reason: RULE_REASON,
      });
    }
  }
}

/**
 * Internal step: when the desk must hand a received dossier to the competent body. (Effective) reception
 * before the cut-off → by the closing time of that working day; from the cut-off on → at the opening of
 * the next working day. This governs internal steps, never the citizen's due time.
 */
export function handOverDeadline(receivedAt: Date, calendar: WorkingCalendar, cutoff: ClockTime = DEFAULT_HAND_OVER_CUTOFF): Date {
  const cutoffMs = requireClockTime(cutoff, 'The hand-over cut-off', RULE_REASON);
  const received = effectiveReceptionAt(receivedAt, calendar);
  const day = localDateOf(received);
  return localTimeOfDayMs(received) < cutoffMs ? calendar.closingOf(day) : calendar.openingOf(calendar.nextWorkingDay(day));
}

/** The latest time to send an incomplete dossier back with a supplement request: N working days, counted as a resolution time. */
export function supplementRequestDeadline(
  receivedAt: Date,
  calendar: WorkingCalendar,
  days: number = DEFAULT_SUPPLEMENT_REQUEST_WORKING_DAYS,
): Date {
  return computeDueAt(receivedAt, { kind: 'working-days', days: requireWorkingDays(days, 'The supplement request time') }, calendar);
}

/** After supplementation the whole resolution time restarts from the supplement's (effective) reception. */
export function restartAfterSupplement(supplementedAt: Date, resolution: ResolutionTime, calendar: WorkingCalendar): Date {
  return computeDueAt(supplementedAt, resolution, calendar);
}

export type CompletionTiming = 'EARLY' | 'ON_TIME' | 'LATE';

/**
 * trước hạn / đúng hạn / quá hạn. EARLY: completed on a Vietnam calendar day before the due day.
 * ON_TIME: on the due day, up to and including the due time. LATE: after the due time.
 */
export function classifyCompletion(completedAt: Date, dueAt: Date): CompletionTiming {
  requireInstant(completedAt, 'The completion time');
  requireInstant(dueAt, 'The due time');
  if (completedAt.getTime() > dueAt.getTime()) return 'LATE';
  return localDateOf(completedAt) < localDateOf(dueAt) ? 'EARLY' : 'ON_TIME';
}

/**
 * The latest moment to issue the apology: the same clock time as the due time, `noticeWorkingDays`
 * working days earlier (due Monday 09:00 with 1 day's notice → the previous working day at 09:00).
 */
export function latestApologyAt(
  currentDueAt: Date,
  calendar: WorkingCalendar,
  noticeWorkingDays: number = DEFAULT_APOLOGY_NOTICE_WORKING_DAYS,
): Date {
  requireInstant(currentDueAt, 'The current due time');
  if (!Number.isInteger(noticeWorkingDays) || noticeWorkingDays < 0) {
    throw new InvalidInputError(`The apology notice must be a whole number of working days, got ${noticeWorkingDays}.`, {
      reason: RULE_REASON,
    });
  }
  return atLocalTime(calendar.addWorkingDays(localDateOf(currentDueAt), -noticeWorkingDays), localTimeOfDayMs(currentDueAt));
}

export interface ExtensionRequest {
  currentDueAt: Date;
  /** The due time was already moved once (a form 04 was issued before). */
  previouslyExtended: boolean;
  requestedNewDueAt: Date;
  now: Date;
  calendar: WorkingCalendar;
  /** @default 1 */
  noticeWorkingDays?: number;
}

export interface ExtensionPlan {
  previousDueAt: Date;
  newDueAt: Date;
  /** The latest moment the apology could be issued (it was issued in time). */
  apologyDeadline: Date;
}

/**
 * The one-time extension (apology, form 04). Refused, in this order: a second extension
 * (`DEADLINE.ALREADY_EXTENDED`); a new due time not after the current one (`DEADLINE.NEW_DATE_NOT_LATER`)
 * or not on a working day (`DEADLINE.NEW_DATE_NOT_WORKING_DAY`); an apology later than the notice allows
 * (`DEADLINE.TOO_LATE_TO_APOLOGISE`).
 */
export function planExtension(request: ExtensionRequest): ExtensionPlan {
  const { currentDueAt, previouslyExtended, requestedNewDueAt, now, calendar } = request;
  requireInstant(currentDueAt, 'The current due time');
  requireInstant(requestedNewDueAt, 'The new due time');
  requireInstant(now, 'The current time');
  if (previouslyExtended) {
    throw new InvalidTransitionError(
      `The due time of this dossier was already moved once; it may be moved only once, so ${formatVietnamIso(currentDueAt)} stands.`,
      { reason: 'DEADLINE.ALREADY_EXTENDED' },
    );
  }
  if (requestedNewDueAt.getTime() <= currentDueAt.getTime()) {
    throw new InvalidInputError(
      `The new due time ${formatVietnamIso(requestedNewDueAt)} must be after the current one, ${formatVietnamIso(currentDueAt)}.`,
      { reason: 'DEADLINE.NEW_DATE_NOT_LATER' },
    );
  }
  if (!calendar.isWorkingDay(localDateOf(requestedNewDueAt))) {
    throw new InvalidInputError(`The new due time ${formatVietnamIso(requestedNewDueAt)} is not on a working day; choose a working day.`, {
      reason: 'DEADLINE.NEW_DATE_NOT_WORKING_DAY',
    });
  }
  const notice = request.noticeWorkingDays ?? DEFAULT_APOLOGY_NOTICE_WORKING_DAYS;
  const apologyDeadline = latestApologyAt(currentDueAt, calendar, notice);
  if (now.getTime() > apologyDeadline.getTime()) {
    throw new InvalidTransitionError(
      `Too late to move the due time: the apology must be issued at least ${notice} working day${notice === 1 ? '' : 's'} before the due time ${formatVietnamIso(currentDueAt)}, that is by ${formatVietnamIso(apologyDeadline)}.`,
      { reason: 'DEADLINE.TOO_LATE_TO_APOLOGISE' },
    );
  }
  return { previousDueAt: new Date(currentDueAt.getTime()), newDueAt: new Date(requestedNewDueAt.getTime()), apologyDeadline };
}
