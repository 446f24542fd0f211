import { NotFoundError, UpstreamUnavailableError } from '../domain/errors';
import type { RegistryConfirmationRequest } from '../domain/ports/registry-confirmation.port';
import { createLogger } from '../platform/logger';
import { RegistryConfirmations, type ConfirmingRegistries } from './registry-confirmations';
import type { Enterprise } from './business/business-registry.types';
import type { Parcel } from './land/land-registry.types';
import type { Citizen } from './population/population-registry.types';

const quietLoggerForUnitTests = createLogger({ level: 'silent' });
const PERSON = '001090000011';
const REPRESENTATIVE = '001090000029';
const ENTERPRISE = '0100109106';
const PARCEL = { communeCode: '19753', mapSheetNumber: 12, parcelNumber: 345 };

const citizen = {
  personalId: PERSON,
  currentResidence: { provinceCode: '46', communeCode: '19753', addressLine: 'x', fullAddress: 'x' },
  maritalStatus: 'SINGLE',
  attributeUpdates: [
    { attribute: 'fullName', updatedAt: '2020-01-01T00:00:00+07:00' },
    { attribute: 'dateOfBirth', updatedAt: '1990-01-01T00:00:00+07:00' },
    { attribute: 'currentResidence', updatedAt: '2026-11-20T08:00:00+07:00' },
  ],
} as unknown as Citizen;
const enterprise = (status: string) =>
  ({
    enterpriseCode: ENTERPRISE,
    status,
    legalRepresentative: { personalId: REPRESENTATIVE },
    attributeUpdates: [{ attribute: 'legalRepresentative', updatedAt: '2025-05-05T00:00:00+07:00' }],
  }) as unknown as Enterprise;
const parcel = { ...PARCEL, owners: [{ ownerId: PERSON }], lastUpdated: '2026-01-02T03:04:05+07:00' } as unknown as Parcel;

const registries = (overrides: Partial<ConfirmingRegistries> = {}): ConfirmingRegistries => ({
  population: {
    lookup: async (keys) =>
      keys.map((k) =>
        k === PERSON ? citizen : k === REPRESENTATIVE ? { ...citizen, personalId: REPRESENTATIVE } : new NotFoundError('no'),
      ),
  },
  business: {
    lookup: async () => [enterprise('ACTIVE')],
    findByRepresentative: async (id) => (id === PERSON ? [enterprise('ACTIVE')] : []),
  },
  land: { getParcel: async () => parcel },
  ...overrides,
});
const ALL = new Set(['population', 'business', 'land'] as const);
const ask = (
  request: Partial<RegistryConfirmationRequest>,
  regs = registries(),
  enabled: ReadonlySet<'population' | 'business' | 'land'> = ALL,
) =>
  new RegistryConfirmations(regs, enabled, quietLoggerForUnitTests).confirm([
    { requirementCode: 'C01', registry: 'population', attribute: 'identity', applicantId: PERSON, ...request },
  ]);

