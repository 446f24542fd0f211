/**
 * The consent flow's authorization request (OAuth 2.0 authorization code with PKCE, RFC 6749 §4.1,
 * RFC 7636) and its code exchange, as pure decisions: the service gathers the client's registration,
 * its purposes and the stored code, and asks here.
 */
import {
  decideConsentRequest,
  MAX_CONSENT_SECONDS,
  type ClientConsentPurpose,
  type ConsentAttribute,
  type ConsentRequestRefusal,
} from './consent';

/** A consent holds 30 days unless the portal asks otherwise. */
export const DEFAULT_VALID_FOR_SECONDS = 30 * 86_400;
/** The portal keeps what it read for a day unless it asks otherwise. */
export const DEFAULT_DATA_LIFE_SECONDS = 86_400;
/** Longest `state` kept and sent back. */
export const MAX_STATE_LENGTH = 512;

/** The client as the authorization endpoint sees it. */
export interface AuthorizingClient {
  clientId: string;
  kind: string;
  active: boolean;
  redirectUris: readonly string[];
}

/** The query of `GET /consent/authorize`, as given (each value a string or absent). */
export type AuthorizationQuery = Partial<
  Record<
    | 'response_type'
    | 'client_id'
    | 'redirect_uri'
    | 'state'
    | 'code_challenge'
    | 'code_challenge_method'
    | 'scope'
    | 'purpose'
    | 'procedure'
    | 'valid_for'
    | 'data_life'
    | 'lang',
    string
  >
>;

export interface AuthorizationFacts {
  /** The registration of `client_id`; undefined when there is none. */
  client: AuthorizingClient | undefined;
  /** What the client may ask citizens for. */
  purposes: readonly ClientConsentPurpose[];
  /** Is `procedure` in the catalogue? */
  procedureKnown: boolean;
}

export interface AcceptedAuthorization {
  clientId: string;
  redirectUri: string;
  state: string;
  codeChallenge: string;
  attributes: ConsentAttribute[];
  purpose: string;
  procedureCode: string;
  validForSeconds: number;
  dataLifeSeconds: number;
  lang: 'vi' | 'en';
}

/** RFC 6749 §4.1.2.1 error codes the endpoint sends back to the portal. */
export type AuthorizationErrorCode = 'invalid_request' | 'invalid_scope' | 'unauthorized_client' | 'unsupported_response_type';

export type AuthorizationErrorPageReason = 'CONSENT_FLOW.UNKNOWN_CLIENT' | 'CONSENT_FLOW.REDIRECT_URI_NOT_REGISTERED';

export type AuthorizationDecision =
  /** Nowhere safe to send the browser: the hub shows the error itself (400). */
  | { outcome: 'error-page'; reason: AuthorizationErrorPageReason; message: string }
  /** The portal's registered redirect URI gets the error, with the state it sent. */
  | { outcome: 'redirect-error'; redirectUri: string; state: string | undefined; error: AuthorizationErrorCode; description: string }
  | { outcome: 'accepted'; request: AcceptedAuthorization };

/** An S256 code challenge: base64url of a SHA-256, 43 characters (RFC 7636 §4.2). */
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
/** A code verifier: 43 to 128 unreserved characters (RFC 7636 §4.1). */
const CODE_VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

const SCOPE_ERRORS: Record<ConsentRequestRefusal, AuthorizationErrorCode> = {
  'CONSENT.UNKNOWN_ATTRIBUTE': 'invalid_scope',
  'CONSENT.NO_ATTRIBUTES': 'invalid_scope',
  'CONSENT.ATTRIBUTE_NOT_REGISTERED': 'invalid_scope',
  'CONSENT.PURPOSE_NOT_REGISTERED': 'unauthorized_client',
  'CONSENT.PURPOSE_PROCEDURE_MISMATCH': 'invalid_request',
  'CONSENT.BAD_VALIDITY': 'invalid_request',
};

