import type { Request, Response } from 'express';
import { decodeJwt, importJWK, jwtVerify, type JWK } from 'jose';
import type { Clock } from '../../domain/clock';
import { UnauthenticatedError } from '../../domain/errors';
import type { ClientRegistry, RegisteredClient } from '../../store/services/client-registry.service';
import { presentedCertificate, type Authenticator, type PresentedCertificate } from '../plugins/use-authentication';

export interface ClientAuthenticationOptions {
  clients: ClientRegistry;
  authenticator: Authenticator;
  /** Accepted as the `aud` of client assertions, besides `assertionAudience`. */
  issuer: string;
  /** The token endpoint's URL as configured (CLIENT_ASSERTION_AUDIENCE, else PUBLIC_URL + /oauth/token): never the Host header. */
  assertionAudience: string;
  /** Longest an assertion may be valid, in seconds: its `exp` at most this far ahead, its `iat` at most this old. */
  assertionMaxLifetimeSeconds: number;
  /** The hub's clock: assertion lifetimes and replay records are judged by it. */
  clock: Clock;
}

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** RFC 6749 §5.2 error response. */
export function oauthError(res: Response, status: number, error: string, description: string, headers: Record<string, string> = {}): void {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.status(status).setHeader('Cache-Control', 'no-store').json({ error, error_description: description });
}

export const sendsBasic = (req: Request) => /^Basic(\s|$)/i.test(req.header('authorization')?.trim() ?? '');

/**
 * HTTP Basic client credentials (RFC 6749 §2.3.1: the id and secret form-encoded, then base64);
 * undefined without a Basic header. A malformed one (not base64, no colon, a bad `%` escape) is the
 * client failing to authenticate, never a server error.
 */
function basicCredentials(req: Request): { id: string; secret: string } | undefined {
  if (!sendsBasic(req)) return undefined;
  const malformed = (why: string) =>
    new UnauthenticatedError(`The HTTP Basic credentials are malformed: ${why}.`, { reason: 'AUTH.MALFORMED_BASIC_CREDENTIALS' });
  const encoded = req.header('authorization')!.trim().slice('Basic'.length).trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || encoded.length % 4 !== 0) throw malformed('they are not base64');
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 1) throw malformed('expected base64 of "client_id:client_secret"');
  try {
    return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
  } catch {
    throw malformed('a "%" escape is not valid (form-encode the id and secret, RFC 6749 §2.3.1)');
  }
}

/** An authenticated client, with the certificate it presented (mTLS). */
export interface AuthenticatedClient {
  client: RegisteredClient;
  certificate: PresentedCertificate | null;
}

/**
 * Client authentication at the hub's token endpoints (`/oauth/token`, `/consent/token`), one way
 * for both: client_secret_basic, client_secret_post or private_key_jwt (RFC 7523, each assertion
 * once), then the certificate of a client held to mutual TLS. Undefined when the request presents
 * no credentials at all; a HubError (UNAUTHENTICATED) when they do not authenticate.
 */
export function clientAuthentication(options: ClientAuthenticationOptions) {
  const now = () => options.clock.now();
  const maxLifetime = options.assertionMaxLifetimeSeconds;

  async function authenticateByAssertion(assertion: string): Promise<RegisteredClient> {
    const invalid = (why: string) =>
      new UnauthenticatedError(`The client assertion is not acceptable: ${why}.`, { reason: 'AUTH.INVALID_ASSERTION' });
    let clientId: string;
    try {
      clientId = String(decodeJwt(assertion).iss ?? '');
    } catch {
      throw invalid('it is not a JWT');
    }
    const client = await options.authenticator.client(clientId);
    options.authenticator.assertUsable(client);
    if (!client.grantTypes.includes('private_key_jwt') || !client.publicJwk) throw invalid('this client has no registered public key');
    const jwk = client.publicJwk as JWK;
    const algorithms = jwk.kty === 'EC' ? ['ES256', 'ES384'] : jwk.kty === 'RSA' ? ['RS256', 'PS256'] : ['EdDSA'];
    const at = now();
    let verified: { jti: string; expiresAt: Date };
    try {
      const key = await importJWK(jwk, jwk.alg ?? algorithms[0]);
      const { payload } = await jwtVerify(assertion, key, {
        algorithms,
        issuer: clientId,
        subject: clientId,
        // The configured endpoint URL: a Host header is the caller's to choose.
        audience: [options.assertionAudience, options.issuer],
        maxTokenAge: maxLifetime,
        requiredClaims: ['exp', 'jti'],
        currentDate: at,
      });
      verified = { jti: payload.jti!, expiresAt: new Date(payload.exp! * 1000) };
    } catch (error) {
      throw invalid((error as Error).message);
    }
    // RFC 7523 §3 lets the server refuse an exp far ahead; refusing it keeps each jti record short-lived.
    if (verified.expiresAt.getTime() - at.getTime() > maxLifetime * 1000) {
      throw invalid(`its exp is more than ${maxLifetime} s away: make assertions valid for at most ${maxLifetime} s`);
    }
    if (typeof verified.jti !== 'string' || verified.jti.length === 0 || verified.jti.length > 256) {
      throw invalid('its jti must be a string of 1 to 256 characters');
    }
    // Outside the try: a store failure is not the client's fault and its text is not the client's to read.
    if (!(await options.clients.recordAssertionUse(clientId, verified.jti, verified.expiresAt, at))) throw invalid('it was already used');
    return client;
  }

  return async (req: Request, body: Record<string, unknown>): Promise<AuthenticatedClient | undefined> => {
    const field = (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : undefined);
    let client: RegisteredClient;
    const basic = basicCredentials(req);
    if (field('client_assertion_type') === ASSERTION_TYPE && field('client_assertion')) {
      client = await authenticateByAssertion(field('client_assertion')!);
    } else if (basic || (field('client_id') && field('client_secret'))) {
      const id = basic?.id ?? field('client_id')!;
      client = await options.clients.authenticateWithSecret(id, basic?.secret ?? field('client_secret')!);
      options.authenticator.assertUsable(client);
    } else {
      return undefined;
    }
    const certificate = presentedCertificate(req);
    options.authenticator.assertCertificate(client, certificate);
    return { client, certificate };
  };
}

/** RFC 6749 §5.2: a client that failed to authenticate. */
export function invalidClient(req: Request, res: Response, message: string): void {
  oauthError(res, 401, 'invalid_client', message, sendsBasic(req) ? { 'WWW-Authenticate': 'Basic realm="onestop-hub"' } : {});
}

/** What a request without any client credentials is told. */
export const AUTHENTICATE_THE_CLIENT =
  'Authenticate the client: HTTP Basic, client_id and client_secret, or a client_assertion (RFC 7523).';
