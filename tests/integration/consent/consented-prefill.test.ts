import type { PrefillField } from '../../../connectors/portal/simulator/prefill-demo';
import { registerConsentPurpose } from '../../support/hub-fixtures';
import { DriverException } from '@mikro-orm/core';
import { SignJWT, generateKeyPair } from 'jose';
import { generateCitizen } from '../../../connectors/population/simulator/citizen-generator';
import { CONSENT_TYP } from '../../../certs/consent-tokens';
import type { ConsentAttribute } from '../../../domain/consent/consent';
import { TEST_SIMULATOR_SEED } from '../../support/environment';
import { DEMO_SECRET, seedTestDemo, startTestHub, type TestHub } from '../../support/test-hub';

const BIRTH = '1.001193';
const MARITAL = '1.004873';
const PORTAL = 'demo-portal';
const OTHER_PORTAL = 'test-other-portal';
const citizen = generateCitizen(TEST_SIMULATOR_SEED, 0);
const someoneElse = generateCitizen(TEST_SIMULATOR_SEED, 1);
const DAY = 86_400_000;

const PREFILL = `query($p: String!, $t: String!) {
  prefill(procedureCode: $p, consentToken: $t) { field attribute source value sourceUpdatedAt retrievedAt reason }
}`;

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const payloadOf = (jws: string) => JSON.parse(Buffer.from(jws.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;

describe('consented prefill over HTTP', () => {
  let hub: TestHub;

  /** A consent as grantConsent records it once the ID token verified (the service, as the resolver calls it). */
  async function consent(
    attributes: ConsentAttribute[],
    overrides: { clientId?: string; procedureCode?: string; purpose?: string; notAfter?: Date; personalId?: string } = {},
  ) {
    const procedureCode = overrides.procedureCode ?? BIRTH;
    return hub.services.consents.grant({
      personalId: overrides.personalId ?? citizen.personalId,
      clientId: overrides.clientId ?? PORTAL,
      attributes,
      purpose: overrides.purpose ?? `prefill:${procedureCode}`,
      procedureCode,
      notAfter: overrides.notAfter ?? new Date(Date.now() + 30 * DAY),
      dataLifeSeconds: 3_600,
      requestId: null,
    });
  }

  const prefill = (token: string, procedureCode = BIRTH, as = PORTAL) =>
    hub.graphql<{ prefill: PrefillField[] }>(PREFILL, { p: procedureCode, t: token }, { as });
  const reasons = (result: { body: { errors?: { extensions?: Record<string, unknown> }[] } }) =>
    (result.body.errors ?? []).map((e) => `${String(e.extensions?.code)}:${String(e.extensions?.reason)}`);
  const processingEntries = async (consentId: string, field: string) =>
    Number(
      (
        await hub.store.orm.em
          .fork()
          .execute<{ n: string }[]>(`select count(*) as n from audit_log where basis = ? and details->'fields' @> ?::jsonb`, [
            `consent:${consentId}`,
            JSON.stringify([field]),
          ])
      )[0]!.n,
    );

  beforeAll(async () => {
    hub = await startTestHub('consent');
    await seedTestDemo(hub.services);
    await hub.services.clients.ensure({ clientId: OTHER_PORTAL, name: 'Another portal', kind: 'PORTAL', secret: DEMO_SECRET });
    const everyPopulation: ConsentAttribute[] = [
      'population.fullName',
      'population.dateOfBirth',
      'population.ethnicity',
      'population.nationality',
      'population.currentResidence',
      'population.maritalStatus',
      'population.sex',
    ];
    for (const clientId of [PORTAL, OTHER_PORTAL]) {
      // Each prefill purpose covers what its declaration reads (as operators register it).
      await hub.services.consentPurposes.registerDefaultPrefill(clientId, [BIRTH, MARITAL]);
      await registerConsentPurpose(hub.services, clientId, 'eligibility-check', everyPopulation);
    }
  });

  afterAll(async () => {
    await hub?.dispose();
  });

  it('a consent makes prefill return only the consented fields, each with its source and both times', async () => {
    const { record, token } = await consent(['population.fullName', 'population.currentResidence']);
    const result = await prefill(token);
    expect(result.body.errors).toBeUndefined();
    const fields = result.body.data!.prefill;
    const filled = fields.filter((f) => f.value !== null);
    expect(filled.map((f) => f.field).sort()).toEqual(['declarant.currentResidence', 'declarant.fullName']);
    expect(filled.find((f) => f.field === 'declarant.fullName')!.value).toBe(citizen.fullName);
    for (const f of filled) {
      const attribute = f.attribute.replace('population.', '');
      expect(f.source).toBe('population');
      // The attribute's own update time at the registry, and when the hub read it (now).
      expect(new Date(f.sourceUpdatedAt!).getTime()).toBe(
        new Date(citizen.attributeUpdates.find((u) => u.attribute === attribute)!.updatedAt).getTime(),
      );
      expect(Math.abs(Date.parse(f.retrievedAt!) - Date.now())).toBeLessThan(60_000);
    }
    const others = fields.filter((f) => f.value === null);
    expect(others.length).toBeGreaterThan(0);
    expect(new Set(others.map((f) => f.reason))).toEqual(new Set(['NOT_CONSENTED']));
    expect(await processingEntries(record.id, 'prefill')).toBe(1);
  });

  it('every prefill has exactly one processing-log entry naming its consent', async () => {
    const { record, token } = await consent(['population.fullName']);
    for (let i = 0; i < 3; i += 1) expect((await prefill(token)).body.errors).toBeUndefined();
    expect(await processingEntries(record.id, 'prefill')).toBe(3);
  });

  it('the processing-log entry is written while the registries answer, recording the read as attempted', async () => {
    const { record, token } = await consent(['population.fullName']);
    const population = hub.population;
    const lookup = population.lookup.bind(population);
    const audit = hub.services.audit;
    const append = audit.append.bind(audit);
    let registryAnswered = false;
    const seenByTheLog: boolean[] = [];
    population.lookup = async (...args) => {
      try {
        return await lookup(...args);
      } finally {
        registryAnswered = true;
      }
    };
    audit.append = async (entries) => {
      if (entries.some((e) => e.basis === `consent:${record.id}`)) seenByTheLog.push(registryAnswered);
      return append(entries);
    };
    try {
      expect((await prefill(token)).body.errors).toBeUndefined();
    } finally {
      population.lookup = lookup;
      audit.append = append;
    }
    // Started before the registry answered (one write, not one after the read).
    expect(seenByTheLog).toEqual([false]);
    const [entry] = await hub.store.orm.em
      .fork()
      .execute<{ details: { registries: unknown; attributes: string[] } }[]>(
        `select details from audit_log where basis = ? and action = 'personal-data.read'`,
        [`consent:${record.id}`],
      );
    expect(entry!.details.registries).toEqual([{ registry: 'population' }]);
    expect(entry!.details.attributes).toEqual(['population.fullName']);
  });

  it('a prefill whose processing-log entry cannot be written is withheld (STORE_UNAVAILABLE), no value in it', async () => {
    const { token } = await consent(['population.fullName']);
    const audit = hub.services.audit;
    const append = audit.append.bind(audit);
    audit.append = async () => {
      throw new DriverException(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }));
    };
    let result;
    try {
      result = await prefill(token);
    } finally {
      audit.append = append;
    }
    expect(result.status).toBe(503);
    expect(result.body.data).toBeUndefined();
    expect((result.body.errors ?? []).map((e) => e.extensions?.code)).toEqual(['STORE_UNAVAILABLE']);
    expect(JSON.stringify(result.body)).not.toContain(citizen.fullName);
  });

  it('citizen(...) under consent gives exactly the consented attributes', async () => {
    const { record, token } = await consent(['population.fullName', 'population.maritalStatus']);
    const ok = await hub.graphql<{ citizen: { fullName: string; maritalStatus: string } }>(
      `query($id: String!, $t: String) { citizen(personalId: $id, consentToken: $t) { fullName maritalStatus } }`,
      { id: citizen.personalId, t: token },
      { as: PORTAL },
    );
    expect(ok.body.errors).toBeUndefined();
    expect(ok.body.data!.citizen).toEqual({ fullName: citizen.fullName, maritalStatus: citizen.maritalStatus });
    expect(await processingEntries(record.id, 'Query.citizen')).toBe(1);

    const beyond = await hub.graphql(
      `query($id: String!, $t: String) { citizen(personalId: $id, consentToken: $t) { fullName currentResidence { fullAddress } } }`,
      { id: citizen.personalId, t: token },
      { as: PORTAL },
    );
    expect(reasons(beyond)).toEqual(['CONSENT_REQUIRED:CONSENT.ATTRIBUTE_NOT_CONSENTED']);
    expect(beyond.body.errors![0]!.path).toEqual(['citizen', 'currentResidence']);
  });

  it('consent of another person: a token cannot read someone else', async () => {
    const { token } = await consent(['population.fullName']);
    const result = await hub.graphql(
      `query($id: String!, $t: String) { citizen(personalId: $id, consentToken: $t) { fullName } }`,
      { id: someoneElse.personalId, t: token },
      { as: PORTAL },
    );
    expect(reasons(result)).toEqual(['CONSENT_REQUIRED:CONSENT.WRONG_SUBJECT']);
  });

  it('stolen consent: another client presenting the token is refused', async () => {
    const { token } = await consent(['population.fullName']);
    expect(reasons(await prefill(token, BIRTH, OTHER_PORTAL))).toEqual(['FORBIDDEN:CONSENT.WRONG_CLIENT']);
  });

  it('expired consent: refused once its not-after passed', async () => {
    const { record } = await consent(['population.fullName']);
    // The stored record ran out (as time would have it); the token still names the old not-after.
    const stale = { ...record, notAfter: new Date(Math.floor(Date.now() / 1000) * 1000 - 1_000), issuedAt: new Date(Date.now() - 2 * DAY) };
    await hub.store.orm.em
      .fork()
      .execute('update consent set issued_at = ?, not_after = ? where id = ?', [stale.issuedAt, stale.notAfter, record.id]);
    const { ConsentTokens } = await import('../../../certs/consent-tokens');
    const token = await new ConsentTokens(hub.keys).sign(stale);
    expect(reasons(await prefill(token))).toEqual(['CONSENT_REQUIRED:CONSENT.EXPIRED']);
  });

  it('revoked consent: the next prefill is refused at once', async () => {
    const { record, token } = await consent(['population.fullName']);
    expect((await prefill(token)).body.errors).toBeUndefined();
    const revoked = await hub.graphql<{ revokeConsent: { status: string } }>(
      `mutation($id: String!) { revokeConsent(id: $id) { status } }`,
      { id: record.id },
      { as: PORTAL },
    );
    expect(revoked.body.data?.revokeConsent.status).toBe('REVOKED');
    expect(reasons(await prefill(token))).toEqual(['CONSENT_REQUIRED:CONSENT.REVOKED']);
    expect((await hub.services.consents.history(record.id)).map((e) => e.kind)).toEqual(['GRANTED', 'REVOKED']);
  });

  it('revoking another client’s consent is refused as if it did not exist', async () => {
    const { record } = await consent(['population.fullName']);
    const result = await hub.graphql(
      `mutation($id: String!) { revokeConsent(id: $id) { status } }`,
      { id: record.id },
      { as: OTHER_PORTAL },
    );
    expect(reasons(result)).toEqual(['NOT_FOUND:CONSENT.NOT_FOUND']);
  });

  it('forged consent (another key): refused', async () => {
    const { token } = await consent(['population.fullName']);
    const { privateKey } = await generateKeyPair('ES256');
    const header = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as { kid: string };
    const forged = await new SignJWT(payloadOf(token))
      .setProtectedHeader({ alg: 'ES256', kid: header.kid, typ: CONSENT_TYP })
      .sign(privateKey);
    expect(reasons(await prefill(forged))).toEqual(['CONSENT_REQUIRED:CONSENT.INVALID_TOKEN']);
  });

  it('alg none consent: refused', async () => {
    const { token } = await consent(['population.fullName']);
    const unsigned = `${b64({ alg: 'none', typ: CONSENT_TYP })}.${token.split('.')[1]}.`;
    expect(reasons(await prefill(unsigned))).toEqual(['CONSENT_REQUIRED:CONSENT.INVALID_TOKEN']);
  });

  it('altered consent (an attribute added, the signature kept): refused', async () => {
    const { token } = await consent(['population.fullName']);
    const [header, , signature] = token.split('.');
    const altered = `${header}.${b64({ ...payloadOf(token), attributes: ['population.fullName', 'population.maritalStatus'] })}.${signature}`;
    expect(reasons(await prefill(altered))).toEqual(['CONSENT_REQUIRED:CONSENT.INVALID_TOKEN']);
  });

  it('typ confusion: an access token presented as a consent is refused', async () => {
    expect(reasons(await prefill(await hub.tokenFor(PORTAL)))).toEqual(['CONSENT_REQUIRED:CONSENT.INVALID_TOKEN']);
  });

  it('consent for another procedure: refused', async () => {
    const { token } = await consent(['population.fullName'], { procedureCode: MARITAL });
    expect(reasons(await prefill(token, BIRTH))).toEqual(['CONSENT_REQUIRED:CONSENT.WRONG_PROCEDURE']);
  });

  it('consent for another purpose: refused for a prefill', async () => {
    const { token } = await consent(['population.fullName'], { purpose: 'eligibility-check' });
    expect(reasons(await prefill(token, BIRTH))).toEqual(['CONSENT_REQUIRED:CONSENT.WRONG_PURPOSE']);
  });

  it('grantConsent without a valid ID token is refused and records nothing', async () => {
    const before = Number((await hub.store.orm.em.fork().execute<{ n: string }[]>('select count(*) as n from consent'))[0]!.n);
    const result = await hub.graphql(
      `mutation($i: GrantConsentInput!) { grantConsent(input: $i) { consentToken } }`,
      {
        i: {
          idToken: `${b64({ alg: 'none' })}.${b64({ sub: citizen.personalId })}.`,
          attributes: ['population.fullName'],
          purpose: `prefill:${BIRTH}`,
          procedureCode: BIRTH,
          notAfter: new Date(Date.now() + DAY).toISOString(),
          dataLifeSeconds: 3_600,
        },
      },
      { as: PORTAL },
    );
    expect(result.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(Number((await hub.store.orm.em.fork().execute<{ n: string }[]>('select count(*) as n from consent'))[0]!.n)).toBe(before);
  });

  it('grantConsent is for portals only', async () => {
    const result = await hub.graphql(
      `mutation($i: GrantConsentInput!) { grantConsent(input: $i) { consentToken } }`,
      {
        i: {
          idToken: 'x',
          attributes: ['population.fullName'],
          purpose: `prefill:${BIRTH}`,
          procedureCode: BIRTH,
          notAfter: new Date(Date.now() + DAY).toISOString(),
          dataLifeSeconds: 3_600,
        },
      },
      { as: 'demo-district' },
    );
    expect(reasons(result)).toEqual(['FORBIDDEN:CONSENT.PORTALS_ONLY']);
  });
});

describe('prefill with a registry down', () => {
  let hub: TestHub;

  beforeAll(async () => {
    // Nothing listens on port 9: the land registry cannot answer; the population registry can.
    hub = await startTestHub('consent_down', { LAND_REGISTRY_URL: 'http://127.0.0.1:9/soap' });
    await seedTestDemo(hub.services);
  });

  afterAll(async () => {
    await hub?.dispose();
  });

  it('a registry down gives UPSTREAM_UNAVAILABLE on its fields only, the others filled, one log entry', async () => {
    const LAND = '1.013978';
    await registerConsentPurpose(hub.services, PORTAL, `prefill:${LAND}`, ['population.fullName', 'land.parcels']);
    const { record, token } = await hub.services.consents.grant({
      personalId: citizen.personalId,
      clientId: PORTAL,
      attributes: ['population.fullName', 'land.parcels'],
      purpose: `prefill:${LAND}`,
      procedureCode: LAND,
      notAfter: new Date(Date.now() + DAY),
      dataLifeSeconds: 60,
      requestId: null,
    });
    const result = await hub.graphql<{ prefill: PrefillField[] }>(PREFILL, { p: LAND, t: token }, { as: PORTAL });
    expect(result.body.errors).toBeUndefined();
    expect(result.body.data!.prefill.map((f) => [f.field, f.value === null ? null : 'filled', f.reason])).toEqual([
      ['landUser.fullName', 'filled', null],
      ['landUser.permanentResidence', null, 'NOT_CONSENTED'],
      ['landUser.parcels', null, 'UPSTREAM_UNAVAILABLE'],
    ]);
    const entries = await hub.store.orm.em
      .fork()
      .execute<{ n: string }[]>(`select count(*) as n from audit_log where basis = ? and details->'fields' @> '["prefill"]'::jsonb`, [
        `consent:${record.id}`,
      ]);
    expect(Number(entries[0]!.n)).toBe(1);
  });
});
