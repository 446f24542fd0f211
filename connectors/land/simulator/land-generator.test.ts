import { parseEnterpriseCode } from '../../../domain/identifiers/enterprise-code';
import { generateEnterprise, generateEnterpriseCode } from '../../business/simulator/business-generator';
import { DEFAULT_SIMULATOR_SIZE as DEFAULT_BUSINESS_SIMULATOR_SIZE } from '../../business/simulator/business-simulator.server';
import { createPopulation, type Population } from '../../population/simulator/citizen-generator';
import { DEFAULT_SIMULATOR_SEED, DEFAULT_SIMULATOR_SIZE } from '../../population/simulator/population-simulator.server';
import { COMMUNES } from '../../population/simulator/synthetic-reference-data';
import type { Parcel } from '../land-registry.types';
import {
  DEFAULT_BUSINESS_COUNT,
  DEFAULT_LAND_SEED,
  DEFAULT_LAND_SIZE,
  DEFAULT_POPULATION_SIZE,
  MAX_LAND_SIZE,
  createLandRegistry,
  generateParcel,
  parcelKey,
  type LandRegistry,
} from './land-generator';
import { LAND_CATEGORIES } from './land-reference-data';

const SEED = 20250701;
const POPULATION_SIZE = 4000;
const BUSINESSES = 300;
const SIZE = 2000;
const SETTINGS = { seed: SEED, populationSize: POPULATION_SIZE, businessCount: BUSINESSES };

function addYears(date: string, years: number): string {
  const [year, month, day] = date.split('-') as [string, string, string];
  const shifted = `${Number(year) + years}-${month}-${day}`;
  // 29 February on a year without one becomes 28 February.
  return month === '02' && day === '29' && new Date(`${shifted}T00:00:00Z`).getUTCDate() !== 29 ? `${Number(year) + years}-02-28` : shifted;
}

function eighteenthBirthday(dateOfBirth: string): string {
  return addYears(dateOfBirth, 18);
}

describe('generateParcel', () => {
  it('gives the same parcel for the same settings and index', () => {
    for (const index of [0, 1, 999, MAX_LAND_SIZE - 1]) {
      expect(generateParcel(SETTINGS, index)).toEqual(generateParcel(SETTINGS, index));
    }
  });

  it('gives other parcels for another seed', () => {
    expect(parcelKey(generateParcel({ ...SETTINGS, seed: SEED + 1 }, 5))).not.toBe(parcelKey(generateParcel(SETTINGS, 5)));
  });

  it.each([-1, 0.5, MAX_LAND_SIZE, Number.NaN])('rejects the index %d', (index) => {
    expect(() => generateParcel(SETTINGS, index)).toThrow(RangeError);
  });

  it('rejects impossible settings', () => {
    expect(() => generateParcel({ ...SETTINGS, populationSize: 0 }, 0)).toThrow(RangeError);
    expect(() => generateParcel({ ...SETTINGS, businessCount: -1 }, 0)).toThrow(RangeError);
    expect(() => generateParcel({ ...SETTINGS, seed: -1 }, 0)).toThrow(RangeError);
    expect(() => createLandRegistry({ ...SETTINGS, size: MAX_LAND_SIZE + 1 })).toThrow(RangeError);
  });

  it('defaults to the population and business simulators: same seed, same sizes', () => {
    expect(DEFAULT_LAND_SEED).toBe(DEFAULT_SIMULATOR_SEED);
    expect(DEFAULT_POPULATION_SIZE).toBe(DEFAULT_SIMULATOR_SIZE);
    expect(DEFAULT_BUSINESS_COUNT).toBe(DEFAULT_BUSINESS_SIMULATOR_SIZE);
    expect(DEFAULT_LAND_SIZE).toBe(3000);
    expect(generateParcel({}, 3)).toEqual(generateParcel({ seed: SEED, populationSize: 10_000, businessCount: DEFAULT_BUSINESS_COUNT }, 3));
  });

  it('has no organisation owners without businesses', () => {
    const registry = createLandRegistry({ ...SETTINGS, businessCount: 0, size: 300 });
    for (const id of registry.parcelIds()) {
      expect(registry.getParcel(id)?.owners.every((owner) => owner.ownerKind === 'CITIZEN')).toBe(true);
    }
  });
});

