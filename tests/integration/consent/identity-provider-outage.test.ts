import { registerConsentPurpose } from '../../support/hub-fixtures';
import path from 'node:path';
import { IdentityProviderClient } from '../../../connectors/identity/identity-provider.client';
import { generateCitizen } from '../../../connectors/population/simulator/citizen-generator';
import { createUpstreamHttp } from '../../../connectors/upstream-tls';
import { projectRoot } from '../../../platform/paths';
import { startProcess, type ManagedProcess } from '../../../scripts/child-process';
import { TEST_IDENTITY_CLIENTS, TEST_SIMULATOR_SEED } from '../../support/environment';
import { signIn } from '../../support/identity-sign-in';
import { freePort } from '../../support/ports';
import { seedTestDemo, startTestHub, type TestHub } from '../../support/test-hub';

const BIRTH = '1.001193';
const PORTAL = 'demo-portal';
const DAY = 24 * 3600 * 1000;
// Level 2 accounts (identity-simulator.server.ts): index 1 of the population.
const CITIZEN = generateCitizen(TEST_SIMULATOR_SEED, 1);
const [HUB_CLIENT] = TEST_IDENTITY_CLIENTS as [(typeof TEST_IDENTITY_CLIENTS)[number]];
const GRANT = `mutation($i: GrantConsentInput!) { grantConsent(input: $i) { consentToken } }`;

interface FaultCounts {
  outage: number;
  error: number;
}

/**
 * The hub's calls to the national identity provider under the upstream policy: an outage opens the
 * breaker, callers get UPSTREAM_UNAVAILABLE (retryable) at once, and it works again once the provider
 * answers. A simulator of its own: its faults concern no other test file.
 */
