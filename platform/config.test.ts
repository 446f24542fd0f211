import { ConfigurationError } from '../domain/errors';
import { configReferenceMarkdown, describeConfig, loadConfig, SETTINGS } from './config';

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
    expect(() =>
      loadConfig({ NODE_ENV: 'production', DEMO_DATA: 'true', HUB_SECRET: 'x'.repeat(32), PKI_KEY_PASSPHRASE: 'p'.repeat(12) }),
    ).toThrow(/DEMO_DATA/);
    expect(loadConfig({ NODE_ENV: 'production', HUB_SECRET: 'x'.repeat(32), PKI_KEY_PASSPHRASE: 'p'.repeat(12) }).DEMO_DATA).toBe(false);
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
    expect(loadConfig({ NODE_ENV: 'production', HUB_SECRET: 'x'.repeat(32), PKI_KEY_PASSPHRASE: 'p'.repeat(12) }).NODE_ENV).toBe(
      'production',
    );
    expect(() => loadConfig({ HUB_SECRET: 'short' })).toThrow(/HUB_SECRET: expected at least 32 characters, got "\*\*\*"/);
  });
});
