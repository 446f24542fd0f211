import { ConfigurationError } from '../domain/errors';
import { DEFAULT_API_KEY as BUSINESS_SIMULATOR_KEY } from '../connectors/business/simulator/business-simulator.server';
import { DEFAULT_LAND_PASSWORD as LAND_SIMULATOR_PASSWORD } from '../connectors/land/simulator/land-simulator.server';
import { DEFAULT_CLIENT_SECRET as PORTAL_SIMULATOR_SECRET } from '../connectors/portal/simulator/portal-simulator.server';
import { configReferenceMarkdown, describeConfig, loadConfig, SETTINGS } from './config';

/** A production configuration that passes every floor: secrets of its own, https registries. */
const PRODUCTION = {
  NODE_ENV: 'production',
  HUB_SECRET: 'x'.repeat(32),
  PKI_KEY_PASSPHRASE: 'p'.repeat(12),
  POPULATION_REGISTRY_URL: 'https://population.registry.example.vn',
  BUSINESS_REGISTRY_URL: 'https://business.registry.example.vn',
  LAND_REGISTRY_URL: 'https://land.registry.example.vn/soap',
  PORTAL_URL: 'https://portal.example.vn',
  BUSINESS_REGISTRY_API_KEY: 'key-issued-to-this-hub',
  LAND_REGISTRY_PASSWORD: 'password-issued-to-this-hub',
  PORTAL_CLIENT_SECRET: 'secret-issued-to-this-hub',
  IDENTITY_ISSUER_URL: 'https://id.example.vn',
  IDENTITY_CLIENT_SECRET: 'identity-secret-issued-to-this-hub',
} as const;

/** The lines of the one configuration error `env` gives (none when it loads). */
function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as Error).message.split('\n');
  }
}

describe('configuration', () => {
  it('runs with no variables at all (embedded defaults)', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: 4000,
      DATA_DIR: './data',
      KAFKA_TOPIC_PREFIX: 'onestop.',
      START_SIMULATORS: true,
      DEMO_DATA: true,
    });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.KAFKA_BROKERS).toBeUndefined();
  });

  it('parses typed values', () => {
    const config = loadConfig({
      PORT: '8080',
      KAFKA_BROKERS: 'a:9092, b:9093',
      START_SIMULATORS: 'false',
      DATABASE_URL: 'postgresql://u:p@db:5432/hub',
    });
    expect(config.PORT).toBe(8080);
    expect(config.KAFKA_BROKERS).toEqual(['a:9092', 'b:9093']);
    expect(config.START_SIMULATORS).toBe(false);
  });

  it('reports every wrong variable, one line each, naming it, what was expected and what it got', () => {
    expect.assertions(5);
    try {
      loadConfig({ DATABASE_URL: 'mysql://db/hub', PORT: 'eighty', KAFKA_BROKERS: 'nohostport' });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigurationError);
      const lines = (error as Error).message.split('\n');
      expect(lines).toHaveLength(3);
      expect(lines.find((l) => l.startsWith('DATABASE_URL:'))).toMatch(/expected a postgresql:\/\/ URL, got "mysql:\/\/db\/hub"/);
      expect(lines.find((l) => l.startsWith('PORT:'))).toMatch(/got "eighty"/);
      expect(lines.find((l) => l.startsWith('KAFKA_BROKERS:'))).toMatch(/expected host:port/);
    }
  });

  it('never prints a secret in clear, not even in an error', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgresql://user:hunter2@db:5432' })).toThrow(
      /DATABASE_URL: .*got "postgresql:\/\/user:\*\*\*@db:5432"/,
    );
    expect(() => loadConfig({ DATABASE_URL: 'postgresql://user:hunter2@/' })).toThrow(/got "\*\*\*"/);
    const described = describeConfig(loadConfig({ DATABASE_URL: 'postgresql://user:hunter2@db:5432/hub' }));
    expect(JSON.stringify(described)).not.toContain('hunter2');
  });

  it('refuses demo data in production and turns it off by default there', () => {
    expect(() => loadConfig({ ...PRODUCTION, DEMO_DATA: 'true' })).toThrow(/DEMO_DATA/);
    expect(loadConfig(PRODUCTION).DEMO_DATA).toBe(false);
  });

  it('wants the connectors’ client certificate and its key together', () => {
    expect(() => loadConfig({ CONNECTOR_TLS_CERT_FILE: '/etc/hub/client.pem' })).toThrow(
      'CONNECTOR_TLS_KEY_FILE: required with CONNECTOR_TLS_CERT_FILE, got nothing',
    );
    expect(() => loadConfig({ CONNECTOR_TLS_KEY_FILE: '/etc/hub/client.key' })).toThrow(
      'CONNECTOR_TLS_CERT_FILE: required with CONNECTOR_TLS_KEY_FILE, got nothing',
    );
    expect(loadConfig({ CONNECTOR_TLS_CERT_FILE: 'a.pem', CONNECTOR_TLS_KEY_FILE: 'a.key' }).CONNECTOR_TLS_CERT_FILE).toBe('a.pem');
  });

  it('documents every variable', () => {
    const table = configReferenceMarkdown();
    for (const name of Object.keys(SETTINGS)) expect(table).toContain(`\`${name}\``);
  });
});

