import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { createRemoteJWKSet, decodeProtectedHeader, exportJWK, generateKeyPair, jwtVerify, SignJWT, type CryptoKey } from 'jose';

import { DESK } from '../../support/hub-fixtures';
import { AdvancingClock } from '../../support/clocks';
import { DEMO_SECRET, startTestHub, type TestHub, seedTestDemo } from '../../support/test-hub';

async function tokenRequest(hub: TestHub, form: Record<string, string>, headers: Record<string, string> = {}) {
  const response = await fetch(`${hub.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, string> };
}

async function graphqlWith(hub: TestHub, token: string, query: string) {
  const response = await fetch(`${hub.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
  });
  return {
    status: response.status,
    body: (await response.json()) as { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] },
  };
}

/** The token endpoint's URL as configured (PUBLIC_URL + /oauth/token): the only endpoint `aud` accepted. */
const endpointAudience = (hub: TestHub) => `${hub.config.PUBLIC_URL.replace(/\/+$/, '')}/oauth/token`;

/** A private-key-JWT client registered on `hub`, and assertions signed with its key. */
async function jwtClient(hub: TestHub, clientId: string) {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  await hub.services.clients.create({
    clientId,
    name: `Agency ${clientId}`,
    kind: 'AGENCY_SYSTEM',
    agencyCode: DESK,
    grantTypes: ['private_key_jwt'],
    publicJwk: { ...(await exportJWK(publicKey)), alg: 'ES256' },
  });
  return {
    assertion: (claims: { audience: string; expiresIn?: string | number; jti?: string; key?: CryptoKey }) =>
      new SignJWT({})
        .setProtectedHeader({ alg: 'ES256' })
        .setIssuer(clientId)
        .setSubject(clientId)
        .setAudience(claims.audience)
        .setIssuedAt()
        .setExpirationTime(claims.expiresIn ?? '2m')
        .setJti(claims.jti ?? randomUUID())
        .sign(claims.key ?? privateKey),
  };
}

const assertionForm = (jwt: string) => ({
  grant_type: 'client_credentials',
  client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
  client_assertion: jwt,
});

