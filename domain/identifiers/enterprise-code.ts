/**
 * Enterprise code (mã số doanh nghiệp), which is also the tax code: 10 digits, the 10th a check
 * digit `10 − (Σ dᵢ·wᵢ mod 11)` over the first nine with weights 31,29,23,19,17,13,7,5,3;
 * dependent units append `-NNN` (001–999).
 */
const WEIGHTS = [31, 29, 23, 19, 17, 13, 7, 5, 3] as const;

export type EnterpriseCodeIssue = 'NOT_A_STRING' | 'WRONG_FORMAT' | 'IMPOSSIBLE_CHECK_DIGIT' | 'WRONG_CHECK_DIGIT' | 'BRANCH_ZERO';

export interface ParsedEnterpriseCode {
  enterpriseCode: string;
  /** The 10-digit code of the enterprise itself. */
  parentCode: string;
  /** 1–999 for a dependent unit (branch, representative office), else undefined. */
  branch: number | undefined;
}

export type EnterpriseCodeParseResult =
  { ok: true; value: ParsedEnterpriseCode } | { ok: false; issue: EnterpriseCodeIssue; reason: string };

/** The check digit for the first nine digits, or undefined when the weighted sum is 0 mod 11 (10 is not a digit). */
export function enterpriseCheckDigit(firstNine: string): number | undefined {
  let sum = 0;
  for (let i = 0; i < 9; i += 1) sum += Number(firstNine[i]) * WEIGHTS[i]!;
  const digit = 10 - (sum % 11);
  return digit >= 0 && digit <= 9 ? digit : undefined;
}

export function parseEnterpriseCode(value: unknown): EnterpriseCodeParseResult {
  if (typeof value !== 'string') {
    return { ok: false, issue: 'NOT_A_STRING', reason: 'An enterprise code must be a string of 10 digits.' };
  }
  const match = /^(\d{10})(?:-(\d{3}))?$/.exec(value);
  if (!match) {
    return {
      ok: false,
      issue: 'WRONG_FORMAT',
      reason: 'An enterprise code has 10 digits, or 10 digits, a dash and 3 digits for a dependent unit (e.g. 0100109106-001).',
    };
  }
  const parentCode = match[1]!;
  const expected = enterpriseCheckDigit(parentCode.slice(0, 9));
  if (expected === undefined) {
    return {
      ok: false,
      issue: 'IMPOSSIBLE_CHECK_DIGIT',
      reason: 'The first nine digits of this enterprise code cannot form a valid code.',
    };
  }
  if (Number(parentCode[9]) !== expected) {
    return {
      ok: false,
      issue: 'WRONG_CHECK_DIGIT',
      reason: 'The last digit of this enterprise code does not match its check digit: please re-check the code.',
    };
  }
  const branch = match[2] === undefined ? undefined : Number(match[2]);
  if (branch === 0) {
    return { ok: false, issue: 'BRANCH_ZERO', reason: 'A dependent unit suffix runs from 001 to 999.' };
  }
  return { ok: true, value: { enterpriseCode: value, parentCode, branch } };
}
