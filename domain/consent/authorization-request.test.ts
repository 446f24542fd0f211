import {
  DEFAULT_DATA_LIFE_SECONDS,
  DEFAULT_VALID_FOR_SECONDS,
  decideAuthorization,
  decideCodeExchange,
  decideTickedAttributes,
  safeReturnPath,
  verifierMatches,
  type AuthorizationFacts,
  type AuthorizationQuery,
  type CodeExchangeRequest,
  type IssuedCode,
} from './authorization-request';
import { MAX_CONSENT_SECONDS } from './consent';

const CALLBACK = 'https://portal.example/callback';
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'; // RFC 7636 appendix B
const VERIFIER = 'dBjftJeZ4CVP-mJ92K9ZWTWLSuWlZj9yI2I5gAw9w2w';

const facts = (overrides: Partial<AuthorizationFacts> = {}): AuthorizationFacts => ({
  client: { clientId: 'portal', kind: 'PORTAL', active: true, redirectUris: [CALLBACK] },
  purposes: [{ purpose: 'prefill:1.001193', attributes: ['population.fullName', 'population.dateOfBirth'] }],
  procedureKnown: true,
  ...overrides,
});

const query = (overrides: AuthorizationQuery = {}): AuthorizationQuery => ({
  response_type: 'code',
  client_id: 'portal',
  redirect_uri: CALLBACK,
  state: 'xyz',
  code_challenge: CHALLENGE,
  code_challenge_method: 'S256',
  scope: 'population.fullName population.dateOfBirth',
  purpose: 'prefill:1.001193',
  procedure: '1.001193',
  ...overrides,
});

const errorOf = (q: AuthorizationQuery, f = facts()) => {
  const decision = decideAuthorization(q, f);
  return decision.outcome === 'redirect-error' ? decision.error : decision.outcome;
};

describe('an authorization request', () => {
  it('is accepted with its defaults: 30 days, a day of data life, Vietnamese', () => {
    const decision = decideAuthorization(query(), facts());
    expect(decision).toEqual({
      outcome: 'accepted',
      request: {
        clientId: 'portal',
        redirectUri: CALLBACK,
        state: 'xyz',
        codeChallenge: CHALLENGE,
        attributes: ['population.fullName', 'population.dateOfBirth'],
        purpose: 'prefill:1.001193',
        procedureCode: '1.001193',
        validForSeconds: DEFAULT_VALID_FOR_SECONDS,
        dataLifeSeconds: DEFAULT_DATA_LIFE_SECONDS,
        lang: 'vi',
      },
    });
  });

  it('unknown client: an error page, never a redirect', () => {
    expect(decideAuthorization(query(), facts({ client: undefined }))).toMatchObject({
      outcome: 'error-page',
      reason: 'CONSENT_FLOW.UNKNOWN_CLIENT',
    });
    expect(decideAuthorization(query({ client_id: undefined }), facts())).toMatchObject({ outcome: 'error-page' });
  });

  it('redirect URI not registered (exact match only): an error page', () => {
    for (const uri of [undefined, 'https://attacker.example/cb', `${CALLBACK}/`, `${CALLBACK}?x=1`, CALLBACK.toUpperCase()]) {
      expect(decideAuthorization(query({ redirect_uri: uri }), facts())).toMatchObject({
        outcome: 'error-page',
        reason: 'CONSENT_FLOW.REDIRECT_URI_NOT_REGISTERED',
      });
    }
  });

  it('a client that is not an active portal: unauthorized_client, with the state', () => {
    expect(decideAuthorization(query(), facts({ client: { ...facts().client!, kind: 'AGENCY_SYSTEM' } }))).toMatchObject({
      outcome: 'redirect-error',
      error: 'unauthorized_client',
      state: 'xyz',
    });
    expect(errorOf(query(), facts({ client: { ...facts().client!, active: false } }))).toBe('unauthorized_client');
  });

  it('plain PKCE refused, and a challenge that is not S256-shaped', () => {
    expect(errorOf(query({ code_challenge_method: 'plain', code_challenge: VERIFIER }))).toBe('invalid_request');
    expect(errorOf(query({ code_challenge_method: undefined }))).toBe('invalid_request');
    expect(errorOf(query({ code_challenge: 'short' }))).toBe('invalid_request');
    expect(errorOf(query({ code_challenge: undefined }))).toBe('invalid_request');
  });

  it('state is required and bounded', () => {
    expect(decideAuthorization(query({ state: undefined }), facts())).toMatchObject({ error: 'invalid_request', state: undefined });
    expect(decideAuthorization(query({ state: 'x'.repeat(513) }), facts())).toMatchObject({ error: 'invalid_request', state: undefined });
  });

  it('response_type other than code: unsupported_response_type', () => {
    expect(errorOf(query({ response_type: 'token' }))).toBe('unsupported_response_type');
  });

  it('attributes: unknown, none or beyond the purpose are invalid_scope; an unregistered purpose unauthorized_client', () => {
    expect(errorOf(query({ scope: 'population.fullName population.password' }))).toBe('invalid_scope');
    expect(errorOf(query({ scope: '' }))).toBe('invalid_scope');
    expect(errorOf(query({ scope: 'population.fullName land.parcels' }))).toBe('invalid_scope');
    expect(errorOf(query({ purpose: 'marketing' }))).toBe('unauthorized_client');
  });

  it('procedure and purpose: required, known, and a prefill purpose names its procedure', () => {
    expect(errorOf(query({ procedure: undefined }))).toBe('invalid_request');
    expect(errorOf(query(), facts({ procedureKnown: false }))).toBe('invalid_request');
    expect(errorOf(query({ purpose: undefined }))).toBe('invalid_request');
    expect(errorOf(query({ procedure: '1.004873' }))).toBe('invalid_request');
  });

  it('valid_for and data_life: whole seconds within a year', () => {
    expect(errorOf(query({ valid_for: '0' }))).toBe('invalid_request');
    expect(errorOf(query({ valid_for: String(MAX_CONSENT_SECONDS + 1) }))).toBe('invalid_request');
    expect(errorOf(query({ valid_for: '1.5' }))).toBe('invalid_request');
    expect(errorOf(query({ data_life: '-1' }))).toBe('invalid_request');
    const ok = decideAuthorization(query({ valid_for: '3600', data_life: '0', lang: 'en' }), facts());
    expect(ok).toMatchObject({ outcome: 'accepted', request: { validForSeconds: 3600, dataLifeSeconds: 0, lang: 'en' } });
  });
});

