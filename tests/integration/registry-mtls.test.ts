import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Agent, fetch as undiciFetch } from 'undici';
import { authoritySettingsFor, CertificateAuthority } from '../../certs/pki/certificate-authority';
import { generateCitizen } from '../../connectors/population/simulator/citizen-generator';
import {
  startPopulationSimulator,
  type RunningPopulationSimulator,
  type SimulatorStats,
} from '../../connectors/population/simulator/population-simulator.server';
import { CONNECTOR_CERTIFICATE_NAME, upstreamTlsFor } from '../../gateway/hub';
import { loadConfig } from '../../platform/config';
import { quietLogger } from '../support/database';
import { TEST_POPULATION_SIZE, TEST_SIMULATOR_SEED, testEnv } from '../support/environment';
import { startTestHub, seedTestDemo, type TestHub } from '../support/test-hub';

const run = promisify(execFile);

/** A copy of the test CA (the one every test hub copies), so that issuing here leaves the template alone. */
function copyOfTestAuthority(dir: string, passphrase?: string): CertificateAuthority {
  const settings = { ...authoritySettingsFor(loadConfig({})), dir };
  if (passphrase) return CertificateAuthority.init({ ...settings, passphrase, organisation: 'Another CA' });
  cpSync(testEnv('pkiTemplate'), dir, { recursive: true });
  return CertificateAuthority.open(settings);
}