describe('the identity provider under the upstream policy', () => {
  let simulator: ManagedProcess;
  let hub: TestHub;
  const http = createUpstreamHttp(undefined);

  const setFaults = async (faults: Record<string, unknown>) => {
    const response = await fetch(`${simulator.url}/_sim/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(faults),
    });
    expect(response.status).toBe(200);
  };
  const faultsInjected = async () =>
    ((await (await fetch(`${simulator.url}/_sim/stats`)).json()) as { faultsInjected: FaultCounts }).faultsInjected;
  const relyingParty = () =>
    new IdentityProviderClient({
      issuerUrl: simulator.url,
      clientId: HUB_CLIENT.clientId,
      clientSecret: HUB_CLIENT.clientSecret,
      requiredAcr: 'urn:vneid:loa:2',
      timeoutMs: 3000,
      fetch: http.fetch,
    });
  const idToken = async () => {
    const client = relyingParty();
    const { request, callback } = await signIn(client, HUB_CLIENT.redirectUris[0]!, CITIZEN.personalId);
    return (await client.exchangeCode(callback, request)).idToken;
  };
  const grant = (token: string) =>
    hub.graphql<{ grantConsent: { consentToken: string } }>(
      GRANT,
      {
        i: {
          idToken: token,
          attributes: ['population.fullName'],
          purpose: `prefill:${BIRTH}`,
          procedureCode: BIRTH,
          notAfter: new Date(Date.now() + DAY).toISOString(),
          dataLifeSeconds: 3_600,
        },
      },
      { as: PORTAL },
    );
  const errorOf = (result: Awaited<ReturnType<typeof grant>>) => {
    const extensions = result.body.errors?.[0]?.extensions as { code?: string; reason?: string; details?: Record<string, unknown> };
    return { code: extensions?.code, reason: extensions?.reason, details: extensions?.details };
  };

  beforeAll(async () => {
    const port = await freePort();
    simulator = await startProcess({
      name: 'identity-simulator-outage',
      script: path.join(projectRoot(), 'dist', 'connectors/identity/simulator/main.js'),
      args: ['--port', String(port), '--seed', String(TEST_SIMULATOR_SEED), '--population-size', '100'],
      env: {
        IDENTITY_SIM_CLIENTS: `${HUB_CLIENT.clientId}=${HUB_CLIENT.redirectUris[0]}`,
        IDENTITY_SIM_SECRET_ONESTOP_HUB: HUB_CLIENT.clientSecret,
      },
      url: `http://127.0.0.1:${port}`,
      logDir: path.join(projectRoot(), 'data', 'test-logs'),
    });
    hub = await startTestHub('identity_outage', { IDENTITY_ISSUER_URL: simulator.url });
    await seedTestDemo(hub.services);
    await registerConsentPurpose(hub.services, PORTAL, `prefill:${BIRTH}`, ['population.fullName']);
  });

  afterEach(async () => {
    jest.restoreAllMocks();
    await setFaults({ outage: false, errorRate: 0 });
  });

  afterAll(async () => {
    await hub?.dispose();
    await simulator?.stop();
    await http.close();
  });

  it('an outage: grantConsent answers UPSTREAM_UNAVAILABLE, the breaker opens and refuses at once (retryable), and works again once cleared', async () => {
    // Signed in before the outage; the hub has not fetched the provider's discovery document or keys yet.
    const token = await idToken();
    await setFaults({ outage: true });
    const first = await grant(token);
    expect(errorOf(first)).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    expect(first.body.data?.grantConsent ?? null).toBeNull();
    // Each refused grant was tried a few times at the provider (discovery is a read) until the breaker opened.
    let refusal = errorOf(first);
    for (let i = 0; i < 5 && refusal.reason !== 'UPSTREAM.CIRCUIT_OPEN'; i += 1) refusal = errorOf(await grant(token));
    expect(refusal).toEqual({ code: 'UPSTREAM_UNAVAILABLE', reason: 'UPSTREAM.CIRCUIT_OPEN', details: { retryAfterSeconds: 10 } });
    // Open: refused without calling the provider at all.
    const reached = await faultsInjected();
    expect(errorOf(await grant(token))).toMatchObject({ reason: 'UPSTREAM.CIRCUIT_OPEN' });
    expect(await faultsInjected()).toEqual(reached);
    expect((await fetch(`${hub.url}/readyz`)).status).toBe(503);

    await setFaults({ outage: false });
    // The breaker lets a trial call through once its wait is over: move the clock past it instead of sleeping.
    const now = Date.now();
    jest.spyOn(Date, 'now').mockImplementation(() => now + 11_000);
    const granted = await grant(token);
    expect(granted.body.errors).toBeUndefined();
    expect(granted.body.data!.grantConsent.consentToken).toEqual(expect.any(String));
  });

  it('its load is in /metrics beside the registries', async () => {
    const metrics = await (await fetch(`${hub.url}/metrics`, { headers: hub.operatorHeaders })).text();
    expect(metrics).toMatch(/hub_upstream_calls\{upstream="national identity provider",state="in_flight"\} 0/);
    expect(metrics).toMatch(/hub_upstream_calls\{upstream="national identity provider",state="queued"\} 0/);
  });

  it('the code exchange is not retried (a code is single-use): one call to the provider, UPSTREAM_UNAVAILABLE', async () => {
    const client = relyingParty();
    const { request, callback } = await signIn(client, HUB_CLIENT.redirectUris[0]!, CITIZEN.personalId);
    await setFaults({ errorRate: 1 });
    const before = await faultsInjected();
    await expect(client.exchangeCode(callback, request)).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    expect((await faultsInjected()).error - before.error).toBe(1);
  });

  it('replayed codes: refusals of the caller do not open the breaker (no one can lock citizens out by replaying a code)', async () => {
    const client = relyingParty();
    const { request, callback } = await signIn(client, HUB_CLIENT.redirectUris[0]!, CITIZEN.personalId);
    await client.exchangeCode(callback, request);
    for (let i = 0; i < 7; i += 1) {
      await expect(client.exchangeCode(callback, request)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    }
    expect(client.policy.state).toBe('closed');
    const again = await signIn(client, HUB_CLIENT.redirectUris[0]!, CITIZEN.personalId);
    await expect(client.exchangeCode(again.callback, again.request)).resolves.toMatchObject({
      identity: { personalId: CITIZEN.personalId },
    });
  });
});
