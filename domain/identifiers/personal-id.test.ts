import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIRTH_PROVINCE_CODES } from './birth-province-codes';
import {
  birthInconsistencies,
  isConsistentWithBirth,
  parsePersonalId,
  sexCenturyDigit,
  type ParsedPersonalId,
  type PersonalIdParseResult,
} from './personal-id';

function parsed(value: string): ParsedPersonalId {
  const result = parsePersonalId(value);
  if (!result.ok) throw new Error(`expected ${value} to parse: ${result.reason}`);
  return result.value;
}

function failure(result: PersonalIdParseResult): { issue: string; reason: string } {
  if (result.ok) throw new Error('expected a rejection');
  return result;
}

describe('parsePersonalId', () => {
  it('splits a valid id into its parts', () => {
    expect(parsePersonalId('079203001234')).toEqual({
      ok: true,
      value: {
        personalId: '079203001234',
        birthProvinceCode: '079',
        sex: 'MALE',
        century: 2000,
        birthYear2: 3,
        birthYear: 2003,
      },
    });
  });

  it.each([
    ['0', 1900, 'MALE'],
    ['1', 1900, 'FEMALE'],
    ['2', 2000, 'MALE'],
    ['3', 2000, 'FEMALE'],
    ['4', 2100, 'MALE'],
    ['5', 2100, 'FEMALE'],
    ['6', 2200, 'MALE'],
    ['7', 2200, 'FEMALE'],
    ['8', 2300, 'MALE'],
    ['9', 2300, 'FEMALE'],
  ])('reads sex/century digit %s as %i, %s', (g, century, sex) => {
    const value = parsed(`046${g}85123456`);
    expect(value.century).toBe(century);
    expect(value.sex).toBe(sex);
    expect(value.birthYear).toBe(century + 85);
  });

  it.each(['001', '002', '045', '046', '079', '096'])('accepts the province code %s', (code) => {
    expect(parsePersonalId(`${code}090000000`.padEnd(12, '0')).ok).toBe(true);
  });

  it.each(['000', '097', '099', '100', '999'])('rejects the out-of-range province code %s', (code) => {
    const result = failure(parsePersonalId(`${code}190000001`));
    expect(result.issue).toBe('PROVINCE_OUT_OF_RANGE');
    expect(result.reason).toContain('001–096');
  });

  it.each([
    '003',
    '005',
    '007',
    '009',
    '013',
    '016',
    '018',
    '021',
    '028',
    '029',
    '032',
    '039',
    '041',
    '043',
    '047',
    '050',
    '053',
    '055',
    '057',
    '059',
    '061',
    '063',
    '065',
    '069',
    '071',
    '073',
    '076',
    '078',
    '081',
    '085',
    '088',
    '090',
  ])('rejects %s, inside the range but assigned to no province', (code) => {
    const result = failure(parsePersonalId(`${code}190000001`));
    expect(result.issue).toBe('UNKNOWN_PROVINCE');
    expect(result.reason).toContain(code);
  });

  it.each([
    ['', 0],
    ['0', 1],
    ['07920300123', 11],
    ['0792030012345', 13],
  ])('rejects %j for its length', (value, length) => {
    const result = failure(parsePersonalId(value));
    expect(result.issue).toBe('WRONG_LENGTH');
    expect(result.reason).toContain(`got ${length}`);
  });

  it.each([
    [' 07920300123', 1],
    ['07920300123 ', 12],
    ['079-203-0012', 4],
    ['07920300123a', 12],
    ['０79203001234', 1], // full-width zero
    ['079203001234\n', 13],
    ['7.9203001234', 2],
  ])('rejects %j for a non-digit at position %i', (value, position) => {
    const result = failure(parsePersonalId(value));
    expect(result.issue).toBe('NON_DIGIT');
    expect(result.reason).toContain(`position ${position}`);
  });

  it.each([null, undefined, 79203001234, {}, ['079203001234']])('rejects the non-string %j', (value) => {
    expect(failure(parsePersonalId(value)).issue).toBe('NOT_A_STRING');
  });

  it('never repeats the id in a reason', () => {
    for (const value of ['079203001234x', '0792030012', '000203001234', '003203001234']) {
      expect(failure(parsePersonalId(value)).reason).not.toContain(value);
    }
    expect(failure(parsePersonalId('046499001234', { referenceYear: 2025 })).reason).not.toContain('046499001234');
  });

  describe('with a reference year', () => {
    it('accepts birth years up to the reference year', () => {
      expect(parsePersonalId('046225001234', { referenceYear: 2025 }).ok).toBe(true);
      expect(parsePersonalId('046399001234', { referenceYear: 2025 }).ok).toBe(false);
      expect(parsePersonalId('046099001234', { referenceYear: 2025 }).ok).toBe(true);
    });

    it('rejects a birth year after the reference year', () => {
      const result = failure(parsePersonalId('046226001234', { referenceYear: 2025 }));
      expect(result.issue).toBe('BIRTH_YEAR_IN_FUTURE');
      expect(result.reason).toContain('2026');
    });

    it.each(['4', '5', '6', '7', '8', '9'])('rejects the sex/century digit %s as impossible before 2100', (g) => {
      const result = failure(parsePersonalId(`046${g}00001234`, { referenceYear: 2026 }));
      expect(result.issue).toBe('BIRTH_YEAR_IN_FUTURE');
      expect(result.reason).toMatch(/sex\/century digit \d means born 2[123]00–2[123]99/);
    });
  });
});

