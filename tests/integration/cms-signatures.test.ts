import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cmsVerify, openssl } from '../support/openssl';
import { CertificateAuthority } from '../../certs/pki/certificate-authority';
import { FixedClock } from '../../domain/clock';
import { certificateFromPem } from '../../certs/pki/x509';
import { signDetached, type CmsSigner } from '../../certs/signing/cms';
import { parseCrls } from '../../certs/signing/crl-reader';
import { verifyDetached, type TrustSettings } from '../../certs/signing/verification';

const DAY = 86_400_000;

describe('CMS signatures: made by the hub, checked by openssl and by the hub’s verifier', () => {
  let dirs: string[];
  let work: string;
  let authority: CertificateAuthority;
  let stranger: CertificateAuthority;
  const document = Buffer.from('%PDF-1.7\nKết quả giải quyết thủ tục hành chính: Giấy khai sinh số 123/2026\n%%EOF\n');

  const settingsIn = (dir: string) => ({
    dir,
    passphrase: 'cms test passphrase',
    crlUrl: 'http://127.0.0.1:4000/pki/crl.pem',
    organisation: 'UBND tỉnh Huế',
  });
  const file = (name: string, content: Buffer | string) => {
    writeFileSync(path.join(work, name), content);
    return path.join(work, name);
  };
  const signerFor = (ca: CertificateAuthority, serial: string): CmsSigner => ({
    certificate: certificateFromPem(ca.certificatePem(serial)),
    privateKey: ca.privateKey(serial),
    chain: [ca.issuingCertificate, ca.rootCertificate],
  });
  const trust = (now = new Date()): TrustSettings => ({
    trustedRoots: [authority.rootCertificate],
    crls: parseCrls(authority.crlPem()),
    now,
  });
  const newSeal = (commonName: string, validity: { notBefore?: Date; notAfter?: Date } = {}) =>
    authority.issue({
      profile: 'organisation-signing',
      subject: { commonName, organisation: commonName, organisationIdentifier: '000.19.31.H46' },
      ...validity,
    }).record.serialNumber;

  beforeAll(() => {
    dirs = [mkdtempSync(path.join(tmpdir(), 'hub-cms-ca-')), mkdtempSync(path.join(tmpdir(), 'hub-cms-other-'))];
    work = mkdtempSync(path.join(tmpdir(), 'hub-cms-work-'));
    // The CAs were created two years ago, as real ones are older than what they sign.
    const twoYearsAgo = new FixedClock(new Date(Date.now() - 730 * DAY));
    CertificateAuthority.init({ ...settingsIn(dirs[0]!), clock: twoYearsAgo });
    authority = CertificateAuthority.open(settingsIn(dirs[0]!));
    authority.publishCrl();
    stranger = CertificateAuthority.init({ ...settingsIn(dirs[1]!), organisation: 'Unknown Authority' });
  });

  afterAll(() => {
    for (const dir of [...dirs, work]) rmSync(dir, { recursive: true, force: true });
  });

  it('signs a file with a detached CMS signature that openssl cms -verify accepts with our root', () => {
    const serial = newSeal('UBND phường Phú Xuân');
    const signature = signDetached({ bytes: document }, signerFor(authority, serial), new Date());
    const root = file('root.pem', authority.rootPem());
    const result = cmsVerify(file('doc.p7s', signature), file('doc.pdf', document), root);
    expect(result.output).toMatch(/Verification successful/);
    expect(result.status).toBe(0);
    // With the CRL as well.
    // openssl cms takes CRLs from the trust file: the root and the CRLs together.
    const rootAndCrls = file('root-and-crls.pem', authority.rootPem() + authority.crlPem());
    expect(cmsVerify(path.join(work, 'doc.p7s'), path.join(work, 'doc.pdf'), rootAndCrls, '-crl_check_all').output).toMatch(
      /Verification successful/,
    );
    // The signed attributes openssl sees: signing time, message digest, signing-certificate-v2.
    const printed = openssl('cms', '-cmsout', '-print', '-inform', 'DER', '-in', path.join(work, 'doc.p7s')).output;
    expect(printed).toMatch(/signingTime/);
    expect(printed).toMatch(/messageDigest/);
    expect(printed).toMatch(/id-smime-aa-signingCertificateV2|1\.2\.840\.113549\.1\.9\.16\.2\.47/);

    const report = verifyDetached({ bytes: document }, signature, trust());
    expect(report).toMatchObject({ indication: 'PASSED', subIndication: null });
    expect(report.signatures[0]).toMatchObject({
      integrity: true,
      signatureValid: true,
      chainTrusted: true,
      revocation: { source: 'CRL', status: 'GOOD' },
      signer: expect.stringContaining('CN=UBND phường Phú Xuân'),
      issuer: expect.stringContaining('Issuing CA'),
    });
    expect(report.signatures[0]!.chain.map((c) => c.trustedRoot)).toEqual([false, false, true]);
  });

  it('signs a digest without the file (the hash of a scan) with the same result', () => {
    const serial = newSeal('UBND phường Kim Long');
    const digest = createHash('sha256').update(document).digest();
    const signature = signDetached({ sha256: digest }, signerFor(authority, serial), new Date());
    expect(verifyDetached({ bytes: document }, signature, trust()).indication).toBe('PASSED');
    expect(cmsVerify(file('digest.p7s', signature), file('doc.pdf', document), file('root.pem', authority.rootPem())).status).toBe(0);
  });

  it('fails a tampered file on integrity, as openssl does', () => {
    const signature = signDetached({ bytes: document }, signerFor(authority, newSeal('Tamper test')), new Date());
    const tampered = Buffer.from(document.toString().replace('123/2026', '124/2026'));
    const report = verifyDetached({ bytes: tampered }, signature, trust());
    expect(report).toMatchObject({ indication: 'FAILED', subIndication: 'HASH_FAILURE' });
    expect(report.signatures[0]!.integrity).toBe(false);
    const result = cmsVerify(file('t.p7s', signature), file('t.pdf', tampered), file('root.pem', authority.rootPem()));
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/digest failure|Verification failure/i);
  });

  it('fails a signature made after its certificate was revoked', () => {
    const serial = newSeal('Revoked before signing', { notBefore: new Date(Date.now() - 10 * DAY) });
    // CRLs carry whole seconds.
    const revokedAt = new Date(Math.floor((Date.now() - 2 * DAY) / 1000) * 1000);
    authority.revoke(serial, 'keyCompromise', revokedAt);
    const signature = signDetached({ bytes: document }, signerFor(authority, serial), new Date(Date.now() - DAY));
    const report = verifyDetached({ bytes: document }, signature, trust());
    expect(report).toMatchObject({ indication: 'FAILED', subIndication: 'REVOKED' });
    expect(report.signatures[0]!.revocation).toMatchObject({
      status: 'REVOKED',
      reason: 'keyCompromise',
      revokedAt: revokedAt.toISOString(),
    });
  });

  it('passes, with a note, a signature made before its certificate was revoked', () => {
    const serial = newSeal('Revoked after signing', { notBefore: new Date(Date.now() - 10 * DAY) });
    const signature = signDetached({ bytes: document }, signerFor(authority, serial), new Date(Date.now() - 2 * DAY));
    authority.revoke(serial, 'superseded', new Date(Date.now() - DAY));
    const report = verifyDetached({ bytes: document }, signature, trust());
    expect(report.indication).toBe('PASSED');
    expect(report.signatures[0]!.revocation.status).toBe('REVOKED');
    expect(report.signatures[0]!.notes.join(' ')).toMatch(/revoked \(superseded\) .* after the signing time/);
  });

  it('is indeterminate for a signature claimed after its certificate expired; passes with a note when it expired later', () => {
    const expired = newSeal('Expired', { notBefore: new Date(Date.now() - 400 * DAY), notAfter: new Date(Date.now() - 30 * DAY) });
    const late = signDetached({ bytes: document }, signerFor(authority, expired), new Date());
    expect(verifyDetached({ bytes: document }, late, trust())).toMatchObject({
      indication: 'INDETERMINATE',
      subIndication: 'OUT_OF_BOUNDS_NO_POE',
    });
    const inTime = signDetached({ bytes: document }, signerFor(authority, expired), new Date(Date.now() - 60 * DAY));
    const report = verifyDetached({ bytes: document }, inTime, trust());
    expect(report.indication).toBe('PASSED');
    expect(report.signatures[0]!.notes.join(' ')).toMatch(/expired .* after the signing time/);
    const early = signDetached({ bytes: document }, signerFor(authority, expired), new Date(Date.now() - 500 * DAY));
    expect(verifyDetached({ bytes: document }, early, trust())).toMatchObject({ indication: 'FAILED', subIndication: 'NOT_YET_VALID' });
  });

  it('is indeterminate for a signer whose chain ends at a root it does not trust', () => {
    const serial = stranger.issue({ profile: 'organisation-signing', subject: { commonName: 'Somebody' } }).record.serialNumber;
    const signature = signDetached({ bytes: document }, signerFor(stranger, serial), new Date());
    const report = verifyDetached({ bytes: document }, signature, trust());
    expect(report).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'NO_CERTIFICATE_CHAIN_FOUND' });
    expect(report.signatures[0]!.integrity).toBe(true);
    expect(report.signatures[0]!.chainTrusted).toBe(false);
    const result = cmsVerify(file('s.p7s', signature), file('s.pdf', document), file('root.pem', authority.rootPem()));
    expect(result.status).not.toBe(0);
  });

  it('is indeterminate without the issuing CA’s CRL, and fails what is not a signature', () => {
    const signature = signDetached({ bytes: document }, signerFor(authority, newSeal('No CRL')), new Date());
    expect(verifyDetached({ bytes: document }, signature, { ...trust(), crls: [] })).toMatchObject({
      indication: 'INDETERMINATE',
      subIndication: 'TRY_LATER',
    });
    // A CRL signed by someone else is ignored, not believed.
    expect(verifyDetached({ bytes: document }, signature, { ...trust(), crls: parseCrls(stranger.crlPem()) }).subIndication).toBe(
      'TRY_LATER',
    );
    expect(verifyDetached({ bytes: document }, Buffer.from('not a signature'), trust())).toMatchObject({
      indication: 'FAILED',
      subIndication: 'FORMAT_FAILURE',
    });
    expect(readFileSync(path.join(dirs[0]!, 'crl.pem'), 'utf8')).toMatch(/BEGIN X509 CRL/);
  });
});
