import express, { type Router } from 'express';
import type { TokenKeyRing } from '../../certs/token-key-ring';
import { isHubError } from '../../domain/errors';
import type { Scope } from '../../domain/access/principal';
import { RateLimiter, useRateLimit, type RateLimitOptions } from '../plugins/use-rate-limit';
import {
  AUTHENTICATE_THE_CLIENT,
  clientAuthentication,
  invalidClient,
  oauthError,
  type AuthenticatedClient,
  type ClientAuthenticationOptions,
} from './client-authentication';

export interface TokenEndpointOptions extends ClientAuthenticationOptions {
  keys: TokenKeyRing;
  rateLimits: RateLimitOptions;
  limiter: RateLimiter;
}

/**
 * `POST /oauth/token` (client credentials: secret by HTTP Basic or in the body, or a private-key JWT
 * per RFC 7523) and `GET /.well-known/jwks.json`.
 */
export function tokenRoutes(options: TokenEndpointOptions): Router {
  const router = express.Router();
  const authenticate = clientAuthentication(options);

  router.get('/.well-known/jwks.json', async (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.json(await options.keys.jwks());
  });

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
      let authenticated: AuthenticatedClient | undefined;
      try {
        authenticated = await authenticate(req, body);
      } catch (error) {
        if (!isHubError(error)) throw error;
        req.log.info({ reason: error.reason }, 'token request refused');
        return invalidClient(req, res, error.message);
      }
      if (!authenticated) return oauthError(res, 400, 'invalid_request', AUTHENTICATE_THE_CLIENT);
      const { client, certificate } = authenticated;
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
