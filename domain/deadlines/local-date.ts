import { InvalidInputError } from '../errors';
import { fromVietnamLocal, toVietnamLocal, VIETNAM_OFFSET_MINUTES } from '../time/vietnam-time';

/**
 * Vietnam calendar dates (`YYYY-MM-DD`) and wall-clock times (`HH:MM`). Deadlines are counted in local
 * days, so dates are plain strings and arithmetic is done on UTC midnights (no time-zone database needed).
 */

/** A Vietnam calendar date, `YYYY-MM-DD`. */
export type IsoDate = string;
/** A Vietnam wall-clock time, `HH:MM` (24-hour). */
export type ClockTime = string;

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const OFFSET_MS = VIETNAM_OFFSET_MINUTES * MINUTE_MS;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const CLOCK_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

export interface DateParts {
  year: number;
  month: number;
  day: number;
}

/** The parts of a real calendar date, or undefined (wrong shape, or a day such as 2025-02-30). */
export function parseIsoDate(value: unknown): DateParts | undefined {
  if (typeof value !== 'string') return undefined;
  const match = ISO_DATE.exec(value);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return undefined;
  return { year, month, day };
}

export function requireIsoDate(value: string): DateParts {
  const parts = parseIsoDate(value);
  if (!parts) {
    throw new InvalidInputError(`"${String(value).slice(0, 40)}" is not a calendar date; write it as YYYY-MM-DD, e.g. 2026-02-23.`, {
      reason: 'CALENDAR.INVALID_DATE',
    });
  }
  return parts;
}

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

function fromUtcMidnight(ms: number): IsoDate {
  const d = new Date(ms);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

function utcMidnight(date: IsoDate): number {
  const { year, month, day } = requireIsoDate(date);
  return Date.UTC(year, month - 1, day);
}

/** The date `days` calendar days after (or before, if negative) `date`. */
export function addCalendarDays(date: IsoDate, days: number): IsoDate {
  return fromUtcMidnight(utcMidnight(date) + days * DAY_MS);
}

/** 0 = Sunday ... 6 = Saturday. */
export function weekdayOf(date: IsoDate): number {
  return new Date(utcMidnight(date)).getUTCDay();
}

export function yearOf(date: IsoDate): number {
  return requireIsoDate(date).year;
}

export function requireInstant(instant: Date, what: string): Date {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) {
    throw new InvalidInputError(`${what} is not a valid point in time.`, { reason: 'DEADLINE.INVALID_TIME' });
  }
  return instant;
}

/** The Vietnam calendar date of an instant. */
export function localDateOf(instant: Date): IsoDate {
  const t = toVietnamLocal(requireInstant(instant, 'The time'));
  return `${pad(t.year, 4)}-${pad(t.month)}-${pad(t.day)}`;
}

/** Milliseconds since Vietnam midnight: the wall-clock time of an instant, to the millisecond. */
export function localTimeOfDayMs(instant: Date): number {
  return (((requireInstant(instant, 'The time').getTime() + OFFSET_MS) % DAY_MS) + DAY_MS) % DAY_MS;
}

/** The instant of a Vietnam wall-clock time (milliseconds since midnight) on a date. */
export function atLocalTime(date: IsoDate, timeOfDayMs: number): Date {
  const { year, month, day } = requireIsoDate(date);
  return new Date(fromVietnamLocal(year, month, day).getTime() + timeOfDayMs);
}

/** Minutes since midnight of `HH:MM`, or undefined. */
export function parseClockTime(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = CLOCK_TIME.exec(value);
  return match ? Number(match[1]) * 60 + Number(match[2]) : undefined;
}

/** Milliseconds since midnight of `HH:MM`; `what` names the setting in the error an officer sees. */
export function requireClockTime(value: string, what: string, reason: string): number {
  const minutes = parseClockTime(value);
  if (minutes === undefined) {
    throw new InvalidInputError(`${what} must be a time written HH:MM (24-hour, e.g. 15:00), got "${String(value).slice(0, 20)}".`, {
      reason,
    });
  }
  return minutes * MINUTE_MS;
}
