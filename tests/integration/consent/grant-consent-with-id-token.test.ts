import { registerConsentPurpose } from '../../support/hub-fixtures';
import { IdentityProviderClient } from '../../../connectors/identity/identity-provider.client';
import { generateCitizen } from '../../../connectors/population/simulator/citizen-generator';
import { createUpstreamHttp } from '../../../connectors/upstream-tls';
import { TEST_IDENTITY_CLIENTS, TEST_SIMULATOR_SEED, testEnv } from '../../support/environment';
import { signIn } from '../../support/identity-sign-in';
import { seedTestDemo, startTestHub, type TestHub } from '../../support/test-hub';

const BIRTH = '1.001193';
const PORTAL = 'demo-portal';
const DAY = 24 * 3600 * 1000;
// Level 2 accounts (identity-simulator.server.ts): index 1 of the population.
const CITIZEN = generateCitizen(TEST_SIMULATOR_SEED, 1);
const [HUB_CLIENT, PORTAL_CLIENT] = TEST_IDENTITY_CLIENTS as [
  (typeof TEST_IDENTITY_CLIENTS)[number],
  (typeof TEST_IDENTITY_CLIENTS)[number],
];

const GRANT = `mutation($i: GrantConsentInput!) { grantConsent(input: $i) { consentToken } }`;
const PREFILL = `query($p: String!, $t: String!) { prefill(procedureCode: $p, consentToken: $t) { attribute source value reason } }`;

/** An ID token of the citizen, from a real sign-in at the identity simulator through the given client. */
async function idTokenThrough(client: (typeof TEST_IDENTITY_CLIENTS)[number]): Promise<string> {
  const relyingParty = new IdentityProviderClient({
    issuerUrl: testEnv('identityUrl'),
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    requiredAcr: 'urn:vneid:loa:2',
    timeoutMs: 3000,
    fetch: createUpstreamHttp(undefined).fetch,
  });
  const redirectUri = client.redirectUris[0]!;
  const { request, callback } = await signIn(relyingParty, redirectUri, CITIZEN.personalId);
  return (await relyingParty.exchangeCode(callback, request)).idToken;
}

describe('grantConsent with the citizen’s ID token from the national identity provider', () => {
  let hub: TestHub;

  beforeAll(async () => {
    hub = await startTestHub('grant_consent');
    await seedTestDemo(hub.services);
    await registerConsentPurpose(hub.services, PORTAL, `prefill:${BIRTH}`, ['population.fullName', 'population.currentResidence']);
  });

  afterAll(async () => {
    await hub?.dispose();
  });

  const grant = (idToken: string) =>
    hub.graphql<{ grantConsent: { consentToken: string } }>(
      GRANT,
      {
        i: {
          idToken,
          attributes: ['population.fullName'],
          purpose: `prefill:${BIRTH}`,
          procedureCode: BIRTH,
          notAfter: new Date(Date.now() + DAY).toISOString(),
          dataLifeSeconds: 3_600,
        },
      },
      { as: PORTAL },
    );

  it('a real sign-in’s ID token records the consent, and its token prefills exactly the consented field', async () => {
    const granted = await grant(await idTokenThrough(HUB_CLIENT));
    expect(granted.body.errors).toBeUndefined();
    const token = granted.body.data!.grantConsent.consentToken;
    const prefill = await hub.graphql<{ prefill: { attribute: string; value: string | null; reason: string | null }[] }>(
      PREFILL,
      { p: BIRTH, t: token },
      { as: PORTAL },
    );
    expect(prefill.body.errors).toBeUndefined();
    const filled = prefill.body.data!.prefill.filter((field) => field.value !== null);
    expect(filled.length).toBeGreaterThan(0);
    expect(new Set(filled.map((field) => field.attribute))).toEqual(new Set(['population.fullName']));
    expect(filled.map((field) => field.value)).toContain(CITIZEN.fullName);
  });

  it('a portal registered with its own identity client id: its sign-in’s ID token is accepted', async () => {
    await hub.services.clients.ensure({
      clientId: PORTAL,
      name: 'Demo public-service portal',
      kind: 'PORTAL',
      identityClientId: PORTAL_CLIENT.clientId,
    });
    try {
      const granted = await grant(await idTokenThrough(PORTAL_CLIENT));
      expect(granted.body.errors).toBeUndefined();
      expect(granted.body.data!.grantConsent.consentToken).toBeTruthy();
      // The hub's own sign-in still counts too.
      expect((await grant(await idTokenThrough(HUB_CLIENT))).body.errors).toBeUndefined();
    } finally {
      await hub.services.clients.ensure({ clientId: PORTAL, name: 'Demo public-service portal', kind: 'PORTAL', identityClientId: null });
    }
  });

  it('an ID token for a third audience (another portal’s identity client) is refused as WRONG_AUDIENCE', async () => {
    await hub.services.clients.ensure({
      clientId: PORTAL,
      name: 'Demo public-service portal',
      kind: 'PORTAL',
      identityClientId: 'some-other-portal',
    });
    try {
      const refused = await grant(await idTokenThrough(PORTAL_CLIENT));
      expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'IDENTITY.WRONG_AUDIENCE' });
    } finally {
      await hub.services.clients.ensure({ clientId: PORTAL, name: 'Demo public-service portal', kind: 'PORTAL', identityClientId: null });
    }
  });

  it('an ID token for another audience (the portal’s own sign-in) is refused, and nothing is recorded', async () => {
    const before = await hub.store.orm.em.fork().execute<{ n: string }[]>('select count(*) as n from consent');
    const refused = await grant(await idTokenThrough(PORTAL_CLIENT));
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'IDENTITY.WRONG_AUDIENCE' });
    const after = await hub.store.orm.em.fork().execute<{ n: string }[]>('select count(*) as n from consent');
    expect(after[0]!.n).toBe(before[0]!.n);
  });
});
