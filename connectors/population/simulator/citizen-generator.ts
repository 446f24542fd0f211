import { sexCenturyDigit } from '../../../domain/identifiers/personal-id';
import type { AttributeUpdate, Citizen, Household, MaritalStatus, Residence, Sex } from '../population-registry.types';
import { PERMUTATION_DOMAIN, SeededRandom, hashWords, permuteBelowMillion, seedWords } from './seeded-random';
import {
  ETHNIC_GROUPS,
  FAMILY_NAMES,
  FAMILY_NAME_WORDS,
  GIVEN_NAMES,
  GIVEN_NAMES_YOUNGER,
  MIDDLE_NAMES,
  NEIGHBOURING_BIRTH_PROVINCES,
  PROVINCE_CODES_BEFORE_2025,
  RESIDENCE_COMMUNES,
  SECOND_MIDDLE_NAMES,
  STREET_NAMES,
  type Commune,
} from './synthetic-reference-data';

/**
 * Deterministic synthetic citizens. Citizen `index` depends only on (seed, index): indices are cut
 * into fixed blocks of 64, each block is split into households by its own random stream, and each
 * household and citizen has its own stream too. So the same citizen comes out of any population
 * size, and one citizen can be generated without the others.
 *
 * The 6 random digits of the personal id are a keyed permutation of the index, which makes ids
 * unique by construction for up to 1,000,000 citizens.
 */

export const MAX_POPULATION_SIZE = PERMUTATION_DOMAIN;
/** Ages and "last updated" times are as of this day (Asia/Ho_Chi_Minh); nothing is dated later. */
export const POPULATION_AS_OF = '2025-10-01';
export const EARLIEST_BIRTH_YEAR = 1940;
export const LATEST_BIRTH_YEAR = 2024;

// Globals bound once: each lookup of a global such as `Math` is slow inside a vm context (jest).
const { floor, min, max, ceil } = Math;

const BLOCK_SIZE = 64;
const STREAM_BLOCK = 1;
const STREAM_HOUSEHOLD = 2;
const STREAM_CITIZEN = 3;
const STREAM_PERSONAL_ID = 4;
const STREAM_HOUSEHOLD_ID = 5;

const DAY_MS = 86_400_000;
const VIETNAM_OFFSET_MS = 7 * 3_600_000;
const AS_OF_YEAR = 2025;
const AS_OF_MONTH = 10;
const AS_OF_DAY = 1;

/** UTC instant of 00:00 in Vietnam on a calendar day. */
function vietnamMidnight(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) - VIETNAM_OFFSET_MS;
}

const AS_OF_MS = vietnamMidnight(AS_OF_YEAR, AS_OF_MONTH, AS_OF_DAY);
// Records of people born before 2021 were loaded into the national database in 2021–2022; later
// births are registered within weeks.
const RECORDS_LOADED_FROM_MS = vietnamMidnight(2021, 1, 1);
const RECORDS_LOADED_DAYS = 545;
// Every address was rewritten for the new communes after the 1 July 2025 reorganisation.
const ADDRESS_CONVERSION_MS = vietnamMidnight(2025, 7, 1);

/** Share of household sizes 1–6, averaging 3.5 people as in the 2019 census (cutting blocks into households trims it to ~3.4). */
const HOUSEHOLD_SIZES: readonly (readonly [number, number])[] = [
  [1, 10],
  [2, 18],
  [3, 21],
  [4, 27],
  [5, 14],
  [6, 10],
];
const HOUSEHOLD_SIZE_TOTAL = HOUSEHOLD_SIZES.reduce((sum, [, weight]) => sum + weight, 0);

type Role = 'HEAD' | 'SPOUSE' | 'CHILD' | 'PARENT';

interface MemberPlan {
  role: Role;
  sex: Sex;
  birthYear: number;
  birthMonth: number;
  birthDay: number;
  familyName: string;
  ethnicity: string;
  maritalStatus: MaritalStatus;
}

interface HouseholdPlan {
  start: number;
  householdId: string;
  commune: Commune;
  residence: Residence;
  members: MemberPlan[];
}

interface Keys {
  seedLow: number;
  seedHigh: number;
  personalIdKey: number;
  householdIdKey: number;
}

function keysOf(seed: number): Keys {
  const [seedLow, seedHigh] = seedWords(seed);
  return {
    seedLow,
    seedHigh,
    personalIdKey: hashWords(seedLow, seedHigh, STREAM_PERSONAL_ID),
    householdIdKey: hashWords(seedLow, seedHigh, STREAM_HOUSEHOLD_ID),
  };
}

