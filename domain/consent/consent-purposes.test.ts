import { CONSENT_ATTRIBUTES } from './consent';
import {
  decidePurposeRegistration,
  defaultPrefillPurpose,
  MAX_DESCRIPTION_LENGTH,
  prefillAttributes,
  prefillProcedureOf,
  type PurposeRegistration,
} from './consent-purposes';
import type { PrefillFieldDefinition, PrefillFieldLists } from './prefill';

const BIRTH_FIELDS: PrefillFieldDefinition[] = [
  { field: 'declarant.fullName', label: 'Họ, chữ đệm, tên', attribute: 'population.fullName', path: 'fullName' },
  {
    field: 'declarant.currentResidence',
    label: 'Nơi cư trú',
    attribute: 'population.currentResidence',
    path: 'currentResidence.fullAddress',
  },
  { field: 'mother.fullName', label: 'Họ tên mẹ', attribute: 'population.fullName', path: 'fullName' },
  { field: 'declarant.dateOfBirth', label: 'Ngày sinh', attribute: 'population.dateOfBirth', path: 'dateOfBirth' },
];
const LISTS: PrefillFieldLists = new Map([['1.001193', BIRTH_FIELDS]]);

const registration = (overrides: Partial<PurposeRegistration> = {}): PurposeRegistration => ({
  purpose: 'prefill:1.001193',
  attributes: ['population.fullName'],
  descriptionVi: 'Điền sẵn tờ khai',
  descriptionEn: 'Prefill the declaration',
  ...overrides,
});

describe('the default purpose of a prefill procedure', () => {
  it('is prefill:<code>, covering exactly the attributes its fields read, once each, described from the procedure name', () => {
    expect(defaultPrefillPurpose({ code: '1.001193', name: 'Thủ tục đăng ký khai sinh' }, BIRTH_FIELDS)).toEqual({
      purpose: 'prefill:1.001193',
      attributes: ['population.fullName', 'population.dateOfBirth', 'population.currentResidence'],
      descriptionVi: 'Điền sẵn tờ khai thủ tục đăng ký khai sinh',
      descriptionEn: 'Prefill the declaration of procedure 1.001193 (Đăng ký khai sinh)',
    });
  });

  it('names a procedure whose name does not start with "Thủ tục" once as a procedure too', () => {
    const purpose = defaultPrefillPurpose({ code: '1.004222', name: 'Đăng ký thường trú' }, BIRTH_FIELDS);
    expect(purpose.descriptionVi).toBe('Điền sẵn tờ khai thủ tục đăng ký thường trú');
    expect(purpose.descriptionEn).toBe('Prefill the declaration of procedure 1.004222 (Đăng ký thường trú)');
  });

  it('is itself a registration the rules accept', () => {
    const purpose = defaultPrefillPurpose({ code: '1.001193', name: 'Thủ tục đăng ký khai sinh' }, BIRTH_FIELDS);
    expect(decidePurposeRegistration(purpose, LISTS)).toEqual({ allowed: true, purpose });
  });

  it('reads the procedure of a prefill purpose only', () => {
    expect(prefillProcedureOf('prefill:1.001193')).toBe('1.001193');
    expect(prefillProcedureOf('eligibility-check')).toBeUndefined();
    expect(prefillAttributes([])).toEqual([]);
  });
});

