import { InvalidInputError } from '../errors';
import { parseIsoDate, weekdayOf, type IsoDate } from './local-date';

/**
 * The per-year calendar data (`reference/calendar/vn-working-calendar.json`, or an operator's file of the
 * same shape). The government fixes the Tết span and the swaps every year, so they are data, not code.
 */

/** One dated entry: a day off, or a make-up working day. */
export interface CalendarDay {
  /** `YYYY-MM-DD`, Vietnam calendar. */
  date: IsoDate;
  nameVi: string;
  nameEn: string;
}

export interface CalendarYear {
  year: number;
  /** The decision or notice the dates come from. */
  source: string;
  /**
   * Days off for civil servants, substitutions and swaps already applied. Weekend days inside an official
   * span may be listed too; they are rest days either way.
   */
  holidays: CalendarDay[];
  /** Saturdays (or Sundays) officially worked to make up a swapped day off. */
  makeUpWorkingDays: CalendarDay[];
  /** Dates or notes not confirmed by a source. */
  unconfirmed: string[];
}

const YEAR_KEYS = ['year', 'source', 'holidays', 'makeUpWorkingDays', 'unconfirmed'];
const DAY_KEYS = ['date', 'nameVi', 'nameEn'];
// Beyond this the message stops being readable on one line; the full list stays in `details`.
const PROBLEMS_IN_MESSAGE = 10;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isText = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';
const show = (value: unknown): string => (value === undefined ? 'missing' : (JSON.stringify(value)?.slice(0, 40) ?? String(value)));

function checkKeys(value: Record<string, unknown>, allowed: string[], at: string, problems: string[]): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) problems.push(`${at}: unknown field "${key}" (allowed: ${allowed.join(', ')})`);
  }
}

function readDays(value: unknown, year: number | undefined, at: string, problems: string[]): CalendarDay[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    problems.push(`${at}: must be a list of {date, nameVi, nameEn}, got ${show(value)}`);
    return [];
  }
  const days: CalendarDay[] = [];
  const seen = new Set<string>();
  value.forEach((entry: unknown, index) => {
    const here = `${at}[${index}]`;
    if (!isRecord(entry)) {
      problems.push(`${here}: must be an object {date, nameVi, nameEn}, got ${show(entry)}`);
      return;
    }
    checkKeys(entry, DAY_KEYS, here, problems);
    const parts = parseIsoDate(entry.date);
    let ok = true;
    if (!parts) {
      problems.push(`${here}.date: ${show(entry.date)} is not a calendar date written YYYY-MM-DD`);
      ok = false;
    } else if (year !== undefined && parts.year !== year) {
      problems.push(`${here}.date: ${entry.date as string} is not in ${year}`);
      ok = false;
    } else if (seen.has(entry.date as string)) {
      problems.push(`${here}.date: ${entry.date as string} is listed twice`);
      ok = false;
    }
    for (const key of ['nameVi', 'nameEn'] as const) {
      if (!isText(entry[key])) {
        problems.push(`${here}.${key}: must be a non-empty text, got ${show(entry[key])}`);
        ok = false;
      }
    }
    if (ok) {
      seen.add(entry.date as string);
      days.push({ date: entry.date as string, nameVi: entry.nameVi as string, nameEn: entry.nameEn as string });
    }
  });
  return days;
}

function readYear(value: unknown, at: string, problems: string[]): CalendarYear | undefined {
  if (!isRecord(value)) {
    problems.push(`${at}: must be an object {year, source, holidays, makeUpWorkingDays, unconfirmed}, got ${show(value)}`);
    return undefined;
  }
  const before = problems.length;
  checkKeys(value, YEAR_KEYS, at, problems);
  const year = value.year;
  const validYear = typeof year === 'number' && Number.isInteger(year) && year >= 1900 && year <= 2999;
  if (!validYear) problems.push(`${at}.year: must be a whole year such as 2026, got ${show(year)}`);
  if (!isText(value.source)) problems.push(`${at}.source: must name the decision or notice the dates come from, got ${show(value.source)}`);
  if (!Array.isArray(value.holidays)) problems.push(`${at}.holidays: must be a list (it may be empty), got ${show(value.holidays)}`);
  const holidays = Array.isArray(value.holidays) ? readDays(value.holidays, validYear ? year : undefined, `${at}.holidays`, problems) : [];
  const makeUpWorkingDays = readDays(value.makeUpWorkingDays, validYear ? year : undefined, `${at}.makeUpWorkingDays`, problems);
  const offDays = new Set(holidays.map((day) => day.date));
  makeUpWorkingDays.forEach((day, index) => {
    const here = `${at}.makeUpWorkingDays[${index}].date`;
    if (offDays.has(day.date)) problems.push(`${here}: ${day.date} is also listed as a holiday; a day is either off or worked`);
    const weekday = weekdayOf(day.date);
    if (weekday !== 0 && weekday !== 6)
      problems.push(`${here}: ${day.date} is a weekday, already a working day; a make-up day is a Saturday or Sunday`);
  });
  const unconfirmed = value.unconfirmed ?? [];
  if (!Array.isArray(unconfirmed) || !unconfirmed.every(isText)) {
    problems.push(`${at}.unconfirmed: must be a list of texts (dates or notes), got ${show(value.unconfirmed)}`);
  }
  if (problems.length > before) return undefined;
  return { year: year as number, source: value.source as string, holidays, makeUpWorkingDays, unconfirmed: unconfirmed as string[] };
}

/**
 * Validates calendar data from a file: either `{ "years": [ ... ] }` (the shipped shape; other top-level
 * fields such as `description` are ignored) or a bare list of years. In a file, `makeUpWorkingDays` and
 * `unconfirmed` may be left out (empty); unknown fields are refused so a misspelt key is not silently lost. Throws one InvalidInputError
 * (`CALENDAR.INVALID_DATA`) naming every problem with its place, e.g. `years[1].holidays[3].date`.
 */
export function parseCalendarYears(json: unknown): CalendarYear[] {
  const problems: string[] = [];
  const list = Array.isArray(json) ? json : isRecord(json) ? json.years : undefined;
  const base = Array.isArray(json) ? '' : 'years';
  if (!Array.isArray(list)) {
    problems.push(`the calendar must be an object with a "years" list (or a bare list of years), got ${show(list ?? json)}`);
  } else if (list.length === 0) {
    problems.push(`${base || 'the list'}: no years; the calendar needs at least one`);
  } else {
    const years: CalendarYear[] = [];
    const seen = new Map<number, number>();
    list.forEach((entry: unknown, index) => {
      const at = `${base}[${index}]`;
      const parsed = readYear(entry, at, problems);
      if (!parsed) return;
      const first = seen.get(parsed.year);
      if (first !== undefined) problems.push(`${at}.year: ${parsed.year} is already given at ${base}[${first}]`);
      else seen.set(parsed.year, index);
      years.push(parsed);
    });
    if (problems.length === 0) return years.sort((a, b) => a.year - b.year);
  }
  const shown = problems.slice(0, PROBLEMS_IN_MESSAGE).join('; ');
  const more = problems.length > PROBLEMS_IN_MESSAGE ? `; and ${problems.length - PROBLEMS_IN_MESSAGE} more` : '';
  throw new InvalidInputError(
    `The working calendar data has ${problems.length} problem${problems.length === 1 ? '' : 's'}: ${shown}${more}.`,
    { reason: 'CALENDAR.INVALID_DATA', details: { problems } },
  );
}
