import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CertificateAuthority } from '../../certs/pki/certificate-authority';
import { certificateFromPem } from '../../certs/pki/x509';
import { parseSignedData, signDetached, type CmsSigner } from '../../certs/signing/cms';
import { parseCrls } from '../../certs/signing/crl-reader';
import {
  encodeTimeStampRequest,
  HUB_TSA_POLICY,
  parseTimeStampResponse,
  parseTimeStampToken,
  TimeStampAuthority,
} from '../../certs/signing/time-stamp';
import { verifyDetached, type TrustSettings } from '../../certs/signing/verification';
import { FixedClock } from '../../domain/clock';
import { cmsVerify, openssl } from '../support/openssl';
import { seedTestDemo, startTestHub, type TestHub } from '../support/test-hub';

const DAY = 86_400_000;

describe('the hub’s time-stamp authority (RFC 3161) over HTTP, checked with openssl ts', () => {
  let hub: TestHub;
  let work: string;
  let dossierCode: string;
  const file = (name: string, content: Buffer | string) => {
    writeFileSync(path.join(work, name), content);
    return path.join(work, name);
  };
  /** `openssl ts -verify` against the hub's published root and chain. */
  const tsVerify = (...args: string[]) =>
    openssl('ts', '-verify', ...args, '-CAfile', path.join(work, 'root.pem'), '-untrusted', path.join(work, 'chain.pem'));
  const post = (body: Buffer, contentType = 'application/timestamp-query') =>
    fetch(`${hub.url}/tsa`, { method: 'POST', headers: { 'content-type': contentType }, body });

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'hub-tsa-'));
    hub = await startTestHub('time-stamps');
    dossierCode = (await seedTestDemo(hub.services)).dossierCodes[0]!;
    file('root.pem', hub.pki.rootPem());
    file('chain.pem', hub.pki.chainPem());
  });

  afterAll(async () => {
    await hub?.dispose();
    rmSync(work, { recursive: true, force: true });
  });

  it('answers an openssl time-stamp query with a token openssl ts -verify accepts against the published root', async () => {
    const data = file('scan.txt', 'Bản sao y: Giấy chứng nhận quyền sử dụng đất số CS 012345');
    const query = openssl('ts', '-query', '-data', data, '-sha256', '-cert', '-out', path.join(work, 'request.tsq'));
    expect(query.status).toBe(0);
    const response = await post(readFileSync(path.join(work, 'request.tsq')));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/timestamp-reply');
    file('reply.tsr', Buffer.from(await response.arrayBuffer()));

    const verified = tsVerify('-data', data, '-in', path.join(work, 'reply.tsr'));
    expect(verified.output).toMatch(/Verification: OK/);
    expect(verified.status).toBe(0);

    const text = openssl('ts', '-reply', '-in', path.join(work, 'reply.tsr'), '-text').output;
    expect(text).toMatch(/Status: Granted/);
    expect(text).toContain(`Policy OID: ${HUB_TSA_POLICY}`);
    // The nonce of the query is echoed.
    const nonce = /Nonce: (0x[0-9A-F]+)/.exec(openssl('ts', '-query', '-in', path.join(work, 'request.tsq'), '-text').output)![1];
    expect(text).toContain(`Nonce: ${nonce}`);

    // Another file does not match the token.
    const other = file('other.txt', 'Bản sao y: một giấy tờ khác');
    expect(tsVerify('-data', other, '-in', path.join(work, 'reply.tsr')).status).not.toBe(0);
  });

  it('gives the time of the hub’s clock, to the millisecond, within the request', async () => {
    const before = Date.now();
    const reply = parseTimeStampResponse(
      Buffer.from(await (await post(encodeTimeStampRequest(createHash('sha256').update('x').digest()))).arrayBuffer()),
    );
    const after = Date.now();
    expect(reply.status).toBe(0);
    const { info } = parseTimeStampToken(reply.token!);
    expect(info.genTime.getTime()).toBeGreaterThanOrEqual(before);
    expect(info.genTime.getTime()).toBeLessThanOrEqual(after);
  });

  it.each([
    [
      'a SHA-1 imprint',
      () =>
        openssl('ts', '-query', '-digest', 'aa'.repeat(20), '-sha1', '-out', path.join(work, 'sha1.tsq')) &&
        readFileSync(path.join(work, 'sha1.tsq')),
      /unrecognized or unsupported algorithm/i,
    ],
    ['bytes that are not DER', () => Buffer.from('not a request'), /The request is not DER/],
    [
      'another TSA’s policy',
      () =>
        openssl('ts', '-query', '-digest', 'bb'.repeat(32), '-sha256', '-tspolicy', '1.2.3.4', '-out', path.join(work, 'policy.tsq')) &&
        readFileSync(path.join(work, 'policy.tsq')),
      /own policy only/,
    ],
  ])('rejects %s with a TimeStampResp that says why', async (_label, request, reason) => {
    const response = await post(request() as Buffer);
    expect(response.status).toBe(200);
    file('rejected.tsr', Buffer.from(await response.arrayBuffer()));
    const text = openssl('ts', '-reply', '-in', path.join(work, 'rejected.tsr'), '-text').output;
    expect(text).toMatch(/Status: Rejected/);
    expect(text).toMatch(reason);
  });

  it('answers hostile bodies with a rejection or a typed error, never a failure of its own', async () => {
    const valid = encodeTimeStampRequest(createHash('sha256').update('y').digest(), { nonce: Buffer.from([0x01, 0x02]) });
    const bodies: [string, Buffer][] = [
      ['empty', Buffer.alloc(0)],
      ['truncated', valid.subarray(0, valid.length - 3)],
      ['a length beyond the end', Buffer.from([0x30, 0x84, 0x7f, 0xff, 0xff, 0xff, 0x02, 0x01, 0x01])],
      ['deeply nested', Buffer.concat([...Array.from({ length: 2000 }, () => Buffer.from([0x30, 0x80]))])],
      ['a SEQUENCE of nothing', Buffer.from([0x30, 0x00])],
      ['an imprint that is not a SEQUENCE of two', Buffer.from([0x30, 0x07, 0x02, 0x01, 0x01, 0x30, 0x02, 0x05, 0x00])],
      ['an algorithm that is not a SEQUENCE', Buffer.from([0x30, 0x09, 0x02, 0x01, 0x01, 0x30, 0x04, 0x05, 0x00, 0x04, 0x00])],
      ['version 2', Buffer.from(valid.toString('hex').replace(/^(30..)020101/, '$1020102'), 'hex')],
      ['an imprint of the wrong length', encodeTimeStampRequest(Buffer.alloc(20))],
      ['random bytes', Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 73 + 41) % 256))],
    ];
    for (const [label, body] of bodies) {
      const response = await post(body);
      const answer = Buffer.from(await response.arrayBuffer());
      expect([label, response.status]).toEqual([label, 200]);
      expect([label, parseTimeStampResponse(answer).status]).toEqual([label, 2]);
    }
    const tooLarge = await post(Buffer.alloc(20_000, 0x30));
    expect(tooLarge.status).toBe(413);
    expect((await tooLarge.json()) as unknown).toMatchObject({ errors: [{ extensions: { code: 'BAD_USER_INPUT' } }] });
    // Still answering.
    expect(parseTimeStampResponse(Buffer.from(await (await post(valid)).arrayBuffer())).status).toBe(0);
  });

  it('refuses what is not a time-stamp query with a typed error', async () => {
    const response = await post(Buffer.from('{}'), 'application/json');
    expect(response.status).toBe(415);
    expect(await response.json()).toMatchObject({
      errors: [{ extensions: { code: 'BAD_USER_INPUT', reason: 'TSA.UNSUPPORTED_MEDIA_TYPE' } }],
    });
    const metrics = await (await fetch(`${hub.url}/metrics`, { headers: hub.operatorHeaders })).text();
    expect(metrics).toMatch(/hub_time_stamps_total\{outcome="granted"\} [1-9]/);
    expect(metrics).toMatch(/hub_time_stamps_total\{outcome="rejected"\} [1-9]/);
  });

  it('time-stamps the seals of digitized copies: openssl verifies the signature and, apart, its time-stamp', async () => {
    const scan = Buffer.from('%PDF-1.4\n% scan of a land-use right certificate\n%%EOF\n');
    const token = await hub.tokenFor('demo-district');
    const response = await fetch(`${hub.url}/documents?title=${encodeURIComponent('Giấy chứng nhận QSDĐ')}&dossierCode=${dossierCode}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/pdf' },
      body: scan,
    });
    expect(response.status).toBe(201);
    const { code: documentCode } = (await response.json()) as { code: string };
    const signature = Buffer.from(
      await (
        await fetch(`${hub.url}/documents/${documentCode}/signature.p7s`, { headers: { authorization: `Bearer ${token}` } })
      ).arrayBuffer(),
    );
    expect(cmsVerify(file('copy.p7s', signature), file('copy.pdf', scan), path.join(work, 'root.pem')).status).toBe(0);

    // The time-stamp token inside, checked by openssl against the signature value it covers.
    const [signer] = parseSignedData(signature).signers;
    expect(signer!.signatureTimeStamps).toHaveLength(1);
    file('signature-token.der', signer!.signatureTimeStamps[0]!);
    const digest = createHash('sha256').update(signer!.signature).digest('hex');
    const verified = tsVerify('-digest', digest, '-token_in', '-in', path.join(work, 'signature-token.der'));
    expect(verified.output).toMatch(/Verification: OK/);

    const report = await hub.graphql<{
      verifyDocument: { indication: string; signatures: { timestamp: string | null; timestampAuthority: string | null }[] };
    }>(
      `query($code: String!) { verifyDocument(documentCode: $code) { indication signatures { timestamp timestampAuthority } } }`,
      { code: documentCode },
      { as: 'demo-district' },
    );
    expect(report.body.errors).toBeUndefined();
    expect(report.body.data?.verifyDocument.indication).toBe('PASSED');
    expect(report.body.data?.verifyDocument.signatures[0]).toMatchObject({
      timestampAuthority: expect.stringContaining('CN=Onestop Hub Time-Stamp Authority'),
    });
    expect(Date.parse(report.body.data!.verifyDocument.signatures[0]!.timestamp!)).toBeLessThanOrEqual(Date.now());
  });
});

describe('verification with time-stamps: the proven time decides, not the claimed one', () => {
  let dir: string;
  let authority: CertificateAuthority;
  const document = Buffer.from('%PDF-1.7\nGiấy phép xây dựng số 45/GPXD\n%%EOF\n');
  const now = new Date();
  const settings = (d: string) => ({
    dir: d,
    passphrase: 'tsa test passphrase',
    crlUrl: 'http://127.0.0.1:4000/pki/crl.pem',
    organisation: 'UBND tỉnh Huế',
  });
  const signerOf = (serial: string): CmsSigner => ({
    certificate: certificateFromPem(authority.certificatePem(serial)),
    privateKey: authority.privateKey(serial),
    chain: [authority.issuingCertificate, authority.rootCertificate],
  });
  const trust = (): TrustSettings => ({ trustedRoots: [authority.rootCertificate], crls: parseCrls(authority.crlPem()), now });
  const tsaAt = (time: Date) => TimeStampAuthority.ofAuthority(authority, new FixedClock(time));
  // Seals valid from 300 days back, so that the scenarios may sign in the past.
  const seal = (validity: { notBefore?: Date; notAfter?: Date } = {}) =>
    authority.issue({
      notBefore: new Date(now.getTime() - 300 * DAY),
      profile: 'organisation-signing',
      subject: { commonName: 'UBND phường Thuận Hóa', organisationIdentifier: '000.20.31.H46' },
      ...validity,
    }).record.serialNumber;

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'hub-tsa-ca-'));
    CertificateAuthority.init({ ...settings(dir), clock: new FixedClock(new Date(now.getTime() - 730 * DAY)) });
    authority = CertificateAuthority.open(settings(dir));
    // The TSA's certificate, valid over the whole period the scenarios use.
    authority.issue({
      profile: 'time-stamping',
      subject: { commonName: 'Onestop Hub Time-Stamp Authority' },
      notBefore: new Date(now.getTime() - 400 * DAY),
    });
    authority.publishCrl();
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('passes a PDF-style signature (no claimed time) of a certificate expired since, when it was time-stamped in time', () => {
    const serial = seal({ notBefore: new Date(now.getTime() - 300 * DAY), notAfter: new Date(now.getTime() - 10 * DAY) });
    const signedAt = new Date(now.getTime() - 100 * DAY);
    const without = signDetached({ bytes: document }, signerOf(serial), signedAt, { signingTimeAttribute: false });
    expect(verifyDetached({ bytes: document }, without, trust())).toMatchObject({
      indication: 'INDETERMINATE',
      subIndication: 'OUT_OF_BOUNDS_NO_POE',
    });

    const stamped = signDetached({ bytes: document }, signerOf(serial), signedAt, {
      signingTimeAttribute: false,
      timeStamp: tsaAt(signedAt).timeStamper,
    });
    const report = verifyDetached({ bytes: document }, stamped, trust());
    expect(report.indication).toBe('PASSED');
    expect(report.signatures[0]!.timestamp).toBe(signedAt.toISOString());
    expect(report.signatures[0]!.notes.join(' ')).toMatch(/expired on .* after the signing time/);
  });

  it('fails a signature whose claimed time is backdated before a revocation when its time-stamp shows it came after', () => {
    const serial = seal();
    const revokedAt = new Date(now.getTime() - 20 * DAY);
    authority.revoke(serial, 'keyCompromise', revokedAt);
    const claimed = new Date(now.getTime() - 30 * DAY);
    const backdated = signDetached({ bytes: document }, signerOf(serial), claimed);
    // On the claim alone the signature predates the revocation.
    expect(verifyDetached({ bytes: document }, backdated, trust()).indication).toBe('PASSED');
    const stamped = signDetached({ bytes: document }, signerOf(serial), claimed, {
      timeStamp: tsaAt(new Date(now.getTime() - 5 * DAY)).timeStamper,
    });
    const report = verifyDetached({ bytes: document }, stamped, trust());
    expect(report).toMatchObject({ indication: 'FAILED', subIndication: 'REVOKED' });
    expect(report.signatures[0]!.notes.join(' ')).toMatch(/revoked \(keyCompromise\)/);
  });

  it('ignores, with a note, a time-stamp that does not prove anything', () => {
    const serial = seal();
    const signedAt = new Date(now.getTime() - DAY);
    // A "time-stamp" from a certificate that is not a TSA's: an agency seal.
    const notATsa = new TimeStampAuthority(() => signerOf(seal()), new FixedClock(signedAt));
    const fake = verifyDetached(
      { bytes: document },
      signDetached({ bytes: document }, signerOf(serial), signedAt, { timeStamp: notATsa.timeStamper }),
      trust(),
    );
    expect(fake.indication).toBe('PASSED');
    expect(fake.signatures[0]!.timestamp).toBeNull();
    expect(fake.signatures[0]!.notes.join(' ')).toMatch(/not a time-stamp authority/);

    // A genuine token, but over other data than this signature.
    const tsa = tsaAt(signedAt);
    const misplaced = signDetached({ bytes: document }, signerOf(serial), signedAt, {
      timeStamp: () => tsa.stamp(createHash('sha256').update('something else').digest()),
    });
    const report = verifyDetached({ bytes: document }, misplaced, trust());
    expect(report.signatures[0]!.timestamp).toBeNull();
    expect(report.signatures[0]!.notes.join(' ')).toMatch(/made for other data/);
  });
});