function seconds(raw: string | undefined, fallback: number, min: number): number | undefined {
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d{1,10}$/.test(raw)) return undefined;
  const value = Number(raw);
  return value >= min && value <= MAX_CONSENT_SECONDS ? value : undefined;
}

/**
 * Checks an authorization request against the client's registration. The redirect URI is compared
 * as an exact string with the registered ones before anything is sent to it (RFC 6749 §10.6): an
 * unknown client or an unregistered redirect URI gets an error page, never a redirect.
 */
export function decideAuthorization(query: AuthorizationQuery, facts: AuthorizationFacts): AuthorizationDecision {
  const client = facts.client;
  if (!query.client_id || !client || client.clientId !== query.client_id) {
    return {
      outcome: 'error-page',
      reason: 'CONSENT_FLOW.UNKNOWN_CLIENT',
      message: 'The portal that sent you here is not registered at the hub.',
    };
  }
  const redirectUri = query.redirect_uri;
  if (!redirectUri || !client.redirectUris.includes(redirectUri)) {
    return {
      outcome: 'error-page',
      reason: 'CONSENT_FLOW.REDIRECT_URI_NOT_REGISTERED',
      message: 'The address the portal asked to send you back to is not registered for it.',
    };
  }
  const state = query.state;
  const fail = (error: AuthorizationErrorCode, description: string): AuthorizationDecision => ({
    outcome: 'redirect-error',
    redirectUri,
    state: state && state.length <= MAX_STATE_LENGTH ? state : undefined,
    error,
    description,
  });
  if (client.kind !== 'PORTAL' || !client.active) return fail('unauthorized_client', 'This client may not ask citizens for consent.');
  if (query.response_type !== 'code') return fail('unsupported_response_type', 'Only response_type=code is supported.');
  if (!state) return fail('invalid_request', 'state is required.');
  if (state.length > MAX_STATE_LENGTH) return fail('invalid_request', `state is longer than ${MAX_STATE_LENGTH} characters.`);
  if (query.code_challenge_method !== 'S256') return fail('invalid_request', 'code_challenge_method must be S256 (plain is refused).');
  if (!query.code_challenge || !S256_CHALLENGE.test(query.code_challenge)) {
    return fail('invalid_request', 'code_challenge must be the base64url SHA-256 of the code verifier (43 characters).');
  }
  if (!query.purpose) return fail('invalid_request', 'purpose is required.');
  if (!query.procedure) return fail('invalid_request', 'procedure is required.');
  if (!facts.procedureKnown) return fail('invalid_request', 'procedure is not in the catalogue.');
  const validFor = seconds(query.valid_for, DEFAULT_VALID_FOR_SECONDS, 1);
  if (validFor === undefined) return fail('invalid_request', `valid_for must be whole seconds, 1 to ${MAX_CONSENT_SECONDS}.`);
  const dataLife = seconds(query.data_life, DEFAULT_DATA_LIFE_SECONDS, 0);
  if (dataLife === undefined) return fail('invalid_request', `data_life must be whole seconds, 0 to ${MAX_CONSENT_SECONDS}.`);
  const attributes = [...new Set((query.scope ?? '').split(' ').filter(Boolean))];
  const decision = decideConsentRequest(facts.purposes, {
    clientId: client.clientId,
    attributes,
    purpose: query.purpose,
    procedureCode: query.procedure,
    issuedAt: new Date(0),
    notAfter: new Date(validFor * 1000),
    dataLifeSeconds: dataLife,
  });
  if (!decision.allowed) return fail(SCOPE_ERRORS[decision.reason], decision.message);
  return {
    outcome: 'accepted',
    request: {
      clientId: client.clientId,
      redirectUri,
      state,
      codeChallenge: query.code_challenge,
      attributes: attributes as ConsentAttribute[],
      purpose: query.purpose,
      procedureCode: query.procedure,
      validForSeconds: validFor,
      dataLifeSeconds: dataLife,
      lang: query.lang === 'en' ? 'en' : 'vi',
    },
  };
}

