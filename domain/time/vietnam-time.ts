/**
 * Vietnam keeps one offset all year (UTC+07:00, no daylight saving), so local calendar fields can be
 * read by shifting the instant; no time-zone database is needed in the domain.
 */
export const VIETNAM_OFFSET_MINUTES = 7 * 60;
const OFFSET_MS = VIETNAM_OFFSET_MINUTES * 60_000;

export interface LocalDateTime {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 = Sunday ... 6 = Saturday */
  weekday: number;
}

export function toVietnamLocal(instant: Date): LocalDateTime {
  const shifted = new Date(instant.getTime() + OFFSET_MS);
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
    second: shifted.getUTCSeconds(),
    weekday: shifted.getUTCDay(),
  };
}

/** The instant of a Vietnam wall-clock time. */
export function fromVietnamLocal(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): Date {
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second) - OFFSET_MS);
}

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

/** ISO 8601 with the +07:00 offset, e.g. `2026-02-23T16:30:00+07:00`. */
export function formatVietnamIso(instant: Date): string {
  const t = toVietnamLocal(instant);
  return `${t.year}-${pad(t.month)}-${pad(t.day)}T${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}+07:00`;
}

/** `yyyyMMddHHmmss` in Vietnam time: the timestamp format of national-portal synchronisation. */
export function formatPortalTimestamp(instant: Date): string {
  const t = toVietnamLocal(instant);
  return `${t.year}${pad(t.month)}${pad(t.day)}${pad(t.hour)}${pad(t.minute)}${pad(t.second)}`;
}

/** `YYMMDD` of the Vietnam calendar day: the date part of a dossier code. */
export function formatCodeDate(instant: Date): string {
  const t = toVietnamLocal(instant);
  return `${pad(t.year % 100)}${pad(t.month)}${pad(t.day)}`;
}