describe('sexCenturyDigit', () => {
  it.each([
    ['MALE', 1900, 0],
    ['FEMALE', 1999, 1],
    ['MALE', 2000, 2],
    ['FEMALE', 2099, 3],
    ['MALE', 2100, 4],
    ['FEMALE', 2399, 9],
  ] as const)('gives %s born %i the digit %i', (sex, year, digit) => {
    expect(sexCenturyDigit(sex, year)).toBe(digit);
  });

  it.each([1899, 2400, 1990.5])('has no digit for %d', (year) => {
    expect(sexCenturyDigit('MALE', year)).toBeUndefined();
  });
});

describe('isConsistentWithBirth', () => {
  const male2003 = parsed('079203001234');
  const female1999 = parsed('046199654321');

  it('accepts the matching date of birth and sex', () => {
    expect(isConsistentWithBirth(male2003, '2003-01-01', 'MALE')).toBe(true);
    expect(isConsistentWithBirth(male2003, '2003-12-31', 'MALE')).toBe(true);
    expect(isConsistentWithBirth(female1999, '1999-02-28', 'FEMALE')).toBe(true);
  });

  it('rejects the wrong sex', () => {
    expect(isConsistentWithBirth(male2003, '2003-05-05', 'FEMALE')).toBe(false);
    expect(birthInconsistencies(male2003, '2003-05-05', 'FEMALE')).toEqual([
      'The sex/century digit says male, but the recorded sex is female.',
    ]);
  });

  it('rejects the wrong year in the right century', () => {
    expect(isConsistentWithBirth(male2003, '2004-01-01', 'MALE')).toBe(false);
    expect(isConsistentWithBirth(male2003, '2002-12-31', 'MALE')).toBe(false);
    expect(birthInconsistencies(male2003, '2004-01-01', 'MALE')[0]).toContain('year digits');
  });

  it('rejects the right year digits in the wrong century', () => {
    expect(isConsistentWithBirth(male2003, '1903-06-01', 'MALE')).toBe(false);
    expect(isConsistentWithBirth(female1999, '2099-06-01', 'FEMALE')).toBe(false);
    expect(birthInconsistencies(female1999, '2099-06-01', 'FEMALE')[0]).toContain('century');
  });

  it('treats the boundary years by century', () => {
    expect(isConsistentWithBirth(parsed('001000000001'), '1900-01-01', 'MALE')).toBe(true);
    expect(isConsistentWithBirth(parsed('001199000001'), '1999-12-31', 'FEMALE')).toBe(true);
    expect(isConsistentWithBirth(parsed('001200000001'), '2000-01-01', 'MALE')).toBe(true);
    expect(isConsistentWithBirth(parsed('001000000001'), '2000-01-01', 'MALE')).toBe(false);
  });

  it.each(['2003-02-29', '2003-13-01', '2003-00-10', '2003-04-31', '03-01-01', '2003-1-1', '2003-01-01T00:00:00Z', ''])(
    'rejects the malformed date of birth %j',
    (date) => {
      expect(isConsistentWithBirth(male2003, date, 'MALE')).toBe(false);
    },
  );

  it('accepts 29 February only in a leap year', () => {
    expect(isConsistentWithBirth(parsed('001300000001'), '2000-02-29', 'FEMALE')).toBe(true);
    expect(isConsistentWithBirth(parsed('001100000001'), '1900-02-29', 'FEMALE')).toBe(false);
  });

  it('reports every mismatch at once', () => {
    expect(birthInconsistencies(male2003, '1985-03-03', 'FEMALE')).toHaveLength(2);
  });
});

describe('BIRTH_PROVINCE_CODES', () => {
  it('holds the 63 pre-2025 province codes of the reference data, with a leading zero', () => {
    const adminUnits = JSON.parse(readFileSync(join(__dirname, '..', '..', 'reference', 'admin-units.json'), 'utf8')) as {
      provincesBefore2025: { code: string; name: string }[];
    };
    const expected = adminUnits.provincesBefore2025.map((p) => [`0${p.code}`, p.name]);
    expect([...BIRTH_PROVINCE_CODES.entries()]).toEqual(expected);
    expect(BIRTH_PROVINCE_CODES.size).toBe(63);
  });
});
