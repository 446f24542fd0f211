import { buildPrefill, parsePrefillFields, registriesToAsk, type PrefillFieldDefinition, type RegistryAnswer } from './prefill';

const FIELDS: PrefillFieldDefinition[] = [
  { field: 'a.fullName', label: 'Họ tên', attribute: 'population.fullName', path: 'fullName' },
  { field: 'a.maritalStatus', label: 'Tình trạng hôn nhân', attribute: 'population.maritalStatus', path: 'maritalStatus' },
  { field: 'a.parcels', label: 'Thửa đất', attribute: 'land.parcels' },
];
const RETRIEVED = new Date('2026-12-03T03:00:00Z');
const UPDATED = new Date('2020-01-01T00:00:00Z');
const population: RegistryAnswer = {
  available: true,
  retrievedAt: RETRIEVED,
  value: (d) => (d.path === 'fullName' ? 'Nguyễn Văn An' : null),
  updatedAt: () => UPDATED,
};

describe('buildPrefill', () => {
  const cases: Array<[string, string[], Parameters<typeof buildPrefill>[2], Array<[string, string | null, string | null]>]> = [
    [
      'consented and answered; not consented; registry down',
      ['population.fullName', 'land.parcels'],
      { population, land: { available: false } },
      [
        ['a.fullName', 'Nguyễn Văn An', null],
        ['a.maritalStatus', null, 'NOT_CONSENTED'],
        ['a.parcels', null, 'UPSTREAM_UNAVAILABLE'],
      ],
    ],
    [
      'consented, the registry holds no value',
      ['population.maritalStatus'],
      { population },
      [
        ['a.fullName', null, 'NOT_CONSENTED'],
        ['a.maritalStatus', null, 'NOT_IN_REGISTRY'],
        ['a.parcels', null, 'NOT_CONSENTED'],
      ],
    ],
  ];
  it.each(cases)('%s', (_name, consented, answers, expected) => {
    const fields = buildPrefill(FIELDS, consented as never, answers, 3_600);
    expect(fields.map((f) => [f.field, f.value, f.reason])).toEqual(expected);
  });

  it('a filled field carries its source, the attribute’s update time, the retrieval time and until when it may be kept', () => {
    expect(buildPrefill(FIELDS, ['population.fullName'], { population }, 3_600)[0]).toEqual({
      field: 'a.fullName',
      label: 'Họ tên',
      attribute: 'population.fullName',
      source: 'population',
      value: 'Nguyễn Văn An',
      sourceUpdatedAt: UPDATED,
      retrievedAt: RETRIEVED,
      keepUntil: new Date(RETRIEVED.getTime() + 3_600_000),
      reason: null,
    });
  });

  it('keepUntil counts from when the hub read the registry (a cached answer: earlier), and is null on every field without a value', () => {
    const cachedAt = new Date(RETRIEVED.getTime() - 50_000);
    const fields = buildPrefill(
      FIELDS,
      ['population.fullName', 'population.maritalStatus', 'land.parcels'],
      { population: { ...population, retrievedAt: cachedAt }, land: { available: false } },
      60,
    );
    expect(fields.map((f) => [f.field, f.keepUntil])).toEqual([
      ['a.fullName', new Date(cachedAt.getTime() + 60_000)],
      ['a.maritalStatus', null],
      ['a.parcels', null],
    ]);
    expect(buildPrefill(FIELDS, [], { population }, 60).every((f) => f.keepUntil === null)).toBe(true);
  });

  it('asks only the registries of consented fields', () => {
    expect(registriesToAsk(FIELDS, ['population.maritalStatus'])).toEqual(['population']);
    expect(registriesToAsk(FIELDS, ['land.parcels', 'population.fullName'])).toEqual(['population', 'land']);
    expect(registriesToAsk(FIELDS, ['business.enterprises'])).toEqual([]);
  });
});

describe('parsePrefillFields', () => {
  const codes = new Set(['1.001193']);
  const cases: Array<[string, unknown, string | null]> = [
    ['a valid list', { '1.001193': [{ field: 'x', label: 'X', attribute: 'land.parcels' }] }, null],
    ['an unknown procedure', { '9.999999': [{ field: 'x', label: 'X', attribute: 'land.parcels' }] }, 'not a procedure of the catalogue'],
    ['an unknown attribute', { '1.001193': [{ field: 'x', label: 'X', attribute: 'population.password' }] }, 'unknown attribute'],
    ['a population field without its path', { '1.001193': [{ field: 'x', label: 'X', attribute: 'population.sex' }] }, 'names its path'],
    [
      'a field listed twice',
      {
        '1.001193': [
          { field: 'x', label: 'X', attribute: 'land.parcels' },
          { field: 'x', label: 'X', attribute: 'land.parcels' },
        ],
      },
      'listed twice',
    ],
    ['an empty list', { '1.001193': [] }, 'non-empty list'],
  ];
  it.each(cases)('%s', (_name, raw, problem) => {
    if (problem === null) expect(parsePrefillFields(raw, codes).get('1.001193')).toHaveLength(1);
    else expect(() => parsePrefillFields(raw, codes)).toThrow(problem);
  });
});