function householdsOfBlock(keys: Keys, block: number): { start: number; size: number }[] {
  const random = new SeededRandom(hashWords(keys.seedLow, keys.seedHigh, STREAM_BLOCK, block));
  const households: { start: number; size: number }[] = [];
  let offset = 0;
  while (offset < BLOCK_SIZE) {
    let target = random.next() * HOUSEHOLD_SIZE_TOTAL;
    let size = 6;
    for (const [candidate, weight] of HOUSEHOLD_SIZES) {
      if (target < weight) {
        size = candidate;
        break;
      }
      target -= weight;
    }
    size = min(size, BLOCK_SIZE - offset);
    households.push({ start: block * BLOCK_SIZE + offset, size });
    offset += size;
  }
  return households;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function ageOn(member: Pick<MemberPlan, 'birthYear' | 'birthMonth' | 'birthDay'>): number {
  const hadBirthday = member.birthMonth < AS_OF_MONTH || (member.birthMonth === AS_OF_MONTH && member.birthDay <= AS_OF_DAY);
  return AS_OF_YEAR - member.birthYear - (hadBirthday ? 0 : 1);
}

function clamp(value: number, lowest: number, highest: number): number {
  return min(max(value, lowest), highest);
}

function residenceIn(commune: Commune, random: SeededRandom): Residence {
  let addressLine: string;
  if (commune.type === 'phường') {
    const street = random.pick(STREET_NAMES);
    addressLine = random.chance(0.8) ? `${random.int(1, 300)} ${street}` : `${random.int(1, 120)}/${random.int(1, 40)} ${street}`;
  } else {
    const hamlet = random.int(1, 12);
    addressLine = random.chance(0.55) ? `Thôn ${hamlet}` : `Số ${random.int(1, 150)}, thôn ${hamlet}`;
  }
  return {
    provinceCode: commune.provinceCode,
    communeCode: commune.code,
    addressLine,
    fullAddress: `${addressLine}, ${commune.name}, ${commune.provinceName}`,
  };
}

/** Status of someone living without a spouse in the household, plausible for the age. */
function statusWithoutSpouse(age: number, sex: Sex, hasChildren: boolean, random: SeededRandom): MaritalStatus {
  const marriageAge = sex === 'MALE' ? 20 : 18;
  if (age < marriageAge) return 'SINGLE';
  const r = random.next();
  if (hasChildren) return age >= 55 ? (r < 0.7 ? 'WIDOWED' : 'DIVORCED') : r < 0.6 ? 'DIVORCED' : r < 0.85 ? 'WIDOWED' : 'SINGLE';
  if (age < 30) return r < 0.92 ? 'SINGLE' : 'DIVORCED';
  if (age < 60) return r < 0.5 ? 'SINGLE' : r < 0.8 ? 'DIVORCED' : 'WIDOWED';
  return r < 0.15 ? 'SINGLE' : r < 0.4 ? 'DIVORCED' : 'WIDOWED';
}

/** Grown-up children often still live with their parents, some already married. */
function statusOfChild(age: number, sex: Sex, random: SeededRandom): MaritalStatus {
  if (age < (sex === 'MALE' ? 20 : 18)) return 'SINGLE';
  const r = random.next();
  if (age < 25) return r < 0.08 ? 'MARRIED' : 'SINGLE';
  if (age < 30) return r < 0.3 ? 'MARRIED' : r < 0.33 ? 'DIVORCED' : 'SINGLE';
  return r < 0.45 ? 'MARRIED' : r < 0.52 ? 'DIVORCED' : 'SINGLE';
}

function planHousehold(keys: Keys, start: number, size: number): HouseholdPlan {
  const random = new SeededRandom(hashWords(keys.seedLow, keys.seedHigh, STREAM_HOUSEHOLD, start));
  const commune = RESIDENCE_COMMUNES.draw(random);
  const residence = residenceIn(commune, random);
  const ethnicity = ETHNIC_GROUPS.draw(random);

  const born = (year: number) => {
    const birthMonth = random.int(1, 12);
    return { birthYear: year, birthMonth, birthDay: random.int(1, daysInMonth(year, birthMonth)) };
  };

  // Composition: head, maybe a spouse, maybe the head's parents, children for the rest.
  let hasSpouse = false;
  let parents = 0;
  if (size === 2) {
    const r = random.next();
    hasSpouse = r < 0.55;
    parents = r >= 0.85 ? 1 : 0;
  } else if (size > 2) {
    hasSpouse = random.chance(0.88);
    if (size >= 4 && random.chance(0.35)) parents = min(random.chance(0.5) ? 2 : 1, size - 2 - (hasSpouse ? 1 : 0));
  }
  const children = size - 1 - (hasSpouse ? 1 : 0) - parents;

  let headYear: number;
  if (size === 1) headYear = random.int(EARLIEST_BIRTH_YEAR, 2006);
  else if (parents > 0) headYear = random.int(1960, 1995);
  else if (children > 0) headYear = random.int(1950, 1998);
  else headYear = random.int(EARLIEST_BIRTH_YEAR, 2003);

  let headSex: Sex;
  if (size === 1) headSex = random.chance(headYear < 1960 ? 0.35 : 0.5) ? 'MALE' : 'FEMALE';
  else if (hasSpouse) headSex = random.chance(0.75) ? 'MALE' : 'FEMALE';
  else if (children > 0) headSex = random.chance(0.35) ? 'MALE' : 'FEMALE';
  else headSex = random.chance(0.5) ? 'MALE' : 'FEMALE';

  const headFamilyName = FAMILY_NAMES.draw(random);
  const head: MemberPlan = {
    role: 'HEAD',
    sex: headSex,
    ...born(headYear),
    familyName: headFamilyName,
    ethnicity,
    maritalStatus: 'MARRIED',
  };
  const members: MemberPlan[] = [head];
  if (!hasSpouse) head.maritalStatus = statusWithoutSpouse(ageOn(head), headSex, children > 0, random);

  let father: MemberPlan | undefined = headSex === 'MALE' ? head : undefined;
  let motherYear = headSex === 'FEMALE' ? headYear : headYear + 2;
  if (hasSpouse) {
    // Wives are mostly a few years younger than their husbands.
    const gap = random.int(-2, 7);
    const spouseSex: Sex = headSex === 'MALE' ? 'FEMALE' : 'MALE';
    const spouseYear = clamp(headSex === 'MALE' ? headYear + gap : headYear - gap, EARLIEST_BIRTH_YEAR, 2003);
    const spouse: MemberPlan = {
      role: 'SPOUSE',
      sex: spouseSex,
      ...born(spouseYear),
      familyName: FAMILY_NAMES.draw(random),
      ethnicity: random.chance(0.95) ? ethnicity : ETHNIC_GROUPS.draw(random),
      maritalStatus: 'MARRIED',
    };
    members.push(spouse);
    if (spouseSex === 'MALE') father = spouse;
    else motherYear = spouseYear;
  }

  if (parents > 0) {
    const fatherYear = random.int(max(EARLIEST_BIRTH_YEAR, headYear - 38), headYear - 20);
    const both = parents === 2;
    const onlyMother = !both && random.chance(0.65);
    if (both || !onlyMother) {
      members.push({
        role: 'PARENT',
        sex: 'MALE',
        ...born(fatherYear),
        familyName: headFamilyName,
        ethnicity,
        maritalStatus: both ? 'MARRIED' : 'WIDOWED',
      });
    }
    if (both || onlyMother) {
      members.push({
        role: 'PARENT',
        sex: 'FEMALE',
        ...born(clamp(fatherYear + random.int(-1, 5), EARLIEST_BIRTH_YEAR, headYear - 18)),
        familyName: FAMILY_NAMES.draw(random),
        ethnicity,
        maritalStatus: both ? 'MARRIED' : 'WIDOWED',
      });
    }
  }

  const childFamilyName = (father ?? head).familyName;
  const childEthnicity = (father ?? head).ethnicity;
  const firstChildYear = min(motherYear + 20, LATEST_BIRTH_YEAR);
  const lastChildYear = min(motherYear + 40, LATEST_BIRTH_YEAR);
  for (let i = 0; i < children; i++) {
    const sex: Sex = random.chance(0.52) ? 'MALE' : 'FEMALE';
    const child: MemberPlan = {
      role: 'CHILD',
      sex,
      ...born(random.int(firstChildYear, lastChildYear)),
      familyName: childFamilyName,
      ethnicity: childEthnicity,
      maritalStatus: 'SINGLE',
    };
    child.maritalStatus = statusOfChild(ageOn(child), sex, random);
    members.push(child);
  }

  const householdNumber = permuteBelowMillion(start, keys.householdIdKey);
  return {
    start,
    householdId: `${commune.code}${String(householdNumber).padStart(6, '0')}`,
    commune,
    residence,
    members,
  };
}

function drawMiddleName(random: SeededRandom, sex: Sex, familyName: string, birthYear: number): string {
  // Văn and Thị were near-universal for people born before the 1970s and are fading since.
  const older = birthYear < 1975;
  let first: string;
  if (older && random.chance(sex === 'MALE' ? 0.4 : 0.75)) first = sex === 'MALE' ? 'Văn' : 'Thị';
  else {
    first = MIDDLE_NAMES[sex].draw(random);
    for (let i = 0; i < 4 && first === familyName; i++) first = MIDDLE_NAMES[sex].draw(random);
  }
  const secondChance = sex === 'MALE' ? (older ? 0.06 : birthYear < 1995 ? 0.18 : 0.3) : older ? 0.12 : birthYear < 1995 ? 0.35 : 0.6;
  if (!FAMILY_NAME_WORDS.has(first) && !random.chance(secondChance)) return first;
  let second = SECOND_MIDDLE_NAMES[sex].draw(random);
  for (let i = 0; i < 4 && second === first; i++) second = SECOND_MIDDLE_NAMES[sex].draw(random);
  return `${first} ${second}`;
}

function drawGivenName(random: SeededRandom, sex: Sex, middleName: string, birthYear: number): string {
  const table = birthYear >= 2000 && random.chance(0.5) ? GIVEN_NAMES_YOUNGER[sex] : GIVEN_NAMES[sex];
  const lastMiddle = middleName.slice(middleName.lastIndexOf(' ') + 1);
  let given = table.draw(random);
  for (let i = 0; i < 4 && given === lastMiddle; i++) given = table.draw(random);
  return given;
}

function drawBirthProvince(random: SeededRandom, commune: Commune): string {
  const r = random.next();
  if (r < 0.78) return commune.formerProvinceCode;
  if (r < 0.9) return random.pick(NEIGHBOURING_BIRTH_PROVINCES);
  return random.pick(PROVINCE_CODES_BEFORE_2025);
}

const TWO_DIGITS = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, '0'));

