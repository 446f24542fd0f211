import { generateCitizen, POPULATION_AS_OF } from '../../population/simulator/citizen-generator';
import { SeededRandom, hashWords, seedWords } from '../../population/simulator/seeded-random';
import type { Citizen } from '../../population/population-registry.types';
import type { CitizenAccount } from '../portal.types';

/**
 * Portal accounts of the synthetic population: whether citizen `index` of the population generated
 * from `seed` has an account, and which, depends only on (seed, index), like the citizen itself.
 */

/** Younger people use a parent's account. */
export const ACCOUNT_MIN_AGE = 14;
/** Share of people old enough who registered an account. */
export const ACCOUNT_SHARE = 0.75;
/** Share of accounts identified to level 2 (chip ID card or VNeID). */
export const LEVEL_2_SHARE = 0.8;

const STREAM_ACCOUNT = 0x504f_5254; // a stream of its own, independent of the citizen's

// A subscriber prefix of each of the three large carriers and their newer ranges.
const MOBILE_PREFIXES = ['086', '096', '097', '098', '032', '035', '091', '094', '088', '083', '090', '093', '089', '070', '079'];

const [asOfYear, asOfMonthDay] = [Number(POPULATION_AS_OF.slice(0, 4)), POPULATION_AS_OF.slice(4)];
/** Born on or before this day: old enough on the population's as-of day. */
const LATEST_ELIGIBLE_BIRTH = `${asOfYear - ACCOUNT_MIN_AGE}${asOfMonthDay}`;

function ascii(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/** The account of a citizen already generated, or undefined when they have none. */
export function accountOfCitizen(seed: number, index: number, citizen: Citizen): CitizenAccount | undefined {
  if (citizen.dateOfBirth > LATEST_ELIGIBLE_BIRTH) return undefined;
  const random = new SeededRandom(hashWords(...seedWords(seed), STREAM_ACCOUNT, index));
  if (!random.chance(ACCOUNT_SHARE)) return undefined;
  const accountLevel = random.chance(LEVEL_2_SHARE) ? 2 : 1;
  // Identified accounts are mostly reached through VNeID; a few self-registered ones were linked later.
  const linkedVNeID = random.chance(accountLevel === 2 ? 0.9 : 0.2);
  const account: CitizenAccount = { personalId: citizen.personalId, accountLevel, linkedVNeID };
  if (random.chance(0.45)) account.email = `${ascii(citizen.givenName)}.${ascii(citizen.familyName)}${random.int(10, 9999)}@example.com`;
  if (random.chance(0.85)) account.phone = `${random.pick(MOBILE_PREFIXES)}${String(random.int(0, 9_999_999)).padStart(7, '0')}`;
  return account;
}

/** The account of citizen `index` of the population generated from `seed`, or undefined. */
export function citizenAccountAt(seed: number, index: number): CitizenAccount | undefined {
  return accountOfCitizen(seed, index, generateCitizen(seed, index));
}
