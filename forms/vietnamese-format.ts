import { toVietnamLocal } from '../domain/time/vietnam-time';

const pad2 = (value: number): string => String(value).padStart(2, '0');

/**
 * Day and month as administrative documents write them (Decree 30/2020/NĐ-CP, appendix I): a day
 * below 10 and the months 1 and 2 take a leading zero, so nobody can turn "1" into "11" by hand.
 */
function dayMonthYear(instant: Date): string {
  const t = toVietnamLocal(instant);
  const month = t.month <= 2 ? pad2(t.month) : String(t.month);
  return `ngày ${pad2(t.day)} tháng ${month} năm ${t.year}`;
}

/** `ngày 23 tháng 11 năm 2026` (Vietnam time). */
export function formatVietnameseDate(instant: Date): string {
  return dayMonthYear(instant);
}

/** `09 giờ 30 phút` (Vietnam time). */
export function formatVietnameseTime(instant: Date): string {
  const t = toVietnamLocal(instant);
  return `${pad2(t.hour)} giờ ${pad2(t.minute)} phút`;
}

/** `09 giờ 30 phút, ngày 23 tháng 11 năm 2026` (Vietnam time). */
export function formatVietnameseDateTime(instant: Date): string {
  return `${formatVietnameseTime(instant)}, ${dayMonthYear(instant)}`;
}

/** `23/11/2026`: for table cells, where the long form does not fit. */
export function formatShortDate(instant: Date): string {
  const t = toVietnamLocal(instant);
  return `${pad2(t.day)}/${pad2(t.month)}/${t.year}`;
}

/** `09:30 23/11/2026`. */
export function formatShortDateTime(instant: Date): string {
  const t = toVietnamLocal(instant);
  return `${pad2(t.hour)}:${pad2(t.minute)} ${formatShortDate(instant)}`;
}

/** Thousands separated by dots, decimals by a comma: `1.000.000`, `2,5`. */
export function formatVietnameseNumber(value: number): string {
  const negative = value < 0;
  const [whole = '0', fraction] = String(Math.abs(value)).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${negative ? '-' : ''}${grouped}${fraction ? `,${fraction}` : ''}`;
}

/** `1.000.000 đồng`. */
export function formatVnd(amount: number): string {
  return `${formatVietnameseNumber(amount)} đồng`;
}