describe('createLandRegistry', () => {
  let registry: LandRegistry;
  let parcels: Parcel[];
  let population: Population;

  beforeAll(() => {
    registry = createLandRegistry({ ...SETTINGS, size: SIZE });
    parcels = registry.parcelIds().map((id) => registry.getParcel(id) as Parcel);
    population = createPopulation(SEED, POPULATION_SIZE);
  });

  it('has the requested number of parcels, in generation order', () => {
    expect(registry.size).toBe(SIZE);
    expect(parcels).toHaveLength(SIZE);
    expect(parcels[7]).toEqual(generateParcel(SETTINGS, 7));
    expect(registry.indexOf(parcels[7] as Parcel)).toBe(7);
    expect(registry.parcelIds(3)).toHaveLength(3);
  });

  it('gives each parcel the same record whatever the registry size', () => {
    const small = createLandRegistry({ ...SETTINGS, size: 50 });
    expect(small.getParcel(parcels[42] as Parcel)).toEqual(parcels[42]);
    expect(small.getParcel(parcels[60] as Parcel)).toBeUndefined();
  });

  it('has unique parcel ids and certificate numbers', () => {
    expect(new Set(parcels.map(parcelKey)).size).toBe(SIZE);
    expect(new Set(parcels.map((parcel) => parcel.certificate.number)).size).toBe(SIZE);
  });

  it('places parcels in real communes of Huế and Quảng Trị, with plausible numbers', () => {
    const communes = new Map(COMMUNES.map((commune) => [commune.code, commune]));
    for (const parcel of parcels) {
      const commune = communes.get(parcel.communeCode);
      expect(commune).toBeDefined();
      expect(parcel.address.endsWith(`${commune?.name}, ${commune?.provinceName}`)).toBe(true);
      expect(parcel.mapSheetNumber).toBeGreaterThanOrEqual(1);
      expect(parcel.mapSheetNumber).toBeLessThanOrEqual(100);
      expect(parcel.parcelNumber).toBeGreaterThanOrEqual(1);
      expect(parcel.parcelNumber).toBeLessThanOrEqual(1000);
    }
    const provinces = new Set(parcels.map((parcel) => communes.get(parcel.communeCode)?.provinceCode));
    expect(provinces).toEqual(new Set(['44', '46']));
  });

  it('names citizens of the population simulator as owners: adults, with their exact id and name', () => {
    let citizenOwners = 0;
    for (const parcel of parcels) {
      for (const owner of parcel.owners.filter((o) => o.ownerKind === 'CITIZEN')) {
        citizenOwners++;
        const citizen = population.get(owner.ownerId);
        expect(citizen).toBeDefined();
        expect(owner.fullName).toBe(citizen?.fullName);
        // An adult when the certificate was issued (so an adult today too).
        expect(eighteenthBirthday(citizen?.dateOfBirth as string) <= parcel.certificate.issuedOn).toBe(true);
      }
    }
    expect(citizenOwners).toBeGreaterThan(SIZE * 0.8);
  });

  it('registers couples together: head and spouse of one household', () => {
    const couples = parcels.filter((p) => p.owners.length === 2 && p.owners.every((o) => o.ownerKind === 'CITIZEN'));
    expect(couples.length).toBeGreaterThan(SIZE * 0.15);
    for (const parcel of couples) {
      const [a, b] = parcel.owners.map((owner) => population.get(owner.ownerId)) as [
        NonNullable<ReturnType<Population['get']>>,
        NonNullable<ReturnType<Population['get']>>,
      ];
      expect(a.householdId).toBe(b.householdId);
      expect(a.sex).not.toBe(b.sex);
      expect([a.maritalStatus, b.maritalStatus]).toEqual(['MARRIED', 'MARRIED']);
      expect(a.isHouseholdHead || b.isHouseholdHead).toBe(true);
      expect(parcel.owners.map((owner) => owner.share)).toEqual([0.5, 0.5]);
    }
  });

  it('gives shares that add up to 1', () => {
    for (const parcel of parcels) {
      expect(parcel.owners.length).toBeGreaterThanOrEqual(1);
      expect(parcel.owners.reduce((sum, owner) => sum + owner.share, 0)).toBeCloseTo(1, 10);
      expect(new Set(parcel.owners.map((owner) => owner.ownerId)).size).toBe(parcel.owners.length);
    }
  });

  it('names enterprises of the business registry as organisation owners, with their code and name', () => {
    const known = new Map(Array.from({ length: BUSINESSES }, (_, i) => [generateEnterpriseCode(SEED, i), i]));
    const organisations = parcels.filter((parcel) => parcel.owners[0]?.ownerKind === 'ORGANISATION');
    expect(organisations.length).toBeGreaterThan(SIZE * 0.04);
    expect(organisations.length).toBeLessThan(SIZE * 0.14);
    for (const parcel of organisations) {
      const [owner] = parcel.owners as [Parcel['owners'][number]];
      expect(parcel.owners).toHaveLength(1);
      expect(parseEnterpriseCode(owner.ownerId)).toMatchObject({ ok: true, value: { branch: undefined } });
      const index = known.get(owner.ownerId);
      expect(index).toBeDefined();
      const enterprise = generateEnterprise(SEED, index as number, POPULATION_SIZE);
      expect(owner.fullName).toBe(enterprise.name);
      expect(owner.share).toBe(1);
      // No certificate before the enterprise existed.
      expect(parcel.certificate.issuedOn >= enterprise.foundedOn).toBe(true);
    }
  });

  it('finds every parcel of an owner', () => {
    const byOwner = new Map<string, string[]>();
    for (const parcel of parcels) {
      for (const owner of parcel.owners) byOwner.set(owner.ownerId, [...(byOwner.get(owner.ownerId) ?? []), parcelKey(parcel)]);
    }
    expect(registry.ownerCount).toBe(byOwner.size);
    for (const [ownerId, keys] of byOwner) expect(registry.parcelsOwnedBy(ownerId).map(parcelKey)).toEqual(keys);
    expect(registry.parcelsOwnedBy('046203999999')).toEqual([]);
    expect(registry.ownerIds(4)).toEqual([...byOwner.keys()].slice(0, 4));
    // Some people hold several parcels.
    expect([...byOwner.values()].some((keys) => keys.length > 1)).toBe(true);
  });

  it('gives residential land a long term and other land 50 years from the certificate', () => {
    for (const parcel of parcels) {
      const residential = parcel.landUsePurpose.code === 'ODT' || parcel.landUsePurpose.code === 'ONT';
      if (residential) expect(parcel.landUseTerm).toEqual({ kind: 'LONG_TERM' });
      else expect(parcel.landUseTerm).toEqual({ kind: 'FIXED_TERM', endDate: addYears(parcel.certificate.issuedOn, 50) });
    }
  });

  it('uses land categories with their Vietnamese names and areas in range', () => {
    const categories = new Map(Object.values(LAND_CATEGORIES).map((category) => [category.code, category]));
    for (const parcel of parcels) {
      const category = categories.get(parcel.landUsePurpose.code);
      expect(parcel.landUsePurpose.name).toBe(category?.name);
      expect(parcel.areaM2).toBeGreaterThanOrEqual(category?.minAreaM2 as number);
      expect(parcel.areaM2).toBeLessThanOrEqual(category?.maxAreaM2 as number);
      expect(Math.round(parcel.areaM2 * 10)).toBeCloseTo(parcel.areaM2 * 10, 6);
    }
    expect(new Set(parcels.map((parcel) => parcel.landUsePurpose.code))).toEqual(new Set(categories.keys()));
    // Urban residential land only in wards, rural residential land only outside them.
    const wards = new Set(COMMUNES.filter((commune) => commune.type === 'phường').map((commune) => commune.code));
    for (const parcel of parcels) {
      if (parcel.landUsePurpose.code === 'ODT') expect(wards.has(parcel.communeCode)).toBe(true);
      if (parcel.landUsePurpose.code === 'ONT') expect(wards.has(parcel.communeCode)).toBe(false);
    }
  });

  it('puts many homes at their owner’s permanent residence, in the owner’s commune', () => {
    const homes = parcels.filter(
      (parcel) => parcel.owners[0]?.ownerKind === 'CITIZEN' && ['ODT', 'ONT'].includes(parcel.landUsePurpose.code),
    );
    const residenceOf = (parcel: Parcel) => population.get(parcel.owners[0]?.ownerId as string)?.permanentResidence;
    for (const parcel of homes) expect(parcel.communeCode).toBe(residenceOf(parcel)?.communeCode);
    const atHome = homes.filter((parcel) => residenceOf(parcel)?.fullAddress === parcel.address);
    expect(atHome.length).toBeGreaterThan(homes.length * 0.5);
    expect(atHome.length).toBeLessThan(homes.length * 0.7);
  });

  it('dates certificates, encumbrances and updates consistently, none after 1 October 2025', () => {
    for (const parcel of parcels) {
      const { issuedOn, number, status } = parcel.certificate;
      expect(number).toMatch(/^[A-ZĐ]{2} \d{6}$/u);
      expect(issuedOn >= '1995-01-01' && issuedOn <= '2025-09-30').toBe(true);
      expect(['VALID', 'REVOKED', 'REPLACED']).toContain(status);
      const dates = parcel.encumbrances.map((encumbrance) => encumbrance.registeredOn);
      expect(dates).toEqual([...dates].sort());
      for (const date of dates) expect(date >= issuedOn && date <= '2025-09-30').toBe(true);
      expect(parcel.lastUpdated).toMatch(/^2025-(07|08|09)-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$/);
      expect(parcel.lastUpdated.slice(0, 10) >= (dates.at(-1) ?? issuedOn)).toBe(true);
      const time = parcel.lastUpdated.slice(11, 16);
      expect(time >= '07:30' && time <= '17:00').toBe(true);
    }
  });

  it('has a realistic mix of statuses, owners and encumbrances', () => {
    const count = (predicate: (parcel: Parcel) => boolean) => parcels.filter(predicate).length / SIZE;
    expect(count((p) => p.certificate.status === 'VALID')).toBeGreaterThan(0.9);
    expect(count((p) => p.certificate.status === 'REVOKED')).toBeGreaterThan(0);
    expect(count((p) => p.certificate.status === 'REPLACED')).toBeGreaterThan(0);
    expect(count((p) => p.encumbrances.length === 0)).toBeGreaterThan(0.7);
    for (const kind of ['MORTGAGE', 'LEASE', 'DISPUTE', 'SEIZURE']) {
      expect(count((p) => p.encumbrances.some((e) => e.kind === kind))).toBeGreaterThan(0);
    }
    expect(count((p) => p.owners.length === 3)).toBeGreaterThan(0);
    // No mortgage on a revoked certificate, no lease of residential land.
    for (const parcel of parcels) {
      if (parcel.certificate.status === 'REVOKED') expect(parcel.encumbrances.some((e) => e.kind === 'MORTGAGE')).toBe(false);
      if (['ODT', 'ONT'].includes(parcel.landUsePurpose.code)) expect(parcel.encumbrances.some((e) => e.kind === 'LEASE')).toBe(false);
    }
  });

  it('builds the default registry quickly', () => {
    const started = performance.now();
    const defaults = createLandRegistry();
    expect(defaults.size).toBe(DEFAULT_LAND_SIZE);
    expect(performance.now() - started).toBeLessThan(5000);
  });
});
