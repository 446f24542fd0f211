import { enterpriseCheckDigit, parseEnterpriseCode } from './enterprise-code';

describe('enterprise code', () => {
  it('accepts a known valid code and its dependent units', () => {
    expect(parseEnterpriseCode('0100109106')).toEqual({
      ok: true,
      value: { enterpriseCode: '0100109106', parentCode: '0100109106', branch: undefined },
    });
    const branch = parseEnterpriseCode('0100109106-001');
    expect(branch.ok && branch.value.branch).toBe(1);
    expect(parseEnterpriseCode('0100109106-999').ok).toBe(true);
  });

  it('computes the check digit with the official weights', () => {
    expect(enterpriseCheckDigit('010010910')).toBe(6);
  });

  it.each([
    ['0100109107', 'WRONG_CHECK_DIGIT'],
    ['010010910', 'WRONG_FORMAT'],
    ['01001091060', 'WRONG_FORMAT'],
    ['010010910a', 'WRONG_FORMAT'],
    ['0100109106-01', 'WRONG_FORMAT'],
    ['0100109106-000', 'BRANCH_ZERO'],
    [' 0100109106', 'WRONG_FORMAT'],
  ])('rejects %p as %s', (value, issue) => {
    const result = parseEnterpriseCode(value);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issue).toBe(issue);
  });

  it('rejects non-strings', () => {
    expect(parseEnterpriseCode(100109106).ok).toBe(false);
  });

  it('flags nine-digit prefixes that admit no check digit', () => {
    // Find a prefix whose weighted sum is 0 mod 11 (10 − 0 = 10 is not a digit).
    let prefix = '';
    for (let n = 0; n < 100000 && !prefix; n += 1) {
      const candidate = String(n).padStart(9, '0');
      if (enterpriseCheckDigit(candidate) === undefined) prefix = candidate;
    }
    expect(prefix).not.toBe('');
    const result = parseEnterpriseCode(`${prefix}0`);
    expect(result.ok === false && result.issue).toBe('IMPOSSIBLE_CHECK_DIGIT');
  });
});
