import { readFileSync } from 'node:fs';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { FixedClock } from '../../../domain/clock';
import { TokenKeyRing } from '../../../certs/token-key-ring';
import { generateEnterpriseCode } from '../../../connectors/business/simulator/business-generator';
import { generateCitizen } from '../../../connectors/population/simulator/citizen-generator';
import { SigningKeyRepository } from '../../../store/signing-key.repository';
import { databaseFingerprint, waitForQuietOutbox } from '../../support/database-fingerprint';
import { TEST_SIMULATOR_SEED } from '../../support/environment';
import { fromProjectRoot } from '../../../platform/paths';
import { PUBLIC_ERROR_CODES } from '../../../schema/error-mapping';
import {
  documentedRoutes,
  generateArgumentCases,
  generateRestCases,
  generateScalarCases,
  introspect,
  scalarCoverage,
  type GeneratedCase,
  type RestCase,
  type ValidValues,
} from '../../support/hostile-cases';
import { DESK, ENTERPRISE } from '../../support/hub-fixtures';
import { DEMO_SECRET, startTestHub, type TestHub, seedTestDemo } from '../../support/test-hub';
import { agencySystem } from '../../../domain/access/principal';

interface Outcome {
  status: number;
  codes: string[];
  messages?: string[];
  hasData: boolean;
}

interface Case {
  name: string;
  send(): Promise<Outcome>;
  expect: string[] | null;
  messageIncludes?: string | undefined;
}

const DEV_SECRET = 'development-only-secret-do-not-use-in-production';
const DOCUMENT_LIMIT = 256 * 1024;
const KIM_LONG = '000.20.31.H46';

