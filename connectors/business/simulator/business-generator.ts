import { enterpriseCheckDigit } from '../../../domain/identifiers/enterprise-code';
import type { Citizen } from '../../population/population-registry.types';
import { MAX_POPULATION_SIZE, POPULATION_AS_OF, generateCitizen } from '../../population/simulator/citizen-generator';
import { PERMUTATION_DOMAIN, SeededRandom, hashWords, permuteBelowMillion, seedWords } from '../../population/simulator/seeded-random';
import { COMMUNES, STREET_NAMES, type Commune } from '../../population/simulator/synthetic-reference-data';
import {
  ENTERPRISE_TYPES,
  type Address,
  type BusinessLine,
  type Enterprise,
  type EnterpriseAttribute,
  type EnterpriseStatus,
  type EnterpriseType,
  type RegistrationEvent,
} from '../business-registry.types';
import {
  COMMON_EXTRA_LINES,
  DISTINCTIVE_FIRST,
  DISTINCTIVE_SECOND,
  ENTERPRISE_CODE_PROVINCE,
  ENTERPRISE_TYPE_TABLE,
  NAME_QUALIFIERS,
  OFFICE_COMMUNES,
  OFFICE_COMMUNES_BY_PROVINCE,
  PARTNERSHIP_SECTORS,
  POSITIONS,
  REGISTRATION_PROVINCES,
  SECTORS,
  VSIC_CLASSES,
  type Sector,
} from './synthetic-business-data';

/**
 * Deterministic synthetic enterprises over the synthetic population. Enterprise `index` depends
 * only on (seed, index, populationSize), never on how many enterprises are generated; its code
 * depends on (seed, index) alone.
 *
 * - Codes: the last six digits before the check digit are a keyed permutation of the index, so
 *   codes are unique by construction (hence at most 1,000,000 enterprises).
 * - Names: the distinctive name is a keyed permutation of the index over every two-syllable
 *   combination, with a place name added per further round, so names are unique too.
 * - Legal representatives are citizens of the population simulator with the same seed:
 *   `representativeIndex(seed, index, populationSize)` is the index to pass to `generateCitizen`.
 */

export const MAX_REGISTRY_SIZE = PERMUTATION_DOMAIN;
/** The registry's data date: the same as the population's, so nothing is dated later. */
export const REGISTRY_AS_OF = POPULATION_AS_OF;

// Globals bound once: each lookup of a global such as `Math` is slow inside a vm context (jest).
const { floor, min, max, pow, log10, abs } = Math;

// Stream numbers distinct from the population's, so enterprise i and citizen i draw unrelated values.
const STREAM_CORE = 101;
const STREAM_DETAIL = 102;
const STREAM_REPRESENTATIVE = 103;
const STREAM_CODE = 104;
const STREAM_OWNER = 105;
const STREAM_NAME = 106;

const DAY_MS = 86_400_000;
const VIETNAM_OFFSET_MS = 7 * 3_600_000;

/** Calendar day number (days since 1970-01-01) of a `YYYY-MM-DD` date. */
function dayOf(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;
}

function dateOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** RFC 3339 in Vietnam time for an instant in milliseconds. */
function vietnamTimestamp(instantMs: number): string {
  return `${new Date(instantMs + VIETNAM_OFFSET_MS).toISOString().slice(0, 19)}+07:00`;
}

const AS_OF_DAY = dayOf(REGISTRY_AS_OF);
const AS_OF_YEAR = Number(REGISTRY_AS_OF.slice(0, 4));
/** Enterprises registered under the Law on Companies of 1990 were re-registered; none is dated earlier. */
const EARLIEST_FOUNDING_DAY = dayOf('1993-01-01');
// Every head-office address was rewritten for the new communes after the 1 July 2025 reorganisation.
const ADDRESS_CONVERSION_DAY = dayOf('2025-07-01');

// Ages as of the day before the data date, the last day anything is registered on.
/** Born before this date: 18 or older on that day. */
const ADULT_BORN_BEFORE = `${AS_OF_YEAR - 18}${REGISTRY_AS_OF.slice(4)}`;
/** Representatives are preferably 20–70 years old. */
const WORKING_AGE_BORN_BEFORE = `${AS_OF_YEAR - 20}${REGISTRY_AS_OF.slice(4)}`;
const WORKING_AGE_BORN_FROM = `${AS_OF_YEAR - 71}${REGISTRY_AS_OF.slice(4)}`;

function isAdult(citizen: Citizen): boolean {
  return citizen.dateOfBirth < ADULT_BORN_BEFORE;
}

function isWorkingAge(citizen: Citizen): boolean {
  return citizen.dateOfBirth < WORKING_AGE_BORN_BEFORE && citizen.dateOfBirth >= WORKING_AGE_BORN_FROM;
}

/** Monday–Friday (public holidays are not modelled). */
function isWorkingDay(day: number): boolean {
  const weekday = (day + 4) % 7; // 1970-01-01 was a Thursday
  return weekday !== 0 && weekday !== 6;
}

