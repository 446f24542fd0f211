import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CertificateAuthority } from '../../certs/pki/certificate-authority';
import { certificateFromPem } from '../../certs/pki/x509';
import { extractPdfSignature, signPdf } from '../../certs/signing/pades';
import { parseCrls } from '../../certs/signing/crl-reader';
import { verifyDetached } from '../../certs/signing/verification';
import { fontData } from '../../forms/fonts';
import { SAMPLE_DATA } from '../../forms/form-samples';
import { renderForm } from '../../forms/render-form';
import { nssDatabaseTrusting, pdfsig } from '../support/openssl';

const run = (command: string, ...args: string[]) => {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  return { status: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
};

describe('PDF signatures (PAdES), checked with pdfsig', () => {
  let dir: string;
  let work: string;
  let authority: CertificateAuthority;
  let nssdb: string;
  let signed: Buffer;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'hub-pades-ca-'));
    work = mkdtempSync(path.join(tmpdir(), 'hub-pades-'));
    authority = CertificateAuthority.init({
      dir,
      passphrase: 'pades test passphrase',
      crlUrl: 'http://127.0.0.1:4000/pki/crl.pem',
      organisation: 'UBND tỉnh Huế',
    });
    // pdfsig trusts what its NSS database holds: put the hub's root there, as a relying party would.
    nssdb = nssDatabaseTrusting(authority.rootPem(), path.join(work, 'nssdb'));
    const serial = authority.issue({
      profile: 'organisation-signing',
      subject: {
        commonName: 'Ủy ban nhân dân Phường Phú Xuân',
        organisation: 'Ủy ban nhân dân Phường Phú Xuân',
        organisationIdentifier: '000.19.31.H46',
      },
    }).record.serialNumber;
    const signer = {
      certificate: certificateFromPem(authority.certificatePem(serial)),
      privateKey: authority.privateKey(serial),
      chain: [authority.issuingCertificate, authority.rootCertificate],
    };
    const pdf = await renderForm('01', SAMPLE_DATA['01']);
    signed = await signPdf(pdf, signer, {
      reason: 'Ký số kết quả giải quyết thủ tục hành chính',
      location: 'Phường Phú Xuân, thành phố Huế',
      signingTime: new Date(),
      font: fontData().regular,
    });
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  it('makes a signature pdfsig reports valid, with our CA as the trusted chain', () => {
    const file = path.join(work, 'signed.pdf');
    writeFileSync(file, signed);
    const report = pdfsig(file, nssdb);
    expect(report).toMatch(/Signature Validation: Signature is Valid\./);
    expect(report).toMatch(/Certificate Validation: Certificate is Trusted\./);
    expect(report).toMatch(/Signer Certificate Common Name: Ủy ban nhân dân Phường Phú Xuân/);
    expect(report).toMatch(/Signature Type: ETSI\.CAdES\.detached/);
    expect(report).toMatch(/Total document signed/);
    // Without our root in its database, pdfsig does not trust the signer.
    const emptyDb = mkdtempSync(path.join(work, 'empty-'));
    run('certutil', '-N', '-d', `sql:${emptyDb}`, '--empty-password');
    const untrusted = pdfsig(file, `sql:${emptyDb}`);
    expect(untrusted).toMatch(/Signature #1/);
    expect(untrusted).not.toMatch(/Certificate is Trusted/);
  });

  it('shows a visible signature block with the signer, time, reason and place', () => {
    const file = path.join(work, 'visible.pdf');
    writeFileSync(file, signed);
    const text = run('pdftotext', '-raw', '-enc', 'UTF-8', file, '-').output;
    expect(text).toMatch(/Ký số bởi: Ủy ban nhân dân Phường Phú Xuân/);
    expect(text).toMatch(/Thời gian ký: \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}/);
    expect(text).toMatch(/Lý do: Ký số kết quả/);
    expect(text).toMatch(/Nơi ký: Phường Phú Xuân/);
  });

  it('is reported as changed when a signed byte changes, by pdfsig and by the hub’s verifier', () => {
    const { signedContent, cms } = extractPdfSignature(signed);
    const trust = { trustedRoots: [authority.rootCertificate], crls: parseCrls(authority.crlPem()), now: new Date() };
    expect(verifyDetached({ bytes: signedContent }, cms, trust)).toMatchObject({ indication: 'PASSED' });
    const tampered = Buffer.from(signed);
    const at = tampered.indexOf('/Producer') >= 0 ? tampered.indexOf('/Producer') + 12 : 200;
    tampered[at] = tampered[at] === 0x41 ? 0x42 : 0x41;
    const file = path.join(work, 'tampered.pdf');
    writeFileSync(file, tampered);
    expect(pdfsig(file, nssdb)).toMatch(/Signature Validation: Digest Mismatch\./);
    const extracted = extractPdfSignature(tampered);
    expect(verifyDetached({ bytes: extracted.signedContent }, extracted.cms, trust)).toMatchObject({
      indication: 'FAILED',
      subIndication: 'HASH_FAILURE',
    });
  });
});
