import { InvalidInputError, RateLimitedError } from '../errors';

/**
 * The layout rules of the signatures embedded in a PDF, checked against the file before any byte is
 * copied or any signature parsed: a file from anyone (POST /documents/verify needs no token) must
 * not decide how much work or memory its verification takes.
 *
 * A PDF signature's /ByteRange [a b c d] says it covers bytes [a, a+b) and [c, c+d): the file from
 * its start to the /Contents string, and from after it to the end of that revision. The hole
 * [a+b, c) is the /Contents hex string itself (delimiters included).
 */

export interface SignatureLayoutLimits {
  /** Most signatures (document time-stamps included) one file may carry. */
  maxSignatures: number;
  /** Largest signature (DER bytes) a /Contents may hold: two hex digits each. */
  maxSignatureBytes: number;
}

/** One signature's place in the file, once its /ByteRange has been checked. */
export interface SignatureSpan {
  /** Where the /Contents string starts (its `<`) and ends (after its `>`). */
  holeStart: number;
  holeEnd: number;
  /** The end of the revision it signs: the file's length for the last one. */
  end: number;
}

export const malformedSignedPdf = (problem: string): InvalidInputError =>
  new InvalidInputError(`The PDF's signatures are malformed: ${problem}`, { reason: 'DOCUMENT.MALFORMED_PDF' });

export const tooManySignatures = (max: number): InvalidInputError =>
  new InvalidInputError(`The PDF carries more than ${max} signatures; the hub verifies files with at most ${max}.`, {
    reason: 'DOCUMENT.TOO_MANY_SIGNATURES',
    details: { maxSignatures: max },
  });

/** Verification stopped at its time or memory bound: the file costs more than the hub spends on one. */
export const verificationTooCostly = (limit: 'time' | 'memory', bound: number): InvalidInputError =>
  new InvalidInputError(
    limit === 'time'
      ? `Verifying this file took longer than ${bound} ms, the most the hub spends on one file.`
      : `Verifying this file needed more than ${bound} MB, the most the hub spends on one file.`,
    { reason: 'DOCUMENT.VERIFICATION_LIMIT', details: limit === 'time' ? { limit, timeoutMs: bound } : { limit, memoryMb: bound } },
  );

/** Every verifier is busy and the queue is full: retryable. */
export const verificationBusy = (retryAfterSeconds: number): RateLimitedError =>
  new RateLimitedError(`The hub is verifying as many files as it can at once; try again in ${retryAfterSeconds} s.`, {
    reason: 'DOCUMENT.VERIFICATION_BUSY',
    details: { retryAfterSeconds },
  });

/** Refuses a file with more /ByteRange entries than allowed: checked before any of them is read. */
export function checkSignatureCount(count: number, limits: SignatureLayoutLimits): void {
  if (count === 0) throw malformedSignedPdf('it has no /ByteRange.');
  if (count > limits.maxSignatures) throw tooManySignatures(limits.maxSignatures);
}

/**
 * Checks every /ByteRange (the four numbers as written) against the file: non-negative integers,
 * from the file's start, the two ranges ordered with a hole between them, within the file, the hole
 * no longer than the largest signature allowed; and, across signatures, each later revision covering
 * the earlier ones whole (its hole after their end). Returns the spans oldest first.
 */
export function checkSignatureLayout(
  ranges: readonly (readonly number[])[],
  fileLength: number,
  limits: SignatureLayoutLimits,
): SignatureSpan[] {
  checkSignatureCount(ranges.length, limits);
  const spans = ranges.map((range, index) => {
    const which = `/ByteRange ${index + 1} [${range.join(' ')}]`;
    if (range.length !== 4 || !range.every((n) => Number.isSafeInteger(n) && n >= 0))
      throw malformedSignedPdf(`${which} must be four non-negative integers.`);
    const [a, b, c, d] = range as [number, number, number, number];
    if (a !== 0) throw malformedSignedPdf(`${which} must start at the beginning of the file.`);
    if (b === 0) throw malformedSignedPdf(`${which} covers nothing before /Contents.`);
    // The hole holds at least the two delimiters of the /Contents string.
    if (c < a + b + 2) throw malformedSignedPdf(`${which}: its second range must start after the first, past /Contents.`);
    if (c + d > fileLength) throw malformedSignedPdf(`${which} goes past the end of the file (${fileLength} bytes).`);
    const holeLength = c - (a + b);
    if (holeLength > 2 * limits.maxSignatureBytes + 2)
      throw malformedSignedPdf(`${which}: its /Contents is longer than ${limits.maxSignatureBytes} bytes of signature.`);
    return { holeStart: a + b, holeEnd: c, end: c + d };
  });
  spans.sort((x, y) => x.end - y.end);
  for (let i = 1; i < spans.length; i += 1) {
    const earlier = spans[i - 1]!;
    const later = spans[i]!;
    if (later.end === earlier.end) throw malformedSignedPdf('two signatures sign the same revision.');
    if (later.holeStart < earlier.end) throw malformedSignedPdf('a signature’s /Contents overlaps a revision signed before it.');
  }
  return spans;
}
