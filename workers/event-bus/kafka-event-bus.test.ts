import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../platform/config';
import { kafkaConnectionSecurity } from './kafka-event-bus';

/** A self-signed certificate and its key made by openssl (a tool the hub did not write), as PEM files. */
function certificateFiles(dir: string, name: string): { certFile: string; keyFile: string } {
  const certFile = path.join(dir, `${name}.crt.pem`);
  const keyFile = path.join(dir, `${name}.key.pem`);
  const result = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-subj',
      `/CN=${name}`,
      '-days',
      '2',
    ],
    { encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`openssl failed: ${result.stderr}`);
  return { certFile, keyFile };
}

describe('Kafka TLS and SASL settings as kafkajs options', () => {
  let dir: string;
  let ca: { certFile: string; keyFile: string };
  let client: { certFile: string; keyFile: string };
  let other: { certFile: string; keyFile: string };

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'hub-kafka-tls-'));
    ca = certificateFiles(dir, 'kafka-ca');
    client = certificateFiles(dir, 'hub-client');
    other = certificateFiles(dir, 'someone-else');
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const security = (env: Record<string, string>) => kafkaConnectionSecurity(loadConfig({ KAFKA_BROKERS: 'kafka-1:9093', ...env }));

  it('is plaintext without authentication by default', () => {
    expect(security({})).toEqual({});
  });

  it('uses TLS with Node’s trust store when no CA file is given', () => {
    expect(security({ KAFKA_SSL: 'true' })).toEqual({ ssl: true });
  });

  it('trusts the CA file and presents the client certificate, read from their files', () => {
    expect(
      security({
        KAFKA_SSL: 'true',
        KAFKA_SSL_CA_FILE: ca.certFile,
        KAFKA_SSL_CERT_FILE: client.certFile,
        KAFKA_SSL_KEY_FILE: client.keyFile,
      }),
    ).toEqual({
      ssl: {
        rejectUnauthorized: true,
        ca: [readFileSync(ca.certFile, 'utf8')],
        cert: readFileSync(client.certFile, 'utf8'),
        key: readFileSync(client.keyFile, 'utf8'),
      },
    });
    expect(security({ KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: ca.certFile })).toEqual({
      ssl: { rejectUnauthorized: true, ca: [readFileSync(ca.certFile, 'utf8')] },
    });
  });

  it.each([
    ['plain', { mechanism: 'plain', username: 'hub', password: 'kafka-password' }],
    ['scram-sha-256', { mechanism: 'scram-sha-256', username: 'hub', password: 'kafka-password' }],
    ['scram-sha-512', { mechanism: 'scram-sha-512', username: 'hub', password: 'kafka-password' }],
  ])('authenticates with SASL %s', (mechanism, sasl) => {
    expect(
      security({ KAFKA_SSL: 'true', KAFKA_SASL_MECHANISM: mechanism, KAFKA_SASL_USERNAME: 'hub', KAFKA_SASL_PASSWORD: 'kafka-password' }),
    ).toEqual({ ssl: true, sasl });
  });

  it.each([
    [
      'an unreadable CA file',
      () => ({ KAFKA_SSL_CA_FILE: '/nonexistent/ca.pem' }),
      /^KAFKA_SSL_CA_FILE: cannot read "\/nonexistent\/ca.pem": ENOENT$/,
    ],
    ['a CA file that holds no certificate', () => ({ KAFKA_SSL_CA_FILE: ca.keyFile }), /^KAFKA_SSL_CA_FILE: expected PEM CA certificates$/],
    [
      'a key for another certificate',
      () => ({ KAFKA_SSL_CERT_FILE: client.certFile, KAFKA_SSL_KEY_FILE: other.keyFile }),
      /^KAFKA_SSL_KEY_FILE: this key does not belong to the certificate of KAFKA_SSL_CERT_FILE$/,
    ],
    [
      'a certificate file holding a key',
      () => ({ KAFKA_SSL_CERT_FILE: client.keyFile, KAFKA_SSL_KEY_FILE: client.keyFile }),
      /^KAFKA_SSL_CERT_FILE: expected a PEM certificate$/,
    ],
    [
      'a key file holding a certificate',
      () => ({ KAFKA_SSL_CERT_FILE: client.certFile, KAFKA_SSL_KEY_FILE: client.certFile }),
      /^KAFKA_SSL_KEY_FILE: expected an unencrypted PEM private key$/,
    ],
  ])('stops with the setting named for %s', (_case, files, message) => {
    expect(() => security({ KAFKA_SSL: 'true', ...files() })).toThrow(message);
  });
});