/** The working day nearest after (else before) `day` within [low, high], if any. */
function workingDayWithin(day: number, low: number, high: number): number | undefined {
  for (let d = day; d <= high; d++) if (isWorkingDay(d)) return d;
  for (let d = day - 1; d >= low; d--) if (isWorkingDay(d)) return d;
  return undefined;
}

/** An instant during office hours (07:30–17:00 Vietnam time) of a calendar day. */
function officeHour(random: SeededRandom, day: number): number {
  return day * DAY_MS - VIETNAM_OFFSET_MS + random.int(7 * 3600 + 1800, 17 * 3600) * 1000;
}

interface Keys {
  seedLow: number;
  seedHigh: number;
  codeKey: number;
  ownerKey: number;
  nameKey: number;
}

function keysOf(seed: number): Keys {
  const [seedLow, seedHigh] = seedWords(seed);
  return {
    seedLow,
    seedHigh,
    codeKey: hashWords(seedLow, seedHigh, STREAM_CODE),
    ownerKey: hashWords(seedLow, seedHigh, STREAM_OWNER),
    nameKey: hashWords(seedLow, seedHigh, STREAM_NAME),
  };
}

/**
 * Keyed bijection on [0, domain) for any domain up to 2^20: a 4-round Feistel network on the
 * smallest even number of bits that covers the domain, with cycle walking (under 4 steps on average).
 */
function permuteBelow(value: number, domain: number, key: number): number {
  let halfBits = 1;
  while (1 << (2 * halfBits) < domain) halfBits++;
  const mask = (1 << halfBits) - 1;
  let result = value;
  do {
    let left = result >>> halfBits;
    let right = result & mask;
    for (let round = 0; round < 4; round++) {
      const next = left ^ (hashWords(key, round, right) & mask);
      left = right;
      right = next;
    }
    result = (left << halfBits) | right;
  } while (result >= domain);
  return result;
}

function checkIndex(index: number): void {
  if (!Number.isSafeInteger(index) || index < 0 || index >= MAX_REGISTRY_SIZE) {
    throw new RangeError(`The enterprise index must be an integer in [0, ${MAX_REGISTRY_SIZE}), got ${index}.`);
  }
}

function checkPopulationSize(populationSize: number): void {
  if (!Number.isSafeInteger(populationSize) || populationSize < 1 || populationSize > MAX_POPULATION_SIZE) {
    throw new RangeError(`The population size must be an integer in [1, ${MAX_POPULATION_SIZE}], got ${populationSize}.`);
  }
}

/** Citizen by population index; remembers the last one (the representative search asks twice). */
type Citizens = (index: number) => Citizen;

function citizensOf(seed: number): Citizens {
  let lastIndex = -1;
  let last: Citizen | undefined;
  return (index) => {
    if (index !== lastIndex || !last) {
      last = generateCitizen(seed, index);
      lastIndex = index;
    }
    return last;
  };
}

/** What must be known of an enterprise to index the registry: drawn before everything else. */
interface Core {
  type: EnterpriseType;
  /** Former province (3-digit code) the enterprise was registered in: the code's prefix. */
  registrationProvince: string;
  representativeIndex: number;
}

/** The first draws of an enterprise, from their own stream: the legal form and the province. */
function coreDraws(keys: Keys, index: number): { drawnType: EnterpriseType; registrationProvince: string } {
  const random = new SeededRandom(hashWords(keys.seedLow, keys.seedHigh, STREAM_CORE, index));
  const drawnType = ENTERPRISE_TYPE_TABLE.draw(random);
  return { drawnType, registrationProvince: REGISTRATION_PROVINCES.draw(random) };
}

/**
 * A sole proprietor owns at most one sole proprietorship (Law on Enterprises 2020, art. 188): its
 * owner is a keyed permutation of the index, so distinct enterprises get distinct owners. When that
 * citizen is not of working age (or there are more enterprises than citizens), the enterprise is a
 * single-member company instead. Other representatives are drawn with replacement, so a citizen
 * may represent any number of companies.
 */
function coreOf(keys: Keys, index: number, populationSize: number, citizens: Citizens): Core {
  const { drawnType, registrationProvince } = coreDraws(keys, index);
  if (drawnType === 'SOLE_PROPRIETORSHIP' && index < populationSize) {
    const owner = permuteBelow(index, populationSize, keys.ownerKey);
    if (isWorkingAge(citizens(owner))) return { type: drawnType, registrationProvince, representativeIndex: owner };
  }
  const type: EnterpriseType = drawnType === 'SOLE_PROPRIETORSHIP' ? 'SINGLE_MEMBER_LLC' : drawnType;
  let candidate = 0;
  for (let attempt = 0; attempt < 64; attempt++) {
    candidate = hashWords(keys.seedLow, keys.seedHigh, STREAM_REPRESENTATIVE, index, attempt) % populationSize;
    const citizen = citizens(candidate);
    if (attempt < 16 ? isWorkingAge(citizen) : isAdult(citizen)) return { type, registrationProvince, representativeIndex: candidate };
  }
  // Only in tiny populations: the nearest adult below the last candidate (citizen 0 heads a household).
  for (let fallback = candidate; fallback >= 0; fallback--) {
    if (isAdult(citizens(fallback))) return { type, registrationProvince, representativeIndex: fallback };
  }
  throw new RangeError('The population has no adult to act as a legal representative.');
}

