import type { ComponentRequirement, ProcedureDefinition } from '../catalogue/procedure-definition';
import type { HeldDocument } from '../documents/held-document';
import { InvalidInputError } from '../errors';
import type { RegistryConfirmation } from '../ports/registry-confirmation.port';
import type { SubmittedComponent } from './completeness';
import { decideReception, documentOwnerOf, type ReceptionFacts } from './reception-decision';
import { registryFactFor, type RegistryFact } from './registry-facts';
import { reusablePapers } from './reusable-papers';

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
    component('C01', { acceptedDocumentTypes: ['BIRTH_CERTIFICATE'] }),
    component('C02', { kind: 'present', registrySource: 'population' }),
    component('C03', { required: false }),
    component('C04', { registrySource: 'population', registryAttribute: 'currentResidence' }),
  ],
  steps: [{ code: 'S1', name: 'Tiếp nhận hồ sơ', agency: { kind: 'receiving-agency' }, workingDays: 0 }],
  interAgency: false,
  boundaryFree: true,
  results: ['Giấy khai sinh'],
  applicantKinds: ['CITIZEN'],
};

const SHA = 'a'.repeat(64);
const NOW = new Date('2026-12-03T03:00:00Z');
const APPLICANT = '001090000011';
const held = (code: string, overrides: Partial<HeldDocument> = {}): HeldDocument => ({
  code,
  ownerId: APPLICANT,
  typeCode: 'BIRTH_CERTIFICATE',
  issuingAgencyCode: '000.19.31.H46',
  issuedAt: new Date('2026-01-01T00:00:00Z'),
  validUntil: null,
  status: 'VALID',
  source: 'DESK_SCAN',
  ...overrides,
});
const UPDATED = new Date('2026-11-01T00:00:00Z');
const confirmed: RegistryConfirmation = { outcome: 'CONFIRMED', attribute: 'currentResidence', lastUpdatedAt: UPDATED };
const registryFacts = new Map<string, RegistryFact>(
  procedure.components.flatMap((c) => {
    const fact = registryFactFor(c);
    return fact ? [[c.code, fact] as const] : [];
  }),
);

function decide(submitted: SubmittedComponent[], overrides: Partial<ReceptionFacts> = {}) {
  return decideReception({
    procedure,
    applicantId: APPLICANT,
    applicantKind: 'CITIZEN',
    submitted,
    heldDocuments: [],
    registryFacts,
    confirmations: new Map([
      ['C02', { outcome: 'CONFIRMED', attribute: 'identity', lastUpdatedAt: null }],
      ['C04', confirmed],
    ]),
    now: NOW,
    ...overrides,
  });
}

const file = (code: string) => ({ requirementCode: code, file: { name: `${code}.pdf`, sha256: SHA } });

