import type { ComponentRequirement, ProcedureDefinition } from '../catalogue/procedure-definition';
import { InvalidInputError } from '../errors';
import { checkCompleteness, reusedCount } from './completeness';

const component = (code: string, overrides: Partial<ComponentRequirement> = {}): ComponentRequirement => ({
  code,
  name: `Giấy tờ ${code}`,
  kind: 'original',
  quantity: 1,
  required: true,
  documentTypeCode: null,
  registrySource: null,
  ...overrides,
});

const procedure: ProcedureDefinition = {
  code: '1.001193',
  name: 'Thủ tục đăng ký khai sinh',
  field: 'Hộ tịch',
  level: 'commune',
  resolution: { kind: 'same-day', cutoff: '15:00', dueSameDay: '16:30', dueNextDay: '11:00' },
  resolutionNote: null,
  fees: [],
  components: [
    component('C01'),
    component('C02', { kind: 'present', registrySource: 'population' }),
    component('C03', { required: false }),
    component('C04', { registrySource: 'population' }),
  ],
  steps: [],
  interAgency: false,
  boundaryFree: true,
  results: ['Giấy khai sinh'],
  applicantKinds: ['CITIZEN'],
};

const SHA = 'a'.repeat(64);
const none = { availableRegistries: new Set<never>(), validDocumentCodes: new Set<string>() };
const withRegistry = { availableRegistries: new Set(['population'] as const), validDocumentCodes: new Set(['GT.000001']) };

describe('completeness check at reception', () => {
  it('is complete when every required paper is handed in, reused or readable from a registry', () => {
    const result = checkCompleteness(
      procedure,
      [{ requirementCode: 'C01', file: { name: 'giay-chung-sinh.pdf', sha256: SHA } }],
      withRegistry,
    );
    expect(result.complete).toBe(true);
    expect(result.satisfied.map((s) => [s.requirement.code, s.by.source])).toEqual([
      ['C01', 'NEW_FILE'],
      ['C02', 'REGISTRY'],
      ['C04', 'REGISTRY'],
    ]);
    expect(reusedCount(result.satisfied)).toBe(2);
  });

  it('lists everything missing at once, never only the first', () => {
    const result = checkCompleteness(procedure, [], none);
    expect(result.complete).toBe(false);
    if (!result.complete) expect(result.missing.map((m) => m.requirement.code)).toEqual(['C01', 'C02', 'C04']);
  });

  it('does not ask for a conditional paper, but records it when given', () => {
    const result = checkCompleteness(
      procedure,
      [
        { requirementCode: 'C01', documentCode: 'GT.000001' },
        { requirementCode: 'C03', file: { name: 'uy-quyen.pdf', sha256: SHA } },
        { requirementCode: 'C02', presented: true },
      ],
      withRegistry,
    );
    expect(result.complete).toBe(true);
    expect(result.satisfied.map((s) => s.requirement.code)).toEqual(['C01', 'C02', 'C03', 'C04']);
  });

  it('treats an unknown or invalid document as missing, with the reason', () => {
    const result = checkCompleteness(procedure, [{ requirementCode: 'C01', documentCode: 'GT.999999' }], withRegistry);
    expect(result.complete === false && result.missing[0]).toMatchObject({
      requirement: { code: 'C01' },
      reason: expect.stringMatching(/unknown/),
    });
  });

  it('does not accept "shown" for a paper that must be handed in', () => {
    const result = checkCompleteness(procedure, [{ requirementCode: 'C01', presented: true }], withRegistry);
    expect(result.complete).toBe(false);
  });

  it.each([
    ['a paper the procedure does not ask for', [{ requirementCode: 'C99' }], 'RECEPTION.UNKNOWN_COMPONENT'],
    [
      'the same paper twice',
      [
        { requirementCode: 'C01', presented: true },
        { requirementCode: 'C01', presented: true },
      ],
      'RECEPTION.DUPLICATE_COMPONENT',
    ],
    [
      'two ways at once',
      [{ requirementCode: 'C01', documentCode: 'GT.000001', file: { name: 'x.pdf', sha256: SHA } }],
      'RECEPTION.AMBIGUOUS_COMPONENT',
    ],
    ['a file without a proper hash', [{ requirementCode: 'C01', file: { name: 'x.pdf', sha256: 'not-a-hash' } }], 'RECEPTION.INVALID_FILE'],
  ])('refuses %s', (_label, submitted, reason) => {
    expect.assertions(2);
    try {
      checkCompleteness(procedure, submitted, withRegistry);
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidInputError);
      expect((error as InvalidInputError).reason).toBe(reason);
    }
  });
});