/** Enterprise code from the index (unique) and the province of registration (the prefix). */
function codeOf(keys: Keys, index: number, registrationProvince: string): string {
  const serial = String(permuteBelowMillion(index, keys.codeKey)).padStart(6, '0');
  const prefix = ENTERPRISE_CODE_PROVINCE[registrationProvince] as string;
  // The third digit is free: if 0 leaves no valid check digit (weighted sum ≡ 0 mod 11), 1 cannot
  // (its weight 23 ≡ 1 mod 11 moves the sum off 0), and the serial keeps the code unique either way.
  let firstNine = `${prefix}0${serial}`;
  let check = enterpriseCheckDigit(firstNine);
  if (check === undefined) {
    firstNine = `${prefix}1${serial}`;
    check = enterpriseCheckDigit(firstNine) as number;
  }
  return `${firstNine}${check}`;
}

const DISTINCTIVE_PAIRS: readonly string[] = DISTINCTIVE_FIRST.flatMap((first) =>
  DISTINCTIVE_SECOND.filter((second) => second !== first).map((second) => `${first} ${second}`),
);

/** Unique per index: round r = floor(index / pairs) permutes all pairs, with a qualifier from round 1 on. */
function distinctiveNameOf(keys: Keys, index: number): string {
  const pairs = DISTINCTIVE_PAIRS.length;
  const round = floor(index / pairs);
  const pair = DISTINCTIVE_PAIRS[permuteBelow(index % pairs, pairs, hashWords(keys.nameKey, round))] as string;
  if (round === 0) return pair;
  const qualifier = NAME_QUALIFIERS[(round - 1) % NAME_QUALIFIERS.length] as string;
  const series = floor((round - 1) / NAME_QUALIFIERS.length);
  return series === 0 ? `${pair} ${qualifier}` : `${pair} ${qualifier} ${series + 1}`;
}

/** Upper case without diacritics, as international names are written. */
function latin(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toUpperCase();
}

const NAME_PREFIX: Record<EnterpriseType, string> = {
  SOLE_PROPRIETORSHIP: 'Doanh nghiệp tư nhân',
  SINGLE_MEMBER_LLC: 'Công ty TNHH',
  MULTI_MEMBER_LLC: 'Công ty TNHH',
  JOINT_STOCK: 'Công ty Cổ phần',
  PARTNERSHIP: 'Công ty Hợp danh',
};
const INTERNATIONAL_SUFFIX: Record<EnterpriseType, string> = {
  SOLE_PROPRIETORSHIP: 'PRIVATE ENTERPRISE',
  SINGLE_MEMBER_LLC: 'COMPANY LIMITED',
  MULTI_MEMBER_LLC: 'COMPANY LIMITED',
  JOINT_STOCK: 'JOINT STOCK COMPANY',
  PARTNERSHIP: 'PARTNERSHIP',
};
const SHORT_SUFFIX: Record<EnterpriseType, string | undefined> = {
  SOLE_PROPRIETORSHIP: undefined,
  SINGLE_MEMBER_LLC: 'CO., LTD',
  MULTI_MEMBER_LLC: 'CO., LTD',
  JOINT_STOCK: 'JSC',
  PARTNERSHIP: 'PARTNERSHIP',
};

interface Names {
  name: string;
  internationalName?: string;
  shortName?: string;
}

function namesOf(type: EnterpriseType, sector: Sector, distinctive: string, random: SeededRandom): Names {
  const sole = type === 'SOLE_PROPRIETORSHIP';
  // The line of business is optional in a name; sole proprietorships often leave it out.
  const withSector = random.chance(sole ? 0.65 : 0.92);
  // "Một thành viên" has been optional since 2014 and is now mostly left out.
  const oneMember = type === 'SINGLE_MEMBER_LLC' && random.chance(0.2);
  const prefix = oneMember ? `${NAME_PREFIX[type]} Một thành viên` : NAME_PREFIX[type];
  const names: Names = { name: withSector ? `${prefix} ${sector.name} ${distinctive}` : `${prefix} ${distinctive}` };
  if (random.chance(sole ? 0.25 : 0.85)) {
    const suffix = oneMember ? `ONE MEMBER ${INTERNATIONAL_SUFFIX[type]}` : INTERNATIONAL_SUFFIX[type];
    names.internationalName = [latin(distinctive), withSector ? sector.english : '', suffix].filter(Boolean).join(' ');
    const shortSuffix = SHORT_SUFFIX[type];
    if (shortSuffix && random.chance(0.8)) names.shortName = `${latin(distinctive)} ${shortSuffix}`;
  }
  return names;
}