describe('registry confirmations at reception', () => {
  it.each<[string, Partial<RegistryConfirmationRequest>, ConfirmingRegistries | undefined, unknown]>([
    [
      'population, identity: the newest identity attribute',
      {},
      undefined,
      { outcome: 'CONFIRMED', attribute: 'identity', lastUpdatedAt: new Date('2020-01-01T00:00:00+07:00') },
    ],
    [
      'population, current residence',
      { attribute: 'currentResidence' },
      undefined,
      { outcome: 'CONFIRMED', attribute: 'currentResidence', lastUpdatedAt: new Date('2026-11-20T08:00:00+07:00') },
    ],
    [
      'population, an attribute it does not have',
      { attribute: 'shoeSize' },
      undefined,
      { outcome: 'NOT_IN_REGISTRY', detail: 'the registry has no "shoeSize"' },
    ],
    ['population, an unknown person', { applicantId: '001090000037' }, undefined, { outcome: 'NOT_IN_REGISTRY', detail: 'not recorded' }],
    [
      'population, for an enterprise: its legal representative',
      { applicantId: ENTERPRISE },
      undefined,
      { outcome: 'CONFIRMED', attribute: 'identity', lastUpdatedAt: new Date('2020-01-01T00:00:00+07:00') },
    ],
    [
      'population down',
      {},
      registries({ population: { lookup: async () => Promise.reject(new UpstreamUnavailableError('down')) } }),
      { outcome: 'REGISTRY_UNAVAILABLE' },
    ],
    [
      'business, an active enterprise',
      { registry: 'business', attribute: 'legalRepresentative', applicantId: ENTERPRISE },
      undefined,
      { outcome: 'CONFIRMED', attribute: 'legalRepresentative', lastUpdatedAt: new Date('2025-05-05T00:00:00+07:00') },
    ],
    [
      'business, a dissolved enterprise',
      { registry: 'business', attribute: 'legalRepresentative', applicantId: ENTERPRISE },
      registries({ business: { lookup: async () => [enterprise('DISSOLVED')], findByRepresentative: async () => [] } }),
      { outcome: 'NOT_IN_REGISTRY', detail: 'the enterprise is dissolved' },
    ],
    [
      'business, a person representing an active enterprise',
      { registry: 'business', attribute: 'legalRepresentative' },
      undefined,
      { outcome: 'CONFIRMED', attribute: 'legalRepresentative', lastUpdatedAt: new Date('2025-05-05T00:00:00+07:00') },
    ],
    [
      'business, a person representing none',
      { registry: 'business', attribute: 'legalRepresentative', applicantId: REPRESENTATIVE },
      undefined,
      { outcome: 'NOT_IN_REGISTRY', detail: 'no active enterprise has the applicant as legal representative' },
    ],
    [
      'land, the holder of the parcel',
      { registry: 'land', attribute: 'landUseRight', landParcel: PARCEL },
      undefined,
      { outcome: 'CONFIRMED', attribute: 'landUseRight', lastUpdatedAt: new Date('2026-01-02T03:04:05+07:00') },
    ],
    [
      'land, not the holder',
      { registry: 'land', attribute: 'landUseRight', landParcel: PARCEL, applicantId: REPRESENTATIVE },
      undefined,
      { outcome: 'NOT_IN_REGISTRY', detail: 'the applicant does not hold this parcel' },
    ],
    [
      'land, an unknown parcel',
      { registry: 'land', attribute: 'landUseRight', landParcel: PARCEL },
      registries({ land: { getParcel: async () => Promise.reject(new NotFoundError('no parcel')) } }),
      { outcome: 'NOT_IN_REGISTRY', detail: 'not recorded' },
    ],
  ])('%s', async (_label, request, regs, expected) => {
    expect(await ask(request, regs)).toEqual([expected]);
  });

  it('a registry not configured for confirmation is not asked: the paper must be handed in', async () => {
    let asked = 0;
    const regs = registries({ population: { lookup: async () => ((asked += 1), [citizen]) } });
    expect(await ask({}, regs, new Set(['land']))).toEqual([{ outcome: 'REGISTRY_UNAVAILABLE' }]);
    expect(asked).toBe(0);
  });

  it('asks the population registry once for all the papers of a reception', async () => {
    const calls: string[][] = [];
    const regs = registries({ population: { lookup: async (keys) => (calls.push([...keys]), keys.map(() => citizen)) } });
    const answers = await new RegistryConfirmations(regs, ALL, quietLoggerForUnitTests).confirm([
      { requirementCode: 'C01', registry: 'population', attribute: 'identity', applicantId: PERSON },
      { requirementCode: 'C02', registry: 'population', attribute: 'currentResidence', applicantId: PERSON },
    ]);
    expect(answers.map((a) => a.outcome)).toEqual(['CONFIRMED', 'CONFIRMED']);
    expect(calls).toEqual([[PERSON]]);
  });
});
