import path from 'node:path';
import { IdentityProviderClient } from '../../connectors/identity/identity-provider.client';
import { generateCitizen } from '../../connectors/population/simulator/citizen-generator';
import { createUpstreamHttp } from '../../connectors/upstream-tls';
import type { VerifiedIdentity } from '../../domain/ports/identity-verifier.port';
import { projectRoot } from '../../platform/paths';
import { startProcess, type ManagedProcess } from '../../scripts/child-process';
import { TEST_IDENTITY_CLIENTS, TEST_SIMULATOR_SEED, testEnv } from '../support/environment';
import { freePort } from '../support/ports';
import { CookieJar, signIn } from '../support/identity-sign-in';

const [HUB, PORTAL] = TEST_IDENTITY_CLIENTS as [(typeof TEST_IDENTITY_CLIENTS)[number], (typeof TEST_IDENTITY_CLIENTS)[number]];
// Account levels follow the population index: 0 is level 3, 1 level 2, 4 level 1 (identity-simulator.server.ts).
const LEVEL_2 = generateCitizen(TEST_SIMULATOR_SEED, 1);
const LEVEL_1 = generateCitizen(TEST_SIMULATOR_SEED, 4);

const http = createUpstreamHttp(undefined);

function relyingParty(
  client: { clientId: string; clientSecret: string },
  extra: Partial<ConstructorParameters<typeof IdentityProviderClient>[0]> = {},
): IdentityProviderClient {
  return new IdentityProviderClient({
    issuerUrl: testEnv('identityUrl'),
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    requiredAcr: 'urn:vneid:loa:2',
    timeoutMs: 3000,
    fetch: http.fetch,
    ...extra,
  });
}

async function reasonOf(promise: Promise<unknown>): Promise<{ code: string; reason: string | undefined }> {
  try {
    await promise;
  } catch (error) {
    return { code: (error as { code: string }).code, reason: (error as { reason?: string }).reason };
  }
  throw new Error('expected a refusal');
}

