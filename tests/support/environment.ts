/**
 * What the global setup started, handed to test files through environment variables (jest workers
 * inherit the environment of the process that ran the global setup).
 */
export const TEST_ENV = {
  /** PostgreSQL server (or the embedded one) every test file gets its own schema in. */
  databaseUrl: 'HUB_TEST_DATABASE_URL',
  /** `server` or `embedded`. */
  databaseKind: 'HUB_TEST_DATABASE_KIND',
  kafkaBrokers: 'HUB_TEST_KAFKA_BROKERS',
  populationUrl: 'HUB_TEST_POPULATION_URL',
  businessUrl: 'HUB_TEST_BUSINESS_URL',
  landUrl: 'HUB_TEST_LAND_URL',
  portalUrl: 'HUB_TEST_PORTAL_URL',
  /** The national identity simulator (OpenID Provider), with the clients of TEST_IDENTITY_CLIENTS. */
  identityUrl: 'HUB_TEST_IDENTITY_URL',
  simulatorSeed: 'HUB_TEST_SIMULATOR_SEED',
  /** A certificate authority made once (under the default passphrase) that each test hub copies. */
  pkiTemplate: 'HUB_TEST_PKI_TEMPLATE',
} as const;

export function testEnv(name: keyof typeof TEST_ENV): string {
  const value = process.env[TEST_ENV[name]];
  if (!value) throw new Error(`${TEST_ENV[name]} is not set: run the tests with "npm test" (the global setup starts the services)`);
  return value;
}

export const TEST_SIMULATOR_SEED = 20250701;
/** Citizens of the test population simulator (the other simulators draw their people from them). */
export const TEST_POPULATION_SIZE = 5000;
export const TEST_KAFKA_PORT = 19092;

/** The relying parties the test identity simulator knows: the hub (its default client id and secret) and a portal. */
export const TEST_IDENTITY_CLIENTS = [
  { clientId: 'onestop-hub', clientSecret: 'identity-sim-secret', redirectUris: ['http://127.0.0.1:4000/auth/callback'] },
  { clientId: 'test-portal', clientSecret: 'test-portal-secret', redirectUris: ['http://127.0.0.1:4999/callback'] },
];