/** The citizen's pages: HTML for browsers (docs/API.md, Consent flow). */
const CITIZEN_PAGES = /^\/(consent\/(authorize|review\/)|auth\/|my-data)/;
describe('hostile-input suite, generated from the served schema', () => {
  let hub: TestHub;
  let codes: string[];
  let before: Record<string, string>;
  const results: { name: string; ok: boolean; detail: string }[] = [];

  async function post(body: unknown, headers: Record<string, string> = {}, raw = false): Promise<Outcome> {
    const response = await fetch(`${hub.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: raw ? (body as string) : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: { data?: unknown; errors?: { message?: string; extensions?: { code?: string } }[] } = {};
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = { errors: [{ extensions: { code: `NOT_JSON(${text.slice(0, 40)})` } }] };
    }
    return {
      status: response.status,
      codes: (parsed.errors ?? []).map((e) => String(e.extensions?.code)),
      messages: (parsed.errors ?? []).map((e) => String(e.message)),
      hasData: parsed.data !== undefined && parsed.data !== null,
    };
  }

  const as = async (clientId: string) => ({ authorization: `Bearer ${await hub.tokenFor(clientId)}` });

  async function run(cases: Case[]): Promise<void> {
    for (const c of cases) {
      const outcome = await c.send();
      const serverError = outcome.status >= 500 || outcome.codes.includes('INTERNAL_SERVER_ERROR');
      const named = !c.messageIncludes || (outcome.messages ?? []).every((message) => message.includes(c.messageIncludes!));
      const ok =
        !serverError &&
        named &&
        (c.expect === null
          ? outcome.codes.length === 0
          : outcome.codes.length > 0 && outcome.codes.every((code) => c.expect!.includes(code)));
      results.push({
        name: c.name,
        ok,
        detail: `HTTP ${outcome.status} ${outcome.codes.join(',') || 'no error'}; expected ${c.expect?.join('|') ?? 'success'}${
          named ? '' : `; messages ${JSON.stringify(outcome.messages)} do not name ${c.messageIncludes}`
        }`,
      });
    }
  }

  function failures(prefix: string): string[] {
    return results.filter((r) => r.name.startsWith(prefix) && !r.ok).map((r) => `${r.name}: ${r.detail}`);
  }

  /** Sends one REST case; says what is wrong with the answer (nothing, when it is a typed one). */
  async function sendRest(c: RestCase, auth: Record<string, string>): Promise<{ code: string; wrong: string[] }> {
    const response = await fetch(`${hub.url}${c.path}`, {
      method: c.method,
      headers: { ...auth, ...c.headers },
      ...(c.body === undefined || c.body === '' ? {} : { body: c.body }),
    });
    const type = response.headers.get('content-type') ?? '';
    const text = await response.text();
    const wrong: string[] = [];
    if (response.status >= 500) wrong.push(`HTTP ${response.status}`);
    // The citizen's pages (consent flow, my data) answer browsers: an HTML page is their contract, errors included.
    const citizenPage = CITIZEN_PAGES.test(c.path) && /^text\/html/i.test(type);
    if (!citizenPage && (/html/i.test(type) || /<html|<!DOCTYPE/i.test(text))) wrong.push('an HTML page');
    let code = '';
    if (response.status >= 400 && !citizenPage) {
      let body: {
        code?: string;
        reason?: string;
        status?: number;
        error?: string;
        errors?: { extensions?: { code?: string; reason?: string } }[];
      } = {};
      try {
        body = JSON.parse(text);
      } catch {
        wrong.push(`not JSON: ${text.slice(0, 60)}`);
      }
      const graphql = c.path.startsWith('/graphql');
      const oauth = (c.path === '/oauth/token' || c.path === '/consent/token') && typeof body.error === 'string';
      if (graphql) {
        code = body.errors?.[0]?.extensions?.reason ?? String(body.errors?.[0]?.extensions?.code);
        if (!body.errors?.every((e) => PUBLIC_ERROR_CODES.includes(String(e.extensions?.code))))
          wrong.push(`GraphQL error without a code: ${text.slice(0, 80)}`);
      } else if (!oauth) {
        code = body.reason ?? String(body.code);
        if (!type.startsWith('application/problem+json')) wrong.push(`content type ${type}`);
        if (!PUBLIC_ERROR_CODES.includes(String(body.code))) wrong.push(`code ${body.code}`);
        if (body.status !== response.status) wrong.push(`status member ${body.status} for HTTP ${response.status}`);
      }
      if (c.documented && ['REQUEST.NO_SUCH_ROUTE', 'REQUEST.METHOD_NOT_ALLOWED'].includes(code))
        wrong.push(`the documented route is not served (${code})`);
      if (response.status === 405 && !response.headers.get('allow')) wrong.push('405 without Allow');
    }
    return { code, wrong: wrong.map((w) => `${w} (HTTP ${response.status})`) };
  }

  beforeAll(async () => {
    // A lower depth limit than the default, so a query over real fields can exceed it.
    // A document limit the oversized-body cases can exceed cheaply.
    hub = await startTestHub('hostile', { GRAPHQL_MAX_DEPTH: '5', MAX_DOCUMENT_BYTES: String(DOCUMENT_LIMIT) });
    codes = (await seedTestDemo(hub.services)).dossierCodes;
    await hub.services.clients.create({
      clientId: 'hostile-disabled',
      name: 'Disabled',
      kind: 'AGENCY_SYSTEM',
      agencyCode: DESK,
      secret: 'disabled-secret-1',
    });
    await hub.services.clients.setActive('hostile-disabled', false);
    for (const client of ['demo-district', 'demo-officer', 'demo-portal', 'demo-monitor']) await hub.tokenFor(client);
    await hub.services.dossiers.rate(codes[4]!, 4, 'Tốt', { actor: 'test', as: agencySystem('000.19.31.H46', 'test') });
    await waitForQuietOutbox(hub.store.orm);
    before = await databaseFingerprint(hub.store.orm);
  });

  afterAll(async () => {
    await hub?.dispose();
  });

  /** A valid value for every argument a case does not attack. */
  function validValues(): ValidValues {
    const applicant = generateCitizen(TEST_SIMULATOR_SEED, 4).personalId;
    return {
      byName: {
        // The base dossier is returned and rated: every action on it is refused, so no case can write.
        code: codes[4],
        dossierCode: codes[4],
        // A well-formed code of no kept document: look-ups answer NOT_FOUND, nothing changes.
        documentCode: `${DESK}-SY-261203-7K3QX9AB`,
        from: '2026-01-01',
        to: '2026-12-31',
        missing: [{ requirementCode: 'C01', reason: 'Không rõ nét' }],
        components: [{ requirementCode: 'C01', fileName: 'c01.pdf', fileSha256: 'a'.repeat(64) }],
        toAgencyCode: DESK,
        result: 'Đã xử lý',
        summary: 'Đã cấp kết quả',
        reason: 'Lý do ghi trong hồ sơ',
        newDueAt: '2030-01-07T09:00:00.000Z',
        score: 5,
        personalId: applicant,
        enterpriseCode: generateEnterpriseCode(TEST_SIMULATOR_SEED, 0),
        communeCode: '19753',
        mapSheetNumber: 12,
        parcelNumber: 345,
        landParcel: null,
        // digitizeDocument: a type no document has, so every case is refused and nothing is kept.
        title: 'Giấy khai sinh',
        mediaType: 'text/plain',
        contentBase64: 'JVBERi0xLjQK',
        ownerId: null,
        // A consent token that is no consent: prefill needs one, and every case with it is refused.
        consentToken: 'not-a-consent-token',
        // grantConsent / revokeConsent: an ID token that does not verify, so nothing is recorded.
        idToken: 'not-an-id-token',
        attributes: ['population.fullName'],
        purpose: 'prefill:1.001193',
        notAfter: '2027-01-01T00:00:00Z',
        dataLifeSeconds: 60,
        id: '00000000-0000-4000-8000-000000000000',
        procedureCode: '1.001193',
        applicantId: applicant,
        agencyCode: DESK,
        idempotencyKey: null,
        first: 5,
        after: null,
        filter: null,
      },
    };
  }

  it('refuses a hostile value in every argument of every root field with a typed error', async () => {
    const schema = await introspect(hub.url, (await as('demo-district')).authorization);
    const generated: GeneratedCase[] = generateArgumentCases(schema, validValues(), [
      'BAD_USER_INPUT',
      'NOT_FOUND',
      'FORBIDDEN',
      'CONSENT_REQUIRED',
      'INVALID_TRANSITION',
    ]);
    const auth = await as('demo-district');
    await run(
      generated.map((g) => ({
        name: `argument ${g.name}`,
        expect: g.expect,
        send: () => post({ query: g.query, variables: g.variables }, auth),
      })),
    );
    expect(failures('argument')).toEqual([]);
    expect(generated.length).toBeGreaterThanOrEqual(200);
  });

  it('every custom scalar × malformed variable is BAD_USER_INPUT through the one graph, naming the caller’s own variable', async () => {
    const schema = await introspect(hub.url, (await as('demo-district')).authorization);
    const coverage = scalarCoverage(schema);
    // The scalars a caller can send: the hostile run's malformed Date for statistics among them.
    expect(coverage.input).toEqual(expect.arrayContaining(['Date', 'DateTimeISO']));
    const generated = generateScalarCases(schema, validValues());
    const auth = await as('demo-district');
    await run(
      generated.map((g) => ({
        name: `scalar ${g.name}`,
        expect: g.expect,
        messageIncludes: g.messageIncludes,
        send: () => post({ query: g.query, variables: g.variables }, auth),
      })),
    );
    expect(failures('scalar')).toEqual([]);
    // Every position of every input scalar, each with every malformed value, and each output-only scalar once.
    const positions = generated.filter((g) => g.expect?.includes('BAD_USER_INPUT')).length;
    expect(positions).toBeGreaterThanOrEqual(coverage.input.length * 6);
    expect(generated.length - positions).toBe(coverage.outputOnly.length);
    console.log(
      `scalar cases: ${positions} malformed variables of ${coverage.input.join(', ')}; output-only (no argument takes them): ${coverage.outputOnly.join(', ')}`,
    );
  });

  it('every REST route answers problem JSON to malformed bodies and methods, never HTML, never 500', async () => {
    const routes = documentedRoutes(readFileSync(fromProjectRoot('docs/API.md'), 'utf8'));
    expect(routes.length).toBeGreaterThanOrEqual(15);
    const fill = (path: string) =>
      path
        .replace('/dossiers/{code}', `/dossiers/${codes[4]}`)
        .replace('/agencies/{code}', `/agencies/${DESK}`)
        .replace('{01-05}', '01')
        .replace(/\{[^}]+\}/g, 'hostile-unknown');
    const cases = generateRestCases(routes, fill, DOCUMENT_LIMIT + 1024);
    const callers: [string, Record<string, string>][] = [
      ['the public', {}],
      ['an agency', await as('demo-district')],
    ];
    const problems: string[] = [];
    const codesSeen = new Set<string>();
    for (const [caller, auth] of callers) {
      for (const c of cases) {
        const verdict = await sendRest(c, auth);
        codesSeen.add(verdict.code);
        results.push({ name: `rest ${c.name} as ${caller}`, ok: verdict.wrong.length === 0, detail: verdict.wrong.join('; ') });
        if (verdict.wrong.length) problems.push(`${c.name} as ${caller}: ${verdict.wrong.join('; ')}`);
      }
    }
    expect(problems).toEqual([]);
    // The generic refusals were all reached: unknown route, wrong method, body too large, malformed JSON.
    expect([...codesSeen]).toEqual(
      expect.arrayContaining(['REQUEST.NO_SUCH_ROUTE', 'REQUEST.METHOD_NOT_ALLOWED', 'REQUEST.TOO_LARGE', 'REQUEST.MALFORMED_JSON']),
    );
    console.log(`REST cases: ${cases.length * callers.length} over ${routes.length} documented routes`);
  });

  it('refuses deep, wide, aliased, cyclic and oversized requests', async () => {
    const auth = await as('demo-district');
    const deep = `{ dossiers { edges { node { applicant { permanentResidence { fullAddress } } } } } }`;
    const aliases = `{ ${Array.from({ length: 20 }, (_, i) => `a${i}: procedures { totalCount }`).join(' ')} }`;
    const wide = `{ procedures { ${Array.from({ length: 3000 }, () => 'totalCount').join(' ')} } }`;
    const directives = `{ ${Array.from({ length: 12 }, (_, i) => `d${i}: __typename @include(if: true) @skip(if: false)`).join(' ')} }`;
    const cyclic = `query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }`;
    const costly = `{ ${Array.from({ length: 12 }, (_, i) => `d${i}: dossiers(first: 100) { edges { node { procedure { name field } receivingAgency { name } } } }`).join(' ')} }`;
    await run([
      { name: 'structure: depth beyond the limit', expect: ['QUERY_TOO_COMPLEX'], send: () => post({ query: deep }, auth) },
      { name: 'structure: too many aliases', expect: ['QUERY_TOO_COMPLEX'], send: () => post({ query: aliases }, auth) },
      { name: 'structure: thousands of fields', expect: ['QUERY_TOO_COMPLEX'], send: () => post({ query: wide }, auth) },
      { name: 'structure: too many directives', expect: ['QUERY_TOO_COMPLEX'], send: () => post({ query: directives }, auth) },
      { name: 'structure: cost beyond the limit', expect: ['QUERY_TOO_COMPLEX'], send: () => post({ query: costly }, auth) },
      { name: 'structure: cyclic fragments', expect: ['GRAPHQL_VALIDATION_FAILED'], send: () => post({ query: cyclic }, auth) },
      {
        name: 'structure: body over the size limit',
        expect: ['BAD_USER_INPUT'],
        send: () => post({ query: `{ __typename }`, padding: 'x'.repeat(200_000) }, auth),
      },
      { name: 'structure: malformed JSON', expect: ['BAD_USER_INPUT'], send: () => post('{"query": "{ __typename }"', auth, true) },
      {
        name: 'structure: batched operations',
        expect: ['BAD_REQUEST'],
        send: () => post([{ query: '{ __typename }' }, { query: '{ __typename }' }], auth),
      },
      { name: 'structure: no query', expect: ['BAD_REQUEST'], send: () => post({ variables: {} }, auth) },
      { name: 'structure: query not a string', expect: ['BAD_REQUEST'], send: () => post({ query: { select: 1 } }, auth) },
      {
        name: 'structure: variables not an object',
        expect: ['BAD_REQUEST'],
        send: () => post({ query: '{ __typename }', variables: 'x' }, auth),
      },
      {
        name: 'structure: several operations, none named',
        expect: ['OPERATION_RESOLUTION_FAILURE', 'BAD_REQUEST', 'GRAPHQL_VALIDATION_FAILED'],
        send: () => post({ query: 'query A { __typename } query B { __typename }' }, auth),
      },
      { name: 'structure: syntax error', expect: ['GRAPHQL_PARSE_FAILED'], send: () => post({ query: '{ dossier(code: ) }' }, auth) },
      {
        name: 'structure: unknown field',
        expect: ['GRAPHQL_VALIDATION_FAILED'],
        send: () => post({ query: '{ secretTable { id } }' }, auth),
      },
      {
        name: 'structure: unknown persisted document',
        expect: ['PERSISTED_QUERY_NOT_FOUND'],
        send: () => post({ documentId: 'sha256:' + 'ab'.repeat(32) }, auth),
      },
      {
        name: 'structure: mutation over GET',
        expect: ['BAD_REQUEST'],
        send: async () => {
          const response = await fetch(
            `${hub.url}/graphql?query=${encodeURIComponent('mutation { receiveDossier(input: {procedureCode: "1.001193", applicantId: "0100109106", channel: DESK, agencyCode: "000.19.31.H46"}) { __typename } }')}`,
            {
              headers: { ...auth, 'apollo-require-preflight': 'true' },
            },
          );
          const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
          return { status: response.status, codes: (body.errors ?? []).map((e) => String(e.extensions?.code)), hasData: false };
        },
      },
      {
        name: 'structure: simple POST without content type (CSRF)',
        expect: ['BAD_REQUEST'],
        send: async () => {
          const response = await fetch(`${hub.url}/graphql`, {
            method: 'POST',
            headers: { ...auth, 'content-type': 'text/plain' },
            body: '{"query":"{ __typename }"}',
          });
          const text = await response.text();
          return {
            status: response.status,
            codes: response.status === 400 ? ['BAD_REQUEST'] : [`HTTP_${response.status}:${text.slice(0, 30)}`],
            hasData: false,
          };
        },
      },
    ]);
    expect(failures('structure')).toEqual([]);
  });

  it('refuses forged, expired, foreign and unsigned tokens', async () => {
    const valid = await hub.tokenFor('demo-district');
    const [header, payload, signature] = valid.split('.') as [string, string, string];
    const settings = { issuer: hub.config.TOKEN_ISSUER, audience: hub.config.TOKEN_AUDIENCE, ttlSeconds: 300 };
    const repository = new SigningKeyRepository(hub.store.orm);
    const claims = { client_id: 'demo-district', scope: 'dossier:read', kind: 'AGENCY_SYSTEM', agency: DESK };
    const expired = await new TokenKeyRing(repository, DEV_SECRET, settings, new FixedClock(new Date(Date.now() - 2 * 3600_000))).issue(
      'demo-district',
      claims,
    );
    const otherAudience = await new TokenKeyRing(repository, DEV_SECRET, { ...settings, audience: 'another-hub' }).issue(
      'demo-district',
      claims,
    );
    const otherIssuer = await new TokenKeyRing(repository, DEV_SECRET, { ...settings, issuer: 'urn:impostor' }).issue(
      'demo-district',
      claims,
    );
    const disabled = await hub.keys.issue('hostile-disabled', { ...claims, client_id: 'hostile-disabled' });
    const ghost = await hub.keys.issue('ghost-client', { ...claims, client_id: 'ghost-client' });
    const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const decodedPayload = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const unsigned = `${b64({ alg: 'none', typ: 'at+jwt' })}.${payload}.`;
    const escalated = `${header}.${b64({ ...decodedPayload, scope: 'dossier:read dossier:write personal-data:read statistics:read', agency: KIM_LONG })}.${signature}`;
    const publicJwk = (await hub.keys.jwks()).keys[0]!;
    const hmacConfusion = await new SignJWT(decodedPayload)
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: publicJwk.kid })
      .sign(new TextEncoder().encode(JSON.stringify(publicJwk)));
    const stranger = await generateKeyPair('ES256');
    const strangerSigned = await new SignJWT(decodedPayload)
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: publicJwk.kid })
      .sign(stranger.privateKey);
    const wrongType = await new SignJWT(decodedPayload)
      .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid: 'none' })
      .sign(stranger.privateKey);
    void exportJWK;
    const tokens: [string, string][] = [
      ['expired', expired.token],
      ['for another audience', otherAudience.token],
      ['from another issuer', otherIssuer.token],
      ['of a disabled client', disabled.token],
      ['of an unknown client', ghost.token],
      ['with alg none', unsigned],
      ['with an escalated payload', escalated],
      ['HMAC-signed with the public key', hmacConfusion],
      ['signed by a stranger’s key under our kid', strangerSigned],
      ['of the wrong type', wrongType],
      ['with its signature cut', `${header}.${payload}.`],
      [
        'with a flipped signature',
        `${header}.${payload}.${signature.slice(0, -2)}${signature.at(-2) === 'A' ? 'B' : 'A'}${signature.at(-1)}`,
      ],
      ['garbage', 'not-a-token'],
    ];
    const query = { query: '{ dossiers { totalCount } }' };
    await run([
      ...tokens.map(([label, token]) => ({
        name: `token ${label}`,
        expect: ['UNAUTHENTICATED'],
        send: () => post(query, { authorization: `Bearer ${token}` }),
      })),
      {
        name: 'token: Basic credentials on /graphql',
        expect: ['UNAUTHENTICATED'],
        send: () => post(query, { authorization: `Basic ${Buffer.from(`demo-district:${DEMO_SECRET}`).toString('base64')}` }),
      },
      { name: 'token: none at all', expect: ['UNAUTHENTICATED'], send: () => post(query) },
    ]);
    expect(failures('token')).toEqual([]);
  });

  it('refuses access across agencies and roles (object and field level)', async () => {
    const receive = (agency: string, channel = 'DESK') =>
      `mutation { receiveDossier(input: { procedureCode: "1.001193", applicantId: "${ENTERPRISE}", channel: ${channel}, agencyCode: "${agency}" }) { __typename } }`;
    const applicantOf0 = generateCitizen(TEST_SIMULATOR_SEED, 0).personalId;
    const cases: [string, string | null, string, string[]][] = [
      ['district opens a Kim Long dossier', 'demo-district', `{ dossier(code: "${codes[2]}") { code } }`, ['FORBIDDEN']],
      [
        'district lists Kim Long dossiers',
        'demo-district',
        `{ dossiers(filter: { agencyCode: "${KIM_LONG}" }) { totalCount } }`,
        ['FORBIDDEN'],
      ],
      ['district receives for Kim Long', 'demo-district', receive(KIM_LONG), ['FORBIDDEN']],
      [
        'district reads a citizen through a Kim Long dossier',
        'demo-district',
        `{ citizen(personalId: "${applicantOf0}", dossierCode: "${codes[2]}") { fullName } }`,
        ['FORBIDDEN'],
      ],
      ['officer of Kim Long opens a Phú Xuân dossier', 'demo-officer', `{ dossier(code: "${codes[0]}") { code } }`, ['FORBIDDEN']],
      [
        'officer of Kim Long reads a Phú Xuân applicant',
        'demo-officer',
        `{ citizen(personalId: "${applicantOf0}", dossierCode: "${codes[0]}") { fullName } }`,
        ['FORBIDDEN'],
      ],
      ['portal opens a dossier it did not submit', 'demo-portal', `{ dossier(code: "${codes[0]}") { code } }`, ['FORBIDDEN']],
      ['portal lists dossiers', 'demo-portal', `{ dossiers { totalCount } }`, ['FORBIDDEN']],
      ['portal receives at a desk', 'demo-portal', receive(DESK), ['FORBIDDEN']],
      [
        'portal reads a citizen without consent',
        'demo-portal',
        `{ citizen(personalId: "${applicantOf0}", dossierCode: "${codes[0]}") { fullName } }`,
        ['CONSENT_REQUIRED'],
      ],
      [
        'portal presents a consent token that does not exist',
        'demo-portal',
        `{ citizen(personalId: "${applicantOf0}", consentToken: "forged-consent") { fullName } }`,
        ['CONSENT_REQUIRED'],
      ],
      ['monitor reads an applicant id', 'demo-monitor', `{ dossier(code: "${codes[0]}") { applicantId } }`, ['FORBIDDEN']],
      ['monitor reads an applicant', 'demo-monitor', `{ dossier(code: "${codes[0]}") { applicant { fullName } } }`, ['FORBIDDEN']],
      ['monitor receives a dossier', 'demo-monitor', receive(DESK), ['FORBIDDEN']],
      [
        'monitor reads a citizen',
        'demo-monitor',
        `{ citizen(personalId: "${applicantOf0}", dossierCode: "${codes[0]}") { fullName } }`,
        ['FORBIDDEN'],
      ],
      ['public opens a dossier', null, `{ dossier(code: "${codes[0]}") { code } }`, ['UNAUTHENTICATED']],
      ['public lists dossiers', null, `{ dossiers { totalCount } }`, ['UNAUTHENTICATED']],
      ['public receives a dossier', null, receive(DESK, 'ONLINE'), ['UNAUTHENTICATED']],
      [
        'public reads a citizen',
        null,
        `{ citizen(personalId: "${applicantOf0}", dossierCode: "${codes[0]}") { fullName } }`,
        ['UNAUTHENTICATED'],
      ],
    ];
    await run(
      cases.map(([label, client, query, expected]) => ({
        name: `access ${label}`,
        expect: expected,
        send: async () => post({ query }, client ? await as(client) : {}),
      })),
    );
    expect(failures('access')).toEqual([]);
  });

  it('stays up, and leaves the database exactly as it was', async () => {
    expect((await fetch(`${hub.url}/healthz`)).status).toBe(200);
    expect(await databaseFingerprint(hub.store.orm)).toEqual(before);
    console.log(`hostile-input suite: ${results.length} cases, ${results.filter((r) => r.ok).length} refused as expected`);
    expect(results.length).toBeGreaterThanOrEqual(200);
  });
});
