import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CertificateAuthority } from '../../certs/pki/certificate-authority';
import { certificateFromPem } from '../../certs/pki/x509';
import { signPdf } from '../../certs/signing/pades';
import { FixedClock } from '../../domain/clock';
import { fontData } from '../../forms/fonts';
import { SAMPLE_DATA } from '../../forms/form-samples';
import { renderForm } from '../../forms/render-form';
import { startTestHub, type TestHub } from '../support/test-hub';

const DAY = 86_400_000;

interface Report {
  indication: string;
  subIndication: string | null;
  signatures: {
    signer: string;
    chain: { subject: string; trustedRoot: boolean }[];
    revocation: { status: string; reason: string | null };
  }[];
}

/**
 * A paper sealed by another province's hub (a second CertificateAuthority of its own), verified
 * over HTTP by a hub that does not list that hub's root and by one that does (TRUSTED_ROOTS_FILE),
 * the second hub's CRL served over HTTP and fetched through the hub's upstream client.
 */
describe('trusted roots beyond the hub’s own (TRUSTED_ROOTS_FILE)', () => {
  let work: string;
  let second: CertificateAuthority;
  let crlServer: Server;
  let crlRequests = 0;
  const hubs: TestHub[] = [];

  const sealedPaper = async (commonName: string) => {
    const serial = second.issue({ profile: 'organisation-signing', subject: { commonName, organisationIdentifier: '000.00.19.G15' } })
      .record.serialNumber;
    const signer = {
      certificate: certificateFromPem(second.certificatePem(serial)),
      privateKey: second.privateKey(serial),
      chain: [second.issuingCertificate, second.rootCertificate],
    };
    const pdf = await signPdf(await renderForm('01', SAMPLE_DATA['01']), signer, {
      reason: 'Ký số',
      location: 'Đà Nẵng',
      signingTime: new Date(),
      font: fontData().regular,
    });
    return { serial, pdf };
  };
  const verify = async (hub: TestHub, pdf: Buffer) => {
    const response = await fetch(`${hub.url}/documents/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/pdf' },
      body: pdf,
    });
    expect(response.status).toBe(200);
    return (await response.json()) as Report;
  };

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'hub-trusted-roots-'));
    const settings = {
      dir: path.join(work, 'danang-pki'),
      passphrase: 'second hub passphrase',
      crlUrl: 'http://127.0.0.1/pki/crl.pem',
      organisation: 'UBND thành phố Đà Nẵng',
    };
    CertificateAuthority.init({ ...settings, clock: new FixedClock(new Date(Date.now() - 365 * DAY)) });
    second = CertificateAuthority.open(settings);
    second.publishCrl();
    crlServer = createServer((_request, response) => {
      crlRequests += 1;
      response.writeHead(200, { 'content-type': 'application/pkix-crl' }).end(second.crlPem());
    });
    await new Promise<void>((resolve) => crlServer.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    for (const hub of hubs) await hub.dispose();
    await new Promise((resolve) => crlServer.close(resolve));
    rmSync(work, { recursive: true, force: true });
  });

  it('a paper sealed by a second hub’s CA is INDETERMINATE before its root is listed, PASSED once it is, and FAILED once its seal is revoked', async () => {
    const { serial, pdf } = await sealedPaper('UBND phường Hải Châu');

    const unlisted = await startTestHub('trust-unlisted');
    hubs.push(unlisted);
    const before = await verify(unlisted, pdf);
    expect([before.indication, before.subIndication]).toEqual(['INDETERMINATE', 'NO_CERTIFICATE_CHAIN_FOUND']);
    expect(before.signatures[0]!.chain.some((c) => c.trustedRoot)).toBe(false);

    const { port } = crlServer.address() as { port: number };
    const list = path.join(work, 'trusted-roots.json');
    writeFileSync(path.join(work, 'danang-root.pem'), second.rootPem());
    writeFileSync(
      list,
      JSON.stringify({
        roots: [{ name: 'Hub of Đà Nẵng', certificate: 'danang-root.pem', crl: { url: `http://127.0.0.1:${port}/pki/crl.pem` } }],
      }),
    );
    const listed = await startTestHub('trust-listed', { TRUSTED_ROOTS_FILE: list });
    hubs.push(listed);
    // The CRL was fetched at start, through the upstream client.
    expect(crlRequests).toBe(1);
    expect(listed.trustList!.state()).toEqual([expect.objectContaining({ root: 'Hub of Đà Nẵng', problem: null })]);
    const after = await verify(listed, pdf);
    expect([after.indication, after.subIndication]).toEqual(['PASSED', null]);
    expect(after.signatures[0]!.signer).toContain('UBND phường Hải Châu');
    expect(after.signatures[0]!.chain.at(-1)).toMatchObject({
      trustedRoot: true,
      subject: expect.stringContaining('UBND thành phố Đà Nẵng'),
    });
    expect(after.signatures[0]!.revocation.status).toBe('GOOD');
    // The hub's own papers still verify as before.
    expect((await verify(unlisted, pdf)).indication).toBe('INDETERMINATE');

    // The second hub revokes the seal (compromised before it signed); the next refresh fetches its CRL.
    second.revoke(serial, 'keyCompromise', new Date(Date.now() - 3_600_000));
    await listed.trustList!.refresh();
    expect(crlRequests).toBe(2);
    const revoked = await verify(listed, pdf);
    expect([revoked.indication, revoked.subIndication]).toEqual(['FAILED', 'REVOKED']);
    expect(revoked.signatures[0]!.revocation).toEqual(expect.objectContaining({ status: 'REVOKED', reason: 'keyCompromise' }));
  });

  it('a trust list that names a CA it cannot verify stops the start with the entry named', async () => {
    const list = path.join(work, 'bad-list.json');
    writeFileSync(
      list,
      JSON.stringify({
        roots: [{ name: 'Not a root', certificate: second.certificatePem(second.list()[0]!.serialNumber), crl: { file: 'crl.pem' } }],
      }),
    );
    await expect(startTestHub('trust-bad', { TRUSTED_ROOTS_FILE: list })).rejects.toMatchObject({
      code: 'CONFIGURATION_INVALID',
      reason: 'CONFIG.INVALID_TRUST_LIST',
      message: expect.stringContaining('roots.0 (Not a root)'),
    });
  });
});
