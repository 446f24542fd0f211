import { createHash } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { startPortalSimulator, type RunningPortalSimulator } from '../../connectors/portal/simulator/portal-simulator.server';
import type { PrefillField } from '../../connectors/portal/simulator/prefill-demo';
import { createLogger } from '../../platform/logger';
import { demoPortalRedirectUris, seedDemoData } from '../../scripts/demo-data';
import { TEST_POPULATION_SIZE, TEST_SIMULATOR_SEED } from '../support/environment';
import { freePort } from '../support/ports';
import { DEMO_SECRET, startTestHub } from '../support/test-hub';

const silent = createLogger({ level: 'silent' });
const CLIENT = { clientId: 'demo-portal', clientSecret: 'demo-secret' };
const BIRTH = '1.001193';
const HOSTILE = '"><script>alert(1)</script>';
const ATTRIBUTES = ['population.fullName', 'population.dateOfBirth'];

/** A stand-in for the hub: the consent flow's token endpoint and the two GraphQL queries the portal uses. */
async function startFakeHub() {
  const app = express();
  const hub = {
    url: '',
    challenges: new Map<string, string>(),
    exchanges: 0,
    prefillCalls: [] as string[],
    prefill: { fields: [] as PrefillField[], errors: undefined as unknown[] | undefined },
    purposes: [
      { purpose: `prefill:${BIRTH}`, procedureCode: BIRTH, attributes: ATTRIBUTES, descriptionVi: 'Khai sinh', descriptionEn: 'Birth' },
      // What the hub sends is not trusted either.
      { purpose: `prefill:${HOSTILE}`, procedureCode: HOSTILE, attributes: [HOSTILE], descriptionVi: HOSTILE, descriptionEn: HOSTILE },
      // Not a prefill purpose: not listed.
      { purpose: 'eligibility-check', procedureCode: null, attributes: ATTRIBUTES, descriptionVi: null, descriptionEn: null },
    ],
    close: async () => undefined as void,
  };
  const basic = `Basic ${Buffer.from(`${CLIENT.clientId}:${CLIENT.clientSecret}`).toString('base64')}`;
  app.post('/oauth/token', express.urlencoded({ extended: false }), (req, res) => {
    if (req.get('authorization') !== basic) return void res.status(401).json({ error: 'invalid_client' });
    res.json({ access_token: 'access-token', token_type: 'Bearer', expires_in: 300 });
  });
  app.post('/consent/token', express.urlencoded({ extended: false }), (req, res) => {
    hub.exchanges++;
    const form = req.body as Record<string, string>;
    const challenge = hub.challenges.get(form.code ?? '');
    const verified =
      challenge ===
      createHash('sha256')
        .update(form.code_verifier ?? '')
        .digest('base64url');
    if (req.get('authorization') !== basic || !verified) return void res.status(400).json({ error: 'invalid_grant' });
    res.json({
      consent_token: 'the-consent-token',
      token_type: 'consent',
      consent_id: 'consent-1',
      scope: 'population.fullName',
      expires_in: 3600,
    });
  });
  app.post('/graphql', express.json(), (req, res) => {
    if (req.get('authorization') !== 'Bearer access-token') return void res.status(401).json({ errors: [{ message: 'no' }] });
    const { query, variables } = req.body as { query: string; variables: { t?: string } };
    if (query.includes('consentPurposes')) return void res.json({ data: { consentPurposes: hub.purposes } });
    hub.prefillCalls.push(String(variables.t));
    res.json(hub.prefill.errors ? { data: null, errors: hub.prefill.errors } : { data: { prefill: hub.prefill.fields } });
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  hub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  hub.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return hub;
}

/** One browser: its cookie jar holds the portal's session cookie. */
function browser(base: string) {
  let cookie = '';
  const request = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(path.startsWith('http') ? path : `${base}${path}`, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), ...(cookie ? { cookie } : {}) },
    });
    const set = response.headers.get('set-cookie');
    if (set) cookie = set.split(';')[0]!;
    return { status: response.status, location: response.headers.get('location'), html: await response.text(), headers: response.headers };
  };
  const post = (path: string, form: Record<string, string>) =>
    request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
  return {
    get: (path: string) => request(path),
    post,
    /** Opens the list page and presses the button of `procedure`: the authorization request the browser is sent with. */
    async start(procedure = BIRTH) {
      const list = await request('/prefill');
      const href = new URL(/href="(\/prefill\/start\?[^"]+)"/.exec(list.html)![1]!.replace(/&#38;/g, '&'), base);
      const csrf = href.searchParams.get('csrf')!;
      const started = await request(`/prefill/start?${new URLSearchParams({ csrf, procedure })}`);
      return { ...started, csrf, query: started.location ? new URL(started.location).searchParams : undefined };
    },
  };
}

