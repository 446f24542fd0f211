import { registerConsentPurpose } from '../../support/hub-fixtures';
import { generateCitizen } from '../../../connectors/population/simulator/citizen-generator';
import { loadConfig } from '../../../platform/config';
import { runAdminCommand } from '../../../scripts/admin-commands';
import { TEST_SIMULATOR_SEED, testEnv } from '../../support/environment';
import { CitizenBrowser, hiddenField, pkcePair } from '../../support/consent-flow';
import { DEMO_SECRET, seedTestDemo, startTestHub, type TestHub } from '../../support/test-hub';

const BIRTH = '1.001193';
const PORTAL = 'demo-portal';
const PORTAL_CALLBACK = 'http://127.0.0.1:4999/callback';
const OTHER_PORTAL = 'test-other-portal';
const OTHER_CALLBACK = 'https://other-portal.example/callback';
// Level 2 accounts of the identity simulator (indexes 1 and 2 of the population).
const CITIZEN = generateCitizen(TEST_SIMULATOR_SEED, 1);
const OTHER_CITIZEN = generateCitizen(TEST_SIMULATOR_SEED, 2);
const ASKED = ['population.fullName', 'population.currentResidence', 'population.dateOfBirth'];

const PREFILL = `query($p: String!, $t: String!) { prefill(procedureCode: $p, consentToken: $t) { attribute value reason } }`;

interface Started {
  browser: CitizenBrowser;
  reviewUrl: string;
  page: string;
  csrf: string;
  state: string;
  verifier: string;
}