describe('the attributes the citizen ticked', () => {
  const asked = ['population.fullName', 'population.dateOfBirth'] as const;
  it('keeps the ticked ones in the asked order', () => {
    expect(decideTickedAttributes(asked, ['population.dateOfBirth', 'population.fullName'])).toEqual({
      ok: true,
      attributes: ['population.fullName', 'population.dateOfBirth'],
    });
  });
  it('refuses none, and any not asked', () => {
    expect(decideTickedAttributes(asked, [])).toEqual({ ok: false, problem: 'NONE_TICKED' });
    expect(decideTickedAttributes(asked, ['population.fullName', 'land.parcels'])).toEqual({ ok: false, problem: 'NOT_ASKED' });
  });
});

describe('PKCE S256', () => {
  it('matches the RFC 7636 example, and nothing else', () => {
    expect(verifierMatches(CHALLENGE, VERIFIER, CHALLENGE)).toBe(true);
    expect(verifierMatches(CHALLENGE, VERIFIER, 'x'.repeat(43))).toBe(false);
    expect(verifierMatches(CHALLENGE, 'short', CHALLENGE)).toBe(false);
    expect(verifierMatches(CHALLENGE, undefined, undefined)).toBe(false);
  });
});

describe('the code exchange', () => {
  const now = new Date('2026-12-04T10:00:00Z');
  const code: IssuedCode = {
    clientId: 'portal',
    redirectUri: CALLBACK,
    codeChallenge: CHALLENGE,
    expiresAt: new Date(now.getTime() + 60_000),
    used: false,
    consentId: 'c-1',
  };
  const request: CodeExchangeRequest = {
    clientId: 'portal',
    redirectUri: CALLBACK,
    codeVerifier: VERIFIER,
    verifierChallenge: CHALLENGE,
    now,
  };

  it('gives the consent for the right client, redirect URI and verifier', () => {
    expect(decideCodeExchange(code, request)).toEqual({ ok: true, consentId: 'c-1' });
  });

  it('refuses each wrong way as invalid_grant with its reason', () => {
    const reason = (c: IssuedCode | undefined, r = request) => {
      const d = decideCodeExchange(c, r);
      return d.ok ? 'ok' : `${d.error}:${d.reason}`;
    };
    expect(reason(undefined)).toBe('invalid_grant:CODE.UNKNOWN');
    expect(reason({ ...code, expiresAt: now })).toBe('invalid_grant:CODE.EXPIRED');
    expect(reason(code, { ...request, clientId: 'other' })).toBe('invalid_grant:CODE.OTHER_CLIENT');
    expect(reason(code, { ...request, redirectUri: `${CALLBACK}/x` })).toBe('invalid_grant:CODE.REDIRECT_URI_MISMATCH');
    expect(reason(code, { ...request, redirectUri: undefined })).toBe('invalid_grant:CODE.REDIRECT_URI_MISMATCH');
    expect(reason(code, { ...request, verifierChallenge: 'y'.repeat(43) })).toBe('invalid_grant:CODE.VERIFIER_MISMATCH');
  });

  it('a code used twice revokes the consent it gave', () => {
    expect(decideCodeExchange({ ...code, used: true }, request)).toMatchObject({
      ok: false,
      reason: 'CODE.ALREADY_USED',
      revokeConsentId: 'c-1',
    });
  });
});

describe('where a sign-in returns', () => {
  it('only to the flow’s own pages', () => {
    expect(safeReturnPath('/my-data')).toBe('/my-data');
    expect(safeReturnPath('/consent/review/0b8f3c1e-9f7d-4c1a-8a55-6a8e1f2d3c4b')).toBe(
      '/consent/review/0b8f3c1e-9f7d-4c1a-8a55-6a8e1f2d3c4b',
    );
    for (const bad of ['https://evil.example', '//evil.example', '/my-data/../admin', undefined])
      expect(safeReturnPath(bad)).toBe('/my-data');
  });
});