const field = (overrides: Partial<PrefillField>): PrefillField => ({
  field: 'declarant.fullName',
  label: 'Họ, chữ đệm, tên',
  attribute: 'population.fullName',
  source: 'population',
  value: 'Nguyễn Văn An',
  sourceUpdatedAt: '2025-03-01T03:00:00.000Z',
  retrievedAt: '2025-10-01T02:30:00.000Z',
  reason: null,
  ...overrides,
});

describe('the portal simulator prefill demo (the consent flow, from the portal side)', () => {
  let hub: Awaited<ReturnType<typeof startFakeHub>>;
  let portal: RunningPortalSimulator;

  beforeAll(async () => {
    hub = await startFakeHub();
    portal = await startPortalSimulator({ port: 0, populationSize: 10, logger: silent, hub: { url: hub.url, ...CLIENT } });
  });
  afterAll(async () => {
    await portal?.close();
    await hub?.close();
  });
  beforeEach(() => {
    hub.prefill = { fields: [field({})], errors: undefined };
    hub.prefillCalls = [];
    hub.exchanges = 0;
  });

  /** Starts a flow in `b` and answers it as the hub would on approval: a code bound to the challenge. */
  async function approve(b: ReturnType<typeof browser>, code = 'good-code') {
    const started = await b.start();
    hub.challenges.set(code, started.query!.get('code_challenge')!);
    const callback = await b.get(`/prefill/callback?code=${code}&state=${started.query!.get('state')}`);
    return { started, callback };
  }

  it('starts the flow with PKCE S256, a state and the scope of the purpose the hub holds', async () => {
    const b = browser(portal.url);
    const list = await b.get('/prefill');
    expect(list.status).toBe(200);
    expect(list.html).toContain('Điền sẵn từ cơ sở dữ liệu quốc gia');
    // The procedure's name comes from the portal's own catalogue.
    expect(list.html).toContain('Thủ tục đăng ký khai sinh');
    expect(list.html).not.toContain('eligibility-check');
    const started = await b.start();
    expect(started.status).toBe(303);
    expect(started.location!.startsWith(`${hub.url}/consent/authorize?`)).toBe(true);
    const q = started.query!;
    expect(Object.fromEntries(q)).toMatchObject({
      response_type: 'code',
      client_id: CLIENT.clientId,
      redirect_uri: portal.prefillDemo.redirectUri,
      code_challenge_method: 'S256',
      scope: ATTRIBUTES.join(' '),
      purpose: `prefill:${BIRTH}`,
      procedure: BIRTH,
    });
    expect(q.get('state')!.length).toBeGreaterThanOrEqual(16);
    expect(q.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(portal.prefillDemo.redirectUri).toBe(`${portal.url}/prefill/callback`);
  });

  it('exchanges the code with the verifier, prefills and shows each field with its source and both times', async () => {
    hub.prefill.fields = [
      field({}),
      field({
        field: 'declarant.dateOfBirth',
        label: 'Ngày sinh',
        value: null,
        sourceUpdatedAt: null,
        retrievedAt: null,
        reason: 'NOT_CONSENTED',
      }),
    ];
    const b = browser(portal.url);
    const { callback } = await approve(b);
    expect(callback.status).toBe(303);
    expect(callback.location).toBe('/prefill/result');
    expect(hub.prefillCalls).toEqual(['the-consent-token']);
    const result = await b.get('/prefill/result');
    expect(result.status).toBe(200);
    expect(result.html).toContain('value="Nguyễn Văn An"');
    expect(result.html).toContain('Cơ sở dữ liệu quốc gia về dân cư');
    // Vietnam time: 03:00Z is 10:00, 02:30Z is 09:30.
    expect(result.html).toContain('01/03/2025 10:00');
    expect(result.html).toContain('01/10/2025 09:30');
    expect(result.html).toMatch(/data-field="declarant.dateOfBirth"[\s\S]*?value=""[\s\S]*?NOT_CONSENTED/);
    expect(result.headers.get('content-security-policy')).toContain("form-action 'self';");
    expect(result.headers.get('cache-control')).toBe('no-store');
    expect(portal.prefillDemo.last()).toMatchObject({
      procedure: BIRTH,
      consent: { consentId: 'consent-1', scope: ['population.fullName'] },
    });

    // Prefill again with the kept token; once withdrawn, the page says so and offers to ask again.
    const csrf = /name="csrf" value="([^"]+)"/.exec(result.html)![1]!;
    hub.prefill.errors = [{ message: 'Consent revoked.', extensions: { code: 'CONSENT_REQUIRED' } }];
    expect((await b.post('/prefill/again', { csrf })).status).toBe(303);
    expect(hub.prefillCalls).toEqual(['the-consent-token', 'the-consent-token']);
    const again = await b.get('/prefill/result');
    expect(again.html).toContain('data-code="CONSENT_REQUIRED"');
    expect(again.html).toContain('Xin lại sự đồng ý');
    // The token kept is dropped: no more "prefill again".
    expect(again.html).not.toContain('id="again"');
    expect((await b.post('/prefill/again', { csrf })).status).toBe(400);
    expect(portal.prefillDemo.last()?.prefillErrors).toEqual([{ message: 'Consent revoked.', code: 'CONSENT_REQUIRED' }]);

    // The admin route tells tests what was shown, never the consent token.
    const admin = await fetch(`${portal.url}/_sim/prefill/last`).then((r) => r.text());
    expect(JSON.parse(admin).outcome.procedure).toBe(BIRTH);
    expect(admin).not.toContain('the-consent-token');
  });

  it('hostile values from the hub are escaped everywhere on the page (escaping regression)', async () => {
    hub.prefill.fields = [
      field({ field: HOSTILE, label: HOSTILE, value: HOSTILE, source: '<img src=x onerror=alert(1)>', sourceUpdatedAt: HOSTILE }),
      field({ value: null, reason: '<b>NOT_CONSENTED</b>' }),
      // Names of the object prototype are not wordings.
      field({ source: 'constructor' }),
      field({ value: null, reason: '__proto__' }),
    ];
    const b = browser(portal.url);
    const list = await b.get('/prefill');
    const { callback } = await approve(b);
    expect(callback.status).toBe(303);
    const result = await b.get('/prefill/result');
    for (const html of [list.html, result.html]) {
      expect(html).not.toContain('<script>');
      expect(html).not.toContain('<img');
      expect(html).not.toContain('<b>');
      expect(html).not.toContain('[native code]');
      expect(html).not.toContain('[object Object]');
    }
    expect(result.html).toContain('&#34;&#62;&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(list.html).toContain('&#60;script&#62;');
  });

  it('a declined flow is shown as such, and no code is exchanged', async () => {
    const b = browser(portal.url);
    const started = await b.start();
    const callback = await b.get(
      `/prefill/callback?error=access_denied&error_description=${encodeURIComponent(HOSTILE)}&state=${started.query!.get('state')}`,
    );
    expect(callback.status).toBe(303);
    const result = await b.get('/prefill/result');
    expect(result.html).toContain('id="declined"');
    expect(result.html).toContain('Bạn đã từ chối chia sẻ dữ liệu');
    expect(result.html).not.toContain('<script>');
    expect(hub.exchanges).toBe(0);
    expect(hub.prefillCalls).toEqual([]);
    expect(portal.prefillDemo.last()).toMatchObject({ procedure: BIRTH, flowError: { error: 'access_denied' } });
  });

  it('refuses a callback whose state this browser did not start, or used already (state mismatch regression)', async () => {
    const victim = browser(portal.url);
    const attacker = browser(portal.url);
    const started = await attacker.start();
    hub.challenges.set('attacker-code', started.query!.get('code_challenge')!);
    // The attacker's code and state, delivered to the victim's browser (login CSRF): refused.
    await victim.get('/prefill');
    const crossed = await victim.get(`/prefill/callback?code=attacker-code&state=${started.query!.get('state')}`);
    expect(crossed.status).toBe(400);
    expect(crossed.html).toContain('không khớp');
    // No cookie at all, or a made-up state: refused.
    expect((await browser(portal.url).get(`/prefill/callback?code=x&state=${started.query!.get('state')}`)).status).toBe(400);
    expect((await attacker.get('/prefill/callback?code=x&state=made-up')).status).toBe(400);
    expect(hub.exchanges).toBe(0);
    // The state is used once: the same callback again is refused.
    const { started: again } = await approve(victim, 'victim-code');
    const replay = await victim.get(`/prefill/callback?code=victim-code&state=${again.query!.get('state')}`);
    expect(replay.status).toBe(400);
    expect(hub.exchanges).toBe(1);
  });

  it('refuses to start without the page’s form token, or for a procedure the hub holds no purpose for (forged start regression)', async () => {
    const b = browser(portal.url);
    const { csrf } = await b.start();
    expect((await b.get(`/prefill/start?csrf=forged&procedure=${BIRTH}`)).status).toBe(403);
    expect((await b.get(`/prefill/start?procedure=${BIRTH}`)).status).toBe(403);
    const unknown = await b.get(`/prefill/start?${new URLSearchParams({ csrf, procedure: '1.004222' })}`);
    expect(unknown.status).toBe(400);
    expect(unknown.location).toBeNull();
    expect((await b.post('/prefill/again', { csrf: 'forged' })).status).toBe(403);
  });

  it('shows the hub’s refusal of the code exchange', async () => {
    const b = browser(portal.url);
    const started = await b.start();
    // A code the hub did not bind to this challenge.
    hub.challenges.set('other-code', 'another-challenge');
    await b.get(`/prefill/callback?code=other-code&state=${started.query!.get('state')}`);
    const result = await b.get('/prefill/result');
    expect(result.html).toContain('id="token-error"');
    expect(result.html).toContain('invalid_grant');
    expect(hub.prefillCalls).toEqual([]);
  });

  it('says so clearly when the hub cannot be reached, or when it is not configured', async () => {
    const unreachable = await startPortalSimulator({
      port: 0,
      populationSize: 10,
      logger: silent,
      hub: { url: `http://127.0.0.1:${await freePort()}`, ...CLIENT },
    });
    const notConfigured = await startPortalSimulator({ port: 0, populationSize: 10, logger: silent });
    try {
      const down = await browser(unreachable.url).get('/prefill');
      expect(down.status).toBe(502);
      expect(down.html).toContain('Không kết nối được với hệ thống tích hợp dữ liệu');
      expect(down.html).toContain('cannot be reached');
      const off = await browser(notConfigured.url).get('/prefill');
      expect(off.status).toBe(503);
      expect(off.html).toContain('chưa được cấu hình');
      expect(off.html).toContain('--hub-url');
    } finally {
      await unreachable.close();
      await notConfigured.close();
    }
  });

  it('says so when the hub refuses the portal’s credentials', async () => {
    const wrong = await startPortalSimulator({
      port: 0,
      populationSize: 10,
      logger: silent,
      hub: { url: hub.url, clientId: CLIENT.clientId, clientSecret: 'wrong' },
    });
    try {
      const refused = await browser(wrong.url).get('/prefill');
      expect(refused.status).toBe(502);
      expect(refused.html).toContain('từ chối cổng này');
    } finally {
      await wrong.close();
    }
  });
});

