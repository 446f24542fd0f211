import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { generateCitizen } from '../population/simulator/citizen-generator';
import { IdentityProviderClient } from './identity-provider.client';

const ISSUER = 'https://identity.test';
const PERSONAL_ID = generateCitizen(20250701, 1).personalId;

/** A provider answered by a fake fetch: discovery and its keys, no network. */
async function provider() {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
  const fetch = (async (input: string | URL | Request) => {
    const url = String(input instanceof Request ? input.url : input);
    const body = url.endsWith('/.well-known/openid-configuration')
      ? {
          issuer: ISSUER,
          authorization_endpoint: `${ISSUER}/auth`,
          token_endpoint: `${ISSUER}/token`,
          jwks_uri: `${ISSUER}/jwks`,
          response_types_supported: ['code'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['ES256'],
        }
      : { keys: [jwk] };
    return new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });
  }) as typeof globalThis.fetch;
  const client = new IdentityProviderClient({
    issuerUrl: ISSUER,
    clientId: 'onestop-hub',
    clientSecret: 'secret',
    requiredAcr: 'urn:vneid:loa:2',
    timeoutMs: 1000,
    fetch,
  });
  return { client, privateKey };
}

function idToken(key: CryptoKey, claims: Record<string, unknown>): Promise<string> {
  return new SignJWT({ acr: 'urn:vneid:loa:2', ...claims })
    .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
    .setIssuer(ISSUER)
    .setSubject(PERSONAL_ID)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(key);
}

const reasonOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'accepted',
    (error: { reason?: string }) => error.reason,
  );

describe('ID-token audiences accepted by the hub', () => {
  it('the hub’s own client, and a portal’s own identity client when the caller names it', async () => {
    const { client, privateKey } = await provider();
    expect(await reasonOf(client.verifyIdToken(await idToken(privateKey, { aud: 'onestop-hub' })))).toBe('accepted');
    const portals = await idToken(privateKey, { aud: 'portal-at-vneid' });
    expect(await reasonOf(client.verifyIdToken(portals))).toBe('IDENTITY.WRONG_AUDIENCE');
    expect(await reasonOf(client.verifyIdToken(portals, { alsoAudiences: ['portal-at-vneid'] }))).toBe('accepted');
  });

  it('a third audience is refused', async () => {
    const { client, privateKey } = await provider();
    const other = await idToken(privateKey, { aud: 'someone-else' });
    expect(await reasonOf(client.verifyIdToken(other, { alsoAudiences: ['portal-at-vneid'] }))).toBe('IDENTITY.WRONG_AUDIENCE');
  });

  it('azp: when present it must be an accepted party, even if the audience list names the hub', async () => {
    const { client, privateKey } = await provider();
    const forOther = await idToken(privateKey, { aud: ['onestop-hub', 'someone-else'], azp: 'someone-else' });
    expect(await reasonOf(client.verifyIdToken(forOther))).toBe('IDENTITY.WRONG_AUDIENCE');
    const forHub = await idToken(privateKey, { aud: ['onestop-hub', 'someone-else'], azp: 'onestop-hub' });
    expect(await reasonOf(client.verifyIdToken(forHub))).toBe('accepted');
  });

  it('several audiences without azp: refused (whose token is it?)', async () => {
    const { client, privateKey } = await provider();
    const ambiguous = await idToken(privateKey, { aud: ['onestop-hub', 'someone-else'] });
    expect(await reasonOf(client.verifyIdToken(ambiguous))).toBe('IDENTITY.WRONG_AUDIENCE');
  });
});
