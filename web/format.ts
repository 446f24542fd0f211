import type { Messages } from './i18n/vi';

/** Vietnam keeps UTC+07:00 all year (Asia/Ho_Chi_Minh has no daylight saving): no time-zone database needed. */
const VIETNAM_OFFSET_MS = 7 * 3_600_000;
const pad = (n: number) => String(n).padStart(2, '0');

/** `dd/MM/yyyy HH:mm` in Vietnam time, the way dates are written on Vietnamese administrative papers. */
export function formatDateTime(instant: Date): string {
  const t = new Date(instant.getTime() + VIETNAM_OFFSET_MS);
  return `${pad(t.getUTCDate())}/${pad(t.getUTCMonth() + 1)}/${t.getUTCFullYear()} ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}`;
}

/** ISO 8601 with the +07:00 offset, for `<time datetime>`. */
export function isoDateTime(instant: Date): string {
  const t = new Date(instant.getTime() + VIETNAM_OFFSET_MS);
  return `${t.toISOString().slice(0, 19)}+07:00`;
}

const UNITS = [
  ['year', 365 * 86_400],
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
  ['second', 1],
] as const;

/** A duration in words, its two largest units: `30 ngày`, `1 ngày 12 giờ`, `1 year`, `90 minutes` stays `1 hour 30 minutes`. */
export function durationInWords(seconds: number, messages: Messages): string {
  let rest = Math.max(0, Math.round(seconds));
  const parts: string[] = [];
  for (const [unit, size] of UNITS) {
    // A year only when it is whole: "400 ngày" reads better than "1 năm 35 ngày".
    if (unit === 'year' && rest % size !== 0) continue;
    const count = Math.floor(rest / size);
    if (count > 0 && parts.length < 2) {
      const [one, many] = messages.units[unit];
      parts.push(`${count} ${count === 1 ? one : many}`);
      rest -= count * size;
    }
  }
  if (parts.length === 0) parts.push(`0 ${messages.units.second[1]}`);
  return parts.join(' ');
}

/**
 * The personal id as the pages may show it. The view brings it masked; should a whole 12-digit id
 * ever arrive, it is masked here too (first 4 and last 3 digits), so the page never prints it.
 */
export function maskedId(value: string): string {
  const digits = value.replace(/\s/g, '');
  if (/^\d{9,}$/.test(digits)) return `${digits.slice(0, 4)}${'•'.repeat(digits.length - 7)}${digits.slice(-3)}`;
  return value;
}
