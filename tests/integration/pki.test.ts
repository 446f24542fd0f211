import { startTestHub, type TestHub } from '../support/test-hub';
import { execFileSync, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openssl } from '../support/openssl';
import { CertificateAuthority, type AuthoritySettings } from '../../certs/pki/certificate-authority';
import { FixedClock } from '../../domain/clock';
import { HUB_SCRIPT } from '../support/hub-process';
import { dropSchema, freshSchemaName } from '../support/database';
import { testEnv } from '../support/environment';

describe('certificate authority, checked with openssl', () => {
  let dir: string;
  let work: string;
  let settings: AuthoritySettings;
  let authority: CertificateAuthority;
  const write = (name: string, content: string) => {
    const file = path.join(work, name);
    writeFileSync(file, content);
    return file;
  };

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'hub-pki-'));
    work = mkdtempSync(path.join(tmpdir(), 'hub-pki-work-'));
    settings = {
      dir,
      passphrase: 'a passphrase for the tests',
      crlUrl: 'http://127.0.0.1:4000/pki/crl.pem',
      organisation: 'Trung tâm Phục vụ hành chính công thử nghiệm',
    };
    authority = CertificateAuthority.init(settings);
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  it('creates a root and an issuing CA that openssl accepts as a chain', () => {
    const root = write('root.pem', authority.rootPem());
    const chain = write('chain.pem', authority.chainPem());
    const issuing = write('issuing.pem', readFileSync(path.join(dir, 'issuing.crt.pem'), 'utf8'));
    expect(openssl('verify', '-CAfile', root, issuing).output).toMatch(/: OK/);
    const text = openssl('x509', '-in', root, '-noout', '-text', '-nameopt', 'utf8').output;
    expect(text).toMatch(/CA:TRUE, pathlen:1/);
    expect(text).toMatch(/Certificate Sign, CRL Sign/);
    expect(text).toContain('Trung tâm Phục vụ hành chính công thử nghiệm Root CA');
    expect(readFileSync(chain, 'utf8').match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
  });

  it('keeps every private key encrypted (PKCS#8) under the passphrase', () => {
    for (const name of ['root.key.pem', 'issuing.key.pem']) {
      const file = path.join(dir, name);
      expect(readFileSync(file, 'utf8')).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
      expect(openssl('pkey', '-in', file, '-passin', `pass:${settings.passphrase}`, '-noout').status).toBe(0);
      expect(openssl('pkey', '-in', file, '-passin', 'pass:wrong', '-noout').status).not.toBe(0);
    }
    expect(() => CertificateAuthority.open({ ...settings, passphrase: 'not it' })).toThrow(
      expect.objectContaining({ code: 'CONFIGURATION_INVALID', message: expect.stringMatching(/PKI_KEY_PASSPHRASE/) }),
    );
  });

  it.each([
    [
      'organisation-signing',
      { commonName: 'UBND phường Phú Xuân', organisation: 'UBND phường Phú Xuân', organisationIdentifier: '000.19.31.H46' },
      [],
      /Digital Signature, Non Repudiation[\s\S]*1\.3\.6\.1\.5\.5\.7\.3\.36|Digital Signature, Non Repudiation[\s\S]*Document Signing/,
    ],
    [
      'person-signing',
      { commonName: 'Nguyễn Văn An', organisation: 'UBND phường Phú Xuân', organisationalUnit: 'Chủ tịch' },
      [],
      /Digital Signature, Non Repudiation/,
    ],
    [
      'tls-server',
      { commonName: 'hub.example.gov.vn' },
      ['hub.example.gov.vn', '127.0.0.1'],
      /TLS Web Server Authentication[\s\S]*DNS:hub\.example\.gov\.vn, IP Address:127\.0\.0\.1/,
    ],
    ['tls-client', { commonName: 'demo-district' }, [], /TLS Web Client Authentication/],
  ] as const)('issues a %s certificate that openssl verifies against the root', (profile, subject, names, usage) => {
    const { record, certificatePem } = authority.issue({ profile, subject, subjectAltNames: [...names] });
    const leaf = write(`${record.serialNumber}.pem`, certificatePem);
    const root = write('root.pem', authority.rootPem());
    const untrusted = write('issuing-only.pem', readFileSync(path.join(dir, 'issuing.crt.pem'), 'utf8'));
    expect(openssl('verify', '-CAfile', root, '-untrusted', untrusted, leaf).output).toMatch(/: OK/);
    const text = openssl('x509', '-in', leaf, '-noout', '-text', '-nameopt', 'utf8').output;
    expect(text).toMatch(usage);
    expect(text).toContain(subject.commonName);
    expect(text).toMatch(/CRL Distribution Points[\s\S]*URI:http:\/\/127\.0\.0\.1:4000\/pki\/crl\.pem/);
    expect(text).toMatch(/CA:FALSE/);
    // The key the hub generated for it matches the certificate.
    const modulus = (args: string[]) => execFileSync('openssl', args, { encoding: 'utf8' }).trim();
    const keyFile = path.join(dir, 'issued', `${record.serialNumber}.key.pem`);
    expect(modulus(['rsa', '-in', keyFile, '-passin', `pass:${settings.passphrase}`, '-noout', '-modulus'])).toBe(
      modulus(['x509', '-in', leaf, '-noout', '-modulus']),
    );
  });

  it('revokes a certificate into a signed CRL that openssl checks', () => {
    const kept = authority.issue({ profile: 'organisation-signing', subject: { commonName: 'Kept' } });
    const revoked = authority.issue({ profile: 'organisation-signing', subject: { commonName: 'Revoked' } });
    authority.revoke(revoked.record.serialNumber, 'keyCompromise');
    expect(() => authority.revoke(revoked.record.serialNumber)).toThrow(expect.objectContaining({ reason: 'PKI.ALREADY_REVOKED' }));
    const crl = write('crl.pem', authority.crlPem());
    const chain = write('chain.pem', authority.chainPem());
    const root = write('root.pem', authority.rootPem());
    const issuingCrl = write('issuing-crl.pem', authority.crlPem().split(/(?<=-----END X509 CRL-----\n)/)[0]!);
    const crlText = openssl('crl', '-in', issuingCrl, '-CAfile', chain, '-noout', '-text').output;
    expect(crlText).toMatch(/verify OK/);
    expect(crlText.toUpperCase()).toContain(revoked.record.serialNumber.toUpperCase());
    expect(crlText.toUpperCase()).not.toContain(kept.record.serialNumber.toUpperCase());
    expect(crlText).toMatch(/Key Compromise/);
    expect(crlText).toMatch(/X509v3 CRL Number:\s*\n\s*\d+/);
    const untrusted = write('issuing-only.pem', readFileSync(path.join(dir, 'issuing.crt.pem'), 'utf8'));
    const check = (pem: string) =>
      openssl('verify', '-crl_check_all', '-CAfile', root, '-untrusted', untrusted, '-CRLfile', crl, write('leaf.pem', pem)).output;
    expect(check(revoked.certificatePem)).toMatch(/certificate revoked/);
    expect(check(kept.certificatePem)).toMatch(/: OK/);
  });

  it('issues with a key the holder generated, and refuses bad requests with typed errors', () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const issued = authority.issue({
      profile: 'tls-client',
      subject: { commonName: 'external-system' },
      publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    });
    expect(issued.record.hasKey).toBe(false);
    expect(() => authority.privateKey(issued.record.serialNumber)).toThrow(expect.objectContaining({ reason: 'PKI.NO_KEY' }));
    expect(() => authority.issue({ profile: 'root-ca', subject: { commonName: 'x' } })).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT', reason: 'PKI.UNKNOWN_PROFILE' }),
    );
    expect(() => authority.issue({ profile: 'tls-server', subject: { commonName: 'x' } })).toThrow(
      expect.objectContaining({ reason: 'PKI.NO_SUBJECT_ALT_NAME' }),
    );
    expect(() => authority.issue({ profile: 'tls-client', subject: { commonName: 'x' }, publicKeyPem: 'garbage' })).toThrow(
      expect.objectContaining({ reason: 'PKI.INVALID_PUBLIC_KEY' }),
    );
    expect(() => authority.revoke('00ff')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => CertificateAuthority.init(settings)).toThrow(expect.objectContaining({ reason: 'PKI.ALREADY_INITIALISED' }));
  });

  it('re-publishes the CRL only when half of its week has passed', () => {
    const clock = new FixedClock(new Date());
    const timed = CertificateAuthority.open({ ...settings, clock });
    timed.publishCrl();
    expect(timed.refreshCrlIfDue()).toBe(false);
    clock.advance(4 * 86_400_000);
    expect(timed.refreshCrlIfDue()).toBe(true);
    const next = openssl(
      'crl',
      '-in',
      write('c.pem', timed.crlPem().split(/(?<=-----END X509 CRL-----\n)/)[0]!),
      '-noout',
      '-nextupdate',
    ).output;
    expect(Date.parse(next.replace('nextUpdate=', '').trim())).toBeGreaterThan(clock.now().getTime() + 6 * 86_400_000);
  });
});