const COMMUNE_BY_CODE: ReadonlyMap<string, Commune> = new Map(COMMUNES.map((commune) => [commune.code, commune]));

function officeIn(commune: Commune, random: SeededRandom): Address {
  let addressLine: string;
  if (commune.type === 'phường') {
    const street = random.pick(STREET_NAMES);
    const r = random.next();
    if (r < 0.75) addressLine = `${random.int(1, 300)} ${street}`;
    else if (r < 0.9) addressLine = `${random.int(1, 120)}/${random.int(1, 40)} ${street}`;
    else addressLine = `Tầng ${random.int(2, 9)}, ${random.int(1, 300)} ${street}`;
  } else {
    const hamlet = random.int(1, 12);
    addressLine = random.chance(0.5) ? `Thôn ${hamlet}` : `Số ${random.int(1, 150)}, thôn ${hamlet}`;
  }
  return {
    provinceCode: commune.provinceCode,
    communeCode: commune.code,
    addressLine,
    fullAddress: `${addressLine}, ${commune.name}, ${commune.provinceName}`,
  };
}

/** Charter capital ranges in đồng (invented, log-uniform within). */
const CAPITAL_RANGE: Record<EnterpriseType, readonly [number, number]> = {
  SOLE_PROPRIETORSHIP: [1e8, 5e9],
  SINGLE_MEMBER_LLC: [1e8, 2e10],
  MULTI_MEMBER_LLC: [5e8, 5e10],
  JOINT_STOCK: [1e9, 5e11],
  PARTNERSHIP: [5e8, 1e10],
};
const ROUND_MANTISSAS = [1, 1.2, 1.5, 2, 2.5, 3, 3.5, 4, 5, 6, 7, 8, 9, 10];

/** A round amount such as 1,500,000,000 or 20,000,000,000, as capital is declared. */
function capitalOf(type: EnterpriseType, random: SeededRandom): number {
  const [lowest, highest] = CAPITAL_RANGE[type];
  const amount = pow(10, log10(lowest) + random.next() * (log10(highest) - log10(lowest)));
  const scale = pow(10, floor(log10(amount)));
  const mantissa = ROUND_MANTISSAS.reduce((best, m) => (abs(m - amount / scale) < abs(best - amount / scale) ? m : best));
  return mantissa * scale;
}

function businessLinesOf(type: EnterpriseType, sector: Sector, random: SeededRandom): BusinessLine[] {
  const main = random.pick(sector.mainLines);
  const pool = [...new Set([...sector.mainLines, ...sector.relatedLines, ...COMMON_EXTRA_LINES])].filter((code) => code !== main);
  const extra = min(pool.length, type === 'SOLE_PROPRIETORSHIP' ? random.int(0, 3) : random.int(1, 8));
  // Partial Fisher–Yates: the first `extra` entries become a random selection.
  for (let i = 0; i < extra; i++) {
    const j = random.int(i, pool.length - 1);
    [pool[i], pool[j]] = [pool[j] as string, pool[i] as string];
  }
  return [main, ...pool.slice(0, extra)].sort().map((code) => ({ code, name: VSIC_CLASSES[code] as string, main: code === main }));
}

const HOME_OFFICE_SHARE: Record<EnterpriseType, number> = {
  SOLE_PROPRIETORSHIP: 0.5,
  SINGLE_MEMBER_LLC: 0.2,
  MULTI_MEMBER_LLC: 0.05,
  JOINT_STOCK: 0.02,
  PARTNERSHIP: 0.05,
};
const DEPENDENT_UNIT_SHARE: Record<EnterpriseType, number> = {
  SOLE_PROPRIETORSHIP: 0.04,
  SINGLE_MEMBER_LLC: 0.08,
  MULTI_MEMBER_LLC: 0.12,
  JOINT_STOCK: 0.25,
  PARTNERSHIP: 0.1,
};

type ChangeKind = 'ADDRESS' | 'CAPITAL' | 'LINES' | 'REPRESENTATIVE' | 'NAME' | 'MEMBERS';

/** Ordinary changes to the registered content, with invented frequencies. */
const CHANGE_KINDS: readonly (readonly [ChangeKind, number])[] = [
  ['LINES', 4],
  ['ADDRESS', 3],
  ['CAPITAL', 3],
  ['REPRESENTATIVE', 2],
  ['MEMBERS', 2],
  ['NAME', 1],
];

