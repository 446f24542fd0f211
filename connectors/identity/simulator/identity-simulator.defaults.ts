/** The simulator's defaults and account rules, apart from the provider (ESM) so the command line loads without it. */
export const DEFAULT_IDENTITY_PORT = 4105;
export const DEFAULT_IDENTITY_SEED = 20250701;
export const DEFAULT_IDENTITY_POPULATION_SIZE = 10_000;
/** The one password of every test user (documented in connectors/identity/README.md). */
export const TEST_PASSWORD = 'vneid-test';
export const DEFAULT_HUB_CLIENT_ID = 'onestop-hub';
export const DEFAULT_HUB_CLIENT_SECRET = 'identity-sim-secret';
export const DEFAULT_ID_TOKEN_TTL_SECONDS = 600;
/** How many test users the login page lists (anyone of the population may sign in by id). */
export const LISTED_USERS = 12;

/** A level of assurance as VNeID names its account levels. */
export const acrOfLevel = (level: 1 | 2 | 3): string => `urn:vneid:loa:${level}`;

/**
 * The account level of the population's i-th person: most are level 2 (identified in person), every
 * fifth from index 4 only level 1 (self-registered), every tenth from index 0 level 3. Kept as a
 * rule of the index so tests and the login page name the same people.
 */
export function accountLevelOf(index: number): 1 | 2 | 3 {
  if (index % 10 === 0) return 3;
  if (index % 5 === 4) return 1;
  return 2;
}

export interface RegisteredClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}
