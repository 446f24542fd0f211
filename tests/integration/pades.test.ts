import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CertificateAuthority } from '../../certs/pki/certificate-authority';
import { certificateFromPem } from '../../certs/pki/x509';
import { plainAddPlaceholder } from '@signpdf/placeholder-plain';
import signpdf from '@signpdf/signpdf';
import { Signer, SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils';
import { signDetached, type CmsSigner } from '../../certs/signing/cms';
import { extractPdfSignatures, signPdf } from '../../certs/signing/pades';
import { TimeStampAuthority } from '../../certs/signing/time-stamp';
import { parseCrls } from '../../certs/signing/crl-reader';
import { verifyDetached, verifyPdf } from '../../certs/signing/verification';
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
  let seal: CmsSigner;

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
    const signer = (seal = {
      certificate: certificateFromPem(authority.certificatePem(serial)),
      privateKey: authority.privateKey(serial),
      chain: [authority.issuingCertificate, authority.rootCertificate],
    });
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
    const { signedContent, cms } = extractPdfSignatures(signed).at(-1)!;
    const trust = { trustedRoots: [authority.rootCertificate], crls: parseCrls(authority.crlPem()), now: new Date() };
    expect(verifyDetached({ bytes: signedContent }, cms, trust)).toMatchObject({ indication: 'PASSED' });
    const tampered = Buffer.from(signed);
    const at = tampered.indexOf('/Producer') >= 0 ? tampered.indexOf('/Producer') + 12 : 200;
    tampered[at] = tampered[at] === 0x41 ? 0x42 : 0x41;
    const file = path.join(work, 'tampered.pdf');
    writeFileSync(file, tampered);
    expect(pdfsig(file, nssdb)).toMatch(/Signature Validation: Digest Mismatch\./);
    const extracted = extractPdfSignatures(tampered).at(-1)!;
    expect(verifyDetached({ bytes: extracted.signedContent }, extracted.cms, trust)).toMatchObject({
      indication: 'FAILED',
      subIndication: 'HASH_FAILURE',
    });
  });

  it('verifies every signature of a PDF signed twice (the organisation, then a person), as pdfsig does', async () => {
    // A person signs the sealed PDF again in an incremental update, leaving the first signature intact.
    const personSerial = authority.issue({
      profile: 'person-signing',
      subject: { commonName: 'Nguyễn Văn An', organisation: 'Ủy ban nhân dân Phường Phú Xuân' },
    }).record.serialNumber;
    const person: CmsSigner = {
      certificate: certificateFromPem(authority.certificatePem(personSerial)),
      privateKey: authority.privateKey(personSerial),
      chain: seal.chain,
    };
    class PersonSigner extends Signer {
      override async sign(content: Buffer): Promise<Buffer> {
        return signDetached({ bytes: content }, person, new Date(), { signingTimeAttribute: false });
      }
    }
    const withPlaceholder = plainAddPlaceholder({
      pdfBuffer: signed,
      reason: 'Phê duyệt',
      contactInfo: '',
      name: 'Nguyễn Văn An',
      location: 'Phường Phú Xuân',
      signatureLength: 16_384,
      subFilter: SUBFILTER_ETSI_CADES_DETACHED,
    });
    const twice = await signpdf.sign(withPlaceholder, new PersonSigner());
    const file = path.join(work, 'twice.pdf');
    writeFileSync(file, twice);
    const external = pdfsig(file, nssdb);
    expect(external.match(/Signature is Valid\./g)).toHaveLength(2);

    const trust = { trustedRoots: [authority.rootCertificate], crls: parseCrls(authority.crlPem()), now: new Date() };
    expect(extractPdfSignatures(twice).map((s) => s.coversWholeFile)).toEqual([false, true]);
    const report = verifyPdf(twice, trust);
    expect(report.indication).toBe('PASSED');
    expect(report.signatures.map((s) => /CN=([^,]+)/.exec(s.signer!)![1])).toEqual(['Ủy ban nhân dân Phường Phú Xuân', 'Nguyễn Văn An']);
    expect(report.signatures.flatMap((s) => s.notes)).toEqual([]);

    // Something appended after the last signature is signed by nobody, and the report says so.
    const appended = Buffer.concat([twice, Buffer.from('\n% added later\n')]);
    const late = verifyPdf(appended, trust);
    expect(late.indication).toBe('PASSED');
    expect(late.signatures.at(-1)!.notes).toContain(
      'The file was changed after its last signature: what was added there is signed by nobody.',
    );
    // A change inside the first revision breaks both: the second signature covers it too.
    const broken = Buffer.from(twice);
    const at = broken.indexOf('/Producer') + 12;
    broken[at] = broken[at] === 0x41 ? 0x42 : 0x41;
    expect(verifyPdf(broken, trust).signatures.map((s) => s.indication)).toEqual(['FAILED', 'FAILED']);
  });

  it('verifies a document time-stamp added to a signed PDF (PAdES B-LTA style), as pdfsig reads it', async () => {
    const tsa = TimeStampAuthority.ofAuthority(authority);
    class DocumentTimeStamper extends Signer {
      override async sign(content: Buffer): Promise<Buffer> {
        return tsa.stamp(createHash('sha256').update(content).digest());
      }
    }
    const withPlaceholder = plainAddPlaceholder({
      pdfBuffer: signed,
      reason: '',
      contactInfo: '',
      name: '',
      location: '',
      signatureLength: 16_384,
      subFilter: 'ETSI.RFC3161',
    });
    const stamped = await signpdf.sign(withPlaceholder, new DocumentTimeStamper());
    const file = path.join(work, 'stamped.pdf');
    writeFileSync(file, stamped);
    expect(pdfsig(file, nssdb)).toMatch(/Signature #2/);

    // The token carries the TSA's certificate only; the verifier knows the issuing CA, as the hub's does.
    const trust = {
      trustedRoots: [authority.rootCertificate],
      intermediates: [authority.issuingCertificate],
      crls: parseCrls(authority.crlPem()),
      now: new Date(),
    };
    const report = verifyPdf(stamped, trust);
    expect(report.indication).toBe('PASSED');
    expect(report.signatures).toHaveLength(2);
    expect(report.signatures[1]).toMatchObject({
      indication: 'PASSED',
      timestampAuthority: expect.stringContaining('CN=Onestop Hub Time-Stamp Authority'),
      notes: ['A document time-stamp (RFC 3161): the file up to here existed at this time.'],
      chainTrusted: true,
    });
    // A byte changed under both: the seal and the time-stamp fail on integrity.
    const broken = Buffer.from(stamped);
    const at = broken.indexOf('/Producer') + 12;
    broken[at] = broken[at] === 0x41 ? 0x42 : 0x41;
    expect(verifyPdf(broken, trust).signatures.map((s) => [s.indication, s.subIndication])).toEqual([
      ['FAILED', 'HASH_FAILURE'],
      ['FAILED', 'HASH_FAILURE'],
    ]);
  });
});