function changeText(kind: ChangeKind, type: EnterpriseType): string | undefined {
  const sole = type === 'SOLE_PROPRIETORSHIP';
  switch (kind) {
    case 'ADDRESS':
      return 'Thay đổi địa chỉ trụ sở chính';
    case 'CAPITAL':
      return sole ? 'Thay đổi vốn đầu tư của chủ doanh nghiệp tư nhân' : 'Thay đổi vốn điều lệ';
    case 'LINES':
      return 'Bổ sung, thay đổi ngành, nghề kinh doanh';
    case 'REPRESENTATIVE':
      return sole ? 'Thay đổi chủ doanh nghiệp tư nhân' : 'Thay đổi người đại diện theo pháp luật';
    case 'NAME':
      return 'Thay đổi tên doanh nghiệp';
    case 'MEMBERS':
      if (type === 'MULTI_MEMBER_LLC') return 'Thay đổi thành viên công ty trách nhiệm hữu hạn hai thành viên trở lên';
      if (type === 'JOINT_STOCK') return 'Thay đổi thông tin cổ đông sáng lập';
      if (type === 'PARTNERSHIP') return 'Thay đổi thành viên hợp danh';
      return undefined; // no members to change
  }
}

const CHANGED_ATTRIBUTES: Record<ChangeKind, readonly EnterpriseAttribute[]> = {
  ADDRESS: ['headOffice'],
  CAPITAL: ['registeredCapitalVnd'],
  LINES: ['businessLines'],
  REPRESENTATIVE: ['legalRepresentative'],
  NAME: ['name', 'internationalName', 'shortName'],
  MEMBERS: [],
};

/** Conversions into the current legal form, recorded for some enterprises. */
const CONVERSIONS: Partial<Record<EnterpriseType, { share: number; change: string; attributes: readonly EnterpriseAttribute[] }>> = {
  MULTI_MEMBER_LLC: {
    share: 0.2,
    change: 'Chuyển đổi công ty trách nhiệm hữu hạn một thành viên thành công ty trách nhiệm hữu hạn hai thành viên trở lên',
    attributes: ['type'],
  },
  JOINT_STOCK: {
    share: 0.15,
    change: 'Chuyển đổi công ty trách nhiệm hữu hạn thành công ty cổ phần',
    attributes: ['type', 'name', 'internationalName', 'shortName'],
  },
};

interface PlannedEvent {
  day: number;
  change: string;
  attributes: readonly EnterpriseAttribute[];
  /** A dependent unit registered by this event: 'chi nhánh' or 'văn phòng đại diện'. */
  unit?: string;
}

interface StatusPlan {
  status: EnterpriseStatus;
  events: PlannedEvent[];
  /** Ordinary changes happen before this day. */
  changesBefore: number;
  /** The day the enterprise ceased to exist, if it did. */
  endedOn?: number;
}

const STATUS_SHARES: readonly (readonly [EnterpriseStatus, number])[] = [
  ['ACTIVE', 0.78],
  ['SUSPENDED', 0.1],
  ['DISSOLVING', 0.035],
  ['DISSOLVED', 0.07],
  ['BANKRUPT', 0.015],
];

function drawStatus(random: SeededRandom): EnterpriseStatus {
  let target = random.next();
  for (const [status, share] of STATUS_SHARES) {
    if (target < share) return status;
    target -= share;
  }
  return 'ACTIVE';
}

/** Status and the notices that led to it, all after the founding and before the data date. */
function planStatus(founded: number, random: SeededRandom): StatusPlan {
  const last = AS_OF_DAY - 1;
  const age = AS_OF_DAY - founded;
  let status = age < 180 ? 'ACTIVE' : drawStatus(random);
  if (status === 'BANKRUPT' && age < 400) status = 'DISSOLVED';
  const notice = (day: number, change: string): PlannedEvent => ({ day, change, attributes: ['status'] });
  const dayWithin = (low: number, high: number) => workingDayWithin(random.int(low, high), low, high) as number;
  switch (status) {
    case 'ACTIVE':
      return { status, events: [], changesBefore: AS_OF_DAY };
    case 'SUSPENDED': {
      // A suspension lasts at most a year per notice: still running, so notified within the year.
      const day = dayWithin(max(founded + 90, AS_OF_DAY - 330), last);
      return { status, events: [notice(day, 'Thông báo tạm ngừng kinh doanh')], changesBefore: day };
    }
    case 'DISSOLVING': {
      const day = dayWithin(max(founded + 90, AS_OF_DAY - 150), last);
      return { status, events: [notice(day, 'Thông báo giải thể doanh nghiệp')], changesBefore: day };
    }
    case 'DISSOLVED': {
      const ended = dayWithin(founded + 150, last);
      const started = dayWithin(max(founded + 60, ended - random.int(30, 150)), ended - 1);
      return {
        status,
        events: [notice(started, 'Thông báo giải thể doanh nghiệp'), notice(ended, 'Đăng ký giải thể doanh nghiệp')],
        changesBefore: started,
        endedOn: ended,
      };
    }
    case 'BANKRUPT': {
      const ended = dayWithin(founded + 365, last);
      const events = [notice(ended, 'Chấm dứt tồn tại theo quyết định tuyên bố phá sản của Tòa án')];
      if (random.chance(0.5)) events.unshift(notice(dayWithin(founded + 60, ended - 30), 'Thông báo tạm ngừng kinh doanh'));
      return { status, events, changesBefore: (events[0] as PlannedEvent).day, endedOn: ended };
    }
  }
}

