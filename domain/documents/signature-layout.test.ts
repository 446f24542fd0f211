import { checkSignatureCount, checkSignatureLayout } from './signature-layout';

const LIMITS = { maxSignatures: 3, maxSignatureBytes: 100 };

const reasonOf = (run: () => unknown): string | undefined => {
  try {
    run();
    return undefined;
  } catch (error) {
    return (error as { reason?: string }).reason;
  }
};

describe('the layout of a PDF’s signatures, checked before anything is copied', () => {
  it('accepts ranges from the start, around a /Contents hole, within the file; oldest first', () => {
    expect(checkSignatureLayout([[0, 100, 150, 50]], 200, LIMITS)).toEqual([{ holeStart: 100, holeEnd: 150, end: 200 }]);
    // A seal over a person's signature: the later revision's hole lies after the earlier's end.
    expect(
      checkSignatureLayout(
        [
          [0, 300, 360, 40],
          [0, 100, 150, 50],
        ],
        400,
        LIMITS,
      ),
    ).toEqual([
      { holeStart: 100, holeEnd: 150, end: 200 },
      { holeStart: 300, holeEnd: 360, end: 400 },
    ]);
    // Content appended after the last signature is allowed (the report says it is signed by nobody).
    expect(checkSignatureLayout([[0, 100, 150, 50]], 999, LIMITS)).toHaveLength(1);
  });

  it.each([
    ['negative numbers (the hostile-suite body)', [[-5, -5, -5, -5]], 200, 'DOCUMENT.MALFORMED_PDF'],
    ['three numbers', [[0, 100, 150]], 200, 'DOCUMENT.MALFORMED_PDF'],
    ['a fraction', [[0, 100.5, 150, 50]], 200, 'DOCUMENT.MALFORMED_PDF'],
    ['beyond safe integers', [[0, 100, 2 ** 60, 1]], 200, 'DOCUMENT.MALFORMED_PDF'],
    ['not from the file’s start', [[10, 90, 150, 50]], 200, 'DOCUMENT.MALFORMED_PDF'],
    ['an empty first range', [[0, 0, 150, 50]], 200, 'DOCUMENT.MALFORMED_PDF'],
    ['overlapping ranges', [[0, 100, 50, 150]], 200, 'DOCUMENT.MALFORMED_PDF'],
    ['no room for the /Contents delimiters', [[0, 100, 101, 99]], 200, 'DOCUMENT.MALFORMED_PDF'],
    ['out of the file', [[0, 100, 150, 51]], 200, 'DOCUMENT.MALFORMED_PDF'],
    ['a /Contents larger than allowed', [[0, 10, 213, 0]], 213, 'DOCUMENT.MALFORMED_PDF'],
    [
      'two signatures of one revision',
      [
        [0, 100, 150, 50],
        [0, 20, 60, 140],
      ],
      200,
      'DOCUMENT.MALFORMED_PDF',
    ],
    [
      'a later hole inside an earlier revision',
      [
        [0, 100, 150, 50],
        [0, 120, 170, 130],
      ],
      300,
      'DOCUMENT.MALFORMED_PDF',
    ],
    [
      'more signatures than allowed',
      [
        [0, 10, 20, 5],
        [0, 30, 40, 5],
        [0, 50, 60, 5],
        [0, 70, 80, 5],
      ],
      100,
      'DOCUMENT.TOO_MANY_SIGNATURES',
    ],
    ['none at all', [], 100, 'DOCUMENT.MALFORMED_PDF'],
  ])('refuses %s', (_label, ranges, length, reason) => {
    expect(reasonOf(() => checkSignatureLayout(ranges, length, LIMITS))).toBe(reason);
  });

  it('a /Contents of exactly the largest signature allowed passes', () => {
    expect(checkSignatureLayout([[0, 10, 212, 0]], 212, LIMITS)).toEqual([{ holeStart: 10, holeEnd: 212, end: 212 }]);
  });

  it('counts before reading: over the cap is TOO_MANY_SIGNATURES with the cap in the details', () => {
    expect(() => checkSignatureCount(28_000, LIMITS)).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT', reason: 'DOCUMENT.TOO_MANY_SIGNATURES', details: { maxSignatures: 3 } }),
    );
    expect(() => checkSignatureCount(3, LIMITS)).not.toThrow();
  });
});