describe('production', () => {
  it('requires the hub secret and the PKI passphrase', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/^HUB_SECRET: required in production/m);
    expect(() => loadConfig({ NODE_ENV: 'production', HUB_SECRET: 'x'.repeat(32) })).toThrow(
      /^PKI_KEY_PASSPHRASE: required in production/m,
    );
    expect(loadConfig(PRODUCTION).NODE_ENV).toBe('production');
    expect(() => loadConfig({ HUB_SECRET: 'short' })).toThrow(/HUB_SECRET: expected at least 32 characters, got "\*\*\*"/);
  });
});

describe('production floors (finding: production accepted development secrets, simulator credentials, START_SIMULATORS, plain http, plaintext Kafka)', () => {
  it('the production configuration of these tests passes every floor', () => {
    expect(problemsOf(PRODUCTION)).toEqual([]);
  });

  it.each([
    [
      'HUB_SECRET',
      'development-only-secret-do-not-use-in-production',
      'HUB_SECRET: expected a secret of this deployment in production, got the published development value "***"',
    ],
    [
      'PKI_KEY_PASSPHRASE',
      'development-only-pki-passphrase',
      'PKI_KEY_PASSPHRASE: expected a secret of this deployment in production, got the published development value "***"',
    ],
    [
      'DEMO_CLIENT_SECRET',
      'demo-secret',
      'DEMO_CLIENT_SECRET: expected a secret of this deployment in production, got the published development value "***"',
    ],
    [
      'BUSINESS_REGISTRY_API_KEY',
      BUSINESS_SIMULATOR_KEY,
      'BUSINESS_REGISTRY_API_KEY: expected a secret of this deployment in production, got the published development value "***"',
    ],
    [
      'LAND_REGISTRY_PASSWORD',
      LAND_SIMULATOR_PASSWORD,
      'LAND_REGISTRY_PASSWORD: expected a secret of this deployment in production, got the published development value "***"',
    ],
    [
      'PORTAL_CLIENT_SECRET',
      PORTAL_SIMULATOR_SECRET,
      'PORTAL_CLIENT_SECRET: expected a secret of this deployment in production, got the published development value "***"',
    ],
    [
      'IDENTITY_CLIENT_SECRET',
      'identity-sim-secret',
      'IDENTITY_CLIENT_SECRET: expected a secret of this deployment in production, got the published development value "***"',
    ],
    ['START_SIMULATORS', 'true', 'START_SIMULATORS: the registry simulators are refused in production, got "true"'],
    ['START_SIMULATORS', 'yes', 'START_SIMULATORS: the registry simulators are refused in production, got "yes"'],
    [
      'POPULATION_REGISTRY_URL',
      'http://population.registry.example.vn',
      'POPULATION_REGISTRY_URL: expected an https:// URL in production (or population in ALLOW_PLAIN_HTTP_UPSTREAMS), got "http://population.registry.example.vn"',
    ],
    [
      'BUSINESS_REGISTRY_URL',
      'http://127.0.0.1:4102',
      'BUSINESS_REGISTRY_URL: expected an https:// URL in production (or business in ALLOW_PLAIN_HTTP_UPSTREAMS), got "http://127.0.0.1:4102"',
    ],
    [
      'LAND_REGISTRY_URL',
      'http://hub:s3cret@land.registry.example.vn/soap',
      'LAND_REGISTRY_URL: expected an https:// URL in production (or land in ALLOW_PLAIN_HTTP_UPSTREAMS), got "http://hub:***@land.registry.example.vn/soap"',
    ],
    [
      'PORTAL_URL',
      'http://portal.example.vn',
      'PORTAL_URL: expected an https:// URL in production (or portal in ALLOW_PLAIN_HTTP_UPSTREAMS), got "http://portal.example.vn"',
    ],
    [
      'IDENTITY_ISSUER_URL',
      'http://127.0.0.1:4105',
      'IDENTITY_ISSUER_URL: expected an https:// URL in production (or identity in ALLOW_PLAIN_HTTP_UPSTREAMS), got "http://127.0.0.1:4105"',
    ],
  ])('refuses %s=%s in production, in one line', (name, value, line) => {
    expect(problemsOf({ ...PRODUCTION, [name]: value })).toEqual([line]);
    // The same value is fine outside production: the floors are production's.
    expect(problemsOf({ ...PRODUCTION, NODE_ENV: 'development', [name]: value })).toEqual([]);
  });

  it.each([
    ['BUSINESS_REGISTRY_API_KEY', 'BUSINESS_REGISTRY_API_KEY: required in production (the default is the simulator’s), got nothing'],
    ['LAND_REGISTRY_PASSWORD', 'LAND_REGISTRY_PASSWORD: required in production (the default is the simulator’s), got nothing'],
    ['PORTAL_CLIENT_SECRET', 'PORTAL_CLIENT_SECRET: required in production (the default is the simulator’s), got nothing'],
    ['POPULATION_REGISTRY_URL', 'POPULATION_REGISTRY_URL: required in production (the default is the simulator’s address), got nothing'],
    ['BUSINESS_REGISTRY_URL', 'BUSINESS_REGISTRY_URL: required in production (the default is the simulator’s address), got nothing'],
    ['LAND_REGISTRY_URL', 'LAND_REGISTRY_URL: required in production (the default is the simulator’s address), got nothing'],
    ['PORTAL_URL', 'PORTAL_URL: required in production (the default is the simulator’s address), got nothing'],
    ['IDENTITY_CLIENT_SECRET', 'IDENTITY_CLIENT_SECRET: required in production (the default is the simulator’s), got nothing'],
    ['IDENTITY_ISSUER_URL', 'IDENTITY_ISSUER_URL: required in production (the default is the simulator’s address), got nothing'],
  ])('requires %s in production (no simulator default)', (name, line) => {
    const { [name as keyof typeof PRODUCTION]: _dropped, ...rest } = PRODUCTION;
    expect(problemsOf(rest)).toEqual([line]);
    expect(problemsOf({ ...PRODUCTION, [name]: '' })).toEqual([line]);
  });

  it('allows plain http per upstream by name, and only for the upstreams named', () => {
    const plain = {
      ...PRODUCTION,
      BUSINESS_REGISTRY_URL: 'http://business.internal:8080',
      LAND_REGISTRY_URL: 'http://land.internal/soap',
      PORTAL_URL: 'http://portal.internal',
    };
    expect(problemsOf({ ...plain, ALLOW_PLAIN_HTTP_UPSTREAMS: 'land, portal' })).toEqual([
      'BUSINESS_REGISTRY_URL: expected an https:// URL in production (or business in ALLOW_PLAIN_HTTP_UPSTREAMS), got "http://business.internal:8080"',
    ]);
    expect(loadConfig({ ...plain, ALLOW_PLAIN_HTTP_UPSTREAMS: 'business,land,portal' }).ALLOW_PLAIN_HTTP_UPSTREAMS).toEqual([
      'business',
      'land',
      'portal',
    ]);
    expect(problemsOf({ ...PRODUCTION, ALLOW_PLAIN_HTTP_UPSTREAMS: 'land,kafka' })).toEqual([
      'ALLOW_PLAIN_HTTP_UPSTREAMS: expected a comma-separated list of population, business, land, portal, identity, or none, got "land,kafka"',
    ]);
    expect(problemsOf({ ...PRODUCTION, ALLOW_PLAIN_HTTP_UPSTREAMS: 'toString' })).toEqual([
      'ALLOW_PLAIN_HTTP_UPSTREAMS: expected a comma-separated list of population, business, land, portal, identity, or none, got "toString"',
    ]);
  });

  it('turns the simulators off in production unless told otherwise, which is refused', () => {
    expect(loadConfig(PRODUCTION).START_SIMULATORS).toBe(false);
    expect(loadConfig({ ...PRODUCTION, START_SIMULATORS: 'false' }).START_SIMULATORS).toBe(false);
    expect(loadConfig({}).START_SIMULATORS).toBe(true);
  });

  it('refuses plaintext Kafka in production unless allowed', () => {
    const brokers = { ...PRODUCTION, KAFKA_BROKERS: 'kafka-1:9093' };
    expect(problemsOf(brokers)).toEqual([
      'KAFKA_SSL: expected true in production with KAFKA_BROKERS (or KAFKA_ALLOW_PLAINTEXT=true), got nothing',
    ]);
    expect(problemsOf({ ...brokers, KAFKA_SSL: 'false' })).toEqual([
      'KAFKA_SSL: expected true in production with KAFKA_BROKERS (or KAFKA_ALLOW_PLAINTEXT=true), got "false"',
    ]);
    expect(problemsOf({ ...brokers, KAFKA_SSL: 'true' })).toEqual([]);
    expect(problemsOf({ ...brokers, KAFKA_ALLOW_PLAINTEXT: 'true' })).toEqual([]);
    // In-process events need no broker security.
    expect(problemsOf(PRODUCTION)).toEqual([]);
  });

  it('reports every floor at once, one line each, never a secret in clear', () => {
    const lines = problemsOf({
      NODE_ENV: 'production',
      HUB_SECRET: 'development-only-secret-do-not-use-in-production',
      PKI_KEY_PASSPHRASE: 'development-only-pki-passphrase',
      START_SIMULATORS: 'true',
      POPULATION_REGISTRY_URL: 'https://127.0.0.1:4101',
      BUSINESS_REGISTRY_URL: 'http://127.0.0.1:4102',
      LAND_REGISTRY_URL: 'http://127.0.0.1:4103/soap',
      PORTAL_URL: 'http://127.0.0.1:4104',
      BUSINESS_REGISTRY_API_KEY: 'business-sim-key',
      LAND_REGISTRY_PASSWORD: 'land-sim-password',
      PORTAL_CLIENT_SECRET: 'portal-sim-secret',
      IDENTITY_ISSUER_URL: 'http://127.0.0.1:4105',
      IDENTITY_CLIENT_SECRET: 'identity-sim-secret',
      KAFKA_BROKERS: '127.0.0.1:19092',
    });
    expect(lines.map((line) => line.split(':')[0])).toEqual([
      'HUB_SECRET',
      'PKI_KEY_PASSPHRASE',
      'BUSINESS_REGISTRY_API_KEY',
      'LAND_REGISTRY_PASSWORD',
      'PORTAL_CLIENT_SECRET',
      'IDENTITY_CLIENT_SECRET',
      'START_SIMULATORS',
      'BUSINESS_REGISTRY_URL',
      'LAND_REGISTRY_URL',
      'PORTAL_URL',
      'IDENTITY_ISSUER_URL',
      'KAFKA_SSL',
    ]);
    for (const secret of ['development-only', 'business-sim-key', 'land-sim-password', 'portal-sim-secret']) {
      expect(lines.join('\n')).not.toContain(secret);
    }
  });
});