/** A token request over node:http, whose Host header the caller chooses (fetch would not let it). */
function tokenRequestWithHost(
  hub: TestHub,
  host: string,
  form: Record<string, string>,
): Promise<{ status: number; body: Record<string, string> }> {
  const body = new URLSearchParams(form).toString();
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${hub.url}/oauth/token`,
      { method: 'POST', headers: { host, 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

describe('token endpoint and client authentication', () => {
  let hub: TestHub;
  // Real time (the test signs assertions with it), moved ahead where a test waits out a cache age.
  const clock = new AdvancingClock();

  beforeAll(async () => {
    hub = await startTestHub('tokens', {}, { clock });
    await seedTestDemo(hub.services);
  });

  afterAll(async () => {
    await hub?.dispose();
  });

  it('issues a signed, short-lived token for a client secret sent by HTTP Basic, verifiable with the public JWKS', async () => {
    const basic = Buffer.from(`demo-district:${DEMO_SECRET}`).toString('base64');
    const { status, headers, body } = await tokenRequest(hub, { grant_type: 'client_credentials' }, { authorization: `Basic ${basic}` });
    expect(status).toBe(200);
    expect(headers.get('cache-control')).toBe('no-store');
    expect(body).toMatchObject({
      token_type: 'Bearer',
      expires_in: 300,
      scope: 'catalogue:read dossier:read dossier:write personal-data:read statistics:read',
    });
    expect(decodeProtectedHeader(body.access_token!)).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
    const jwks = createRemoteJWKSet(new URL(`${hub.url}/.well-known/jwks.json`));
    const { payload } = await jwtVerify(body.access_token!, jwks, { issuer: 'urn:onestop-hub', audience: 'onestop-hub' });
    expect(payload).toMatchObject({ sub: 'demo-district', client_id: 'demo-district', kind: 'AGENCY_SYSTEM', agency: DESK });
    expect(payload.exp! - payload.iat!).toBe(300);
  });

  it('narrows a token to the scopes asked for, and the hub enforces them', async () => {
    const { body } = await tokenRequest(hub, {
      grant_type: 'client_credentials',
      client_id: 'demo-district',
      client_secret: DEMO_SECRET,
      scope: 'dossier:read',
    });
    expect(body.scope).toBe('dossier:read');
    const write = await graphqlWith(
      hub,
      body.access_token!,
      `mutation { receiveDossier(input: { procedureCode: "1.001193", applicantId: "0100109106", channel: DESK, agencyCode: "${DESK}" }) { __typename } }`,
    );
    expect(write.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'AUTH.SCOPE_MISSING' });
  });

  it.each([
    [
      'a wrong secret',
      { grant_type: 'client_credentials', client_id: 'demo-district', client_secret: 'wrong-secret' },
      401,
      'invalid_client',
    ],
    [
      'an unknown client',
      { grant_type: 'client_credentials', client_id: 'nobody-here', client_secret: DEMO_SECRET },
      401,
      'invalid_client',
    ],
    [
      'a scope beyond the client’s',
      { grant_type: 'client_credentials', client_id: 'demo-portal', client_secret: DEMO_SECRET, scope: 'dossier:write' },
      400,
      'invalid_scope',
    ],
    ['another grant type', { grant_type: 'password', username: 'a', password: 'b' }, 400, 'unsupported_grant_type'],
    ['no client authentication', { grant_type: 'client_credentials' }, 400, 'invalid_request'],
  ])('refuses %s with an OAuth error', async (_label, form, status, error) => {
    const response = await tokenRequest(hub, form as Record<string, string>);
    expect(response.status).toBe(status);
    expect(response.body.error).toBe(error);
    expect(response.body.error_description!.length).toBeGreaterThan(10);
    expect(response.body.access_token).toBeUndefined();
  });

  it('authenticates a client by private-key JWT (RFC 7523) and accepts each assertion once', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    await hub.services.clients.create({
      clientId: 'jwt-agency',
      name: 'Agency with a key',
      kind: 'AGENCY_SYSTEM',
      agencyCode: DESK,
      grantTypes: ['private_key_jwt'],
      publicJwk: { ...(await exportJWK(publicKey)), alg: 'ES256' },
    });
    const assertion = (audience: string, expiresIn = '2m') =>
      new SignJWT({})
        .setProtectedHeader({ alg: 'ES256' })
        .setIssuer('jwt-agency')
        .setSubject('jwt-agency')
        .setAudience(audience)
        .setIssuedAt()
        .setExpirationTime(expiresIn)
        .setJti(randomUUID())
        .sign(privateKey);
    const form = (jwt: string) => ({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: jwt,
    });
    const good = await assertion(endpointAudience(hub));
    const first = await tokenRequest(hub, form(good));
    expect(first.status).toBe(200);
    expect((await graphqlWith(hub, first.body.access_token!, '{ dossiers { totalCount } }')).body.errors).toBeUndefined();
    const replayed = await tokenRequest(hub, form(good));
    expect(replayed).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect((await tokenRequest(hub, form(await assertion('https://another.example/oauth/token')))).status).toBe(401);
    const { privateKey: strangerKey } = await generateKeyPair('ES256');
    const forged = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer('jwt-agency')
      .setSubject('jwt-agency')
      .setAudience(endpointAudience(hub))
      .setIssuedAt()
      .setExpirationTime('2m')
      .setJti(randomUUID())
      .sign(strangerKey);
    expect((await tokenRequest(hub, form(forged))).status).toBe(401);
    // The client has no secret: a secret login is refused.
    expect((await tokenRequest(hub, { grant_type: 'client_credentials', client_id: 'jwt-agency', client_secret: 'anything' })).status).toBe(
      401,
    );
  });

  it('assertion audience from the Host header: an assertion naming the address the request was sent to is refused, the configured endpoint URL accepted', async () => {
    const client = await jwtClient(hub, 'jwt-host-agency');
    // The hub listens on a random port; its configured URL (PUBLIC_URL) is another.
    expect(endpointAudience(hub)).not.toBe(`${hub.url}/oauth/token`);
    const toAddress = await tokenRequest(hub, assertionForm(await client.assertion({ audience: `${hub.url}/oauth/token` })));
    expect(toAddress).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect(toAddress.body.error_description).toMatch(/aud/);
    const forgedHost = await tokenRequestWithHost(
      hub,
      'hub.attacker.example',
      assertionForm(await client.assertion({ audience: 'http://hub.attacker.example/oauth/token' })),
    );
    expect(forgedHost).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect((await tokenRequest(hub, assertionForm(await client.assertion({ audience: endpointAudience(hub) })))).status).toBe(200);
    // The issuer identifier is an audience RFC 7523 allows too.
    expect((await tokenRequest(hub, assertionForm(await client.assertion({ audience: hub.config.TOKEN_ISSUER })))).status).toBe(200);
  });

  it('jti guard with a client-chosen exp: an assertion valid for a year is refused and leaves no record; accepted ones are kept no longer than the longest lifetime', async () => {
    const client = await jwtClient(hub, 'jwt-far-future');
    const farJti = randomUUID();
    const far = await tokenRequest(
      hub,
      assertionForm(await client.assertion({ audience: endpointAudience(hub), expiresIn: '365d', jti: farJti })),
    );
    expect(far).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect(far.body.error_description).toMatch(/exp is more than 300 s away/);
    const records = await hub.services.clients.assertionRecords();
    expect(records.find((r) => r.jti === farJti)).toBeUndefined();
    const okJti = randomUUID();
    expect(
      (await tokenRequest(hub, assertionForm(await client.assertion({ audience: endpointAudience(hub), expiresIn: '4m', jti: okJti }))))
        .status,
    ).toBe(200);
    const kept = (await hub.services.clients.assertionRecords()).find((r) => r.jti === okJti);
    expect(kept).toMatchObject({ clientId: 'jwt-far-future' });
    expect(kept!.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(300_000);
  });

  it.each([
    ['a malformed % escape', Buffer.from('demo-district:%E0%A4%A').toString('base64')],
    ['a lone %', Buffer.from('demo%:secret').toString('base64')],
    ['something that is not base64', '!!not-base64!!'],
    ['base64 with no colon', Buffer.from('demo-district').toString('base64')],
  ])('malformed Basic credentials (%s) are 401 invalid_client, not a server error', async (_label, encoded) => {
    const response = await tokenRequest(hub, { grant_type: 'client_credentials' }, { authorization: `Basic ${encoded}` });
    expect(response.status).toBe(401);
    expect(response.body.error).toBe('invalid_client');
    expect(response.body.error_description).toMatch(/HTTP Basic credentials are malformed/);
    expect(response.headers.get('www-authenticate')).toMatch(/^Basic/);
  });

  it('unbounded registry fan-out: 15 aliases × 100 dossiers × landParcel is refused as QUERY_TOO_COMPLEX before any land-registry call', async () => {
    const page = 'dossiers(first: 100) { edges { node { code landParcel { areaM2 } } } }';
    const query = `{ ${Array.from({ length: 15 }, (_, i) => `a${i}: ${page}`).join(' ')} }`;
    const callsBefore = hub.land.calls;
    const response = await hub.graphql(query, {}, { as: 'demo-district' });
    expect(response.status).toBe(400);
    expect(response.body.data).toBeUndefined();
    expect(response.body.errors?.map((e) => e.extensions?.code)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(response.body.errors?.[0]?.message).toMatch(/Cost limit of 5000 exceeded: the query would cost about \d+/);
    expect(hub.land.calls).toBe(callsBefore);
    // One such page is an ordinary query.
    const one = await hub.graphql(`{ ${page} }`, {}, { as: 'demo-district' });
    expect(one.body.errors?.filter((e) => e.extensions?.code === 'QUERY_TOO_COMPLEX') ?? []).toEqual([]);
  });

  it('keeps earlier tokens valid across a key rotation, until the old key is retired', async () => {
    const before = (await tokenRequest(hub, { grant_type: 'client_credentials', client_id: 'demo-monitor', client_secret: DEMO_SECRET }))
      .body.access_token!;
    const oldKid = decodeProtectedHeader(before).kid!;
    const newKid = await hub.keys.rotate();
    const after = (await tokenRequest(hub, { grant_type: 'client_credentials', client_id: 'demo-monitor', client_secret: DEMO_SECRET }))
      .body.access_token!;
    expect(decodeProtectedHeader(after).kid).toBe(newKid);
    const jwks = (await (await fetch(`${hub.url}/.well-known/jwks.json`)).json()) as { keys: { kid: string; d?: string }[] };
    expect(jwks.keys.map((k) => k.kid)).toEqual(expect.arrayContaining([oldKid, newKid]));
    expect(jwks.keys.every((k) => k.d === undefined)).toBe(true);
    expect((await graphqlWith(hub, before, '{ dossiers { totalCount } }')).status).toBe(200);
    await hub.keys.retire(oldKid);
    const refused = await graphqlWith(hub, before, '{ dossiers { totalCount } }');
    expect(refused.status).toBe(401);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await graphqlWith(hub, after, '{ dossiers { totalCount } }')).status).toBe(200);
  });

  it('stops accepting a disabled client’s tokens within seconds', async () => {
    await hub.services.clients.create({
      clientId: 'soon-disabled',
      name: 'Soon disabled',
      kind: 'MONITOR',
      secret: 'soon-disabled-secret',
    });
    const token = (
      await tokenRequest(hub, { grant_type: 'client_credentials', client_id: 'soon-disabled', client_secret: 'soon-disabled-secret' })
    ).body.access_token!;
    expect((await graphqlWith(hub, token, '{ dossiers { totalCount } }')).status).toBe(200);
    await hub.services.clients.setActive('soon-disabled', false);
    // The client's registry entry is trusted for 5 s (the first call cached it): past that, it is read again.
    clock.advance(5_500);
    expect((await graphqlWith(hub, token, '{ dossiers { totalCount } }')).status).toBe(401);
  });
});

describe('readiness and metrics for operators', () => {
  let hub: TestHub;

  beforeAll(async () => {
    // The population registry unreachable: readiness has a dependency down, with an address in its error.
    hub = await startTestHub('readyz', { POPULATION_REGISTRY_URL: 'http://127.0.0.1:9', POPULATION_REGISTRY_TIMEOUT_MS: '500' });
  });

  afterAll(async () => {
    await hub?.dispose();
  });

  it('/readyz details for anyone: the public sees up/down only, the operator each dependency and its error', async () => {
    const publicView = await fetch(`${hub.url}/readyz`);
    expect(publicView.status).toBe(503);
    expect(await publicView.json()).toEqual({ status: 'not ready' });
    const operatorView = await fetch(`${hub.url}/readyz`, { headers: hub.operatorHeaders });
    expect(operatorView.status).toBe(503);
    const body = (await operatorView.json()) as {
      status: string;
      checks: { name: string; kind: string; status: string; error?: string }[];
    };
    expect(body.status).toBe('not ready');
    expect(body.checks.find((c) => c.name === 'population registry')).toMatchObject({ status: 'down', error: expect.any(String) });
    expect(body.checks.find((c) => c.kind === 'store')).toMatchObject({ status: 'up' });
    // An API client's token is not the operators'.
    const client = await fetch(`${hub.url}/readyz`, { headers: { authorization: 'Bearer not-the-operator-token' } });
    expect(client.status).toBe(401);
    expect(((await client.json()) as { errors: { extensions: { reason: string } }[] }).errors[0]!.extensions.reason).toBe(
      'OPERATOR.TOKEN_INVALID',
    );
  });

  it('/metrics requires the operator token when one is configured', async () => {
    const anonymous = await fetch(`${hub.url}/metrics`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.text()).not.toMatch(/hub_/);
    const operator = await fetch(`${hub.url}/metrics`, { headers: hub.operatorHeaders });
    expect(operator.status).toBe(200);
    const text = await operator.text();
    expect(text).toMatch(/^hub_outbox_pending_events \d+/m);
    // The registries' concurrency bound, as operators watch it.
    expect(text).toMatch(/^hub_upstream_calls\{upstream="land registry",state="in_flight"\} 0$/m);
    expect(text).toMatch(/^hub_upstream_calls\{upstream="population registry",state="queued"\} 0$/m);
  });
});

describe('client assertions across replicas', () => {
  let first: TestHub;
  let second: TestHub;

  beforeAll(async () => {
    first = await startTestHub('replicas');
    await seedTestDemo(first.services);
    // A second replica on the same database schema (the same clients, keys and replay records).
    second = await startTestHub('replicas_second', { DATABASE_SCHEMA: first.config.DATABASE_SCHEMA });
  });

  afterAll(async () => {
    await second?.dispose();
    await first?.dispose();
  });

  it('per-process jti guard: an assertion used on one replica is refused by another replica sharing the database', async () => {
    const client = await jwtClient(first, 'jwt-replicated');
    const assertion = await client.assertion({ audience: endpointAudience(first) });
    expect((await tokenRequest(first, assertionForm(assertion))).status).toBe(200);
    const replayed = await tokenRequest(second, assertionForm(assertion));
    expect(replayed).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect(replayed.body.error_description).toMatch(/already used/);
    // The second replica does accept a fresh assertion of the same client: it is the jti that was refused.
    expect((await tokenRequest(second, assertionForm(await client.assertion({ audience: endpointAudience(second) })))).status).toBe(200);
  });
});

describe('rate limits', () => {
  let hub: TestHub;

  beforeAll(async () => {
    hub = await startTestHub('ratelimit', { RATE_LIMIT_PER_MINUTE: '5', RATE_LIMIT_PUBLIC_PER_MINUTE: '3' });
    await seedTestDemo(hub.services);
  });

  afterAll(async () => {
    await hub?.dispose();
  });

  it('answers 429 with Retry-After per client and per address', async () => {
    const token = await hub.tokenFor('demo-monitor');
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 6; i += 1) {
      last = await fetch(`${hub.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ dossiers { totalCount } }' }),
      });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const body = (await last!.json()) as { errors: { extensions: { code: string; details: { retryAfterSeconds: number } } }[] };
    expect(body.errors[0]!.extensions).toMatchObject({
      code: 'RATE_LIMITED',
      details: { retryAfterSeconds: Number(last!.headers.get('retry-after')) },
    });
    // Another client has its own allowance.
    const other = await hub.graphql('{ dossiers { totalCount } }', {}, { as: 'demo-district' });
    expect(other.status).toBe(200);
  });

  it('anonymous flood before authentication work: forged tokens from one address are refused 429 after its allowance, before their signature is checked', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      const response = await fetch(`${hub.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.forged${i}` },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      statuses.push(response.status);
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429, 429]);
  });
});