/** RFC 3339 in Vietnam time, to the second. Hand-rolled: Date#toISOString dominated generation time. */
function vietnamTimestamp(instantMs: number): string {
  const localSeconds = floor((instantMs + VIETNAM_OFFSET_MS) / 1000);
  const days = floor(localSeconds / 86_400);
  let secondOfDay = localSeconds - days * 86_400;
  const hour = floor(secondOfDay / 3600);
  secondOfDay -= hour * 3600;
  const minute = floor(secondOfDay / 60);
  const second = secondOfDay - minute * 60;
  // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
  const z = days + 719_468;
  const era = floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = floor((dayOfEra - floor(dayOfEra / 1460) + floor(dayOfEra / 36_524) - floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + floor(yearOfEra / 4) - floor(yearOfEra / 100));
  const mp = floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return `${year}-${TWO_DIGITS[month]}-${TWO_DIGITS[day]}T${TWO_DIGITS[hour]}:${TWO_DIGITS[minute]}:${TWO_DIGITS[second]}+07:00`;
}

/** An instant during office hours (07:30–17:00) of the day `dayMs` (a Vietnam midnight). */
function officeHour(random: SeededRandom, dayMs: number): number {
  return dayMs + random.int(7 * 3600 + 1800, 17 * 3600) * 1000;
}

function laterOfficeHour(random: SeededRandom, afterMs: number): number {
  const firstDay = ceil((afterMs + VIETNAM_OFFSET_MS) / DAY_MS) * DAY_MS - VIETNAM_OFFSET_MS;
  const days = floor((AS_OF_MS - firstDay) / DAY_MS);
  return days <= 0 ? afterMs : officeHour(random, firstDay + random.int(0, days - 1) * DAY_MS);
}

function citizenRandom(keys: Keys, index: number): SeededRandom {
  return new SeededRandom(hashWords(keys.seedLow, keys.seedHigh, STREAM_CITIZEN, index));
}

/** Draws the birth province first from the citizen's stream, so the id can be computed without the rest. */
function personalIdOf(keys: Keys, plan: HouseholdPlan, ordinal: number, random: SeededRandom): string {
  const index = plan.start + ordinal;
  const { sex, birthYear } = plan.members[ordinal] as MemberPlan;
  const birthProvinceCode = drawBirthProvince(random, plan.commune);
  const randomDigits = String(permuteBelowMillion(index, keys.personalIdKey)).padStart(6, '0');
  return `${birthProvinceCode}${sexCenturyDigit(sex, birthYear)}${TWO_DIGITS[birthYear % 100]}${randomDigits}`;
}

function citizenFromPlan(keys: Keys, plan: HouseholdPlan, ordinal: number): Citizen {
  const member = plan.members[ordinal] as MemberPlan;
  const random = citizenRandom(keys, plan.start + ordinal);
  const personalId = personalIdOf(keys, plan, ordinal, random);
  const birthProvinceCode = personalId.slice(0, 3);
  const { sex, birthYear, familyName } = member;

  const middleName = drawMiddleName(random, sex, familyName, birthYear);
  const givenName = drawGivenName(random, sex, middleName, birthYear);
  const dateOfBirth = `${birthYear}-${TWO_DIGITS[member.birthMonth]}-${TWO_DIGITS[member.birthDay]}`;

  const age = ageOn(member);
  const livesElsewhere = member.role === 'CHILD' ? age >= 18 && random.chance(0.25) : random.chance(0.04);
  const currentResidence = livesElsewhere ? residenceIn(RESIDENCE_COMMUNES.draw(random), random) : plan.residence;

  // Last-updated times: the record is created once, some attributes change later.
  const birthMs = vietnamMidnight(birthYear, member.birthMonth, member.birthDay);
  const createdMs =
    birthMs >= RECORDS_LOADED_FROM_MS
      ? officeHour(random, birthMs + random.int(3, 60) * DAY_MS)
      : officeHour(random, RECORDS_LOADED_FROM_MS + random.int(0, RECORDS_LOADED_DAYS) * DAY_MS);
  const created = vietnamTimestamp(createdMs);
  const addressConverted = vietnamTimestamp(officeHour(random, ADDRESS_CONVERSION_MS + random.int(0, 60) * DAY_MS));
  const later = (probability: number) => (random.chance(probability) ? vietnamTimestamp(laterOfficeHour(random, createdMs)) : created);
  const attributeUpdates: AttributeUpdate[] = [
    { attribute: 'fullName', updatedAt: later(0.005) },
    { attribute: 'dateOfBirth', updatedAt: created },
    { attribute: 'sex', updatedAt: created },
    { attribute: 'ethnicity', updatedAt: created },
    { attribute: 'nationality', updatedAt: created },
    { attribute: 'permanentResidence', updatedAt: addressConverted },
    {
      attribute: 'currentResidence',
      updatedAt: livesElsewhere ? vietnamTimestamp(laterOfficeHour(random, ADDRESS_CONVERSION_MS)) : addressConverted,
    },
    { attribute: 'householdId', updatedAt: later(0.2) },
    { attribute: 'maritalStatus', updatedAt: member.maritalStatus === 'SINGLE' ? created : later(0.4) },
  ];

  return {
    personalId,
    fullName: `${familyName} ${middleName} ${givenName}`,
    familyName,
    middleName,
    givenName,
    dateOfBirth,
    sex,
    ethnicity: member.ethnicity,
    nationality: 'VN',
    birthProvinceCode,
    permanentResidence: plan.residence,
    currentResidence,
    householdId: plan.householdId,
    isHouseholdHead: member.role === 'HEAD',
    maritalStatus: member.maritalStatus,
    attributeUpdates,
  };
}

function checkIndex(index: number): void {
  if (!Number.isSafeInteger(index) || index < 0 || index >= MAX_POPULATION_SIZE) {
    throw new RangeError(`The citizen index must be an integer in [0, ${MAX_POPULATION_SIZE}), got ${index}.`);
  }
}

function householdOf(keys: Keys, index: number): { start: number; size: number } {
  const households = householdsOfBlock(keys, floor(index / BLOCK_SIZE));
  return households.find((candidate) => index < candidate.start + candidate.size) as { start: number; size: number };
}

function citizenAt(keys: Keys, index: number): Citizen {
  const household = householdOf(keys, index);
  return citizenFromPlan(keys, planHousehold(keys, household.start, household.size), index - household.start);
}

/** Plans every household overlapping [0, size) in index order, cut at size. */
function* householdPlans(keys: Keys, size: number): Generator<{ plan: HouseholdPlan; members: number }> {
  for (let block = 0; block * BLOCK_SIZE < size; block++) {
    for (const household of householdsOfBlock(keys, block)) {
      if (household.start >= size) return;
      const plan = planHousehold(keys, household.start, household.size);
      yield { plan, members: min(household.size, size - household.start) };
    }
  }
}

/** Citizen number `index` (0-based) of the population generated from `seed`; the same for any population size. */
export function generateCitizen(seed: number, index: number): Citizen {
  checkIndex(index);
  return citizenAt(keysOf(seed), index);
}

/**
 * A generated population, read-only and indexed by personal id. Only the ids are kept in memory:
 * a citizen record is regenerated from its index when asked for (a few microseconds), so a million
 * citizens take about 100 MB instead of well over a gigabyte. Iteration follows index order.
 */
export class Population implements ReadonlyMap<string, Citizen> {
  readonly seed: number;
  readonly #keys: Keys;
  readonly #ids: string[];
  readonly #indexById: Map<string, number>;
  /** Where each household starts, how many members it was planned with, and how many are in this population. */
  readonly #households: Map<string, { start: number; size: number; members: number }>;

  constructor(seed: number, size: number) {
    if (!Number.isSafeInteger(size) || size < 0 || size > MAX_POPULATION_SIZE) {
      throw new RangeError(`The population size must be an integer in [0, ${MAX_POPULATION_SIZE}], got ${size}.`);
    }
    this.seed = seed;
    this.#keys = keysOf(seed);
    this.#ids = new Array<string>(size);
    this.#indexById = new Map();
    this.#households = new Map();
    for (const { plan, members } of householdPlans(this.#keys, size)) {
      this.#households.set(plan.householdId, { start: plan.start, size: plan.members.length, members });
      for (let ordinal = 0; ordinal < members; ordinal++) {
        const index = plan.start + ordinal;
        const personalId = personalIdOf(this.#keys, plan, ordinal, citizenRandom(this.#keys, index));
        // Cannot happen (the random digits are a permutation of the index); guards against regressions.
        if (this.#indexById.has(personalId)) throw new Error(`Duplicate personal id generated at index ${index}.`);
        this.#ids[index] = personalId;
        this.#indexById.set(personalId, index);
      }
    }
  }

  get size(): number {
    return this.#ids.length;
  }

  get(personalId: string): Citizen | undefined {
    const index = this.#indexById.get(personalId);
    return index === undefined ? undefined : citizenAt(this.#keys, index);
  }

  has(personalId: string): boolean {
    return this.#indexById.has(personalId);
  }

  /** A household and its members in this population, the head first; undefined when there is none with this id. */
  household(householdId: string): Household | undefined {
    const entry = this.#households.get(householdId);
    if (!entry) return undefined;
    const plan = planHousehold(this.#keys, entry.start, entry.size);
    const members = [];
    for (let ordinal = 0; ordinal < entry.members; ordinal++) {
      const citizen = citizenFromPlan(this.#keys, plan, ordinal);
      members.push({
        personalId: citizen.personalId,
        fullName: citizen.fullName,
        dateOfBirth: citizen.dateOfBirth,
        sex: citizen.sex,
        relationshipToHead: plan.members[ordinal]!.role,
      });
    }
    return { householdId, permanentResidence: plan.residence, members };
  }

  /** The 0-based generation index of a citizen, for `generateCitizen(seed, index)`. */
  indexOf(personalId: string): number | undefined {
    return this.#indexById.get(personalId);
  }

  /** The personal ids of the first `count` citizens, in index order. */
  personalIds(count = this.size): string[] {
    return this.#ids.slice(0, max(0, count));
  }

  keys(): MapIterator<string> {
    return this.#ids.values();
  }

  *values(): MapIterator<Citizen> {
    for (const { plan, members } of householdPlans(this.#keys, this.size)) {
      for (let ordinal = 0; ordinal < members; ordinal++) yield citizenFromPlan(this.#keys, plan, ordinal);
    }
  }

  *entries(): MapIterator<[string, Citizen]> {
    for (const citizen of this.values()) yield [citizen.personalId, citizen];
  }

  [Symbol.iterator](): MapIterator<[string, Citizen]> {
    return this.entries();
  }

  forEach(callback: (value: Citizen, key: string, map: ReadonlyMap<string, Citizen>) => void, thisArg?: unknown): void {
    for (const [key, value] of this.entries()) callback.call(thisArg, value, key, this);
  }
}

/**
 * The first `size` citizens generated from `seed`, indexed by personal id, in index order.
 * Households cut by the end of the population keep their head (always the household's first index).
 */
export function createPopulation(seed: number, size: number): Population {
  return new Population(seed, size);
}