describe('Kafka TLS and SASL settings', () => {
  it('parses them', () => {
    expect(
      loadConfig({
        KAFKA_BROKERS: 'kafka-1:9093',
        KAFKA_SSL: 'true',
        KAFKA_SSL_CA_FILE: '/etc/hub/kafka-ca.pem',
        KAFKA_SSL_CERT_FILE: '/etc/hub/kafka.crt.pem',
        KAFKA_SSL_KEY_FILE: '/etc/hub/kafka.key.pem',
        KAFKA_SASL_MECHANISM: 'scram-sha-512',
        KAFKA_SASL_USERNAME: 'hub',
        KAFKA_SASL_PASSWORD: 'kafka-password',
      }),
    ).toMatchObject({
      KAFKA_SSL: true,
      KAFKA_SSL_CA_FILE: '/etc/hub/kafka-ca.pem',
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'hub',
    });
  });

  it.each([
    [{ KAFKA_SASL_MECHANISM: 'gssapi' }, [/^KAFKA_SASL_MECHANISM: .*'plain' \| 'scram-sha-256' \| 'scram-sha-512'.*, got "gssapi"$/]],
    [
      { KAFKA_SASL_MECHANISM: 'plain' },
      [
        /^KAFKA_SASL_USERNAME: required with KAFKA_SASL_MECHANISM=plain, got nothing$/,
        /^KAFKA_SASL_PASSWORD: required with KAFKA_SASL_MECHANISM=plain, got nothing$/,
      ],
    ],
    [
      { KAFKA_SASL_USERNAME: 'hub', KAFKA_SASL_PASSWORD: 'pw' },
      [/^KAFKA_SASL_MECHANISM: expected plain, scram-sha-256 or scram-sha-512 with KAFKA_SASL_USERNAME\/PASSWORD, got nothing$/],
    ],
    [{ KAFKA_SSL_CA_FILE: '/ca.pem' }, [/^KAFKA_SSL_CA_FILE: used only with KAFKA_SSL=true, got "\/ca.pem" with KAFKA_SSL=false$/]],
    [{ KAFKA_SSL: 'true', KAFKA_SSL_CERT_FILE: '/c.pem' }, [/^KAFKA_SSL_KEY_FILE: required with KAFKA_SSL_CERT_FILE, got nothing$/]],
    [{ KAFKA_SSL: 'true', KAFKA_SSL_KEY_FILE: '/k.pem' }, [/^KAFKA_SSL_CERT_FILE: required with KAFKA_SSL_KEY_FILE, got nothing$/]],
  ])('refuses settings that do not go together: %j', (env, lines) => {
    const problems = problemsOf(env as Record<string, string>);
    expect(problems).toHaveLength(lines.length);
    lines.forEach((line, i) => expect(problems[i]).toMatch(line));
  });
});

describe('RECEPTION_CONFIRMING_REGISTRIES', () => {
  it('asks every registry by default, the ones named, or none', () => {
    expect(loadConfig({}).RECEPTION_CONFIRMING_REGISTRIES).toEqual(['population', 'business', 'land']);
    expect(loadConfig({ RECEPTION_CONFIRMING_REGISTRIES: 'land, population' }).RECEPTION_CONFIRMING_REGISTRIES).toEqual([
      'land',
      'population',
    ]);
    expect(loadConfig({ RECEPTION_CONFIRMING_REGISTRIES: 'none' }).RECEPTION_CONFIRMING_REGISTRIES).toEqual([]);
    expect(() => loadConfig({ RECEPTION_CONFIRMING_REGISTRIES: 'tax' })).toThrow(/^RECEPTION_CONFIRMING_REGISTRIES: expected/m);
  });
});
