import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FixedClock } from '../domain/clock';
import { CertificateAuthority } from './pki/certificate-authority';
import { certificateFromPem, certificateToPem } from './pki/x509';
import { signDetached, type CmsSigner } from './signing/cms';
import { parseCrls, subjectDer } from './signing/crl-reader';
import { trustReader, verifyDetached, type TrustMaterial } from './signing/verification';
import { MAX_CRL_BYTES, readTrustList, TrustList, type TrustListFetch } from './trust-list';

const DAY = 86_400_000;

describe('the trust list: roots beyond the hub’s own, and their CRLs', () => {
  let work: string;
  /** The hub's own CA, and a second hub's, both created a year ago. */
  let own: CertificateAuthority;
  let second: CertificateAuthority;
  const clock = new FixedClock(new Date());
  const document = Buffer.from('Giấy xác nhận tình trạng hôn nhân số 45/2026, UBND thành phố Đà Nẵng');

  const settingsIn = (name: string, organisation: string) => ({
    dir: path.join(work, name),
    passphrase: 'trust list test passphrase',
    crlUrl: `http://${name}.example/pki/crl.pem`,
    organisation,
  });
  const file = (name: string, content: string) => {
    writeFileSync(path.join(work, name), content);
    return path.join(work, name);
  };
  const list = (roots: unknown) => file(`list-${Math.random().toString(36).slice(2)}.json`, JSON.stringify({ roots }));
  const sealOf = (ca: CertificateAuthority, commonName: string): { serial: string; signer: CmsSigner } => {
    const serial = ca.issue({ profile: 'organisation-signing', subject: { commonName, organisationIdentifier: '000.00.00.G15' } }).record
      .serialNumber;
    return {
      serial,
      signer: {
        certificate: certificateFromPem(ca.certificatePem(serial)),
        privateKey: ca.privateKey(serial),
        chain: [ca.issuingCertificate, ca.rootCertificate],
      },
    };
  };
  const ownMaterial = (further?: ReturnType<TrustList['material']>): TrustMaterial => ({
    rootPem: own.rootPem(),
    issuingPem: certificateToPem(own.issuingCertificate),
    crlPem: own.crlPem() + (further?.crlPem ?? ''),
    furtherRootsPem: further?.rootsPem ?? '',
    furtherIntermediatesPem: further?.intermediatesPem ?? '',
    now: clock.now().toISOString(),
  });
  /** Answers each URL with what `served` holds now. */
  const served = new Map<string, () => Response>();
  const fetchServed: TrustListFetch = async (url) => {
    const answer = served.get(url);
    if (!answer) throw new TypeError('fetch failed: ECONNREFUSED');
    return answer();
  };

  beforeAll(() => {
    work = mkdtempSync(path.join(tmpdir(), 'hub-trust-list-'));
    const aYearAgo = new FixedClock(new Date(Date.now() - 365 * DAY));
    own = CertificateAuthority.init({ ...settingsIn('own', 'UBND tỉnh Huế'), clock: aYearAgo });
    second = CertificateAuthority.init({ ...settingsIn('second', 'UBND thành phố Đà Nẵng'), clock: aYearAgo });
    own = CertificateAuthority.open(settingsIn('own', 'UBND tỉnh Huế'));
    second = CertificateAuthority.open(settingsIn('second', 'UBND thành phố Đà Nẵng'));
    own.publishCrl();
    second.publishCrl();
  });

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('reads a list with certificates given as paths (relative to the list) or as PEM, and CRL sources as one or a list', () => {
    const rootFile = file('second-root.pem', second.rootPem());
    const roots = readTrustList(
      list([
        {
          name: 'Hub of Đà Nẵng',
          certificate: path.basename(rootFile),
          intermediates: [certificateToPem(second.issuingCertificate)],
          crl: { url: 'http://second.example/pki/crl.pem' },
        },
        { name: 'Hub of Huế', certificate: own.rootPem(), crl: [{ file: 'own/crl.pem' }, { url: 'https://own.example/crl' }] },
      ]),
    );
    expect(roots.map((root) => [root.name, root.crlSources.length])).toEqual([
      ['Hub of Đà Nẵng', 1],
      ['Hub of Huế', 2],
    ]);
    expect(roots[0]!.subject).toContain('UBND thành phố Đà Nẵng');
    expect(roots[0]!.intermediatesPem).toContain('BEGIN CERTIFICATE');
    expect(roots[1]!.crlSources[0]).toEqual({ file: path.join(work, 'own', 'crl.pem') });
  });

  it.each([
    ['not JSON', () => file('broken.json', '{ roots: '), /not JSON/],
    [
      'an unknown field',
      () => list([{ name: 'A', certificate: 'x.pem', crl: { url: 'http://a.example/crl' }, trustAll: true }]),
      /roots\.0: Unrecognized key/,
    ],
    ['no CRL source', () => list([{ name: 'A', certificate: second.rootPem() }]), /roots\.0\.crl/],
    [
      'a CRL URL that is not http(s)',
      () => list([{ name: 'A', certificate: second.rootPem(), crl: { url: 'ldap://a.example/crl' } }]),
      /roots\.0\.crl/,
    ],
    [
      'an unreadable certificate file',
      () => list([{ name: 'A', certificate: 'missing.pem', crl: { url: 'http://a.example/crl' } }]),
      /roots\.0 \(A\): cannot read ".*missing\.pem": ENOENT/,
    ],
    [
      'a root that is not self-signed (an issuing CA)',
      () => list([{ name: 'A', certificate: certificateToPem(second.issuingCertificate), crl: { url: 'http://a.example/crl' } }]),
      /roots\.0 \(A\): the root is not self-signed/,
    ],
    [
      'a root that is not a CA (a seal)',
      () =>
        list([
          { name: 'A', certificate: second.certificatePem(sealOf(second, 'Seal as root').serial), crl: { url: 'http://a.example/crl' } },
        ]),
      /roots\.0 \(A\): the root is not a CA certificate/,
    ],
    [
      'a bundle as the root',
      () => list([{ name: 'A', certificate: second.rootPem() + own.rootPem(), crl: { url: 'http://a.example/crl' } }]),
      /one root certificate, not a bundle/,
    ],
    [
      'an intermediate of another root',
      () =>
        list([
          {
            name: 'A',
            certificate: second.rootPem(),
            intermediates: [certificateToPem(own.issuingCertificate)],
            crl: { url: 'http://a.example/crl' },
          },
        ]),
      /intermediate .*UBND tỉnh Huế.* is not issued by this root/,
    ],
    [
      'a name used twice',
      () => list(['A', 'A'].map((name) => ({ name, certificate: second.rootPem(), crl: { url: 'http://a.example/crl' } }))),
      /roots\.1 \(A\): the name is used twice/,
    ],
  ])('refuses a list with %s, naming the entry', (_case, make, message) => {
    const listFile = make();
    expect(() => readTrustList(listFile)).toThrow(message);
    try {
      readTrustList(listFile);
    } catch (error) {
      expect(error).toMatchObject({ code: 'CONFIGURATION_INVALID', reason: 'CONFIG.INVALID_TRUST_LIST' });
    }
  });

  it('keeps the last good CRL when a fetch fails, and says why', async () => {
    const url = 'http://second.example/refresh/crl.pem';
    const trustList = TrustList.fromFile(list([{ name: 'Đà Nẵng', certificate: second.rootPem(), crl: { url } }]), fetchServed, clock);
    expect(trustList.material().crlPem).toBe('');
    expect(await trustList.refresh()).toEqual([{ root: 'Đà Nẵng', source: url, fetchedAt: null, problem: 'fetch failed: ECONNREFUSED' }]);
    served.set(url, () => new Response(second.crlPem()));
    expect((await trustList.refresh())[0]).toMatchObject({ fetchedAt: clock.now().toISOString(), problem: null });
    const good = trustList.material().crlPem;
    expect(good.match(/BEGIN X509 CRL/g)).toHaveLength(2);
    served.set(url, () => new Response('busy', { status: 503 }));
    expect((await trustList.refresh())[0]).toMatchObject({ fetchedAt: clock.now().toISOString(), problem: 'HTTP 503' });
    served.set(url, () => new Response('<html>not a CRL</html>'));
    expect((await trustList.refresh())[0]!.problem).not.toBeNull();
    served.set(url, () => new Response(Buffer.alloc(MAX_CRL_BYTES + 1)));
    expect((await trustList.refresh())[0]!.problem).toBe(`it is larger than ${MAX_CRL_BYTES} bytes`);
    expect(trustList.material().crlPem).toBe(good);
  });

  it('takes a DER CRL as well as PEM', async () => {
    const url = 'http://second.example/der/crl';
    const firstPem = second.crlPem().match(/-----BEGIN X509 CRL-----([\s\S]*?)-----END X509 CRL-----/)![1]!;
    served.set(url, () => new Response(Buffer.from(firstPem.replace(/\s+/g, ''), 'base64')));
    const trustList = TrustList.fromFile(list([{ name: 'Đà Nẵng', certificate: second.rootPem(), crl: { url } }]), fetchServed, clock);
    expect((await trustList.refresh())[0]!.problem).toBeNull();
    expect(trustList.material().crlPem.match(/BEGIN X509 CRL/g)).toHaveLength(1);
  });

  it('a paper sealed by a second hub is INDETERMINATE under our root alone, PASSED once its root is listed, FAILED once its seal is revoked', async () => {
    const url = 'http://second.example/verify/crl.pem';
    served.set(url, () => new Response(second.crlPem()));
    const trustList = TrustList.fromFile(list([{ name: 'Đà Nẵng', certificate: second.rootPem(), crl: { url } }]), fetchServed, clock);
    const read = trustReader();
    const seal = sealOf(second, 'UBND phường Hải Châu');
    const signature = signDetached({ bytes: document }, seal.signer, clock.now());

    const alone = verifyDetached({ bytes: document }, signature, read(ownMaterial()));
    expect([alone.indication, alone.subIndication]).toEqual(['INDETERMINATE', 'NO_CERTIFICATE_CHAIN_FOUND']);
    // Listed, but its CRL never fetched: no revocation check, so not PASSED.
    const unchecked = verifyDetached({ bytes: document }, signature, read(ownMaterial(trustList.material())));
    expect([unchecked.indication, unchecked.subIndication]).toEqual(['INDETERMINATE', 'TRY_LATER']);

    await trustList.refresh();
    const listed = verifyDetached({ bytes: document }, signature, read(ownMaterial(trustList.material())));
    expect([listed.indication, listed.subIndication]).toEqual(['PASSED', null]);
    expect(listed.signatures[0]!.chain.map((c) => [c.subject.includes('UBND thành phố Đà Nẵng'), c.trustedRoot])).toEqual([
      [false, false],
      [true, false],
      [true, true],
    ]);
    expect(listed.signatures[0]!.revocation).toMatchObject({ source: 'CRL', status: 'GOOD' });

    // Revoked (key compromise) an hour before it signed: the fetched CRL says so.
    second.revoke(seal.serial, 'keyCompromise', new Date(clock.now().getTime() - 3_600_000));
    await trustList.refresh();
    const revoked = verifyDetached({ bytes: document }, signature, read(ownMaterial(trustList.material())));
    expect([revoked.indication, revoked.subIndication]).toEqual(['FAILED', 'REVOKED']);
    expect(revoked.signatures[0]!.revocation).toMatchObject({ source: 'CRL', status: 'REVOKED', reason: 'keyCompromise' });
  });

  it('forged-CRL walk: a CRL under the listed CA’s name but signed by another key does not hide a revocation', async () => {
    // Same organisation, so the same CA names: only the signature tells the CRLs apart.
    const impostor = CertificateAuthority.init(settingsIn('impostor', 'UBND thành phố Đà Nẵng'));
    impostor.publishCrl();
    expect(parseCrls(impostor.crlPem())[0]!.issuerDer.equals(subjectDer(second.issuingCertificate))).toBe(true);
    const seal = sealOf(second, 'UBND phường Thanh Khê');
    const signature = signDetached({ bytes: document }, seal.signer, clock.now());
    second.revoke(seal.serial, 'keyCompromise', new Date(clock.now().getTime() - 3_600_000));
    const url = 'http://second.example/forged/crl.pem';
    served.set(url, () => new Response(impostor.crlPem()));
    const trustList = TrustList.fromFile(list([{ name: 'Đà Nẵng', certificate: second.rootPem(), crl: { url } }]), fetchServed, clock);
    expect((await trustList.refresh())[0]!.problem).toBeNull();
    const report = verifyDetached({ bytes: document }, signature, trustReader()(ownMaterial(trustList.material())));
    expect([report.indication, report.subIndication]).toEqual(['INDETERMINATE', 'TRY_LATER']);
    expect(report.signatures[0]!.revocation).toMatchObject({ source: 'NONE', status: 'UNKNOWN' });
  });
});