function enterpriseFromCore(keys: Keys, index: number, core: Core, representative: Citizen): Enterprise {
  const random = new SeededRandom(hashWords(keys.seedLow, keys.seedHigh, STREAM_DETAIL, index));
  const { type, registrationProvince } = core;
  const sector = (type === 'PARTNERSHIP' ? PARTNERSHIP_SECTORS : SECTORS).draw(random);
  const names = namesOf(type, sector, distinctiveNameOf(keys, index), random);

  // Founded once the representative was 18, skewed towards recent years as registrations grew.
  const born = representative.dateOfBirth;
  const adultDay = dayOf(`${Number(born.slice(0, 4)) + 18}${born.slice(4)}`);
  const earliest = max(EARLIEST_FOUNDING_DAY, adultDay);
  const latest = AS_OF_DAY - 1;
  const drawn = latest - floor((latest - earliest) * pow(random.next(), 1.3));
  const founded = workingDayWithin(drawn, earliest, latest) ?? drawn;

  const plan = planStatus(founded, random);
  const events: PlannedEvent[] = [];
  const span = plan.changesBefore - founded - 1; // days strictly between the founding and the status notices
  const dayInSpan = () => (span > 0 ? workingDayWithin(founded + random.int(1, span), founded + 1, founded + span) : undefined);

  // About one change every four or five years.
  const years = floor(span / 365);
  let changes = 0;
  for (let year = 0; year < years && changes < 7; year++) if (random.chance(0.22)) changes++;
  let movedOffice = false;
  for (let i = 0; i < changes; i++) {
    let target = random.next() * CHANGE_KINDS.reduce((sum, [, weight]) => sum + weight, 0);
    let kind: ChangeKind = 'LINES';
    for (const [candidate, weight] of CHANGE_KINDS) {
      if (target < weight) {
        kind = candidate;
        break;
      }
      target -= weight;
    }
    const change = changeText(kind, type);
    const day = dayInSpan();
    if (change === undefined || day === undefined) continue;
    movedOffice ||= kind === 'ADDRESS';
    events.push({ day, change, attributes: CHANGED_ATTRIBUTES[kind] });
  }
  const conversion = CONVERSIONS[type];
  if (conversion && random.chance(conversion.share)) {
    const day = dayInSpan();
    if (day !== undefined) events.push({ day, change: conversion.change, attributes: conversion.attributes });
  }
  if (span > 30 && random.chance(DEPENDENT_UNIT_SHARE[type])) {
    let units = 1;
    while (units < 8 && random.chance(0.35)) units++;
    for (let i = 0; i < units; i++) {
      const day = dayInSpan();
      const unit = random.chance(0.8) ? 'chi nhánh' : 'văn phòng đại diện';
      if (day !== undefined) events.push({ day, change: `Đăng ký hoạt động ${unit}`, attributes: ['dependentUnits'], unit });
    }
  }
  events.push(...plan.events);

  // Head office: a home office stays at the representative's residence unless the office moved.
  let headOffice: Address;
  const residence = representative.permanentResidence;
  const homeOffice =
    !movedOffice &&
    COMMUNE_BY_CODE.get(residence.communeCode)?.formerProvinceCode === registrationProvince &&
    random.chance(HOME_OFFICE_SHARE[type]);
  if (homeOffice) headOffice = { ...residence };
  else {
    const communes = movedOffice && random.chance(0.3) ? OFFICE_COMMUNES : OFFICE_COMMUNES_BY_PROVINCE.get(registrationProvince);
    headOffice = officeIn((communes ?? OFFICE_COMMUNES).draw(random), random);
  }

  // History in time order, numbered from the first registration.
  const foundingAt = officeHour(random, founded);
  const timed = events.map((event) => ({ ...event, at: officeHour(random, event.day) })).sort((a, b) => a.at - b.at);
  const code = codeOf(keys, index, registrationProvince);
  const history: RegistrationEvent[] = [
    { at: vietnamTimestamp(foundingAt), change: 'Đăng ký thành lập doanh nghiệp', registrationNumber: 1 },
  ];
  const updated = new Map<EnterpriseAttribute, number>();
  const dependentUnits: string[] = [];
  for (const event of timed) {
    let change = event.change;
    if (event.unit) {
      const unitCode = `${code}-${String(dependentUnits.length + 1).padStart(3, '0')}`;
      dependentUnits.push(unitCode);
      change = `${change} ${unitCode}`;
    }
    history.push({ at: vietnamTimestamp(event.at), change, registrationNumber: history.length + 1 });
    for (const attribute of event.attributes) updated.set(attribute, event.at);
  }
  const lastUpdate = (attribute: EnterpriseAttribute) => updated.get(attribute) ?? foundingAt;
  let headOfficeUpdated = lastUpdate('headOffice');
  if (founded < ADDRESS_CONVERSION_DAY && (plan.endedOn === undefined || plan.endedOn >= ADDRESS_CONVERSION_DAY)) {
    const converted = officeHour(
      random,
      workingDayWithin(ADDRESS_CONVERSION_DAY + random.int(0, 60), ADDRESS_CONVERSION_DAY, latest) as number,
    );
    headOfficeUpdated = max(headOfficeUpdated, converted);
  }

  const enterprise: Enterprise = {
    enterpriseCode: code,
    name: names.name,
    ...(names.internationalName === undefined ? {} : { internationalName: names.internationalName }),
    ...(names.shortName === undefined ? {} : { shortName: names.shortName }),
    type,
    status: plan.status,
    foundedOn: dateOf(founded),
    legalRepresentative: {
      personalId: representative.personalId,
      fullName: representative.fullName,
      position: POSITIONS[type].draw(random),
    },
    headOffice,
    registeredCapitalVnd: capitalOf(type, random),
    businessLines: businessLinesOf(type, sector, random),
    history,
    dependentUnits,
    attributeUpdates: [],
  };
  enterprise.attributeUpdates = [
    { attribute: 'name', updatedAt: vietnamTimestamp(lastUpdate('name')) },
    { attribute: 'internationalName', updatedAt: vietnamTimestamp(lastUpdate('internationalName')) },
    { attribute: 'shortName', updatedAt: vietnamTimestamp(lastUpdate('shortName')) },
    { attribute: 'type', updatedAt: vietnamTimestamp(lastUpdate('type')) },
    { attribute: 'status', updatedAt: vietnamTimestamp(lastUpdate('status')) },
    { attribute: 'legalRepresentative', updatedAt: vietnamTimestamp(lastUpdate('legalRepresentative')) },
    { attribute: 'headOffice', updatedAt: vietnamTimestamp(headOfficeUpdated) },
    { attribute: 'registeredCapitalVnd', updatedAt: vietnamTimestamp(lastUpdate('registeredCapitalVnd')) },
    { attribute: 'businessLines', updatedAt: vietnamTimestamp(lastUpdate('businessLines')) },
    { attribute: 'dependentUnits', updatedAt: vietnamTimestamp(lastUpdate('dependentUnits')) },
  ];
  return enterprise;
}

