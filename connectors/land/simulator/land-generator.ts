import type { Enterprise } from '../../business/business-registry.types';
import type { Citizen } from '../../population/population-registry.types';
import { MAX_POPULATION_SIZE, POPULATION_AS_OF, generateCitizen } from '../../population/simulator/citizen-generator';
import { SeededRandom, hashWords, permuteBelowMillion, seedWords } from '../../population/simulator/seeded-random';
import type { Certificate, CertificateStatus, Encumbrance, EncumbranceKind, Parcel, ParcelId, ParcelOwner } from '../land-registry.types';
import { MAX_REGISTRY_SIZE as MAX_BUSINESS_COUNT, generateEnterprise } from '../../business/simulator/business-generator';
import {
  CERTIFICATE_SERIES,
  CITIZEN_OTHER_LAND,
  COMMUNES_BY_CODE,
  LAND_CATEGORIES,
  LENDERS,
  ORGANISATION_LAND,
  PARCEL_COMMUNES,
  STREET_NAMES,
  provinceShortName,
  type Commune,
  type LandCategory,
} from './land-reference-data';

/**
 * Deterministic synthetic land parcels. Parcel `index` depends only on (seed, index) and the sizes
 * of the population and business registries it draws owners from, never on how many parcels are
 * generated. Owners are real records of those registries: adult citizens of
 * `generateCitizen(seed, i)` (with their exact personal id and full name, spouses and relatives
 * from the same household) and enterprises of `generateEnterprise(seed, i, populationSize)` of the
 * business simulator (exact code and name). So the three simulators must run with the same seed
 * and population size, and the business simulator with at least `businessCount` enterprises.
 *
 * Map sheet and parcel numbers come from a keyed permutation of the index, so parcel ids are
 * unique by construction (and so are certificate numbers).
 */

export const DEFAULT_LAND_SEED = 20250701;
export const DEFAULT_LAND_SIZE = 3000;
/** The population simulator's default size: owners are drawn from its citizens. */
export const DEFAULT_POPULATION_SIZE = 10_000;
/** Enterprises owners are drawn from: the business simulator's default size. */
export const DEFAULT_BUSINESS_COUNT = 2000;
export const MAX_MAP_SHEET_NUMBER = 100;
export const MAX_PARCEL_NUMBER = 1000;
export const MAX_LAND_SIZE = MAX_MAP_SHEET_NUMBER * MAX_PARCEL_NUMBER;
export { MAX_BUSINESS_COUNT };
/** Records are as of this day, as the population's (Asia/Ho_Chi_Minh). */
export const LAND_AS_OF = POPULATION_AS_OF;

const STREAM_PARCEL = 101;
const STREAM_PARCEL_SLOT = 102;
const STREAM_CERTIFICATE_SERIAL = 103;

const { floor, exp, log, round, min, max, abs } = Math;

const DAY_MS = 86_400_000;
const VIETNAM_OFFSET_MS = 7 * 3_600_000;