describe('the citizen’s consent flow over HTTP', () => {
  let hub: TestHub;
  // The hub's clock runs with the system's, moved ahead by tests of expiry (and back after each).
  let ahead = 0;
  const clock = { now: () => new Date(Date.now() + ahead) };
  afterEach(() => {
    ahead = 0;
  });

  beforeAll(async () => {
    hub = await startTestHub('consent_flow', {}, { clock });
    await seedTestDemo(hub.services);
    await hub.services.clients.ensure({
      clientId: PORTAL,
      name: 'Demo public-service portal',
      kind: 'PORTAL',
      isDemo: true,
      secret: DEMO_SECRET,
      redirectUris: [PORTAL_CALLBACK],
    });
    await hub.services.clients.ensure({
      clientId: OTHER_PORTAL,
      name: 'Another portal',
      kind: 'PORTAL',
      secret: DEMO_SECRET,
      redirectUris: [OTHER_CALLBACK],
    });
    for (const clientId of [PORTAL, OTHER_PORTAL]) {
      await registerConsentPurpose(hub.services, clientId, `prefill:${BIRTH}`, ASKED as never);
    }
  });

  afterAll(async () => {
    await hub?.dispose();
  });

  const authorizeUrl = (overrides: Record<string, string | undefined> = {}, challenge = pkcePair().challenge) => {
    const query: Record<string, string | undefined> = {
      response_type: 'code',
      client_id: PORTAL,
      redirect_uri: PORTAL_CALLBACK,
      state: `state-${Math.random().toString(36).slice(2)}`,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      scope: ASKED.join(' '),
      purpose: `prefill:${BIRTH}`,
      procedure: BIRTH,
      ...overrides,
    };
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, value);
    return { url: `${hub.url}/consent/authorize?${params}`, state: query.state! };
  };

  /** A portal sends the citizen's browser to the hub; the citizen signs in and sees the consent page. */
  async function start(
    personalId = CITIZEN.personalId,
    overrides: Record<string, string> = {},
    browser = new CitizenBrowser(hub.url, testEnv('identityUrl'), personalId),
  ): Promise<Started> {
    const { verifier, challenge } = pkcePair();
    const { url, state } = authorizeUrl(overrides, challenge);
    const { response, url: reviewUrl } = await browser.follow(url);
    expect(response.status).toBe(200);
    expect(reviewUrl).toMatch(/\/consent\/review\/[0-9a-f-]{36}$/);
    const page = await response.text();
    return { browser, reviewUrl, page, csrf: hiddenField(page, 'csrf'), state, verifier };
  }

  const decide = (flow: Started, form: Record<string, string | string[]>) => flow.browser.request(flow.reviewUrl, { form });

  async function approve(flow: Started, attributes: string[]): Promise<URL> {
    const response = await decide(flow, { csrf: flow.csrf, decision: 'approve', attributes });
    expect(response.status).toBe(303);
    return new URL(response.headers.get('location')!);
  }

  const exchange = async (
    code: string,
    verifier: string,
    { clientId = PORTAL, redirectUri = PORTAL_CALLBACK }: { clientId?: string; redirectUri?: string } = {},
  ) => {
    const response = await fetch(`${hub.url}/consent/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${clientId}:${DEMO_SECRET}`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  const consentStatus = async (id: string) => (await hub.services.consents.find(id))?.status;

  const prefill = (token: string) =>
    hub.graphql<{ prefill: { attribute: string; value: string | null; reason: string | null }[] }>(
      PREFILL,
      { p: BIRTH, t: token },
      { as: PORTAL },
    );

  it('approve with one attribute unticked: the portal exchanges the code and prefill returns only the consented fields', async () => {
    const flow = await start();
    expect(flow.page).toContain('population.dateOfBirth');
    const back = await approve(flow, ['population.fullName', 'population.currentResidence']);
    expect(back.origin + back.pathname).toBe(PORTAL_CALLBACK);
    expect(back.searchParams.get('state')).toBe(flow.state);
    const exchanged = await exchange(back.searchParams.get('code')!, flow.verifier);
    expect(exchanged.status).toBe(200);
    expect(exchanged.body).toMatchObject({ token_type: 'consent', scope: 'population.fullName population.currentResidence' });
    expect(Number(exchanged.body['expires_in'])).toBeGreaterThan(29 * 86_400);
    const result = await prefill(String(exchanged.body['consent_token']));
    expect(result.body.errors).toBeUndefined();
    const filled = result.body.data!.prefill.filter((f) => f.value !== null);
    expect(new Set(filled.map((f) => f.attribute))).toEqual(new Set(['population.fullName', 'population.currentResidence']));
    expect(result.body.data!.prefill.find((f) => f.attribute === 'population.dateOfBirth')?.reason).toBe('NOT_CONSENTED');
  });

  it('the consent page carries the security headers of the contract', async () => {
    const flow = await start();
    const response = await flow.browser.request(flow.reviewUrl);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBe(
      `default-src 'self'; frame-ancestors 'none'; form-action 'self' http://127.0.0.1:4999`,
    );
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    const cookie = flow.browser.hubCookies.header();
    expect(cookie).toContain('hub_citizen=');
  });

  it('decline: the portal gets access_denied with its state, and the decline is logged', async () => {
    const flow = await start();
    const response = await decide(flow, { csrf: flow.csrf, decision: 'decline' });
    expect(response.status).toBe(303);
    const back = new URL(response.headers.get('location')!);
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('state')).toBe(flow.state);
    expect(back.searchParams.get('code')).toBeNull();
    const logged = await hub.store.orm.em
      .fork()
      .execute<{ n: string }[]>(`select count(*) as n from audit_log where action = 'consent.decline' and subject = ?`, [
        hub.services.audit.subjectRef(CITIZEN.personalId),
      ]);
    expect(Number(logged[0]!.n)).toBeGreaterThan(0);
  });

  it('approve with nothing ticked: the page again with a problem (400), no consent', async () => {
    const flow = await start();
    const response = await decide(flow, { csrf: flow.csrf, decision: 'approve' });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('name="csrf"');
    // The request still waits: approving now works.
    expect((await approve(flow, ['population.fullName'])).searchParams.get('code')).toBeTruthy();
  });

  it('unregistered redirect URI: an error page (400), never a redirect', async () => {
    const browser = new CitizenBrowser(hub.url, testEnv('identityUrl'), CITIZEN.personalId);
    const response = await browser.request(authorizeUrl({ redirect_uri: 'https://attacker.example/steal' }).url);
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toContain('CONSENT_FLOW.REDIRECT_URI_NOT_REGISTERED');
  });

  it('unknown client: an error page (400), never a redirect', async () => {
    const browser = new CitizenBrowser(hub.url, testEnv('identityUrl'), CITIZEN.personalId);
    const response = await browser.request(authorizeUrl({ client_id: 'no-such-portal' }).url);
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
  });

  it('plain PKCE refused: invalid_request back to the portal with its state', async () => {
    const browser = new CitizenBrowser(hub.url, testEnv('identityUrl'), CITIZEN.personalId);
    const { verifier } = pkcePair();
    const { url, state } = authorizeUrl({ code_challenge_method: 'plain', code_challenge: verifier });
    const response = await browser.request(url);
    expect(response.status).toBe(303);
    const back = new URL(response.headers.get('location')!);
    expect(back.origin + back.pathname).toBe(PORTAL_CALLBACK);
    expect(back.searchParams.get('error')).toBe('invalid_request');
    expect(back.searchParams.get('state')).toBe(state);
  });

  it('an attribute beyond the registered purpose: invalid_scope back to the portal', async () => {
    const browser = new CitizenBrowser(hub.url, testEnv('identityUrl'), CITIZEN.personalId);
    const response = await browser.request(authorizeUrl({ scope: 'population.fullName land.parcels' }).url);
    expect(new URL(response.headers.get('location')!).searchParams.get('error')).toBe('invalid_scope');
  });

  it('code replay: the second exchange is invalid_grant and the consent is revoked', async () => {
    const flow = await start();
    const code = (await approve(flow, ['population.fullName'])).searchParams.get('code')!;
    const first = await exchange(code, flow.verifier);
    expect(first.status).toBe(200);
    const second = await exchange(code, flow.verifier);
    expect(second).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(await consentStatus(String(first.body['consent_id']))).toBe('REVOKED');
    const refused = await prefill(String(first.body['consent_token']));
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'CONSENT_REQUIRED', reason: 'CONSENT.REVOKED' });
  });

  it('another client’s code: invalid_grant, and the code still works for its own client', async () => {
    const flow = await start();
    const code = (await approve(flow, ['population.fullName'])).searchParams.get('code')!;
    const stolen = await exchange(code, flow.verifier, { clientId: OTHER_PORTAL, redirectUri: PORTAL_CALLBACK });
    expect(stolen).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect((await exchange(code, flow.verifier)).status).toBe(200);
  });

  it('wrong PKCE verifier: invalid_grant', async () => {
    const flow = await start();
    const code = (await approve(flow, ['population.fullName'])).searchParams.get('code')!;
    expect(await exchange(code, pkcePair().verifier)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('redirect URI differing at the exchange: invalid_grant', async () => {
    const flow = await start();
    const code = (await approve(flow, ['population.fullName'])).searchParams.get('code')!;
    expect(await exchange(code, flow.verifier, { redirectUri: `${PORTAL_CALLBACK}/other` })).toMatchObject({
      status: 400,
      body: { error: 'invalid_grant' },
    });
  });

  it('the code exchange needs the client’s authentication, as at /oauth/token', async () => {
    const response = await fetch(`${hub.url}/consent/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${PORTAL}:wrong-secret`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: 'x', redirect_uri: PORTAL_CALLBACK, code_verifier: 'y' }),
    });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: string }).error).toBe('invalid_client');
  });

  it('the code exchange takes client_secret_post too (the token endpoint’s own authentication)', async () => {
    const flow = await start();
    const code = (await approve(flow, ['population.fullName'])).searchParams.get('code')!;
    const response = await fetch(`${hub.url}/consent/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: PORTAL_CALLBACK,
        code_verifier: flow.verifier,
        client_id: PORTAL,
        client_secret: DEMO_SECRET,
      }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('my data pages the reads 50 at a time, newest first, with a cursor', async () => {
    const reader = generateCitizen(TEST_SIMULATOR_SEED, 3);
    const subject = hub.services.audit.subjectRef(reader.personalId);
    await hub.services.audit.append(
      Array.from({ length: 53 }, (_, i) => ({
        actor: 'demo-district',
        action: 'personal-data.read',
        subject,
        basis: `dossier:read-${i}`,
        requestId: null,
        details: { fields: ['Query.citizen'] },
      })),
    );
    const flow = await start(reader.personalId);
    const first = await (await flow.browser.request(`${hub.url}/my-data`)).text();
    expect(first).toContain('dossier:read-52');
    expect(first).not.toContain('dossier:read-2<');
    const next = /href="(\/my-data\?before=\d+)"/.exec(first)?.[1];
    expect(next).toBeDefined();
    const second = await (await flow.browser.request(`${hub.url}${next!}`)).text();
    expect(second).toContain('dossier:read-2');
    expect(second).toContain('dossier:read-0');
    expect(second).not.toContain('dossier:read-52');
    expect(second).not.toMatch(/href="\/my-data\?before=/);
  });

  it('CSRF token missing or wrong on approve: refused (403), nothing recorded', async () => {
    const flow = await start();
    const before = await hub.services.consents.ofSubject(CITIZEN.personalId);
    expect((await decide(flow, { decision: 'approve', attributes: ['population.fullName'] })).status).toBe(403);
    expect((await decide(flow, { csrf: 'forged', decision: 'approve', attributes: ['population.fullName'] })).status).toBe(403);
    expect((await hub.services.consents.ofSubject(CITIZEN.personalId)).length).toBe(before.length);
  });

  it('request id of another browser: the consent page and its decision are refused there', async () => {
    const flow = await start();
    // Another browser, signed in (even as the same citizen), has the request id but not the binding cookie.
    const elsewhere = await start(CITIZEN.personalId);
    const seen = await elsewhere.browser.request(flow.reviewUrl);
    expect(seen.status).toBe(400);
    const posted = await elsewhere.browser.request(flow.reviewUrl, {
      form: { csrf: elsewhere.csrf, decision: 'approve', attributes: ['population.fullName'] },
    });
    expect(posted.status).toBe(400);
    expect(posted.headers.get('location')).toBeNull();
    // The browser that brought it still can.
    expect((await approve(flow, ['population.fullName'])).searchParams.get('code')).toBeTruthy();
  });

  it('login CSRF: a sign-in callback carried to another browser opens no session there, and works once', async () => {
    const victim = new CitizenBrowser(hub.url, testEnv('identityUrl'), OTHER_CITIZEN.personalId);
    const attacker = new CitizenBrowser(hub.url, testEnv('identityUrl'), CITIZEN.personalId);
    const { url: callback } = await attacker.follow(`${hub.url}/auth/sign-in?return_to=/my-data`, { stopAtCallback: true });
    expect(new URL(callback).pathname).toBe('/auth/callback');
    // The victim's browser has a binding of its own (it started a sign-in of its own once).
    await victim.request(`${hub.url}/auth/sign-in?return_to=/my-data`);
    const carried = await victim.request(callback);
    expect(carried.status).toBe(400);
    expect(victim.hubCookies.header()).not.toContain('hub_citizen=');
    // Taken once: the attacker's own browser cannot use it after that either.
    expect((await attacker.request(callback)).status).toBe(400);
  });

  it('a request is answered once: approving twice records one consent', async () => {
    const flow = await start();
    const before = (await hub.services.consents.ofSubject(CITIZEN.personalId)).length;
    await approve(flow, ['population.fullName']);
    const again = await decide(flow, { csrf: flow.csrf, decision: 'approve', attributes: ['population.fullName'] });
    expect(again.status).toBe(400);
    expect(again.headers.get('location')).toBeNull();
    expect((await hub.services.consents.ofSubject(CITIZEN.personalId)).length).toBe(before + 1);
  });

  it('hub clients register keeps a portal’s redirect URIs and identity client id, and refuses unsafe ones', async () => {
    const printed: string[] = [];
    const ctx = { config: loadConfig({}), store: hub.store, services: hub.services, print: (line: string) => printed.push(line) };
    await runAdminCommand(
      'clients',
      [
        'register',
        '--id',
        'registered-portal',
        '--name',
        'Registered portal',
        '--kind',
        'PORTAL',
        '--redirect-uri',
        'https://portal.example/a',
        '--redirect-uri',
        'http://127.0.0.1:8080/b',
        '--identity-client-id',
        'portal-at-vneid',
      ],
      ctx,
    );
    expect(await hub.services.clients.find('registered-portal')).toMatchObject({
      redirectUris: ['https://portal.example/a', 'http://127.0.0.1:8080/b'],
      identityClientId: 'portal-at-vneid',
    });
    printed.length = 0;
    await runAdminCommand('clients', ['show', 'registered-portal'], ctx);
    expect(printed.join('\n')).toContain('https://portal.example/a http://127.0.0.1:8080/b');
    expect(printed.join('\n')).toContain('portal-at-vneid');
    printed.length = 0;
    await runAdminCommand('clients', ['list'], ctx);
    expect(printed.find((line) => line.startsWith('registered-portal'))).toContain('identity client: portal-at-vneid');
    for (const unsafe of [
      'http://portal.example/plain',
      'https://portal.example/cb#frag',
      'not a url',
      'https://user:pw@portal.example/cb',
    ]) {
      await expect(
        runAdminCommand('clients', ['create', '--id', 'unsafe-portal', '--name', 'x', '--kind', 'PORTAL', '--redirect-uri', unsafe], ctx),
      ).rejects.toMatchObject({ reason: 'CLIENT.INVALID_REDIRECT_URI' });
    }
  });

  it('a callback state of another browser opens no session', async () => {
    const browser = new CitizenBrowser(hub.url, testEnv('identityUrl'), CITIZEN.personalId);
    const response = await browser.request(`${hub.url}/auth/callback?code=abc&state=made-up`);
    expect(response.status).toBe(400);
    expect(browser.hubCookies.header()).not.toContain('hub_citizen=');
  });

  it('my data lists the consent and the prefill read; revoking there makes the next prefill CONSENT_REQUIRED', async () => {
    const flow = await start();
    const code = (await approve(flow, ['population.fullName'])).searchParams.get('code')!;
    const { body } = await exchange(code, flow.verifier);
    const consentId = String(body['consent_id']);
    expect((await prefill(String(body['consent_token']))).body.errors).toBeUndefined();

    const myData = await flow.browser.request(`${hub.url}/my-data`);
    expect(myData.status).toBe(200);
    const page = await myData.text();
    expect(page).toContain(`/my-data/consents/${consentId}/revoke`);
    expect(page).toContain(consentId);
    const reads = await hub.services.audit.bySubjects(hub.services.audit.subjectRefs(CITIZEN.personalId), { limit: 50 });
    expect(reads.entries[0]?.entry).toMatchObject({ basis: `consent:${consentId}`, actor: PORTAL });

    const revoked = await flow.browser.request(`${hub.url}/my-data/consents/${consentId}/revoke`, { form: { csrf: flow.csrf } });
    expect(revoked.status).toBe(303);
    expect(revoked.headers.get('location')).toBe('/my-data?notice=revoked');
    expect(await consentStatus(consentId)).toBe('REVOKED');
    const refused = await prefill(String(body['consent_token']));
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'CONSENT_REQUIRED', reason: 'CONSENT.REVOKED' });
  });

  it('CSRF token missing or wrong on revoke: refused (403), the consent stays', async () => {
    const flow = await start();
    const code = (await approve(flow, ['population.fullName'])).searchParams.get('code')!;
    const consentId = String((await exchange(code, flow.verifier)).body['consent_id']);
    const url = `${hub.url}/my-data/consents/${consentId}/revoke`;
    expect((await flow.browser.request(url, { method: 'POST', form: {} })).status).toBe(403);
    expect((await flow.browser.request(url, { form: { csrf: 'forged' } })).status).toBe(403);
    expect(await consentStatus(consentId)).toBe('GRANTED');
  });

  it('a session of another citizen can neither see nor revoke someone else’s consents', async () => {
    const flow = await start();
    const code = (await approve(flow, ['population.fullName'])).searchParams.get('code')!;
    const consentId = String((await exchange(code, flow.verifier)).body['consent_id']);
    const other = await start(OTHER_CITIZEN.personalId);
    const page = await (await other.browser.request(`${hub.url}/my-data`)).text();
    expect(page).not.toContain(consentId);
    const attempt = await other.browser.request(`${hub.url}/my-data/consents/${consentId}/revoke`, { form: { csrf: other.csrf } });
    expect(attempt.status).toBe(404);
    expect(await consentStatus(consentId)).toBe('GRANTED');
  });

  it('an expired code (past CONSENT_CODE_SECONDS): invalid_grant', async () => {
    const flow = await start();
    const code = (await approve(flow, ['population.fullName'])).searchParams.get('code')!;
    ahead = 61_000;
    expect(await exchange(code, flow.verifier)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('an expired request (past CONSENT_REQUEST_MINUTES): the consent page is refused', async () => {
    const flow = await start();
    ahead = 11 * 60_000;
    expect((await flow.browser.request(flow.reviewUrl)).status).toBe(400);
  });

  it('an expired session (past CITIZEN_SESSION_MINUTES): my data asks to sign in again, revoke is refused', async () => {
    const flow = await start();
    const code = (await approve(flow, ['population.fullName'])).searchParams.get('code')!;
    const consentId = String((await exchange(code, flow.verifier)).body['consent_id']);
    ahead = 31 * 60_000;
    expect((await flow.browser.request(`${hub.url}/my-data`)).status).toBe(303);
    const url = `${hub.url}/my-data/consents/${consentId}/revoke`;
    expect((await flow.browser.request(url, { form: { csrf: flow.csrf } })).status).toBe(401);
    ahead = 0;
    expect(await consentStatus(consentId)).toBe('GRANTED');
  });

  it('my data without a session: to the sign-in, which returns to my data', async () => {
    const browser = new CitizenBrowser(hub.url, testEnv('identityUrl'), CITIZEN.personalId);
    const response = await browser.request(`${hub.url}/my-data`);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/auth/sign-in?return_to=/my-data');
    const { response: page, url } = await browser.follow(`${hub.url}/my-data`);
    expect(url).toBe(`${hub.url}/my-data`);
    expect(page.status).toBe(200);
  });

  it('sign-out ends the session (CSRF checked)', async () => {
    const flow = await start();
    expect((await flow.browser.request(`${hub.url}/auth/sign-out`, { form: { csrf: 'forged' } })).status).toBe(403);
    expect((await flow.browser.request(`${hub.url}/auth/sign-out`, { form: { csrf: flow.csrf } })).status).toBe(200);
    expect((await flow.browser.request(`${hub.url}/my-data`)).status).toBe(303);
  });
});