/**
 * Index, in the population generated from the same seed, of the citizen who is the legal
 * representative of enterprise `index`: pass it to `generateCitizen(seed, ·)`. Always an adult,
 * and one of working age (20–70) whenever the population has enough of them.
 */
export function representativeIndex(seed: number, index: number, populationSize: number): number {
  checkIndex(index);
  checkPopulationSize(populationSize);
  return coreOf(keysOf(seed), index, populationSize, citizensOf(seed)).representativeIndex;
}

/** The code of enterprise `index`; it does not depend on the population size. */
export function generateEnterpriseCode(seed: number, index: number): string {
  checkIndex(index);
  const keys = keysOf(seed);
  return codeOf(keys, index, coreDraws(keys, index).registrationProvince);
}

/** Enterprise number `index` (0-based) over a population of `populationSize`; the same for any registry size. */
export function generateEnterprise(seed: number, index: number, populationSize: number): Enterprise {
  checkIndex(index);
  checkPopulationSize(populationSize);
  const keys = keysOf(seed);
  const citizens = citizensOf(seed);
  const core = coreOf(keys, index, populationSize, citizens);
  return enterpriseFromCore(keys, index, core, citizens(core.representativeIndex));
}

const TYPE_NUMBER: ReadonlyMap<EnterpriseType, number> = new Map(ENTERPRISE_TYPES.map((type, i) => [type, i]));

/**
 * A generated business registry, read-only and indexed by enterprise code, plus an index from a
 * representative's personal id to the enterprises they represent. Only codes, types and
 * representatives are kept; a record is regenerated from its index when asked for.
 * Iteration follows index order.
 */
export class BusinessRegistry implements ReadonlyMap<string, Enterprise> {
  readonly seed: number;
  readonly populationSize: number;
  readonly #keys: Keys;
  readonly #codes: string[];
  readonly #indexByCode: Map<string, number>;
  readonly #types: Uint8Array;
  readonly #representatives: Int32Array;
  readonly #representativeIds: string[];
  readonly #byRepresentative: Map<string, number[]>;

