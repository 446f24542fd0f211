import { InvalidInputError } from '../errors';
import { parseCalendarYears, type CalendarDay, type CalendarYear } from './calendar-years';
import {
  addCalendarDays,
  atLocalTime,
  localDateOf,
  localTimeOfDayMs,
  requireClockTime,
  requireInstant,
  weekdayOf,
  yearOf,
  type ClockTime,
  type IsoDate,
} from './local-date';

/** One opening period of the desk, `HH:MM` to `HH:MM` (start included, end excluded). */
export interface WorkingPeriod {
  start: ClockTime;
  end: ClockTime;
}

/** The desk's opening periods on every working day, in order. */
export interface WorkingHours {
  /** @default 07:30–11:30 and 13:30–17:00 */
  periods: readonly WorkingPeriod[];
}

export const DEFAULT_WORKING_HOURS: WorkingHours = {
  periods: [
    { start: '07:30', end: '11:30' },
    { start: '13:30', end: '17:00' },
  ],
};

/**
 * Working days and hours in Asia/Ho_Chi_Minh. A working day is Monday–Friday that is not a listed
 * holiday, plus any listed make-up working day. Every question about a year the data does not cover
 * throws InvalidInputError `CALENDAR.YEAR_MISSING` rather than guessing.
 */
export interface WorkingCalendar {
  /** The years the data covers, ascending. */
  readonly years: readonly number[];
  readonly hours: WorkingHours;
  covers(year: number): boolean;
  isWorkingDay(date: IsoDate): boolean;
  /** The listed day off on that date, if any (weekend days inside an official span included). */
  holidayOn(date: IsoDate): CalendarDay | undefined;
  /** The listed make-up working day on that date, if any. */
  makeUpWorkingDayOn(date: IsoDate): CalendarDay | undefined;
  /** The first working day strictly after `date`. */
  nextWorkingDay(date: IsoDate): IsoDate;
  /**
   * Counts `days` working days after `date` (which itself is not counted) and returns the last one;
   * a negative count goes backwards; 0 returns `date`.
   */
  addWorkingDays(date: IsoDate, days: number): IsoDate;
  /** On a working day, and within one of the opening periods (start included, end excluded). */
  isWithinWorkingHours(instant: Date): boolean;
  /**
   * The earliest instant at or after `instant` when the desk is open: `instant` itself during working
   * hours; the same day's next period start before opening or in the lunch break; otherwise the first
   * period start of the next working day.
   */
  nextOpening(instant: Date): Date;
  /** Start of the first period on `date` (not checked to be a working day). */
  openingOf(date: IsoDate): Date;
  /** End of the last period on `date` (not checked to be a working day). */
  closingOf(date: IsoDate): Date;
}

interface PeriodMs {
  start: number;
  end: number;
}

function normalizeHours(hours: WorkingHours): PeriodMs[] {
  const reason = 'CALENDAR.INVALID_HOURS';
  if (!hours || !Array.isArray(hours.periods) || hours.periods.length === 0) {
    throw new InvalidInputError('Working hours need at least one opening period, e.g. 07:30–11:30.', { reason });
  }
  const periods = hours.periods.map((period, index) => ({
    start: requireClockTime(period.start, `Working period ${index + 1} start`, reason),
    end: requireClockTime(period.end, `Working period ${index + 1} end`, reason),
  }));
  periods.forEach((period, index) => {
    const label = `${hours.periods[index]!.start}–${hours.periods[index]!.end}`;
    if (period.start >= period.end) {
      throw new InvalidInputError(`Working period ${index + 1} (${label}) must end after it starts.`, { reason });
    }
    const previous = periods[index - 1];
    if (previous && previous.end > period.start) {
      throw new InvalidInputError(`Working period ${index + 1} (${label}) must start after the previous one ends; list periods in order.`, {
        reason,
      });
    }
  });
  return periods;
}

class DataWorkingCalendar implements WorkingCalendar {
  readonly years: readonly number[];
  private readonly holidays = new Map<IsoDate, CalendarDay>();
  private readonly makeUpDays = new Map<IsoDate, CalendarDay>();
  private readonly periods: PeriodMs[];

  constructor(
    data: CalendarYear[],
    readonly hours: WorkingHours,
  ) {
    this.years = data.map((year) => year.year);
    for (const year of data) {
      for (const day of year.holidays) this.holidays.set(day.date, day);
      for (const day of year.makeUpWorkingDays) this.makeUpDays.set(day.date, day);
    }
    this.periods = normalizeHours(hours);
  }

  covers(year: number): boolean {
    return this.years.includes(year);
  }

  private requireCovered(date: IsoDate): void {
    const year = yearOf(date);
    if (this.covers(year)) return;
    throw new InvalidInputError(
      `The working calendar has no data for ${year} (it covers ${this.years.join(', ')}), so working days in ${year} cannot be counted. Add ${year}'s holidays and make-up working days to the calendar file.`,
      { reason: 'CALENDAR.YEAR_MISSING', details: { year, coveredYears: [...this.years] } },
    );
  }

  isWorkingDay(date: IsoDate): boolean {
    this.requireCovered(date);
    if (this.makeUpDays.has(date)) return true;
    if (this.holidays.has(date)) return false;
    const weekday = weekdayOf(date);
    return weekday !== 0 && weekday !== 6;
  }

  holidayOn(date: IsoDate): CalendarDay | undefined {
    this.requireCovered(date);
    return this.holidays.get(date);
  }

  makeUpWorkingDayOn(date: IsoDate): CalendarDay | undefined {
    this.requireCovered(date);
    return this.makeUpDays.get(date);
  }

  nextWorkingDay(date: IsoDate): IsoDate {
    return this.addWorkingDays(date, 1);
  }

  addWorkingDays(date: IsoDate, days: number): IsoDate {
    if (!Number.isInteger(days)) {
      throw new InvalidInputError(`A number of working days must be a whole number, got ${days}.`, { reason: 'CALENDAR.INVALID_DAYS' });
    }
    this.requireCovered(date);
    const step = days < 0 ? -1 : 1;
    let current = date;
    for (let left = Math.abs(days); left > 0;) {
      current = addCalendarDays(current, step);
      if (this.isWorkingDay(current)) left -= 1;
    }
    return current;
  }

  isWithinWorkingHours(instant: Date): boolean {
    const date = localDateOf(instant);
    if (!this.isWorkingDay(date)) return false;
    const time = localTimeOfDayMs(instant);
    return this.periods.some((period) => time >= period.start && time < period.end);
  }

  nextOpening(instant: Date): Date {
    requireInstant(instant, 'The time');
    const date = localDateOf(instant);
    if (this.isWorkingDay(date)) {
      const time = localTimeOfDayMs(instant);
      const period = this.periods.find((p) => time < p.end);
      if (period) return time >= period.start ? new Date(instant.getTime()) : atLocalTime(date, period.start);
    }
    return this.openingOf(this.nextWorkingDay(date));
  }

  openingOf(date: IsoDate): Date {
    return atLocalTime(date, this.periods[0]!.start);
  }

  closingOf(date: IsoDate): Date {
    return atLocalTime(date, this.periods[this.periods.length - 1]!.end);
  }
}

/**
 * A calendar over the given years (validated with the same rules as parseCalendarYears) and working
 * hours (default 07:30–11:30 and 13:30–17:00).
 */
export function createWorkingCalendar(years: CalendarYear[], hours: WorkingHours = DEFAULT_WORKING_HOURS): WorkingCalendar {
  return new DataWorkingCalendar(parseCalendarYears(years), hours);
}
