import { BIRTH_PROVINCE_CODES, MAX_BIRTH_PROVINCE_CODE, MIN_BIRTH_PROVINCE_CODE } from './birth-province-codes';

/**
 * Personal identification number (số định danh cá nhân): 12 digits `PPP G YY RRRRRR`.
 * PPP province of birth registration, G sex and century, YY last two digits of the birth year,
 * RRRRRR random. There is no check digit, so validation is structural plus consistency with the
 * date of birth and sex recorded in the population registry.
 */

export type Sex = 'MALE' | 'FEMALE';

/** Centuries the G digit can express: 0/1 → 1900s, 2/3 → 2000s, … 8/9 → 2300s (Decree 137/2015/NĐ-CP art. 7). */
export type BirthCentury = 1900 | 2000 | 2100 | 2200 | 2300;

export interface ParsedPersonalId {
  personalId: string;
  /** Three digits with leading zeros, e.g. `046`. */
  birthProvinceCode: string;
  sex: Sex;
  century: BirthCentury;
  /** The YY part, 0–99. */
  birthYear2: number;
  /** century + YY. */
  birthYear: number;
}

/** Stable machine codes for a rejection, e.g. to build `PERSONAL_ID.WRONG_LENGTH`. */
export type PersonalIdIssue =
  'NOT_A_STRING' | 'NON_DIGIT' | 'WRONG_LENGTH' | 'PROVINCE_OUT_OF_RANGE' | 'UNKNOWN_PROVINCE' | 'BIRTH_YEAR_IN_FUTURE';

export type PersonalIdParseResult = { ok: true; value: ParsedPersonalId } | { ok: false; issue: PersonalIdIssue; reason: string };

export interface ParsePersonalIdOptions {
  /**
   * When given, ids whose encoded birth year is later than this year are rejected (a G digit of 4
   * cannot be genuine before 2100). Left out, every G digit is accepted: the parser stays pure and
   * callers with a clock pass the current year.
   */
  referenceYear?: number;
}

export const PERSONAL_ID_LENGTH = 12;

// Reasons never repeat the value: they end up in logs and problem responses.
function reject(issue: PersonalIdIssue, reason: string): PersonalIdParseResult {
  return { ok: false, issue, reason };
}

export function parsePersonalId(value: unknown, options: ParsePersonalIdOptions = {}): PersonalIdParseResult {
  if (typeof value !== 'string') {
    return reject(
      'NOT_A_STRING',
      `A personal id must be a string of ${PERSONAL_ID_LENGTH} digits, got ${value === null ? 'null' : typeof value}.`,
    );
  }
  const nonDigitAt = value.search(/[^0-9]/);
  if (nonDigitAt >= 0) {
    return reject('NON_DIGIT', `A personal id must contain only the digits 0–9; found another character at position ${nonDigitAt + 1}.`);
  }
  if (value.length !== PERSONAL_ID_LENGTH) {
    return reject('WRONG_LENGTH', `A personal id must be exactly ${PERSONAL_ID_LENGTH} digits long, got ${value.length}.`);
  }

  const birthProvinceCode = value.slice(0, 3);
  const provinceNumber = Number(birthProvinceCode);
  if (provinceNumber < MIN_BIRTH_PROVINCE_CODE || provinceNumber > MAX_BIRTH_PROVINCE_CODE) {
    return reject('PROVINCE_OUT_OF_RANGE', `The province code ${birthProvinceCode} (first three digits) is outside the range 001–096.`);
  }
  if (!BIRTH_PROVINCE_CODES.has(birthProvinceCode)) {
    return reject('UNKNOWN_PROVINCE', `The province code ${birthProvinceCode} (first three digits) is not assigned to any province.`);
  }

  const g = Number(value[3]);
  const century = (1900 + Math.floor(g / 2) * 100) as BirthCentury;
  const sex: Sex = g % 2 === 0 ? 'MALE' : 'FEMALE';
  const birthYear2 = Number(value.slice(4, 6));
  const birthYear = century + birthYear2;
  if (options.referenceYear !== undefined && birthYear > options.referenceYear) {
    return reject(
      'BIRTH_YEAR_IN_FUTURE',
      century > options.referenceYear
        ? `Impossible personal id: the sex/century digit ${g} means born ${century}–${century + 99}, after ${options.referenceYear}.`
        : `Impossible personal id: the sex/century and year digits give the birth year ${birthYear}, after ${options.referenceYear}.`,
    );
  }

  return { ok: true, value: { personalId: value, birthProvinceCode, sex, century, birthYear2, birthYear } };
}

/** The G digit for a sex and a full birth year; undefined outside 1900–2399. */
export function sexCenturyDigit(sex: Sex, birthYear: number): number | undefined {
  if (!Number.isInteger(birthYear) || birthYear < 1900 || birthYear > 2399) return undefined;
  return Math.floor((birthYear - 1900) / 100) * 2 + (sex === 'FEMALE' ? 1 : 0);
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Year of a `YYYY-MM-DD` calendar date, or undefined when it is not a real date. */
function calendarYear(dateOfBirth: string): number | undefined {
  const match = ISO_DATE.exec(dateOfBirth);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC maps years 0–99 to 1900–1999 and rolls over impossible days (31 April → 1 May).
  date.setUTCFullYear(year);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return year;
}

/**
 * Why an id does not match a registry record's date of birth (`YYYY-MM-DD`) and sex; empty when
 * consistent. The province and random parts cannot be checked against the record.
 */
export function birthInconsistencies(parsed: ParsedPersonalId, dateOfBirth: string, sex: Sex): string[] {
  const problems: string[] = [];
  const year = calendarYear(dateOfBirth);
  if (year === undefined) {
    problems.push('The date of birth is not a valid YYYY-MM-DD calendar date.');
  } else if (year !== parsed.birthYear) {
    if (Math.floor(year / 100) * 100 !== parsed.century) {
      problems.push(`The sex/century digit says born ${parsed.century}–${parsed.century + 99}, but the date of birth is in ${year}.`);
    } else {
      problems.push(`The year digits say ${parsed.birthYear}, but the date of birth is in ${year}.`);
    }
  }
  if (sex !== parsed.sex) {
    problems.push(`The sex/century digit says ${parsed.sex.toLowerCase()}, but the recorded sex is ${String(sex).toLowerCase()}.`);
  }
  return problems;
}

/** True when the G and YY digits agree with the date of birth (`YYYY-MM-DD`) and the sex. */
export function isConsistentWithBirth(parsed: ParsedPersonalId, dateOfBirth: string, sex: Sex): boolean {
  return birthInconsistencies(parsed, dateOfBirth, sex).length === 0;
}