async function setFaults(url: string, faults: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${url}/_sim/faults`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  });
  expect(response.status).toBe(200);
}

describe('the national identity simulator and the hub as its relying party', () => {
  const hub = relyingParty(HUB);
  const redirectUri = HUB.redirectUris[0]!;

  afterAll(() => http.close());

  it('serves its discovery document and keys: code flow, PKCE S256 only, levels of assurance', async () => {
    const issuer = testEnv('identityUrl');
    const discovery = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(discovery).toMatchObject({
      issuer,
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
      acr_values_supported: ['urn:vneid:loa:1', 'urn:vneid:loa:2', 'urn:vneid:loa:3'],
    });
    const jwks = (await (await fetch(String(discovery.jwks_uri))).json()) as { keys: { kty: string; d?: string }[] };
    expect(jwks.keys.length).toBeGreaterThan(0);
    expect(jwks.keys.every((key) => key.kty === 'RSA' && key.d === undefined)).toBe(true);
  });

  it('a full sign-in (code flow with PKCE, plain HTTP) yields an ID token the hub verifies: a population person and the level', async () => {
    const { request, callback } = await signIn(hub, redirectUri, LEVEL_2.personalId);
    const tokens = await hub.exchangeCode(callback, request);
    expect(tokens.identity).toEqual<VerifiedIdentity>({
      personalId: LEVEL_2.personalId,
      name: LEVEL_2.fullName,
      acr: 'urn:vneid:loa:2',
      authTime: expect.any(Date),
      issuer: testEnv('identityUrl'),
    });
    // The same token verified on its own, as grantConsent will, with the nonce of its sign-in.
    await expect(hub.verifyIdToken(tokens.idToken, { nonce: request.nonce })).resolves.toMatchObject({ personalId: LEVEL_2.personalId });
    expect((await reasonOf(hub.verifyIdToken(tokens.idToken, { nonce: 'another-sign-in' }))).reason).toBe('IDENTITY.NONCE_MISMATCH');
  });

  it('refuses the sign-in without PKCE: the provider requires S256', async () => {
    const { url } = await hub.authorizationUrl({ redirectUri });
    url.searchParams.delete('code_challenge');
    url.searchParams.delete('code_challenge_method');
    const response = await fetch(url, { redirect: 'manual' });
    expect(new URL(response.headers.get('location')!).searchParams.get('error')).toBe('invalid_request');
  });

  it('refuses a wrong password on the login page', async () => {
    const request = await hub.authorizationUrl({ redirectUri });
    const first = await fetch(request.url, { redirect: 'manual' });
    const jar = new CookieJar();
    jar.take(first);
    const page = new URL(first.headers.get('location')!, request.url);
    const posted = await fetch(new URL(`${page.pathname}/login`, page), {
      method: 'POST',
      headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ personalId: LEVEL_2.personalId, password: 'not-the-password' }),
    });
    expect(posted.status).toBe(401);
    expect(await posted.text()).toContain('Wrong personal id or password');
  });

  it('an ID token for another audience (the portal client) is refused as such', async () => {
    const portal = relyingParty(PORTAL);
    const { request, callback } = await signIn(portal, PORTAL.redirectUris[0]!, LEVEL_2.personalId);
    const { idToken } = await portal.exchangeCode(callback, request);
    expect(await reasonOf(hub.verifyIdToken(idToken))).toEqual({ code: 'UNAUTHENTICATED', reason: 'IDENTITY.WRONG_AUDIENCE' });
    // Named as the audience, it is valid: grantConsent may verify a portal's token for the portal.
    await expect(hub.verifyIdToken(idToken, { audience: PORTAL.clientId })).resolves.toMatchObject({ personalId: LEVEL_2.personalId });
  });

  it('an expired ID token is refused', async () => {
    const { request, callback } = await signIn(hub, redirectUri, LEVEL_2.personalId);
    const { idToken } = await hub.exchangeCode(callback, request);
    const later = relyingParty(HUB, { clock: { now: () => new Date(Date.now() + 2 * 3600_000) } });
    expect(await reasonOf(later.verifyIdToken(idToken))).toEqual({ code: 'UNAUTHENTICATED', reason: 'IDENTITY.EXPIRED' });
  });

  it('a sign-in below the required level of assurance is refused', async () => {
    const { request, callback } = await signIn(hub, redirectUri, LEVEL_1.personalId);
    expect(await reasonOf(hub.exchangeCode(callback, request))).toEqual({ code: 'UNAUTHENTICATED', reason: 'IDENTITY.LOW_ASSURANCE' });
    const lenient = relyingParty(HUB, { requiredAcr: 'urn:vneid:loa:1' });
    const again = await signIn(lenient, redirectUri, LEVEL_1.personalId);
    await expect(lenient.exchangeCode(again.callback, again.request)).resolves.toMatchObject({ identity: { acr: 'urn:vneid:loa:1' } });
  });

  it('an altered or unsigned ID token is refused', async () => {
    const { request, callback } = await signIn(hub, redirectUri, LEVEL_2.personalId);
    const { idToken } = await hub.exchangeCode(callback, request);
    const [header, payload, signature] = idToken.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const altered = Buffer.from(JSON.stringify({ ...claims, sub: LEVEL_1.personalId })).toString('base64url');
    expect(await reasonOf(hub.verifyIdToken(`${header}.${altered}.${signature}`))).toEqual({
      code: 'UNAUTHENTICATED',
      reason: 'IDENTITY.INVALID_ID_TOKEN',
    });
    const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    expect(await reasonOf(hub.verifyIdToken(`${none}.${payload}.`))).toEqual({
      code: 'UNAUTHENTICATED',
      reason: 'IDENTITY.INVALID_ID_TOKEN',
    });
    expect(await reasonOf(hub.verifyIdToken('not-a-token'))).toEqual({ code: 'UNAUTHENTICATED', reason: 'IDENTITY.INVALID_ID_TOKEN' });
  });

  describe('another identity provider (a second simulator, its own keys)', () => {
    let other: ManagedProcess;
    beforeAll(async () => {
      const port = await freePort();
      other = await startProcess({
        name: 'identity-simulator-other',
        script: path.join(projectRoot(), 'dist', 'connectors/identity/simulator/main.js'),
        args: ['--port', String(port), '--seed', String(TEST_SIMULATOR_SEED), '--population-size', '100'],
        env: { IDENTITY_SIM_CLIENTS: `${HUB.clientId}=${redirectUri}`, IDENTITY_SIM_SECRET_ONESTOP_HUB: HUB.clientSecret },
        url: `http://127.0.0.1:${port}`,
        logDir: path.join(projectRoot(), 'data', 'test-logs'),
      });
    });
    afterAll(() => other?.stop());

    it('its ID token, for the same client id and person, is refused: wrong issuer', async () => {
      const elsewhere = relyingParty(HUB, { issuerUrl: other.url });
      const { request, callback } = await signIn(elsewhere, redirectUri, LEVEL_2.personalId);
      const { idToken } = await elsewhere.exchangeCode(callback, request);
      expect(await reasonOf(hub.verifyIdToken(idToken))).toEqual({ code: 'UNAUTHENTICATED', reason: 'IDENTITY.WRONG_ISSUER' });
    });
  });

  describe('faults on demand', () => {
    const simulator = testEnv('identityUrl');
    afterEach(() => setFaults(simulator, { outage: false, latencyMs: 0, errorRate: 0 }));

    it('a provider in outage gives UPSTREAM_UNAVAILABLE, and readiness says it is down', async () => {
      const { request, callback } = await signIn(hub, redirectUri, LEVEL_2.personalId);
      await setFaults(simulator, { outage: true });
      expect((await (await fetch(`${simulator}/_sim/faults`)).json()) as unknown).toMatchObject({ outage: true });
      const fresh = relyingParty(HUB);
      expect(await reasonOf(fresh.verifyIdToken(await signInToken()))).toEqual({
        code: 'UPSTREAM_UNAVAILABLE',
        reason: 'IDENTITY.UNAVAILABLE',
      });
      expect(await reasonOf(hub.exchangeCode(callback, request))).toEqual({ code: 'UPSTREAM_UNAVAILABLE', reason: 'IDENTITY.UNAVAILABLE' });
      await expect(fresh.checkHealth()).rejects.toThrow('503');
      const stats = (await (await fetch(`${simulator}/_sim/stats`)).json()) as { faultsInjected: { outage: number } };
      expect(stats.faultsInjected.outage).toBeGreaterThan(0);
    });

    it('errors on demand (errorRate 1) also give UPSTREAM_UNAVAILABLE, and clear when the fault is lifted', async () => {
      await setFaults(simulator, { errorRate: 1 });
      const fresh = relyingParty(HUB);
      expect(await reasonOf(fresh.authorizationUrl({ redirectUri }))).toEqual({
        code: 'UPSTREAM_UNAVAILABLE',
        reason: 'IDENTITY.UNAVAILABLE',
      });
      await setFaults(simulator, { errorRate: 0 });
      // The failed discovery was not kept: the next call discovers again.
      await expect(fresh.authorizationUrl({ redirectUri })).resolves.toMatchObject({ state: expect.any(String) });
    });

    /** A token signed before the outage, so that only the keys are to fetch during it. */
    let earlier: string | undefined;
    async function signInToken(): Promise<string> {
      if (!earlier) throw new Error('no token signed before the outage');
      return earlier;
    }
    beforeAll(async () => {
      const { request, callback } = await signIn(hub, redirectUri, LEVEL_2.personalId);
      earlier = (await hub.exchangeCode(callback, request)).idToken;
    });
  });
});
