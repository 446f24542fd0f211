import { createHash, X509Certificate } from 'node:crypto';
import { spawn } from 'node:child_process';
import https from 'node:https';
import tls from 'node:tls';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CertificateAuthority } from '../../certs/pki/certificate-authority';
import { DESK } from '../support/hub-fixtures';
import { startTestHub, type TestHub, seedTestDemo } from '../support/test-hub';

interface ClientCertificate {
  cert: string;
  key: string;
}

/** One HTTPS request trusting the hub's chain, optionally with a client certificate. */
function call(
  hub: TestHub,
  pathname: string,
  options: { method?: string; headers?: Record<string, string>; body?: string; certificate?: ClientCertificate } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const request = https.request(
      `${hub.url}${pathname}`,
      {
        method: options.method ?? 'GET',
        headers: options.headers,
        ca: hub.pki.chainPem(),
        ...(options.certificate ? { cert: options.certificate.cert, key: options.certificate.key } : {}),
      },
      (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text || '{}') as Record<string, unknown> }));
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}

describe('mutual TLS: clients registered for it must present a certificate from the hub’s CA', () => {
  let hub: TestHub;
  let secret: string;
  let work: string;
  const clientId = 'mtls-system';
  const certificateFor = (ca: CertificateAuthority, commonName: string): ClientCertificate & { serial: string } => {
    const { record, certificatePem } = ca.issue({ profile: 'tls-client', subject: { commonName } });
    return {
      serial: record.serialNumber,
      cert: certificatePem,
      key: ca.privateKey(record.serialNumber).export({ type: 'pkcs8', format: 'pem' }).toString(),
    };
  };
  const token = async (certificate?: ClientCertificate) =>
    call(hub, '/oauth/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret }).toString(),
      ...(certificate ? { certificate } : {}),
    });
  const query = (accessToken: string, certificate?: ClientCertificate) =>
    call(hub, '/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
      body: JSON.stringify({ query: '{ dossiers(first: 1) { totalCount } }' }),
      ...(certificate ? { certificate } : {}),
    });
  const reason = (body: Record<string, unknown>) =>
    (body.errors as { extensions: { reason: string } }[] | undefined)?.[0]?.extensions.reason ?? body.error_description;

  beforeAll(async () => {
    hub = await startTestHub('mtls', { TLS_ENABLED: 'true' });
    await seedTestDemo(hub.services);
    secret = (
      await hub.services.clients.create({
        clientId,
        name: 'A desk system with mTLS',
        kind: 'AGENCY_SYSTEM',
        agencyCode: DESK,
        tlsCertificateRequired: true,
      })
    ).secret!;
    work = mkdtempSync(path.join(tmpdir(), 'hub-mtls-'));
  });

  afterAll(async () => {
    await hub?.dispose();
    rmSync(work, { recursive: true, force: true });
  });

  it('serves HTTPS with a server certificate from its own CA', async () => {
    expect(hub.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const port = new URL(hub.url).port;
    const chain = path.join(work, 'chain.pem');
    writeFileSync(chain, hub.pki.chainPem());
    // Asynchronously: the hub answers from this very process.
    const handshake = await new Promise<string>((resolve) => {
      const child = spawn('openssl', [
        's_client',
        '-connect',
        `127.0.0.1:${port}`,
        '-CAfile',
        chain,
        '-verify_return_error',
        '-servername',
        '127.0.0.1',
        '-brief',
      ]);
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.on('close', () => resolve(output));
      child.stdin.end();
    });
    expect(handshake).toMatch(/Verification: OK/);
    expect((await call(hub, '/healthz')).status).toBe(200);
  });

  it('gives tokens and answers calls only with the client’s own certificate', async () => {
    const own = certificateFor(hub.pki, clientId);
    const issued = await token(own);
    expect(issued.status).toBe(200);
    const accessToken = String(issued.body.access_token);
    expect((await query(accessToken, own)).status).toBe(200);

    expect(await token()).toMatchObject({ status: 401 });
    expect(reason((await query(accessToken)).body)).toBe('MTLS.CERTIFICATE_REQUIRED');
    expect(reason((await query(accessToken, certificateFor(hub.pki, 'someone-else'))).body)).toBe('MTLS.CERTIFICATE_MISMATCH');
    const strangerDir = mkdtempSync(path.join(tmpdir(), 'hub-mtls-stranger-'));
    try {
      const stranger = CertificateAuthority.init({
        dir: strangerDir,
        passphrase: 'stranger passphrase',
        crlUrl: 'http://x/crl.pem',
        organisation: 'Stranger',
      });
      expect(reason((await query(accessToken, certificateFor(stranger, clientId))).body)).toBe('MTLS.CERTIFICATE_UNTRUSTED');
    } finally {
      rmSync(strangerDir, { recursive: true, force: true });
    }
    hub.pki.revoke(own.serial, 'keyCompromise');
    const afterRevocation = await query(accessToken, own);
    expect(afterRevocation.status).toBe(401);
    expect(reason(afterRevocation.body)).toBe('MTLS.CERTIFICATE_REVOKED');
  });

  it('binds the token to the certificate it was issued with (RFC 8705): another valid certificate of the client cannot use it', async () => {
    const first = certificateFor(hub.pki, clientId);
    const second = certificateFor(hub.pki, clientId);
    const accessToken = String((await token(first)).body.access_token);
    const claims = JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString()) as { cnf?: unknown };
    expect(claims.cnf).toEqual({ 'x5t#S256': createHash('sha256').update(new X509Certificate(first.cert).raw).digest('base64url') });
    expect((await query(accessToken, first)).status).toBe(200);
    const stolen = await query(accessToken, second);
    expect(stolen.status).toBe(401);
    expect(reason(stolen.body)).toBe('MTLS.TOKEN_BINDING_MISMATCH');
    // The second certificate gets a token of its own.
    expect((await query(String((await token(second)).body.access_token), second)).status).toBe(200);
  });

  it('replaces its server certificate once revoked, without a restart', async () => {
    /** The serial of the certificate the gateway shows a new connection. */
    const servedSerial = () =>
      new Promise<string>((resolve, reject) => {
        const socket = tls.connect(
          { host: '127.0.0.1', port: Number(new URL(hub.url).port), ca: hub.pki.chainPem(), servername: '127.0.0.1' },
          () => {
            resolve(socket.getPeerCertificate().serialNumber.toLowerCase());
            socket.end();
          },
        );
        socket.on('error', reject);
      });
    const before = await servedSerial();
    expect(hub.pki.record(before).profile).toBe('tls-server');
    hub.pki.revoke(before, 'superseded');
    expect(hub.renewOwnCertificates()).toEqual(['gateway server certificate']);
    const after = await servedSerial();
    expect(after).not.toBe(before);
    expect(hub.pki.record(after).status).toBe('VALID');
    expect((await call(hub, '/healthz')).status).toBe(200);
  });

  it('leaves other clients and the public as they were', async () => {
    const demo = await call(hub, '/oauth/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'demo-district', client_secret: 'demo-secret' }).toString(),
    });
    expect(demo.status).toBe(200);
    // Not held to mutual TLS: a plain bearer token, with no certificate binding.
    expect(JSON.parse(Buffer.from(String(demo.body.access_token).split('.')[1]!, 'base64url').toString())).not.toHaveProperty('cnf');
    expect((await query(String(demo.body.access_token))).status).toBe(200);
    expect((await call(hub, '/readyz')).status).toBe(200);
  });
});
