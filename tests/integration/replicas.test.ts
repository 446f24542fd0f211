import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { EVENT_TYPES } from '../../domain/events/dossier-events';
import { DEMO_AGENCIES } from '../../scripts/demo-data';
import { freshSchemaName } from '../support/database';
import { TEST_SIMULATOR_SEED, testEnv } from '../support/environment';
import { BIRTH_REGISTRATION, DESK, receiveComplete } from '../support/hub-fixtures';
import { collectMessages, freshTopicPrefix } from '../support/kafka';
import { seedTestDemo, startTestHub, type TestHub } from '../support/test-hub';
import { generateCitizen } from '../../connectors/population/simulator/citizen-generator';

/**
 * Two gateway replicas of one hub: one PostgreSQL schema, one Kafka broker, one certificate
 * authority in the database. The first replica imports the CA folder of its data directory; the
 * second has none and must use the same CA.
 */
describe('two gateway replicas on one database and one broker', () => {
  const schema = freshSchemaName('replicas');
  const prefix = freshTopicPrefix('replicas');
  const kafka = { KAFKA_BROKERS: testEnv('kafkaBrokers'), KAFKA_TOPIC_PREFIX: prefix, KAFKA_CONSUMER_GROUP: `replicas-${prefix}` };
  let a: TestHub;
  let b: TestHub;
  let db: Client;
  let work: string;
  let collector: Awaited<ReturnType<typeof collectMessages>>;

  beforeAll(async () => {
    a = await startTestHub('replica-a', kafka, { schema });
    // After the first replica's bus created the topics.
    collector = await collectMessages(EVENT_TYPES.map((type) => `${prefix}${type}`));
    await seedTestDemo(a.services);
    b = await startTestHub('replica-b', kafka, { schema, withoutCaFolder: true });
    db = new Client({ connectionString: testEnv('databaseUrl') });
    await db.connect();
    await db.query(`set search_path to "${schema}"`);
    work = mkdtempSync(path.join(tmpdir(), 'hub-replicas-'));
  });

  afterAll(async () => {
    await collector?.consumer.disconnect();
    await db?.end();
    await b?.stop();
    if (b) rmSync(b.config.DATA_DIR, { recursive: true, force: true });
    await a?.dispose();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('both serve, with one CA: the second replica created none of its own', async () => {
    for (const hub of [a, b]) expect((await fetch(`${hub.url}/healthz`)).status).toBe(200);
    const roots = await Promise.all([a, b].map(async (hub) => (await fetch(`${hub.url}/pki/root.pem`)).text()));
    expect(roots[1]).toBe(roots[0]);
    expect(existsSync(path.join(b.config.DATA_DIR, 'pki'))).toBe(false);
    const { rows } = await db.query<{ count: string }>('select count(*) from ca_authority');
    expect(rows[0]!.count).toBe('1');
  });

  it('a token issued by one replica is accepted by the other (token keys are in the database)', async () => {
    const token = await a.tokenFor('demo-district');
    const response = await fetch(`${b.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ dossiers(first: 1) { totalCount } }' }),
    });
    const body = (await response.json()) as { data?: { dossiers: { totalCount: number } }; errors?: unknown };
    expect(body.errors).toBeUndefined();
    expect(body.data!.dossiers.totalCount).toBeGreaterThan(0);
  });

  it('seal race: replicas asking at once for the first seal of an agency end with one seal, the same on both', async () => {
    const agencies = DEMO_AGENCIES.slice(0, 3);
    const asked = await Promise.all(
      agencies.flatMap((agency) => [a, b, a, b].map(async (hub) => ({ code: agency.code, serial: await hub.sharedPki.sealFor(agency) }))),
    );
    for (const agency of agencies) {
      const serials = new Set(asked.filter((x) => x.code === agency.code).map((x) => x.serial));
      expect(serials.size).toBe(1);
    }
    const { rows } = await db.query<{ agency_code: string; count: string }>(
      `select agency_code, count(*) from ca_certificate where profile = 'organisation-signing' and agency_code = any($1) group by agency_code`,
      [agencies.map((agency) => agency.code)],
    );
    expect(rows.map((r) => r.count)).toEqual(agencies.map(() => '1'));
    // Both sign with that seal's key: each replica holds it (decrypted by certs/ from the database's blob).
    for (const { serial } of asked) {
      expect(a.pki.privateKey(serial).asymmetricKeyType).toBe('rsa');
      expect(b.pki.privateKey(serial).asymmetricKeyType).toBe('rsa');
    }
  });

  it('a certificate issued and revoked on one replica is in the CRL the other serves, and fails its mTLS check', async () => {
    const { record } = await a.sharedPki.issue({ profile: 'tls-client', subject: { commonName: 'replica-test-client' } });
    await a.sharedPki.revoke(record.serialNumber, 'keyCompromise');
    const crl = await (await fetch(`${b.url}/pki/crl.pem`)).text();
    expect(crl).toBe(await (await fetch(`${a.url}/pki/crl.pem`)).text());
    const file = path.join(work, 'crl.pem');
    writeFileSync(file, crl);
    const text = execFileSync('openssl', ['crl', '-text', '-noout', '-in', file], { encoding: 'utf8' });
    expect(text).toContain(`Serial Number: ${record.serialNumber.toUpperCase()}`);
    expect(text).toMatch(/Key Compromise/);
    // The other replica's copy (what its mTLS check reads) learns it at its next reload.
    await b.sharedPki.refresh();
    expect(b.pki.record(record.serialNumber).status).toBe('REVOKED');
  });

  it('a revocation made through the second replica is in the first one’s CRL, numbered after the last', async () => {
    const number = (pem: string) => {
      writeFileSync(path.join(work, 'n.pem'), pem);
      return Number(
        /X509v3 CRL Number:\s*\n\s*(\d+)/.exec(
          execFileSync('openssl', ['crl', '-text', '-noout', '-in', path.join(work, 'n.pem')], { encoding: 'utf8' }),
        )![1],
      );
    };
    const before = number(await (await fetch(`${a.url}/pki/crl.pem`)).text());
    const { record } = await a.sharedPki.issue({ profile: 'tls-client', subject: { commonName: 'replica-test-client-2' } });
    await b.sharedPki.revoke(record.serialNumber, 'superseded');
    const after = await (await fetch(`${a.url}/pki/crl.pem`)).text();
    expect(number(after)).toBeGreaterThan(before);
    writeFileSync(path.join(work, 'after.pem'), after);
    expect(execFileSync('openssl', ['crl', '-text', '-noout', '-in', path.join(work, 'after.pem')], { encoding: 'utf8' })).toContain(
      `Serial Number: ${record.serialNumber.toUpperCase()}`,
    );
    await expect(a.sharedPki.revoke(record.serialNumber)).rejects.toMatchObject({ reason: 'PKI.ALREADY_REVOKED' });
  });

  it('key in clear: the database holds CA and certificate keys only as encrypted PKCS#8, and refuses one in clear', async () => {
    const keys = await db.query<{ pem: string }>(
      `select encrypted_root_key_pem as pem from ca_authority union all select encrypted_issuing_key_pem from ca_authority
       union all select encrypted_key_pem from ca_certificate where encrypted_key_pem is not null`,
    );
    expect(keys.rows.length).toBeGreaterThan(2);
    for (const { pem } of keys.rows) expect(pem).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
    const [seal] = (await db.query<{ serial_number: string }>('select serial_number from ca_agency_seal limit 1')).rows;
    const clear = a.pki.privateKey(seal!.serial_number).export({ type: 'pkcs8', format: 'pem' }).toString();
    await expect(
      db.query('update ca_certificate set encrypted_key_pem = $1 where serial_number = $2', [clear, seal!.serial_number]),
    ).rejects.toThrow(/check constraint/);
  });

  it('one relay publishes: every event committed on either replica reaches a consumer exactly once', async () => {
    const applicantId = generateCitizen(TEST_SIMULATOR_SEED, 11).personalId;
    const codes: string[] = [];
    for (const hub of [a, b, a, b]) {
      codes.push(
        (await receiveComplete(hub.services, { procedureCode: BIRTH_REGISTRATION, applicantId, channel: 'DESK', agencyCode: DESK })).code,
      );
    }
    const { rows } = await db.query<{ event_id: string }>('select event_id from outbox_event');
    const ids = rows.map((r) => r.event_id);
    await collector.waitFor((messages) => ids.every((id) => messages.some((m) => m.value.id === id)));
    const delivered = collector.messages.map((m) => String(m.value.id));
    expect(delivered.filter((id) => ids.includes(id)).sort()).toEqual([...ids].sort());
    expect(new Set(delivered).size).toBe(delivered.length);
    expect(codes.every((code) => collector.messages.some((m) => m.key === code))).toBe(true);
    // The lease: the replica that started first holds it; the other never published.
    expect([a.relay.status.holdsLease, b.relay.status.holdsLease]).toEqual([true, false]);
    expect(b.relay.status.published).toBe(0);
  });
});