describe('registering a purpose', () => {
  const refusal = (input: PurposeRegistration) => {
    const decision = decidePurposeRegistration(input, LISTS);
    if (decision.allowed) throw new Error('expected a refusal');
    return decision;
  };

  it('keeps each attribute once, in the catalogue order, and trims what an operator typed', () => {
    const decision = decidePurposeRegistration(
      registration({
        purpose: ' eligibility-check ',
        attributes: ['land.parcels', ' population.fullName', 'land.parcels', ''],
        descriptionVi: '  Kiểm tra điều kiện  ',
      }),
      LISTS,
    );
    expect(decision).toEqual({
      allowed: true,
      purpose: {
        purpose: 'eligibility-check',
        attributes: ['population.fullName', 'land.parcels'],
        descriptionVi: 'Kiểm tra điều kiện',
        descriptionEn: 'Prefill the declaration',
      },
    });
  });

  it('stores Vietnamese composed (NFC), whatever the terminal sent', () => {
    const decomposed = 'Điền sẵn tờ khai'.normalize('NFD');
    const decision = decidePurposeRegistration(registration({ descriptionVi: decomposed }), LISTS);
    expect(decision.allowed && decision.purpose.descriptionVi).toBe('Điền sẵn tờ khai'.normalize('NFC'));
  });

  it('refuses an unknown attribute, listing the valid ones', () => {
    const refused = refusal(registration({ purpose: 'eligibility-check', attributes: ['population.fullName', 'population.religion'] }));
    expect(refused.reason).toBe('CONSENT_PURPOSE.UNKNOWN_ATTRIBUTE');
    expect(refused.message).toContain('population.religion');
    for (const attribute of CONSENT_ATTRIBUTES) expect(refused.message).toContain(attribute);
    expect(refused.details).toEqual({ unknown: ['population.religion'], valid: [...CONSENT_ATTRIBUTES] });
  });

  it('refuses a purpose without attributes', () => {
    expect(refusal(registration({ attributes: [' ', ''] })).reason).toBe('CONSENT_PURPOSE.NO_ATTRIBUTES');
  });

  it('refuses a prefill purpose naming a procedure without a field list, listing those with one', () => {
    const refused = refusal(registration({ purpose: 'prefill:2.001583' }));
    expect(refused.reason).toBe('CONSENT_PURPOSE.NO_PREFILL_FIELDS');
    expect(refused.details).toEqual({ procedureCode: '2.001583', prefillable: ['1.001193'] });
  });

  it('refuses a prefill purpose covering attributes its declaration does not read (data minimisation)', () => {
    const refused = refusal(registration({ attributes: ['population.fullName', 'population.sex', 'land.parcels'] }));
    expect(refused.reason).toBe('CONSENT_PURPOSE.BEYOND_PREFILL_FIELDS');
    expect(refused.details).toEqual({
      procedureCode: '1.001193',
      beyond: ['population.sex', 'land.parcels'],
      allowed: ['population.fullName', 'population.dateOfBirth', 'population.currentResidence'],
    });
  });

  it('accepts a prefill purpose covering fewer attributes than its fields read', () => {
    expect(decidePurposeRegistration(registration({ attributes: ['population.dateOfBirth'] }), LISTS).allowed).toBe(true);
  });

  it.each([
    ['upper case', 'Eligibility'],
    ['an empty name', ''],
    ['a prefix alone', 'prefill:'],
    ['spaces inside', 'eligibility check'],
    ['two qualifiers', 'prefill:1.001193:x'],
    ['markup', '<script>'],
    ['too long', `a${'b'.repeat(100)}`],
  ])('refuses a badly formed purpose name (%s)', (_name, purpose) => {
    expect(refusal(registration({ purpose })).reason).toBe('CONSENT_PURPOSE.BAD_NAME');
  });

  it.each([
    ['an empty Vietnamese description', { descriptionVi: '   ' }, 'descriptionVi'],
    ['an empty English description', { descriptionEn: '' }, 'descriptionEn'],
    ['a line break', { descriptionVi: 'Điền sẵn\ntờ khai' }, 'descriptionVi'],
    ['an escape sequence (a terminal attack on the operator listing it)', { descriptionEn: 'x\u001b[2J' }, 'descriptionEn'],
    ['one too long', { descriptionEn: 'x'.repeat(MAX_DESCRIPTION_LENGTH + 1) }, 'descriptionEn'],
  ])('refuses %s', (_name, overrides, field) => {
    const refused = refusal(registration(overrides));
    expect(refused.reason).toBe('CONSENT_PURPOSE.BAD_DESCRIPTION');
    expect(refused.details).toEqual({ field });
  });
});