/** What the citizen ticked, against what was asked: only asked attributes, at least one. */
export function decideTickedAttributes(
  asked: readonly ConsentAttribute[],
  ticked: readonly string[],
): { ok: true; attributes: ConsentAttribute[] } | { ok: false; problem: 'NONE_TICKED' | 'NOT_ASKED' } {
  const unique = [...new Set(ticked)];
  if (unique.some((a) => !(asked as readonly string[]).includes(a))) return { ok: false, problem: 'NOT_ASKED' };
  if (unique.length === 0) return { ok: false, problem: 'NONE_TICKED' };
  return { ok: true, attributes: asked.filter((a) => unique.includes(a)) };
}

/** An authorization code as stored (its hash is the key). */
export interface IssuedCode {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  expiresAt: Date;
  used: boolean;
  consentId: string;
}

export type CodeRefusal =
  'CODE.UNKNOWN' | 'CODE.ALREADY_USED' | 'CODE.EXPIRED' | 'CODE.OTHER_CLIENT' | 'CODE.REDIRECT_URI_MISMATCH' | 'CODE.VERIFIER_MISMATCH';

export type CodeExchangeDecision =
  | { ok: true; consentId: string }
  | {
      ok: false;
      error: 'invalid_grant';
      reason: CodeRefusal;
      description: string;
      /** A code used twice: the consent it produced is withdrawn (RFC 6749 §4.1.2). */
      revokeConsentId?: string;
    };

export interface CodeExchangeRequest {
  clientId: string;
  redirectUri: string | undefined;
  codeVerifier: string | undefined;
  /** base64url(SHA-256(code_verifier)), computed by the caller. */
  verifierChallenge: string | undefined;
  now: Date;
}

/** PKCE S256 (RFC 7636 §4.6): the verifier is well-formed and its hash is the challenge. */
export function verifierMatches(challenge: string, verifier: string | undefined, verifierChallenge: string | undefined): boolean {
  if (verifier === undefined || verifierChallenge === undefined || !CODE_VERIFIER.test(verifier)) return false;
  if (verifierChallenge.length !== challenge.length) return false;
  let difference = 0;
  for (let i = 0; i < challenge.length; i += 1) difference |= challenge.charCodeAt(i) ^ verifierChallenge.charCodeAt(i);
  return difference === 0;
}

/** May this client have the consent token for this code now? Every refusal is `invalid_grant` (RFC 6749 §5.2). */
export function decideCodeExchange(code: IssuedCode | undefined, request: CodeExchangeRequest): CodeExchangeDecision {
  const refuse = (reason: CodeRefusal, description: string, revokeConsentId?: string): CodeExchangeDecision => ({
    ok: false,
    error: 'invalid_grant',
    reason,
    description,
    ...(revokeConsentId ? { revokeConsentId } : {}),
  });
  if (!code) return refuse('CODE.UNKNOWN', 'The authorization code is not one the hub issued.');
  if (code.used)
    return refuse('CODE.ALREADY_USED', 'The authorization code was already used: the consent it gave is withdrawn.', code.consentId);
  if (request.now.getTime() >= code.expiresAt.getTime()) return refuse('CODE.EXPIRED', 'The authorization code has expired.');
  if (code.clientId !== request.clientId) return refuse('CODE.OTHER_CLIENT', 'The authorization code was issued to another client.');
  if (request.redirectUri !== code.redirectUri) {
    return refuse('CODE.REDIRECT_URI_MISMATCH', 'redirect_uri differs from the one of the authorization request.');
  }
  if (!verifierMatches(code.codeChallenge, request.codeVerifier, request.verifierChallenge)) {
    return refuse('CODE.VERIFIER_MISMATCH', 'code_verifier does not match the code_challenge (S256).');
  }
  return { ok: true, consentId: code.consentId };
}

/** A path on the hub to return to after sign-in: only the flow's own pages, never another site. */
export function safeReturnPath(raw: string | undefined): string {
  if (raw && (/^\/consent\/review\/[0-9a-f-]{36}$/.test(raw) || raw === '/my-data')) return raw;
  return '/my-data';
}
