import { dropSchema } from '../support/database';
import { spawnHub } from '../support/hub-process';
import { freePort } from '../support/ports';
import { testEnv } from '../support/environment';

/** Start-up with a wrong setting: one clear line naming the variable, exit code 1, no stack trace. */
async function startExpectingFailure(env: Record<string, string>): Promise<string> {
  const port = await freePort();
  const hub = spawnHub({
    PORT: String(port),
    START_SIMULATORS: 'false',
    PORTAL_SYNC: 'false',
    DEMO_DATA: 'false',
    POPULATION_REGISTRY_URL: testEnv('populationUrl'),
    LOG_LEVEL: 'silent',
    ...env,
  });
  expect(await hub.exited).toBe(1);
  const output = hub.output();
  expect(output).not.toMatch(/^\s+at /m);
  return output.trim();
}

describe('bad configuration stops start-up with a clear message', () => {
  afterAll(() => dropSchema('bad_config_check'));

  it('names a malformed DATABASE_URL', async () => {
    const output = await startExpectingFailure({ DATABASE_URL: 'mysql://somewhere/hub' });
    expect(output).toMatch(
      /^hub: invalid configuration:\n {2}DATABASE_URL: expected a postgresql:\/\/ URL, got "mysql:\/\/somewhere\/hub"$/,
    );
  });

  it('names every wrong variable at once', async () => {
    const output = await startExpectingFailure({ PORT: '99999', KAFKA_BROKERS: 'not a broker', LOG_LEVEL: 'loud' });
    expect(
      output
        .split('\n')
        .slice(1)
        .map((line) => line.trim().split(':')[0]),
    ).toEqual(['PORT', 'LOG_LEVEL', 'KAFKA_BROKERS']);
  });

  it('names an unreachable broker', async () => {
    const port = await freePort();
    const output = await startExpectingFailure({
      KAFKA_BROKERS: `127.0.0.1:${port}`,
      DATABASE_URL: testEnv('databaseUrl'),
      DATABASE_SCHEMA: 'bad_config_check',
    });
    expect(output).toMatch(new RegExp(`^hub: cannot start: KAFKA_BROKERS: cannot reach 127\\.0\\.0\\.1:${port}: .+$`));
    expect(output.split('\n')).toHaveLength(1);
  });

  it('names an unreachable database server, without its password', async () => {
    const port = await freePort();
    const output = await startExpectingFailure({ DATABASE_URL: `postgresql://hub:s3cret@127.0.0.1:${port}/hub` });
    expect(output).toBe(`hub: cannot start: DATABASE_URL: cannot connect to "postgresql://hub:***@127.0.0.1:${port}/hub": ECONNREFUSED`);
  });

  describe('production floors', () => {
    /** Production settings that pass every floor, against the test simulators (plain http, allowed by name). */
    const production = () => ({
      NODE_ENV: 'production',
      HUB_SECRET: 'a-production-secret-of-at-least-32-chars',
      PKI_KEY_PASSPHRASE: 'a-production-pki-passphrase',
      POPULATION_REGISTRY_URL: testEnv('populationUrl'),
      BUSINESS_REGISTRY_URL: testEnv('businessUrl'),
      LAND_REGISTRY_URL: `${testEnv('landUrl')}/soap`,
      PORTAL_URL: testEnv('portalUrl'),
      IDENTITY_ISSUER_URL: testEnv('identityUrl'),
      ALLOW_PLAIN_HTTP_UPSTREAMS: 'population,business,land,portal,identity',
      BUSINESS_REGISTRY_API_KEY: 'key-issued-to-this-hub',
      LAND_REGISTRY_PASSWORD: 'password-issued-to-this-hub',
      PORTAL_CLIENT_SECRET: 'secret-issued-to-this-hub',
      IDENTITY_CLIENT_SECRET: 'identity-secret-issued-to-this-hub',
    });

    it('a production hub refuses to start with the simulators’ credentials, naming each, none in clear', async () => {
      const output = await startExpectingFailure({
        ...production(),
        BUSINESS_REGISTRY_API_KEY: 'business-sim-key',
        LAND_REGISTRY_PASSWORD: 'land-sim-password',
        PORTAL_CLIENT_SECRET: 'portal-sim-secret',
      });
      expect(output).toBe(
        [
          'hub: invalid configuration:',
          '  BUSINESS_REGISTRY_API_KEY: expected a secret of this deployment in production, got the published development value "***"',
          '  LAND_REGISTRY_PASSWORD: expected a secret of this deployment in production, got the published development value "***"',
          '  PORTAL_CLIENT_SECRET: expected a secret of this deployment in production, got the published development value "***"',
        ].join('\n'),
      );
    });

    it('a production hub refuses the development secrets, the simulators and a plain-http registry not allowed by name', async () => {
      const output = await startExpectingFailure({
        ...production(),
        HUB_SECRET: 'development-only-secret-do-not-use-in-production',
        START_SIMULATORS: 'true',
        ALLOW_PLAIN_HTTP_UPSTREAMS: 'population,land,portal,identity',
      });
      expect(output).toBe(
        [
          'hub: invalid configuration:',
          '  HUB_SECRET: expected a secret of this deployment in production, got the published development value "***"',
          '  START_SIMULATORS: the registry simulators are refused in production, got "true"',
          `  BUSINESS_REGISTRY_URL: expected an https:// URL in production (or business in ALLOW_PLAIN_HTTP_UPSTREAMS), got "${testEnv('businessUrl')}"`,
        ].join('\n'),
      );
    });

    it('a production hub refuses plaintext Kafka unless allowed', async () => {
      const output = await startExpectingFailure({ ...production(), KAFKA_BROKERS: testEnv('kafkaBrokers') });
      expect(output).toBe(
        'hub: invalid configuration:\n  KAFKA_SSL: expected true in production with KAFKA_BROKERS (or KAFKA_ALLOW_PLAINTEXT=true), got nothing',
      );
    });
  });
});