describe('hub pki (operator command line)', () => {
  let dataDir: string;
  const hub = (...args: string[]) =>
    spawnSync(process.execPath, [HUB_SCRIPT, 'pki', ...args], {
      encoding: 'utf8',
      env: {
        ...database,
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        DATA_DIR: dataDir,
        PKI_KEY_PASSPHRASE: 'command line passphrase',
      },
    });
  // The CA is in the database the hub runs on: here the test server, in a schema of this test's own.
  const schema = freshSchemaName('pki_cli');
  const database = { DATABASE_URL: testEnv('databaseUrl'), DATABASE_SCHEMA: schema };

  beforeAll(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'hub-pki-cli-'));
  });

  afterAll(async () => {
    rmSync(dataDir, { recursive: true, force: true });
    await dropSchema(schema);
  });

  it('explains every command with --help', () => {
    const overview = hub('--help');
    expect(overview.status).toBe(0);
    for (const command of ['init', 'issue', 'list', 'revoke', 'crl', 'root', 'chain']) {
      expect(overview.stdout).toContain(`pki ${command}`);
      const help = hub(command, '--help');
      expect(help.status).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^Usage: hub pki ${command}`));
    }
  });

  it('creates the CA, issues, lists, revokes and prints what relying parties need', () => {
    expect(hub('list').stderr).toMatch(/no certificate authority .* run `hub pki init`/);
    const init = hub('init');
    expect(init.status).toBe(0);
    expect(init.stdout).toMatch(/BEGIN CERTIFICATE/);
    expect(hub('init').stderr).toMatch(/already exists.*--force/);
    const issued = hub('issue', '--profile', 'organisation-signing', '--cn', 'UBND phường Kim Long', '--agency', '000.20.31.H46');
    expect(issued.status).toBe(0);
    const serial = /issued organisation-signing certificate ([0-9a-f]+)/.exec(issued.stdout)![1]!;
    expect(hub('list').stdout).toMatch(new RegExp(`${serial}\\s+organisation-signing\\s+VALID`));
    expect(hub('issue', '--profile', 'tls-server', '--cn', 'x').stderr).toMatch(
      /hub pki: A TLS server certificate needs at least one DNS name/,
    );
    expect(hub('issue', '--profile', 'nonsense', '--cn', 'x').status).not.toBe(0);
    expect(hub('revoke', serial, '--reason', 'superseded').stdout).toMatch(/revoked .* \(superseded\)/);
    expect(JSON.parse(hub('list', '--json').stdout)[0]).toMatchObject({ serialNumber: serial, status: 'REVOKED', reason: 'superseded' });
    expect(hub('revoke', serial).stderr).toMatch(/already revoked/);
    const work = mkdtempSync(path.join(tmpdir(), 'hub-pki-cli-work-'));
    try {
      const root = path.join(work, 'root.pem');
      const leaf = path.join(work, 'leaf.pem');
      const crl = path.join(work, 'crl.pem');
      writeFileSync(root, hub('root').stdout);
      writeFileSync(leaf, hub('show', serial).stdout);
      writeFileSync(crl, hub('crl').stdout);
      const chain = path.join(work, 'chain.pem');
      writeFileSync(chain, hub('chain').stdout);
      expect(openssl('verify', '-CAfile', root, '-untrusted', chain, leaf).output).toMatch(/: OK/);
      expect(openssl('verify', '-crl_check', '-CAfile', root, '-untrusted', chain, '-CRLfile', crl, leaf).output).toMatch(
        /certificate revoked/,
      );
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
    // A wrong passphrase is named, never a stack trace.
    const wrong = spawnSync(process.execPath, [HUB_SCRIPT, 'pki', 'list'], {
      encoding: 'utf8',
      env: { ...database, PATH: process.env.PATH ?? '', DATA_DIR: dataDir, PKI_KEY_PASSPHRASE: 'another passphrase' },
    });
    expect(wrong.status).not.toBe(0);
    expect(wrong.stderr.trim()).toMatch(/^hub pki: PKI_KEY_PASSPHRASE does not open/);
  });

  it('imports the CA folder of an earlier version once: its root stays the trust anchor, its certificates listed', () => {
    const earlier = mkdtempSync(path.join(tmpdir(), 'hub-pki-cli-earlier-'));
    const importSchema = freshSchemaName('pki_import');
    try {
      const folder = CertificateAuthority.init({
        dir: path.join(earlier, 'pki'),
        passphrase: 'command line passphrase',
        crlUrl: 'http://127.0.0.1:4000/pki/crl.pem',
        organisation: 'Earlier Hub',
      });
      const { record } = folder.issue({ profile: 'tls-client', subject: { commonName: 'earlier-client' } });
      const run = (...args: string[]) =>
        spawnSync(process.execPath, [HUB_SCRIPT, 'pki', ...args], {
          encoding: 'utf8',
          env: {
            ...database,
            DATABASE_SCHEMA: importSchema,
            PATH: process.env.PATH ?? '',
            DATA_DIR: earlier,
            PKI_KEY_PASSPHRASE: 'command line passphrase',
          },
        });
      expect(run('root').stdout).toBe(folder.rootPem());
      expect(run('list').stdout).toMatch(new RegExp(`${record.serialNumber}\\s+tls-client\\s+VALID`));
      expect(run('init').stderr).toMatch(/already exists.*--force/);
    } finally {
      rmSync(earlier, { recursive: true, force: true });
      void dropSchema(importSchema);
    }
  });
});

describe('PKI published by the gateway', () => {
  let hub: TestHub;

  beforeAll(async () => {
    hub = await startTestHub('pki_http');
  });

  afterAll(async () => hub?.dispose());

  it('serves the root, the chain and a CRL that follows revocations, without a token', async () => {
    const get = async (name: string) => {
      const response = await fetch(`${hub.url}/pki/${name}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/application\/x-pem-file/);
      return response.text();
    };
    expect(await get('root.pem')).toBe(hub.pki.rootPem());
    expect(await get('chain.pem')).toBe(hub.pki.chainPem());
    const { record, certificatePem } = hub.pki.issue({ profile: 'organisation-signing', subject: { commonName: 'UBND phường Phú Xuân' } });
    hub.pki.revoke(record.serialNumber, 'cessationOfOperation');
    const work = mkdtempSync(path.join(tmpdir(), 'hub-pki-http-'));
    try {
      const file = (name: string, content: string) => {
        writeFileSync(path.join(work, name), content);
        return path.join(work, name);
      };
      const root = file('root.pem', await get('root.pem'));
      const chain = file('chain.pem', await get('chain.pem'));
      const crl = file('crl.pem', await get('crl.pem'));
      expect(
        openssl('verify', '-crl_check_all', '-CAfile', root, '-untrusted', chain, '-CRLfile', crl, file('leaf.pem', certificatePem)).output,
      ).toMatch(/certificate revoked/);
      // The certificate says where that CRL is.
      expect(openssl('x509', '-in', path.join(work, 'leaf.pem'), '-noout', '-ext', 'crlDistributionPoints').output).toContain(
        `${hub.config.PUBLIC_URL}/pki/crl.pem`,
      );
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