  constructor(seed: number, size: number, populationSize: number) {
    if (!Number.isSafeInteger(size) || size < 0 || size > MAX_REGISTRY_SIZE) {
      throw new RangeError(`The registry size must be an integer in [0, ${MAX_REGISTRY_SIZE}], got ${size}.`);
    }
    checkPopulationSize(populationSize);
    this.seed = seed;
    this.populationSize = populationSize;
    this.#keys = keysOf(seed);
    this.#codes = new Array<string>(size);
    this.#indexByCode = new Map();
    this.#types = new Uint8Array(size);
    this.#representatives = new Int32Array(size);
    this.#representativeIds = new Array<string>(size);
    this.#byRepresentative = new Map();
    const citizens = citizensOf(seed);
    for (let index = 0; index < size; index++) {
      const core = coreOf(this.#keys, index, populationSize, citizens);
      const code = codeOf(this.#keys, index, core.registrationProvince);
      // Cannot happen (the serial is a permutation of the index); guards against regressions.
      if (this.#indexByCode.has(code)) throw new Error(`Duplicate enterprise code generated at index ${index}.`);
      this.#codes[index] = code;
      this.#indexByCode.set(code, index);
      this.#types[index] = TYPE_NUMBER.get(core.type) as number;
      this.#representatives[index] = core.representativeIndex;
      const personalId = citizens(core.representativeIndex).personalId;
      this.#representativeIds[index] = personalId;
      const represented = this.#byRepresentative.get(personalId);
      if (represented) represented.push(index);
      else this.#byRepresentative.set(personalId, [index]);
    }
  }

  get size(): number {
    return this.#codes.length;
  }

  #at(index: number): Enterprise {
    const core: Core = {
      type: ENTERPRISE_TYPES[this.#types[index] as number] as EnterpriseType,
      registrationProvince: coreDraws(this.#keys, index).registrationProvince,
      representativeIndex: this.#representatives[index] as number,
    };
    return enterpriseFromCore(this.#keys, index, core, generateCitizen(this.seed, core.representativeIndex));
  }

  get(enterpriseCode: string): Enterprise | undefined {
    const index = this.#indexByCode.get(enterpriseCode);
    return index === undefined ? undefined : this.#at(index);
  }

  has(enterpriseCode: string): boolean {
    return this.#indexByCode.has(enterpriseCode);
  }

  /** The 0-based generation index of an enterprise, for `generateEnterprise(seed, index, populationSize)`. */
  indexOf(enterpriseCode: string): number | undefined {
    return this.#indexByCode.get(enterpriseCode);
  }

  /** Population index of the legal representative of enterprise `index`. */
  representativeIndexAt(index: number): number | undefined {
    return index >= 0 && index < this.size ? this.#representatives[index] : undefined;
  }

  /** The codes of the first `count` enterprises, in index order. */
  enterpriseCodes(count = this.size): string[] {
    return this.#codes.slice(0, max(0, count));
  }

  /** Personal ids of the legal representatives of the first `count` enterprises, in index order. */
  representativeIds(count = this.size): string[] {
    return this.#representativeIds.slice(0, max(0, count));
  }

  /** Indices of the enterprises whose legal representative has this personal id, ascending. */
  indicesRepresentedBy(personalId: string): readonly number[] {
    return this.#byRepresentative.get(personalId) ?? [];
  }

  /** The enterprises whose legal representative has this personal id, in index order. */
  representedBy(personalId: string): Enterprise[] {
    return this.indicesRepresentedBy(personalId).map((index) => this.#at(index));
  }

  /** Personal ids of everyone who represents at least one enterprise. */
  representatives(): MapIterator<string> {
    return this.#byRepresentative.keys();
  }

  keys(): MapIterator<string> {
    return this.#codes.values();
  }

  *values(): MapIterator<Enterprise> {
    for (let index = 0; index < this.size; index++) yield this.#at(index);
  }

  *entries(): MapIterator<[string, Enterprise]> {
    for (const enterprise of this.values()) yield [enterprise.enterpriseCode, enterprise];
  }

  [Symbol.iterator](): MapIterator<[string, Enterprise]> {
    return this.entries();
  }

  forEach(callback: (value: Enterprise, key: string, map: ReadonlyMap<string, Enterprise>) => void, thisArg?: unknown): void {
    for (const [key, value] of this.entries()) callback.call(thisArg, value, key, this);
  }
}

/**
 * The first `size` enterprises generated from `seed`, whose representatives are citizens of the
 * population of `populationSize` generated from the same seed (the population simulator must run
 * with the same seed and size for the two to agree).
 */
export function createBusinessRegistry(seed: number, size: number, populationSize: number): BusinessRegistry {
  return new BusinessRegistry(seed, size, populationSize);
}

// A few registries kept, so repeated calls with the same arguments do not rebuild the index.
const registryCache = new Map<string, BusinessRegistry>();
const REGISTRY_CACHE_SIZE = 4;

/** The enterprises, among the first `size`, that the citizen with this personal id represents (in index order). */
export function businessesRepresentedBy(seed: number, size: number, populationSize: number, personalId: string): Enterprise[] {
  const key = `${seed}/${size}/${populationSize}`;
  let registry = registryCache.get(key);
  if (!registry) {
    registry = createBusinessRegistry(seed, size, populationSize);
    if (registryCache.size >= REGISTRY_CACHE_SIZE) registryCache.delete(registryCache.keys().next().value as string);
    registryCache.set(key, registry);
  }
  return registry.representedBy(personalId);
}