describe('trusted documents', () => {
  let hub: TestHub;
  let documentId: string;

  beforeAll(async () => {
    hub = await startTestHub('trusted');
    await seedTestDemo(hub.services);
    await hub.services.clients.create({
      clientId: 'strict-monitor',
      name: 'Strict',
      kind: 'MONITOR',
      secret: 'strict-monitor-secret',
      trustedDocumentsOnly: true,
    });
    const { TrustedDocuments } = await import('../../../store/trusted-documents');
    const [added] = await new TrustedDocuments(hub.store.orm).add('query Count { dossiers { totalCount } }');
    documentId = added!.documentId;
  });

  afterAll(async () => {
    await hub?.dispose();
  });

  it('lets a flagged client run registered operations only, by documentId over POST or GET', async () => {
    const token = await hub.tokenFor('strict-monitor', 'strict-monitor-secret');
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    const arbitrary = await fetch(`${hub.url}/graphql`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query: '{ dossiers { totalCount } }' }),
    });
    expect(arbitrary.status).toBe(403);
    expect(((await arbitrary.json()) as { errors: { extensions: { reason: string } }[] }).errors[0]!.extensions.reason).toBe(
      'TRUSTED_DOCUMENTS.REQUIRED',
    );
    const byId = await fetch(`${hub.url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ documentId }) });
    expect(((await byId.json()) as { data: { dossiers: { totalCount: number } } }).data.dossiers.totalCount).toBe(8);
    const byGet = await fetch(`${hub.url}/graphql?documentId=${encodeURIComponent(documentId)}`, {
      headers: { authorization: `Bearer ${token}`, 'apollo-require-preflight': 'true' },
    });
    expect(byGet.status).toBe(200);
    expect(documentId).toMatch(/^sha256:[0-9a-f]{64}$/);
    // Other clients may still send queries.
    expect((await hub.graphql('{ dossiers { totalCount } }', {}, { as: 'demo-monitor' })).status).toBe(200);
  });
});

describe('production mode', () => {
  let hub: TestHub;

  beforeAll(async () => {
    hub = await startTestHub('production', {
      NODE_ENV: 'production',
      HUB_SECRET: 'a-production-secret-of-at-least-32-chars',
      PKI_KEY_PASSPHRASE: 'a-production-pki-passphrase',
      DEMO_DATA: 'false',
      // Production floors: registry credentials of its own, the plain-http test simulators allowed by name.
      ALLOW_PLAIN_HTTP_UPSTREAMS: 'population,business,land,portal,identity',
      BUSINESS_REGISTRY_API_KEY: 'key-issued-to-this-hub',
      LAND_REGISTRY_PASSWORD: 'password-issued-to-this-hub',
      PORTAL_CLIENT_SECRET: 'secret-issued-to-this-hub',
      IDENTITY_CLIENT_SECRET: 'identity-secret-issued-to-this-hub',
    });
    await seedTestDemo(hub.services);
    await hub.services.clients.create({
      clientId: 'real-monitor',
      name: 'Monitoring centre',
      kind: 'MONITOR',
      secret: 'real-monitor-secret',
    });
  });

  afterAll(async () => {
    await hub?.dispose();
  });

  it('refuses demo clients', async () => {
    const response = await tokenRequest(hub, { grant_type: 'client_credentials', client_id: 'demo-district', client_secret: DEMO_SECRET });
    expect(response).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect(response.body.error_description).toMatch(/demo clients are refused in production/i);
  });

  it('turns introspection off and keeps real clients working', async () => {
    const token = await hub.tokenFor('real-monitor', 'real-monitor-secret');
    const introspection = await graphqlWith(hub, token, '{ __schema { types { name } } }');
    expect(introspection.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect((await graphqlWith(hub, token, '{ dossiers { totalCount } }')).body).toMatchObject({ data: { dossiers: { totalCount: 8 } } });
    // No field suggestions that would reveal the schema.
    const typo = await graphqlWith(hub, token, '{ dossier { cod } }');
    expect(JSON.stringify(typo.body)).not.toMatch(/Did you mean/);
  });
});
