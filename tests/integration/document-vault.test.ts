import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { compactVerify, createLocalJWKSet, type JSONWebKeySet } from 'jose';
import { cmsVerify, nssDatabaseTrusting, openssl, pdfsig } from '../support/openssl';
import { AdvancingClock } from '../support/clocks';
import { startTestHub, type TestHub, seedTestDemo } from '../support/test-hub';
import { certificateFromPem } from '../../certs/pki/x509';
import { signPdf } from '../../certs/signing/pades';
import { fontData } from '../../forms/fonts';
import { SAMPLE_DATA } from '../../forms/form-samples';
import { renderForm } from '../../forms/render-form';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% Giấy khai sinh (bản scan)\n%%EOF\n');

interface Digitized {
  code: string;
  sha256: string;
  accessKey: string;
  agencyCode: string;
  signerSerial: string;
  ownerId: string;
  dossierCode: string | null;
}

describe('document vault: digitized copies signed by the agency’s seal, fetched and verified', () => {
  let hub: TestHub;
  // Real time for openssl and pdfsig, moved ahead where a test needs a later second.
  const clock = new AdvancingClock();
  let dossierCode: string;
  let resolvedDossierCode: string;
  let work: string;
  const countDocuments = async () =>
    Number((await hub.store.orm.em.fork().execute<{ n: string }[]>('select count(*) as n from document'))[0]!.n);

  const upload = async (as: string | null, query: string, body: Buffer, type = 'application/pdf') => {
    const headers: Record<string, string> = { 'content-type': type };
    if (as) headers.authorization = `Bearer ${await hub.tokenFor(as)}`;
    const response = await fetch(`${hub.url}/documents?${query}`, { method: 'POST', headers, body });
    return {
      status: response.status,
      body: (await response.json()) as Digitized & { errors?: { extensions: { code: string; reason?: string } }[] },
    };
  };

  beforeAll(async () => {
    hub = await startTestHub('documents', { MAX_DOCUMENT_BYTES: '100000' }, { clock });
    // The first demo dossier is a citizen's, received at demo-district's desk.
    const demo = await seedTestDemo(hub.services);
    dossierCode = demo.dossierCodes[0]!;
    // The fourth demo dossier (Kim Long ward, demo-officer's agency) has its result recorded.
    resolvedDossierCode = demo.dossierCodes[3]!;
    work = mkdtempSync(path.join(tmpdir(), 'hub-documents-'));
  });

  afterAll(async () => {
    await hub?.dispose();
    rmSync(work, { recursive: true, force: true });
  });

  it('digitizes a paper of a dossier, signed with the agency’s seal, which openssl verifies with the published root', async () => {
    const created = await upload('demo-district', `title=${encodeURIComponent('Giấy khai sinh')}&dossierCode=${dossierCode}`, PDF);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      agencyCode: '000.19.31.H46',
      dossierCode,
      sha256: createHash('sha256').update(PDF).digest('hex'),
    });
    expect(created.body.code).toMatch(/^000\.19\.31\.H46-SY-\d{6}-[0-9A-Z]{8}$/);
    expect(created.body.accessKey).toMatch(/^[0-9A-Z]{10}$/);
    const { code } = created.body;
    const auth = { authorization: `Bearer ${await hub.tokenFor('demo-district')}` };
    const file = await fetch(`${hub.url}/documents/${code}`, { headers: auth });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await file.arrayBuffer()).equals(PDF)).toBe(true);
    const signature = Buffer.from(await (await fetch(`${hub.url}/documents/${code}/signature.p7s`, { headers: auth })).arrayBuffer());
    const root = await (await fetch(`${hub.url}/pki/root.pem`)).text();
    const write = (name: string, content: Buffer | string) => {
      writeFileSync(path.join(work, name), content);
      return path.join(work, name);
    };
    const verified = cmsVerify(write('s.p7s', signature), write('d.pdf', PDF), write('root.pem', root));
    expect(verified.output).toMatch(/Verification successful/);
    const signer = openssl('cms', '-cmsout', '-print', '-inform', 'DER', '-in', path.join(work, 's.p7s')).output;
    expect(signer).toMatch(/000\.19\.31\.H46/);
  });

  it('shows a document to its agency and to whoever holds its access key, to nobody else', async () => {
    const { body } = await upload('demo-district', `title=CCCD&dossierCode=${dossierCode}`, PDF);
    const get = async (query: string, as?: string) =>
      (
        await fetch(`${hub.url}/documents/${body.code}${query}`, {
          headers: as ? { authorization: `Bearer ${await hub.tokenFor(as)}` } : {},
        })
      ).status;
    expect(await get('', 'demo-district')).toBe(200);
    expect(await get(`?key=${body.accessKey}`)).toBe(200);
    expect(await get(`/signature.p7s?key=${body.accessKey.toLowerCase()}`)).toBe(200);
    expect(await get('')).toBe(401);
    expect(await get('?key=WRONGKEY00')).toBe(401);
    expect(await get('', 'demo-officer')).toBe(403);
    expect(await get('', 'demo-monitor')).toBe(403);
    expect(await get('', 'demo-portal')).toBe(403);
  });

  it('verifies a kept document by its code, its hash or the file itself, for anyone', async () => {
    const { body } = await upload(
      'demo-district',
      `title=${encodeURIComponent('Giấy chứng nhận kết hôn')}&dossierCode=${dossierCode}`,
      PDF,
    );
    const query = `query($code: String, $sha256: String) {
      verifyDocument(documentCode: $code, sha256: $sha256) {
        indication subIndication documentSha256
        document { code kind title agencyName }
        signatures { indication signer issuer integrity signatureValid chainTrusted chain { subject trustedRoot } revocation { source status } notes }
      }
    }`;
    const byCode = await hub.graphql<{
      verifyDocument: {
        indication: string;
        document: { code: string; kind: string; title: string };
        signatures: { signer: string; revocation: { status: string }; chain: unknown[] }[];
      };
    }>(query, { code: body.code });
    expect(byCode.body.errors).toBeUndefined();
    expect(byCode.body.data!.verifyDocument).toMatchObject({
      indication: 'PASSED',
      document: { code: body.code, kind: 'DIGITIZED_COPY', title: 'Giấy chứng nhận kết hôn' },
    });
    expect(byCode.body.data!.verifyDocument.signatures[0]).toMatchObject({
      revocation: { status: 'GOOD' },
      signer: expect.stringContaining('organizationIdentifier=000.19.31.H46'),
    });
    expect(byCode.body.data!.verifyDocument.signatures[0]!.chain).toHaveLength(3);
    expect(JSON.stringify(byCode.body)).not.toContain(body.ownerId);
    const byHash = await hub.graphql<{ verifyDocument: { indication: string } }>(query, { sha256: body.sha256.toUpperCase() });
    expect(byHash.body.data!.verifyDocument.indication).toBe('PASSED');
    const byFile = await fetch(`${hub.url}/documents/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/pdf' },
      body: PDF,
    });
    expect(((await byFile.json()) as { indication: string }).indication).toBe('PASSED');
    const changed = await fetch(`${hub.url}/documents/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/pdf' },
      body: Buffer.concat([PDF, Buffer.from(' ')]),
    });
    expect(changed.status).toBe(404);
    const errors = async (variables: Record<string, unknown>) => (await hub.graphql(query, variables)).body.errors?.[0]?.extensions;
    expect(await errors({})).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'DOCUMENT.NOTHING_TO_VERIFY' });
    expect(await errors({ code: 'nonsense' })).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'DOCUMENT.INVALID_CODE' });
    expect(await errors({ code: '000.19.31.H46-SY-261203-AAAAAAAA' })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await errors({ code: body.code, sha256: 'a'.repeat(64) })).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'DOCUMENT.HASH_MISMATCH',
    });
    expect(await errors({ sha256: 'xyz' })).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'DOCUMENT.INVALID_SHA256' });
  });

  it('keeps copies valid when the seal is revoked later, and signs new ones with a new seal', async () => {
    const first = (await upload('demo-district', `title=Before&dossierCode=${dossierCode}`, PDF)).body;
    // Signing and revocation times have whole seconds: revoke in a later second.
    clock.advance(1_000);
    hub.pki.revoke(first.signerSerial, 'superseded');
    const report = await hub.graphql<{
      verifyDocument: { indication: string; signatures: { notes: string[]; revocation: { status: string } }[] };
    }>(`query($code: String) { verifyDocument(documentCode: $code) { indication signatures { notes revocation { status } } } }`, {
      code: first.code,
    });
    expect(report.body.data!.verifyDocument.indication).toBe('PASSED');
    expect(report.body.data!.verifyDocument.signatures[0]!.revocation.status).toBe('REVOKED');
    expect(report.body.data!.verifyDocument.signatures[0]!.notes.join(' ')).toMatch(/after the signing time/);
    const second = (await upload('demo-district', `title=After&dossierCode=${dossierCode}`, PDF)).body;
    expect(second.signerSerial).not.toBe(first.signerSerial);
  });

  it('signs a recorded result as a PAdES PDF, a CMS signature and a JSON JWS, which pdfsig, openssl and jose verify', async () => {
    const result = await hub.graphql<{
      dossier: {
        status: string;
        resultDocumentCode: string;
        signedResult: { documentCode: string; verification: string; agencyName: string; signerSerial: string };
      };
    }>(
      `query($code: String!) { dossier(code: $code) { status resultDocumentCode signedResult { documentCode verification verificationSubIndication agencyName signerSerial } } }`,
      { code: resolvedDossierCode },
      { as: 'demo-officer' },
    );
    expect(result.body.errors).toBeUndefined();
    const dossier = result.body.data!.dossier;
    expect(dossier.status).toBe('RESOLVED');
    expect(dossier.resultDocumentCode).toMatch(/-KQ-\d{6}-/);
    expect(dossier.signedResult).toMatchObject({ documentCode: dossier.resultDocumentCode, verification: 'PASSED' });
    const auth = { authorization: `Bearer ${await hub.tokenFor('demo-officer')}` };
    const response = await fetch(`${hub.url}/documents/${dossier.resultDocumentCode}`, { headers: auth });
    expect(response.headers.get('content-type')).toBe('application/pdf');
    const pdf = Buffer.from(await response.arrayBuffer());
    const write = (name: string, content: Buffer | string) => {
      writeFileSync(path.join(work, name), content);
      return path.join(work, name);
    };
    // The notice carries its embedded signature (PAdES) and prints its code and access key.
    const root = await (await fetch(`${hub.url}/pki/root.pem`)).text();
    const report = pdfsig(write('result.pdf', pdf), nssDatabaseTrusting(root, path.join(work, 'nssdb')));
    expect(report).toMatch(/Signature Validation: Signature is Valid\./);
    expect(report).toMatch(/Certificate Validation: Certificate is Trusted\./);
    expect(report).toMatch(/Signer Certificate Common Name: Ủy ban nhân dân Phường Kim Long/);
    const text = spawnSync('pdftotext', ['-raw', '-enc', 'UTF-8', path.join(work, 'result.pdf'), '-'], { encoding: 'utf8' }).stdout;
    expect(text).toContain(`Mã tài liệu: ${dossier.resultDocumentCode}`);
    expect(text).toMatch(/Mã truy cập: [0-9A-Z]{10}/);
    expect(text).toContain(resolvedDossierCode);
    // The JWS verifies with the public JWKS (any JOSE library), and carries the same JSON.
    const jws = await (await fetch(`${hub.url}/documents/${dossier.resultDocumentCode}/signature.jws`, { headers: auth })).text();
    const jwks = (await (await fetch(`${hub.url}/pki/jwks.json`)).json()) as JSONWebKeySet;
    const verified = await compactVerify(jws, createLocalJWKSet(jwks));
    const record = JSON.parse(Buffer.from(verified.payload).toString('utf8')) as {
      dossierCode: string;
      documentCode: string;
      summary: string;
    };
    expect(record).toMatchObject({ dossierCode: resolvedDossierCode, documentCode: dossier.resultDocumentCode });
    expect(verified.protectedHeader).toMatchObject({ alg: 'RS256', kid: dossier.signedResult.signerSerial });
    expect(verified.protectedHeader.x5c).toHaveLength(3);
    // The CMS signature over the same bytes verifies with openssl.
    const p7s = Buffer.from(
      await (await fetch(`${hub.url}/documents/${dossier.resultDocumentCode}/signature.p7s`, { headers: auth })).arrayBuffer(),
    );
    expect(cmsVerify(write('r.p7s', p7s), write('r.pdf', pdf), write('root.pem', root)).output).toMatch(/Verification successful/);
    // A tampered payload does not verify.
    const [header, , signature] = jws.split('.');
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...record, summary: 'Khác' })).toString('base64url')}.${signature}`;
    await expect(compactVerify(forged, createLocalJWKSet(jwks))).rejects.toThrow(/signature verification failed/);
    // Digitized copies have no JWS.
    expect(
      (await fetch(`${hub.url}/documents/${dossier.resultDocumentCode.replace('-KQ-', '-SY-')}/signature.jws`, { headers: auth })).status,
    ).toBe(404);
  });

  it('verifies the embedded signature of a signed PDF it does not keep, and finds a changed one out', async () => {
    const serial = hub.pki.issue({
      profile: 'organisation-signing',
      subject: { commonName: 'Sở Tư pháp tỉnh Huế', organisationIdentifier: '000.00.19.H46' },
    }).record.serialNumber;
    const signer = {
      certificate: certificateFromPem(hub.pki.certificatePem(serial)),
      privateKey: hub.pki.privateKey(serial),
      chain: [hub.pki.issuingCertificate, hub.pki.rootCertificate],
    };
    const signed = await signPdf(await renderForm('01', SAMPLE_DATA['01']), signer, {
      reason: 'Ký số',
      location: 'Huế',
      signingTime: new Date(),
      font: fontData().regular,
    });
    const verify = async (file: Buffer) => {
      const response = await fetch(`${hub.url}/documents/verify`, {
        method: 'POST',
        headers: { 'content-type': 'application/pdf' },
        body: file,
      });
      return {
        status: response.status,
        body: (await response.json()) as {
          indication: string;
          subIndication: string | null;
          document: unknown;
          signatures: { signer: string }[];
        },
      };
    };
    const good = await verify(signed);
    expect(good.status).toBe(200);
    expect(good.body).toMatchObject({ indication: 'PASSED', document: null });
    expect(good.body.signatures[0]!.signer).toContain('Sở Tư pháp tỉnh Huế');
    const changed = Buffer.from(signed);
    const at = changed.indexOf('/Producer') + 12;
    changed[at] = changed[at] === 0x41 ? 0x42 : 0x41;
    expect((await verify(changed)).body).toMatchObject({ indication: 'FAILED', subIndication: 'HASH_FAILURE' });
  });

  it('digitizes a small paper through GraphQL too, with the same checks', async () => {
    const mutation = `mutation($input: DigitizeDocumentInput!) { digitizeDocument(input: $input) { code sha256 accessKey signerSerial } }`;
    const input = { title: 'Sổ hộ khẩu (bản cũ)', mediaType: 'application/pdf', contentBase64: PDF.toString('base64'), dossierCode };
    const done = await hub.graphql<{ digitizeDocument: { code: string; sha256: string; accessKey: string } }>(
      mutation,
      { input },
      { as: 'demo-district' },
    );
    expect(done.body.errors).toBeUndefined();
    expect(done.body.data!.digitizeDocument.sha256).toBe(createHash('sha256').update(PDF).digest('hex'));
    const fetched = await fetch(
      `${hub.url}/documents/${done.body.data!.digitizeDocument.code}?key=${done.body.data!.digitizeDocument.accessKey}`,
    );
    expect(Buffer.from(await fetched.arrayBuffer()).equals(PDF)).toBe(true);
    const refused = async (changes: Record<string, unknown>, as = 'demo-district') =>
      (await hub.graphql(mutation, { input: { ...input, ...changes } }, { as })).body.errors?.[0]?.extensions;
    expect(await refused({ contentBase64: 'not base64!' })).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'DOCUMENT.INVALID_BASE64' });
    expect(await refused({ mediaType: 'image/png' })).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'DOCUMENT.CONTENT_MISMATCH' });
    expect(await refused({}, 'demo-portal')).toMatchObject({ code: 'FORBIDDEN' });
    expect(await refused({}, 'demo-officer')).toMatchObject({ code: 'FORBIDDEN', reason: 'DOSSIER.OTHER_AGENCY' });
  });

  it('refuses bad uploads with typed errors and saves nothing', async () => {
    const before = await countDocuments();
    const reasons = async (as: string | null, query: string, body: Buffer, type?: string) => {
      const result = await upload(as, query, body, type);
      return [result.status, result.body.errors?.[0]?.extensions.reason ?? result.body.errors?.[0]?.extensions.code];
    };
    expect(await reasons('demo-district', 'title=x', Buffer.from('hello'), 'text/plain')).toEqual([400, 'DOCUMENT.UNSUPPORTED_TYPE']);
    expect(await reasons('demo-district', `title=x&dossierCode=${dossierCode}`, Buffer.from('not a pdf at all'))).toEqual([
      400,
      'DOCUMENT.CONTENT_MISMATCH',
    ]);
    expect(await reasons('demo-district', `dossierCode=${dossierCode}`, PDF)).toEqual([400, 'DOCUMENT.INVALID_TITLE']);
    expect(await reasons('demo-district', 'title=x', PDF)).toEqual([400, 'DOCUMENT.NO_OWNER']);
    expect(await reasons('demo-district', 'title=x&ownerId=123', PDF)).toEqual([400, 'APPLICANT.INVALID_ID']);
    expect(await reasons('demo-district', 'title=x&dossierCode=000.19.31.H46-990101-0001', PDF)).toEqual([404, 'DOSSIER.NOT_FOUND']);
    expect(await reasons('demo-officer', `title=x&dossierCode=${dossierCode}`, PDF)).toEqual([403, 'DOSSIER.OTHER_AGENCY']);
    expect(await reasons('demo-portal', 'title=x', PDF)).toEqual([403, 'DOCUMENT.DIGITIZE_FORBIDDEN']);
    expect(await reasons(null, 'title=x', PDF)).toEqual([401, 'AUTH.TOKEN_REQUIRED']);
    expect(await reasons('demo-district', `title=x&dossierCode=${dossierCode}`, Buffer.concat([PDF, Buffer.alloc(200_000)]))).toEqual([
      413,
      'REQUEST.TOO_LARGE',
    ]);
    expect(await countDocuments()).toBe(before);
  });
});