describe('registries behind mutual TLS: the population registry requires a client certificate', () => {
  let work: string;
  let authority: CertificateAuthority;
  let foreign: CertificateAuthority;
  let simulator: RunningPopulationSimulator;
  let hub: TestHub;
  let dossierCode: string;
  let foreignClient: { certificatePem: string; keyPem: string };
  const files: Record<string, string> = {};
  const applicant = generateCitizen(TEST_SIMULATOR_SEED, 7);

  /** The simulator's counters, read as an operator would: with a client certificate of its own. */
  const stats = async () => {
    const operator = authority.ownCertificate('tls-client', ['test-operator']);
    const response = await undiciFetch(`${simulator.url}/_sim/stats`, {
      dispatcher: new Agent({ connect: { ca: authority.rootPem(), cert: operator.certificatePem, key: operator.keyPem } }),
    });
    return (await response.json()) as SimulatorStats;
  };

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'hub-registry-mtls-'));
    authority = copyOfTestAuthority(path.join(work, 'pki'));
    foreign = copyOfTestAuthority(path.join(work, 'foreign-pki'), 'another-passphrase-for-tests');
    const server = authority.ownCertificate('tls-server', ['population-registry-simulator', '127.0.0.1', 'localhost']);
    simulator = await startPopulationSimulator({
      port: 0,
      seed: TEST_SIMULATOR_SEED,
      size: TEST_POPULATION_SIZE,
      logger: quietLogger,
      tls: { certificatePem: server.certificatePem, keyPem: server.keyPem, clientCaPem: authority.chainPem() },
    });
    const write = (name: string, content: string) => {
      files[name] = path.join(work, name);
      writeFileSync(files[name], content, { mode: 0o600 });
    };
    foreignClient = foreign.ownCertificate('tls-client', ['someone-else']);
    write('foreign-client.crt.pem', foreignClient.certificatePem);
    write('foreign-client.key.pem', foreignClient.keyPem);
    write('foreign-root.pem', foreign.rootPem());
    write('root.pem', authority.rootPem());
    write('server-key.pem', server.keyPem);

    hub = await startTestHub('registry-mtls', { POPULATION_REGISTRY_URL: simulator.url });
    const demo = await seedTestDemo(hub.services);
    dossierCode = demo.dossierCodes[0]!;
  });

  afterAll(async () => {
    await hub?.dispose();
    await simulator?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('is served over https and answers 401 to a caller without a client certificate', async () => {
    expect(simulator.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const response = await undiciFetch(`${simulator.url}/v1/citizens/${applicant.personalId}`, {
      dispatcher: new Agent({ connect: { ca: authority.rootPem() } }),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await response.json()).toMatchObject({ status: 401, code: 'CLIENT_CERTIFICATE_REQUIRED' });
  });

  it('answers 403 to a certificate another CA issued', async () => {
    const response = await undiciFetch(`${simulator.url}/v1/citizens/${applicant.personalId}`, {
      dispatcher: new Agent({ connect: { ca: authority.rootPem(), cert: foreignClient.certificatePem, key: foreignClient.keyPem } }),
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ code: 'CLIENT_CERTIFICATE_UNTRUSTED' });
  });

  it('serves the hub, which presents its own connector certificate from its CA', async () => {
    const before = (await stats()).clientCertificates[CONNECTOR_CERTIFICATE_NAME] ?? 0;
    hub.population.clearCache();
    const result = await hub.graphql<{ dossier: { applicant: { fullName: string } } }>(
      `query($code: String!) { dossier(code: $code) { applicant { personalId fullName } } }`,
      { code: dossierCode },
      { as: 'demo-district' },
    );
    expect(result.body.errors).toBeUndefined();
    const dossier = await hub.services.dossiers.findByCode(dossierCode);
    expect(result.body.data?.dossier.applicant.fullName).toBe(simulator.population.get(dossier.applicantId)!.fullName);
    const after = (await stats()).clientCertificates[CONNECTOR_CERTIFICATE_NAME];
    expect(after).toBeGreaterThan(before);
    // The certificate is the hub's, issued by its CA and listed there.
    expect(
      hub.pki.list().filter((r) => r.profile === 'tls-client' && r.subject.startsWith(`CN=${CONNECTOR_CERTIFICATE_NAME},`)),
    ).toHaveLength(1);
    const ready = (await (await fetch(`${hub.url}/readyz`, { headers: hub.operatorHeaders })).json()) as {
      checks: { name: string; status: string }[];
    };
    expect(ready.checks.find((c) => c.name === 'population registry')?.status).toBe('up');
  });

  it('is reachable with curl and the same kind of certificate (interoperability)', async () => {
    const client = authority.ownCertificate('tls-client', ['curl-operator']);
    writeFileSync(path.join(work, 'curl.crt.pem'), client.certificatePem);
    writeFileSync(path.join(work, 'curl.key.pem'), client.keyPem, { mode: 0o600 });
    const { stdout } = await run('curl', [
      '--silent',
      '--fail-with-body',
      '--cacert',
      files['root.pem']!,
      '--cert',
      path.join(work, 'curl.crt.pem'),
      '--key',
      path.join(work, 'curl.key.pem'),
      `${simulator.url}/v1/citizens/${applicant.personalId}`,
    ]);
    expect(JSON.parse(stdout)).toMatchObject({ personalId: applicant.personalId, fullName: applicant.fullName });
    const refused = await run('curl', ['--silent', '--cacert', files['root.pem']!, `${simulator.url}/v1/citizens/${applicant.personalId}`]);
    expect(JSON.parse(refused.stdout)).toMatchObject({ code: 'CLIENT_CERTIFICATE_REQUIRED' });
  });

  it('replaces its connector certificate once revoked, without a restart, and presents the new one', async () => {
    const valid = () =>
      hub.pki
        .list()
        .find((r) => r.profile === 'tls-client' && r.status === 'VALID' && r.subject.startsWith(`CN=${CONNECTOR_CERTIFICATE_NAME},`));
    const current = valid()!;
    expect(hub.renewOwnCertificates()).toEqual([]);
    hub.pki.revoke(current.serialNumber, 'superseded');
    expect(hub.renewOwnCertificates()).toEqual(['connector client certificate']);
    const renewed = valid()!;
    expect(renewed.serialNumber).not.toBe(current.serialNumber);
    hub.population.clearCache();
    const result = await hub.graphql(
      `query($code: String!) { dossier(code: $code) { applicant { fullName } } }`,
      { code: dossierCode },
      { as: 'demo-district' },
    );
    expect(result.body.errors).toBeUndefined();
    expect((await stats()).clientCertificateSerials[renewed.serialNumber]).toBeGreaterThan(0);
  });

  it('refuses a hub presenting a certificate it did not enrol: the field is UPSTREAM_UNAVAILABLE with the reason', async () => {
    const other = await startTestHub('registry-mtls-foreign', {
      POPULATION_REGISTRY_URL: simulator.url,
      CONNECTOR_TLS_CERT_FILE: files['foreign-client.crt.pem']!,
      CONNECTOR_TLS_KEY_FILE: files['foreign-client.key.pem']!,
      // The seed's receptions must not ask the refusing registry first (its circuit would open before the read under test).
      RECEPTION_CONFIRMING_REGISTRIES: 'business,land',
    });
    try {
      await seedTestDemo(other.services);
      const result = await other.graphql<{ citizen: unknown }>(
        `query($id: String!, $code: String) { citizen(personalId: $id, dossierCode: $code) { fullName } }`,
        { id: (await other.services.dossiers.findByCode(dossierCode)).applicantId, code: dossierCode },
        { as: 'demo-district' },
      );
      expect(result.body.data?.citizen).toBeNull();
      expect(result.body.errors?.[0]?.extensions).toMatchObject({
        code: 'UPSTREAM_UNAVAILABLE',
        reason: 'POPULATION_REGISTRY.CLIENT_CERTIFICATE_UNTRUSTED',
      });
    } finally {
      await other.dispose();
    }
  });

  it('does not trust a registry whose server certificate chains to a CA it was not given', async () => {
    const other = await startTestHub('registry-mtls-distrust', {
      POPULATION_REGISTRY_URL: simulator.url,
      CONNECTOR_TLS_CA_FILE: files['foreign-root.pem']!,
    });
    try {
      const ready = (await (await fetch(`${other.url}/readyz`, { headers: other.operatorHeaders })).json()) as {
        checks: { name: string; status: string; error?: string }[];
      };
      const population = ready.checks.find((c) => c.name === 'population registry');
      expect(population?.status).toBe('down');
      expect(population?.error).toMatch(/TLS with 127\.0\.0\.1:\d+ failed: its server certificate .*CONNECTOR_TLS_CA_FILE/);
    } finally {
      await other.dispose();
    }
  });

  it.each([
    ['/nonexistent/client.pem', '/nonexistent/key.pem', /^CONNECTOR_TLS_CERT_FILE: cannot read "\/nonexistent\/client.pem": ENOENT$/],
    ['server-key.pem', 'foreign-client.key.pem', /^CONNECTOR_TLS_CERT_FILE: expected a PEM certificate$/],
    [
      'foreign-client.crt.pem',
      'server-key.pem',
      /^CONNECTOR_TLS_KEY_FILE: this key does not belong to the certificate of CONNECTOR_TLS_CERT_FILE$/,
    ],
  ])('refuses to start with a wrong connector certificate, naming the setting (%s, %s)', (certificate, key, message) => {
    const config = loadConfig({
      POPULATION_REGISTRY_URL: simulator.url,
      CONNECTOR_TLS_CERT_FILE: files[certificate] ?? certificate,
      CONNECTOR_TLS_KEY_FILE: files[key] ?? key,
    });
    expect(() => upstreamTlsFor(config, authority)).toThrow(message);
  });

  it('presents no certificate and keeps Node’s fetch when every registry is reached over http', () => {
    expect(upstreamTlsFor(loadConfig({ POPULATION_REGISTRY_URL: 'http://127.0.0.1:4101' }), authority)).toBeUndefined();
  });
});