describe('reception decision', () => {
  it('satisfies registry-backed papers only from a confirmation, recording the attribute and its last update', () => {
    const decision = decide([file('C01')]);
    expect(decision.complete).toBe(true);
    expect(decision.satisfied.map((s) => [s.requirement.code, s.by])).toEqual([
      ['C01', { source: 'NEW_FILE', fileName: 'C01.pdf', sha256: SHA }],
      ['C02', { source: 'REGISTRY', registry: 'population', attribute: 'identity', lastUpdatedAt: null }],
      ['C04', { source: 'REGISTRY', registry: 'population', attribute: 'currentResidence', lastUpdatedAt: UPDATED }],
    ]);
    expect(decision.reused).toBe(2);
    expect(decision.missedReuse).toEqual([]);
    expect(decision.firstStep).toEqual({ code: 'S1', name: 'Tiếp nhận hồ sơ', workingDays: 0 });
  });

  it.each<[string, RegistryConfirmation | undefined, string]>([
    ['the registry is down', { outcome: 'REGISTRY_UNAVAILABLE' }, 'REGISTRY_UNAVAILABLE'],
    ['the registry does not know the person', { outcome: 'NOT_IN_REGISTRY' }, 'NOT_IN_REGISTRY'],
    ['the registry was not asked', undefined, 'NOT_HANDED_IN'],
  ])('a registry-backed paper is missing when %s', (_label, answer, reasonCode) => {
    const confirmations = new Map<string, RegistryConfirmation>([
      ['C02', { outcome: 'CONFIRMED', attribute: 'identity', lastUpdatedAt: null }],
    ]);
    if (answer) confirmations.set('C04', answer);
    const decision = decide([file('C01')], { confirmations });
    expect(decision.complete).toBe(false);
    expect(decision.missing.map((m) => [m.requirement.code, m.reasonCode])).toEqual([['C04', reasonCode]]);
  });

  it('lists everything missing at once, each with its reason', () => {
    const decision = decide([], { confirmations: new Map() });
    expect(decision.missing.map((m) => [m.requirement.code, m.reasonCode])).toEqual([
      ['C01', 'NOT_HANDED_IN'],
      ['C02', 'NOT_HANDED_IN'],
      ['C04', 'NOT_HANDED_IN'],
    ]);
    expect(decision.missing[0]!.reason).toBe('Chưa nộp (not handed in).');
  });

  it.each<[string, HeldDocument[], string, string]>([
    ['unknown', [], 'UNKNOWN', 'Không có giấy tờ GT.1 trong kho dữ liệu (no document GT.1 is held).'],
    [
      "another person's",
      [held('GT.1', { ownerId: '001090000029' })],
      'NOT_OWNER',
      "Giấy tờ GT.1 không phải của người nộp hồ sơ (document GT.1 is not the applicant's).",
    ],
    [
      'of a wrong type',
      [held('GT.1', { typeCode: 'MARRIAGE_CERTIFICATE' })],
      'WRONG_TYPE',
      expect.stringContaining('not of a type this paper accepts'),
    ],
    ['of no type', [held('GT.1', { typeCode: null })], 'WRONG_TYPE', expect.stringContaining('not of a type this paper accepts')],
    ['revoked', [held('GT.1', { status: 'REVOKED' })], 'REVOKED', 'Giấy tờ GT.1 đã bị thu hồi (document GT.1 was revoked).'],
    ['expired', [held('GT.1', { validUntil: NOW })], 'EXPIRED', 'Giấy tờ GT.1 đã hết hiệu lực (document GT.1 has expired).'],
    ['superseded', [held('GT.1', { status: 'SUPERSEDED' })], 'SUPERSEDED', expect.stringContaining('superseded by a newer one')],
  ])('refuses a document that is %s, with its reason', (_label, heldDocuments, reasonCode, reason) => {
    const decision = decide([{ requirementCode: 'C01', documentCode: 'GT.1' }], { heldDocuments });
    expect(decision.complete).toBe(false);
    expect(decision.missing).toEqual([{ requirement: procedure.components[0], reasonCode, reason }]);
  });

  it("accepts the applicant's valid document of an accepted type by its code, counted as reused", () => {
    const decision = decide([{ requirementCode: 'C01', documentCode: 'GT.1' }], { heldDocuments: [held('GT.1')] });
    expect(decision.complete).toBe(true);
    expect(decision.satisfied[0]!.by).toEqual({ source: 'DOCUMENT', documentCode: 'GT.1', typeCode: 'BIRTH_CERTIFICATE', chosen: 'GIVEN' });
    expect(decision.reused).toBe(3);
  });

  it('a business applicant uses the enterprise’s documents, a dependent unit those of its enterprise', () => {
    expect(documentOwnerOf('0100109106', 'BUSINESS')).toBe('0100109106');
    expect(documentOwnerOf('0100109106-001', 'BUSINESS')).toBe('0100109106');
    expect(documentOwnerOf(APPLICANT, 'CITIZEN')).toBe(APPLICANT);
  });

  it('useHeldDocuments takes the newest usable document of an accepted type for a paper not listed', () => {
    const heldDocuments = [
      held('GT.OLD', { issuedAt: new Date('2025-01-01T00:00:00Z') }),
      held('GT.NEW', { issuedAt: new Date('2026-06-01T00:00:00Z') }),
      held('GT.REVOKED', { issuedAt: new Date('2026-09-01T00:00:00Z'), status: 'REVOKED' }),
      held('GT.OTHER', { issuedAt: new Date('2026-10-01T00:00:00Z'), typeCode: 'MARRIAGE_CERTIFICATE' }),
    ];
    const decision = decide([], { heldDocuments, useHeldDocuments: true });
    expect(decision.complete).toBe(true);
    expect(decision.satisfied[0]!.by).toEqual({
      source: 'DOCUMENT',
      documentCode: 'GT.NEW',
      typeCode: 'BIRTH_CERTIFICATE',
      chosen: 'HELD',
    });
    // Without the request, the held document is not taken.
    expect(decide([], { heldDocuments }).missing.map((m) => m.requirement.code)).toEqual(['C01']);
  });

  it('useHeldDocuments attaches a held document to a conditional paper only when one of an accepted type is usable', () => {
    const conditional: ProcedureDefinition = {
      ...procedure,
      components: [
        component('C01', { required: false, acceptedDocumentTypes: ['MARITAL_STATUS_CERTIFICATE'] }),
        component('C02', { required: false }),
      ],
    };
    const heldDocuments = [held('GT.XN', { typeCode: 'MARITAL_STATUS_CERTIFICATE' })];
    const decision = decide([], { procedure: conditional, heldDocuments, useHeldDocuments: true });
    expect(decision.satisfied.map((s) => [s.requirement.code, s.by])).toEqual([
      ['C01', { source: 'DOCUMENT', documentCode: 'GT.XN', typeCode: 'MARITAL_STATUS_CERTIFICATE', chosen: 'HELD' }],
    ]);
    expect(decision.reused).toBe(1);
    expect(decide([], { procedure: conditional, heldDocuments }).satisfied).toEqual([]);
  });

  it('counts a paper handed in anew as missed reuse when a usable document or a registry confirmation existed', () => {
    const decision = decide([file('C01'), { requirementCode: 'C02', presented: true }, file('C04')], { heldDocuments: [held('GT.1')] });
    expect(decision.complete).toBe(true);
    expect(decision.reused).toBe(0);
    expect(decision.missedReuse.map((m) => [m.requirement.code, m.could])).toEqual([
      ['C01', { source: 'DOCUMENT', documentCode: 'GT.1' }],
      ['C02', { source: 'REGISTRY', registry: 'population', attribute: 'identity' }],
      ['C04', { source: 'REGISTRY', registry: 'population', attribute: 'currentResidence' }],
    ]);
  });

  it('a paper handed in while the registry was down and no document was held is no missed reuse', () => {
    const decision = decide([file('C01'), { requirementCode: 'C02', presented: true }, file('C04')], {
      confirmations: new Map([['C04', { outcome: 'REGISTRY_UNAVAILABLE' }]]),
      heldDocuments: [held('GT.1', { status: 'REVOKED' })],
    });
    expect(decision.missedReuse).toEqual([]);
  });

  it('does not ask for a conditional paper, but records it when given', () => {
    const decision = decide([{ requirementCode: 'C03', file: { name: 'uy-quyen.pdf', sha256: SHA } }, file('C01')]);
    expect(decision.satisfied.map((s) => s.requirement.code)).toEqual(['C01', 'C02', 'C03', 'C04']);
  });

  it('does not accept "shown" for a paper that must be handed in', () => {
    const decision = decide([{ requirementCode: 'C01', presented: true }]);
    expect(decision.missing.map((m) => m.reasonCode)).toEqual(['MUST_BE_HANDED_IN']);
  });

  it('a supplement decides only the papers it lists', () => {
    const decision = decide([{ requirementCode: 'C01', documentCode: 'GT.1' }], {
      supplement: true,
      heldDocuments: [held('GT.1')],
      confirmations: new Map(),
    });
    expect(decision.complete).toBe(true);
    expect(decision.satisfied.map((s) => s.requirement.code)).toEqual(['C01']);
  });

  it.each([
    ['a paper the procedure does not ask for', [{ requirementCode: 'C99' }], {}, 'RECEPTION.UNKNOWN_COMPONENT'],
    [
      'the same paper twice',
      [
        { requirementCode: 'C01', presented: true },
        { requirementCode: 'C01', presented: true },
      ],
      {},
      'RECEPTION.DUPLICATE_COMPONENT',
    ],
    [
      'two ways at once',
      [{ requirementCode: 'C01', documentCode: 'GT.000001', file: { name: 'x.pdf', sha256: SHA } }],
      {},
      'RECEPTION.AMBIGUOUS_COMPONENT',
    ],
    [
      'a file without a proper hash',
      [{ requirementCode: 'C01', file: { name: 'x.pdf', sha256: 'not-a-hash' } }],
      {},
      'RECEPTION.INVALID_FILE',
    ],
    [
      'a business applicant on a citizens’ procedure',
      [],
      { applicantKind: 'BUSINESS' as const, applicantId: '0100109106' },
      'RECEPTION.WRONG_APPLICANT_KIND',
    ],
    [
      'a land parcel on a procedure not about land',
      [],
      { landParcel: { communeCode: '00004', mapSheetNumber: 1, parcelNumber: 2 } },
      'RECEPTION.LAND_PARCEL_NOT_APPLICABLE',
    ],
  ])('refuses %s', (_label, submitted, overrides, reason) => {
    expect.assertions(2);
    try {
      decide(submitted, overrides);
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidInputError);
      expect((error as InvalidInputError).reason).toBe(reason);
    }
  });
});