describe('the prefill demo with the hub’s demo data (what npm start wires)', () => {
  it('lists the demo portal’s prefill purposes, and the hub accepts its redirect URI', async () => {
    const hub = await startTestHub('prefill_demo');
    const portal = await startPortalSimulator({
      port: 0,
      populationSize: 10,
      logger: silent,
      hub: { url: hub.url, clientId: 'demo-portal', clientSecret: DEMO_SECRET },
    });
    try {
      const summary = await seedDemoData(hub.services, TEST_SIMULATOR_SEED, DEMO_SECRET, {
        populationSize: TEST_POPULATION_SIZE,
        demoPortalRedirectUris: demoPortalRedirectUris({ PORTAL_URL: portal.url, START_SIMULATORS: true })!,
      });
      expect(summary.clients.find((c) => c.clientId === 'demo-portal')?.redirectUris).toEqual([portal.prefillDemo.redirectUri]);
      const b = browser(portal.url);
      const list = await b.get('/prefill');
      expect(list.status).toBe(200);
      expect(list.html.match(/<li id="procedure-/g)).toHaveLength(summary.consentPurposes.length);
      const started = await b.start(BIRTH);
      expect(started.status).toBe(303);
      // The hub takes the request (the redirect URI is registered) and sends the browser to the identity provider.
      const authorize = await fetch(started.location!, { redirect: 'manual' });
      expect(authorize.status).toBe(303);
      expect(authorize.headers.get('location')).not.toContain('error=');
      expect(authorize.headers.get('location')!.startsWith(hub.url)).toBe(false);
    } finally {
      await portal.close();
      await hub.dispose();
    }
  });
});