/** Days since 1970-01-01 of a calendar date. */
function dayNumber(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

function dayOfIso(date: string): number {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return dayNumber(year, month, day);
}

function isoDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** RFC 3339 in Vietnam time, to the second. */
function vietnamTimestamp(instantMs: number): string {
  return `${new Date(instantMs + VIETNAM_OFFSET_MS).toISOString().slice(0, 19)}+07:00`;
}

const AS_OF_DAY = dayOfIso(LAND_AS_OF);
const LAST_RECORD_DAY = AS_OF_DAY - 1;
const FIRST_CERTIFICATE_DAY = dayNumber(1995, 1, 1);
const FIRST_ORGANISATION_CERTIFICATE_DAY = dayNumber(2000, 1, 1);
// Every record was rewritten for the new commune codes after the 1 July 2025 reorganisation.
const COMMUNE_CONVERSION_DAY = dayNumber(2025, 7, 1);

export interface LandGeneratorSettings {
  /** The seed shared with the population simulator. @default 20250701 */
  seed?: number;
  /** Citizens of the population simulator owners are drawn from. @default 10000 */
  populationSize?: number;
  /** Enterprises owners are drawn from (0: no organisation owners). @default 1000 */
  businessCount?: number;
}

interface Keys {
  seed: number;
  seedLow: number;
  seedHigh: number;
  slotKey: number;
  serialKey: number;
  populationSize: number;
  businessCount: number;
}

function keysOf(settings: LandGeneratorSettings): Keys {
  const seed = settings.seed ?? DEFAULT_LAND_SEED;
  const populationSize = settings.populationSize ?? DEFAULT_POPULATION_SIZE;
  const businessCount = settings.businessCount ?? DEFAULT_BUSINESS_COUNT;
  const [seedLow, seedHigh] = seedWords(seed);
  if (!Number.isSafeInteger(populationSize) || populationSize < 1 || populationSize > MAX_POPULATION_SIZE) {
    throw new RangeError(`The population size must be an integer in [1, ${MAX_POPULATION_SIZE}], got ${populationSize}.`);
  }
  if (!Number.isSafeInteger(businessCount) || businessCount < 0 || businessCount > MAX_BUSINESS_COUNT) {
    throw new RangeError(`The business count must be an integer in [0, ${MAX_BUSINESS_COUNT}], got ${businessCount}.`);
  }
  return {
    seed,
    seedLow,
    seedHigh,
    slotKey: hashWords(seedLow, seedHigh, STREAM_PARCEL_SLOT),
    serialKey: hashWords(seedLow, seedHigh, STREAM_CERTIFICATE_SERIAL),
    populationSize,
    businessCount,
  };
}

function checkIndex(index: number): void {
  if (!Number.isSafeInteger(index) || index < 0 || index >= MAX_LAND_SIZE) {
    throw new RangeError(`The parcel index must be an integer in [0, ${MAX_LAND_SIZE}), got ${index}.`);
  }
}

/** A bijection of [0, MAX_LAND_SIZE): cycle walking keeps the million-wide permutation inside it. */
function parcelSlot(keys: Keys, index: number): number {
  let slot = index;
  do {
    slot = permuteBelowMillion(slot, keys.slotKey);
  } while (slot >= MAX_LAND_SIZE);
  return slot;
}

interface Person {
  index: number;
  citizen: Citizen;
}

function eighteenthBirthday(citizen: Citizen): number {
  const [year, month, day] = citizen.dateOfBirth.split('-').map(Number) as [number, number, number];
  return dayNumber(year + 18, month, day);
}

function isAdult(citizen: Citizen): boolean {
  return eighteenthBirthday(citizen) <= AS_OF_DAY;
}

function birthYear(citizen: Citizen): number {
  return Number(citizen.dateOfBirth.slice(0, 4));
}

function adultCitizen(keys: Keys, random: SeededRandom): Person {
  for (let attempt = 0; attempt < 32; attempt++) {
    const index = random.int(0, keys.populationSize - 1);
    const citizen = generateCitizen(keys.seed, index);
    if (isAdult(citizen)) return { index, citizen };
  }
  // Only a tiny population of children gets here: take the first adult, if any.
  for (let index = 0; index < keys.populationSize; index++) {
    const citizen = generateCitizen(keys.seed, index);
    if (isAdult(citizen)) return { index, citizen };
  }
  throw new RangeError('The population has no adult to own land.');
}

/** The other members of a person's household (households span at most 6 consecutive indices). */
function householdOf(keys: Keys, person: Person): Person[] {
  const members: Person[] = [];
  for (let index = max(0, person.index - 5); index <= min(keys.populationSize - 1, person.index + 5); index++) {
    if (index === person.index) continue;
    const citizen = generateCitizen(keys.seed, index);
    if (citizen.householdId === person.citizen.householdId) members.push({ index, citizen });
  }
  return members;
}

/**
 * The spouse living with a married person, if any. Couples are the household head and a married
 * member of the other sex close in age: parents of the head and married children are a generation apart.
 */
function spouseOf(person: Person, household: Person[]): Person | undefined {
  const { citizen } = person;
  if (citizen.maritalStatus !== 'MARRIED') return undefined;
  const couple = (other: Citizen) =>
    other.maritalStatus === 'MARRIED' && other.sex !== citizen.sex && abs(birthYear(other) - birthYear(citizen)) <= 15 && isAdult(other);
  return household.find(({ citizen: other }) => couple(other) && (citizen.isHouseholdHead || other.isHouseholdHead));
}

function enterpriseAt(keys: Keys, index: number): Enterprise {
  return generateEnterprise(keys.seed, index, keys.populationSize);
}

/** An enterprise of the business registry, preferably one still in business. */
function landholdingEnterprise(keys: Keys, random: SeededRandom): Enterprise {
  let enterprise = enterpriseAt(keys, random.int(0, keys.businessCount - 1));
  for (let attempt = 0; attempt < 4 && (enterprise.status === 'DISSOLVED' || enterprise.status === 'BANKRUPT'); attempt++) {
    enterprise = enterpriseAt(keys, random.int(0, keys.businessCount - 1));
  }
  return enterprise;
}

function citizenOwner(person: Person, share: number): ParcelOwner {
  return { ownerId: person.citizen.personalId, ownerKind: 'CITIZEN', fullName: person.citizen.fullName, share };
}

const CO_OWNER_SHARES: Record<number, readonly number[]> = { 1: [1], 2: [0.5, 0.5], 3: [0.4, 0.3, 0.3] };

function citizenOwners(keys: Keys, random: SeededRandom): { primary: Person; people: Person[] } {
  const primary = adultCitizen(keys, random);
  const r = random.next();
  // Land of a married couple is usually registered to both; inherited land sometimes to relatives too.
  if (r < 0.55 && primary.citizen.maritalStatus === 'MARRIED') {
    const spouse = spouseOf(primary, householdOf(keys, primary));
    if (spouse) return { primary, people: [primary, spouse] };
  } else if (r >= 0.95) {
    // Two-owner parcels are couples: relatives share only as three.
    const adults = householdOf(keys, primary).filter(({ citizen }) => isAdult(citizen));
    if (adults.length >= 2) {
      const first = adults.splice(random.int(0, adults.length - 1), 1)[0] as Person;
      return { primary, people: [primary, first, adults[random.int(0, adults.length - 1)] as Person] };
    }
  }
  return { primary, people: [primary] };
}

function drawArea(random: SeededRandom, category: LandCategory): number {
  const area = exp(log(category.minAreaM2) + random.next() * (log(category.maxAreaM2) - log(category.minAreaM2)));
  return round(area * 10) / 10;
}

function drawAddress(random: SeededRandom, commune: Commune, organisation: boolean): string {
  let line: string;
  if (commune.type === 'phường') {
    line = organisation ? `${random.int(1, 400)} ${random.pick(STREET_NAMES)}` : `Tổ dân phố ${random.int(1, 25)}`;
  } else {
    line = `Thôn ${random.int(1, 12)}`;
  }
  return `${line}, ${commune.name}, ${commune.provinceName}`;
}

function seriesFor(random: SeededRandom, year: number): string {
  let series = (CERTIFICATE_SERIES[0] as (typeof CERTIFICATE_SERIES)[number]).series;
  for (const period of CERTIFICATE_SERIES) if (year >= period.fromYear) series = period.series;
  return random.pick(series);
}

function drawStatus(random: SeededRandom): CertificateStatus {
  const r = random.next();
  return r < 0.94 ? 'VALID' : r < 0.98 ? 'REPLACED' : 'REVOKED';
}

function addYears(day: number, years: number): number {
  const date = new Date(day * DAY_MS);
  const month = date.getUTCMonth();
  const shifted = Date.UTC(date.getUTCFullYear() + years, month, date.getUTCDate());
  // 29 February + n years is 28 February when that year has none.
  const result = new Date(shifted).getUTCMonth() === month ? shifted : Date.UTC(date.getUTCFullYear() + years, month + 1, 0);
  return result / DAY_MS;
}

/** An instant during office hours (07:30–17:00, Vietnam time) of a day. */
function officeHour(random: SeededRandom, day: number): number {
  return day * DAY_MS - VIETNAM_OFFSET_MS + random.int(7 * 3600 + 1800, 17 * 3600) * 1000;
}

const ENCUMBRANCE_CHANCES: readonly (readonly [EncumbranceKind, number])[] = [
  ['MORTGAGE', 0.16],
  ['LEASE', 0.03],
  ['DISPUTE', 0.015],
  ['SEIZURE', 0.008],
];

function encumbranceHolder(keys: Keys, random: SeededRandom, kind: EncumbranceKind, commune: Commune): string {
  const province = provinceShortName(commune.provinceName);
  switch (kind) {
    case 'MORTGAGE':
      return `${random.pick(LENDERS)} - Chi nhánh ${province}`;
    case 'LEASE':
      return keys.businessCount > 0 && random.chance(0.5)
        ? enterpriseAt(keys, random.int(0, keys.businessCount - 1)).name
        : adultCitizen(keys, random).citizen.fullName;
    case 'DISPUTE':
      return `Ủy ban nhân dân ${commune.name}`;
    case 'SEIZURE':
      return `Thi hành án dân sự ${commune.provinceName.startsWith('Thành phố') ? 'thành phố' : 'tỉnh'} ${province}`;
  }
}

function parcelAt(keys: Keys, index: number): Parcel {
  const random = new SeededRandom(hashWords(keys.seedLow, keys.seedHigh, STREAM_PARCEL, index));
  const slot = parcelSlot(keys, index);
  const organisation = keys.businessCount > 0 && random.chance(0.08);

  let owners: ParcelOwner[];
  let commune: Commune;
  let category: LandCategory;
  let address: string | undefined;
  let earliestDay: number;
  if (organisation) {
    const enterprise = landholdingEnterprise(keys, random);
    owners = [{ ownerId: enterprise.enterpriseCode, ownerKind: 'ORGANISATION', fullName: enterprise.name, share: 1 }];
    commune = PARCEL_COMMUNES.draw(random);
    category = ORGANISATION_LAND.draw(random);
    earliestDay = max(FIRST_ORGANISATION_CERTIFICATE_DAY, dayOfIso(enterprise.foundedOn));
  } else {
    const { primary, people } = citizenOwners(keys, random);
    const shares = CO_OWNER_SHARES[people.length] as readonly number[];
    owners = people.map((person, i) => citizenOwner(person, shares[i] as number));
    const residence = primary.citizen.permanentResidence;
    const home = COMMUNES_BY_CODE.get(residence.communeCode) as Commune;
    if (random.chance(0.45)) {
      // Residential land, often the family's own house.
      commune = home;
      category = home.type === 'phường' ? LAND_CATEGORIES.ODT : LAND_CATEGORIES.ONT;
      if (random.chance(0.6)) address = residence.fullAddress;
    } else {
      commune = random.chance(0.85) ? home : PARCEL_COMMUNES.draw(random);
      category = (commune.type === 'phường' ? CITIZEN_OTHER_LAND.ward : CITIZEN_OTHER_LAND.rural).draw(random);
    }
    // A certificate names only people who were adults when it was issued.
    earliestDay = max(FIRST_CERTIFICATE_DAY, ...people.map(({ citizen }) => eighteenthBirthday(citizen)));
  }
  address ??= drawAddress(random, commune, organisation);

  const issuedDay = random.int(min(earliestDay, LAST_RECORD_DAY), LAST_RECORD_DAY);
  const issuedOn = isoDate(issuedDay);
  const certificate: Certificate = {
    number: `${seriesFor(random, Number(issuedOn.slice(0, 4)))} ${String(permuteBelowMillion(index, keys.serialKey)).padStart(6, '0')}`,
    issuedOn,
    status: drawStatus(random),
  };

  const encumbrances: Encumbrance[] = [];
  let latestDay = issuedDay;
  for (const [kind, chance] of ENCUMBRANCE_CHANCES) {
    if (!random.chance(chance)) continue;
    // A lease of residential land is rare; lenders do not take a revoked certificate.
    if ((kind === 'LEASE' && category.residential) || (kind === 'MORTGAGE' && certificate.status === 'REVOKED')) continue;
    const registeredDay = random.int(issuedDay, LAST_RECORD_DAY);
    latestDay = max(latestDay, registeredDay);
    encumbrances.push({ kind, holder: encumbranceHolder(keys, random, kind, commune), registeredOn: isoDate(registeredDay) });
  }
  encumbrances.sort((a, b) => a.registeredOn.localeCompare(b.registeredOn));

  const updatedDay = max(latestDay, random.int(COMMUNE_CONVERSION_DAY, LAST_RECORD_DAY));
  return {
    communeCode: commune.code,
    mapSheetNumber: floor(slot / MAX_PARCEL_NUMBER) + 1,
    parcelNumber: (slot % MAX_PARCEL_NUMBER) + 1,
    areaM2: drawArea(random, category),
    landUsePurpose: { code: category.code, name: category.name },
    landUseTerm: category.residential ? { kind: 'LONG_TERM' } : { kind: 'FIXED_TERM', endDate: isoDate(addYears(issuedDay, 50)) },
    address,
    owners,
    certificate,
    encumbrances,
    lastUpdated: vietnamTimestamp(officeHour(random, updatedDay)),
  };
}

/** Parcel number `index` (0-based) for these settings; the same whatever the number of parcels. */
export function generateParcel(settings: LandGeneratorSettings, index: number): Parcel {
  checkIndex(index);
  return parcelAt(keysOf(settings), index);
}

export function parcelKey(id: ParcelId): string {
  return `${id.communeCode}/${id.mapSheetNumber}/${id.parcelNumber}`;
}

/**
 * A generated land registry, indexed by parcel id and by owner. Only the ids and the owner index
 * are kept: a parcel is regenerated from its index when asked for.
 */
export class LandRegistry {
  readonly seed: number;
  readonly populationSize: number;
  readonly businessCount: number;
  readonly #keys: Keys;
  readonly #ids: ParcelId[];
  readonly #indexByKey = new Map<string, number>();
  readonly #indicesByOwner = new Map<string, number[]>();

  constructor(settings: LandGeneratorSettings & { size?: number }) {
    const size = settings.size ?? DEFAULT_LAND_SIZE;
    if (!Number.isSafeInteger(size) || size < 0 || size > MAX_LAND_SIZE) {
      throw new RangeError(`The number of parcels must be an integer in [0, ${MAX_LAND_SIZE}], got ${size}.`);
    }
    this.#keys = keysOf(settings);
    this.seed = this.#keys.seed;
    this.populationSize = this.#keys.populationSize;
    this.businessCount = this.#keys.businessCount;
    this.#ids = new Array<ParcelId>(size);
    for (let index = 0; index < size; index++) {
      const parcel = parcelAt(this.#keys, index);
      const id: ParcelId = { communeCode: parcel.communeCode, mapSheetNumber: parcel.mapSheetNumber, parcelNumber: parcel.parcelNumber };
      const key = parcelKey(id);
      // Cannot happen (numbers come from a permutation of the index); guards against regressions.
      if (this.#indexByKey.has(key)) throw new Error(`Duplicate parcel id generated at index ${index}.`);
      this.#ids[index] = id;
      this.#indexByKey.set(key, index);
      for (const owner of parcel.owners) {
        const indices = this.#indicesByOwner.get(owner.ownerId);
        if (indices) indices.push(index);
        else this.#indicesByOwner.set(owner.ownerId, [index]);
      }
    }
  }

  get size(): number {
    return this.#ids.length;
  }

  getParcel(id: ParcelId): Parcel | undefined {
    const index = this.#indexByKey.get(parcelKey(id));
    return index === undefined ? undefined : parcelAt(this.#keys, index);
  }

  /** The 0-based generation index of a parcel, for `generateParcel(settings, index)`. */
  indexOf(id: ParcelId): number | undefined {
    return this.#indexByKey.get(parcelKey(id));
  }

  /** Every parcel an owner (12-digit personal id or 10-digit enterprise code) has a share of, in index order. */
  parcelsOwnedBy(personalIdOrEnterpriseCode: string): Parcel[] {
    return (this.#indicesByOwner.get(personalIdOrEnterpriseCode) ?? []).map((index) => parcelAt(this.#keys, index));
  }

  /** The ids of the first `count` parcels, in index order. */
  parcelIds(count = this.size): ParcelId[] {
    return this.#ids.slice(0, max(0, count)).map((id) => ({ ...id }));
  }

  /** Distinct owner ids in order of first appearance among the parcels, at most `count`. */
  ownerIds(count = Number.POSITIVE_INFINITY): string[] {
    const ids: string[] = [];
    for (const id of this.#indicesByOwner.keys()) {
      if (ids.length >= count) break;
      ids.push(id);
    }
    return ids;
  }

  /** Number of distinct owners. */
  get ownerCount(): number {
    return this.#indicesByOwner.size;
  }
}

export function createLandRegistry(settings: LandGeneratorSettings & { size?: number } = {}): LandRegistry {
  return new LandRegistry(settings);
}