describe('registry fact of a paper', () => {
  it.each<[string, Partial<ComponentRequirement>, RegistryFact | null]>([
    ['no registry', {}, null],
    ['population, default fact', { registrySource: 'population' }, { registry: 'population', attribute: 'identity' }],
    [
      'population, named attribute',
      { registrySource: 'population', registryAttribute: 'maritalStatus' },
      { registry: 'population', attribute: 'maritalStatus' },
    ],
    ['land', { registrySource: 'land' }, { registry: 'land', attribute: 'landUseRight' }],
    ['business', { registrySource: 'business' }, { registry: 'business', attribute: 'legalRepresentative' }],
    ['not from an accepted document type alone', { acceptedDocumentTypes: ['LAND_USE_CERTIFICATE'] }, null],
    [
      'population, the attribute its accepted type proves',
      { registrySource: 'population', acceptedDocumentTypes: ['PASSPORT', 'RESIDENCE_CONFIRMATION'] },
      { registry: 'population', attribute: 'currentResidence' },
    ],
  ])('%s', (_label, overrides, expected) => {
    expect(registryFactFor(component('C01', overrides))).toEqual(expected);
  });
});

describe('reusable papers', () => {
  it('lists per paper the usable held documents (newest first) and the registry answer, and what is still needed', () => {
    const heldDocuments = [
      held('GT.OLD', { issuedAt: new Date('2025-01-01T00:00:00Z') }),
      held('GT.NEW', { issuedAt: new Date('2026-06-01T00:00:00Z') }),
      held('GT.GONE', { status: 'REVOKED' }),
      held('GT.THEIRS', { ownerId: '001090000029' }),
    ];
    const papers = reusablePapers({
      procedure,
      ownerId: APPLICANT,
      heldDocuments,
      registryFacts,
      confirmations: new Map<string, RegistryConfirmation>([
        ['C02', { outcome: 'REGISTRY_UNAVAILABLE' }],
        ['C04', confirmed],
      ]),
      now: NOW,
    });
    expect(
      papers.map((p) => [p.requirement.code, p.documents.map((d) => d.code), p.registry?.confirmation.outcome ?? null, p.stillNeeded]),
    ).toEqual([
      ['C01', ['GT.NEW', 'GT.OLD'], null, false],
      ['C02', [], 'REGISTRY_UNAVAILABLE', true],
      ['C03', [], null, true],
      ['C04', [], 'CONFIRMED', false],
    ]);
  });
});
