import express, { type Request, type Response, type Router } from 'express';
import { decodeJwt, importJWK, jwtVerify, type JWK } from 'jose';
import type { TokenKeyRing } from '../../certs/token-key-ring';
import { isHubError, UnauthenticatedError } from '../../domain/errors';
import type { Scope } from '../../domain/access/principal';
import type { ClientRegistry, RegisteredClient } from '../../store/services/client-registry.service';
import { presentedCertificate, type Authenticator, type PresentedCertificate } from '../plugins/use-authentication';
import { RateLimiter, useRateLimit, type RateLimitOptions } from '../plugins/use-rate-limit';

export interface TokenEndpointOptions {
  keys: TokenKeyRing;
  clients: ClientRegistry;
  authenticator: Authenticator;
  /** Accepted as the `aud` of client assertions, besides the token endpoint's own URL. */
  issuer: string;
  rateLimits: RateLimitOptions;
  limiter: RateLimiter;
}

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** RFC 6749 §5.2 error response. */
function oauthError(res: Response, status: number, error: string, description: string, headers: Record<string, string> = {}): void {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.status(status).setHeader('Cache-Control', 'no-store').json({ error, error_description: description });
}

/** Client assertions already used (RFC 7523 §3: a jti is accepted once), kept until they expire. */
class ReplayGuard {
  private readonly seen = new Map<string, number>();
  accept(jti: string, expiresAtMs: number): boolean {
    const now = Date.now();
    for (const [key, until] of this.seen) if (until < now) this.seen.delete(key);
    if (this.seen.has(jti)) return false;
    this.seen.set(jti, expiresAtMs);
    return true;
  }
}

function basicCredentials(req: Request): { id: string; secret: string } | undefined {
  const header = req.header('authorization');
  const match = header ? /^Basic ([A-Za-z0-9+/=]+)$/.exec(header.trim()) : null;
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 1) return undefined;
  return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
}

/**
 * `POST /oauth/token` (client credentials: secret by HTTP Basic or in the body, or a private-key JWT
 * per RFC 7523) and `GET /.well-known/jwks.json`.
 */
export function tokenRoutes(options: TokenEndpointOptions): Router {
  const router = express.Router();
  const replay = new ReplayGuard();

  router.get('/.well-known/jwks.json', async (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.json(await options.keys.jwks());
  });

  async function authenticateByAssertion(req: Request, assertion: string): Promise<RegisteredClient> {
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
    try {
      const key = await importJWK(jwk, jwk.alg ?? algorithms[0]);
      const { payload } = await jwtVerify(assertion, key, {
        algorithms,
        issuer: clientId,
        subject: clientId,
        audience: [`${req.protocol}://${req.get('host')}/oauth/token`, options.issuer],
        maxTokenAge: '5m',
        requiredClaims: ['exp', 'jti'],
      });
      if (!replay.accept(`${clientId}:${payload.jti}`, payload.exp! * 1000)) throw invalid('it was already used');
    } catch (error) {
      if (isHubError(error)) throw error;
      throw invalid((error as Error).message);
    }
    return client;
  }

  router.post(
    '/oauth/token',
    express.urlencoded({ extended: false, limit: '16kb' }),
    express.json({ limit: '16kb' }),
    (req, _res, next) => {
      req.principal = { kind: 'PUBLIC' };
      next();
    },
    useRateLimit(
      options.limiter,
      { clientPerMinute: options.rateLimits.publicPerMinute, publicPerMinute: options.rateLimits.publicPerMinute },
      'token',
    ),
    async (req, res) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const field = (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : undefined);
      if (field('grant_type') !== 'client_credentials') {
        return oauthError(res, 400, 'unsupported_grant_type', 'Only grant_type=client_credentials is supported.');
      }
      const basic = basicCredentials(req);
      let client: RegisteredClient;
      let certificate: PresentedCertificate | null = null;
      try {
        if (field('client_assertion_type') === ASSERTION_TYPE && field('client_assertion')) {
          client = await authenticateByAssertion(req, field('client_assertion')!);
        } else if (basic || (field('client_id') && field('client_secret'))) {
          const id = basic?.id ?? field('client_id')!;
          client = await options.clients.authenticateWithSecret(id, basic?.secret ?? field('client_secret')!);
          options.authenticator.assertUsable(client);
        } else {
          return oauthError(
            res,
            400,
            'invalid_request',
            'Authenticate the client: HTTP Basic, client_id and client_secret, or a client_assertion (RFC 7523).',
          );
        }
        certificate = presentedCertificate(req);
        options.authenticator.assertCertificate(client, certificate);
      } catch (error) {
        if (!isHubError(error)) throw error;
        req.log.info({ reason: error.reason }, 'token request refused');
        return oauthError(res, 401, 'invalid_client', error.message, basic ? { 'WWW-Authenticate': 'Basic realm="onestop-hub"' } : {});
      }
      const requested = (field('scope') ?? '').split(' ').filter(Boolean);
      const unknown = requested.filter((scope) => !client.scopes.includes(scope as Scope));
      if (unknown.length) return oauthError(res, 400, 'invalid_scope', `This client is not granted: ${unknown.join(' ')}.`);
      const scopes = requested.length ? requested : client.scopes;
      const { token, expiresIn } = await options.keys.issue(client.clientId, {
        client_id: client.clientId,
        scope: scopes.join(' '),
        kind: client.kind,
        ...(client.agencyCode ? { agency: client.agencyCode } : {}),
        // A client held to mutual TLS gets a token bound to its certificate (RFC 8705), useless to a thief without the key.
        ...(client.tlsCertificateRequired && certificate?.thumbprint ? { cnf: { 'x5t#S256': certificate.thumbprint } } : {}),
      });
      res.setHeader('Cache-Control', 'no-store');
      res.json({ access_token: token, token_type: 'Bearer', expires_in: expiresIn, scope: scopes.join(' ') });
    },
  );
  return router;
}
