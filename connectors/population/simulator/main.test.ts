import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CliUsageError, parseCliOptions } from './main';

describe('population simulator command line', () => {
  let dir: string;
  const file = (name: string) => path.join(dir, name);

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'population-cli-'));
    for (const name of ['server.pem', 'server.key.pem', 'ca.pem']) writeFileSync(file(name), `-----BEGIN ${name}-----\n`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves plain HTTP by default', () => {
    expect(parseCliOptions([], {})).toEqual({ host: '127.0.0.1', port: 4101, seed: 20250701, size: 10_000 });
  });

  it('reads the TLS files from options or the environment, options first', () => {
    const fromOptions = parseCliOptions(
      ['--tls-cert', file('server.pem'), '--tls-key', file('server.key.pem'), '--client-ca', file('ca.pem')],
      {},
    );
    expect(fromOptions).toMatchObject({
      tls: {
        certificatePem: '-----BEGIN server.pem-----\n',
        keyPem: '-----BEGIN server.key.pem-----\n',
        clientCaPem: '-----BEGIN ca.pem-----\n',
      },
    });
    const env = {
      POPULATION_SIM_TLS_CERT: file('server.pem'),
      POPULATION_SIM_TLS_KEY: file('server.key.pem'),
      POPULATION_SIM_CLIENT_CA: file('ca.pem'),
    };
    expect(parseCliOptions(['--client-ca', file('server.pem')], env)).toMatchObject({
      tls: { clientCaPem: '-----BEGIN server.pem-----\n' },
    });
  });

  it('refuses TLS options given in part, and files it cannot read, naming them', () => {
    expect(() => parseCliOptions(['--tls-cert', file('server.pem')], {})).toThrow(
      new CliUsageError('--tls-cert, --tls-key and --client-ca go together'),
    );
    expect(() =>
      parseCliOptions(['--tls-cert', file('server.pem'), '--tls-key', file('missing.pem'), '--client-ca', file('ca.pem')], {}),
    ).toThrow(`--tls-key: cannot read "${file('missing.pem')}" (ENOENT)`);
  });
});
