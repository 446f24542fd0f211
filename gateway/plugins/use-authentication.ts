import type { NextFunction, Request, Response } from 'express';
import type { TokenKeyRing } from '../../certs/token-key-ring';
import { PUBLIC, type Principal, type Scope } from '../../domain/access/principal';
import { isHubError, UnauthenticatedError } from '../../domain/errors';
import type { ClientRegistry, RegisteredClient } from '../../store/services/client-registry.service';
import { sendError } from '../http-errors';

declare module 'express-serve-static-core' {
  interface Request {
    principal: Principal;
  }
}

export interface AuthenticatorOptions {
  /** Demo clients are refused in production. */
  production: boolean;
  /** How long a client's registry entry is trusted before re-reading it (disable takes effect within). @default 5000 */
  clientCacheMs?: number;
}

/** Turns a bearer token into a principal: a valid signature is not enough, the client must still be active. */
export class Authenticator {
  private readonly cache = new Map<string, { client: RegisteredClient | undefined; at: number }>();

  constructor(
    private readonly keys: TokenKeyRing,
    private readonly clients: ClientRegistry,
    private readonly options: AuthenticatorOptions,
  ) {}

  async client(clientId: string): Promise<RegisteredClient | undefined> {
    const cached = this.cache.get(clientId);
    if (cached && Date.now() - cached.at < (this.options.clientCacheMs ?? 5000)) return cached.client;
    const client = await this.clients.find(clientId);
    this.cache.set(clientId, { client, at: Date.now() });
    return client;
  }

  /** Checks the client may obtain or use tokens now. */
  assertUsable(client: RegisteredClient | undefined): asserts client is RegisteredClient {
    if (!client || !client.active)
      throw new UnauthenticatedError('This client is unknown or disabled.', { reason: 'AUTH.CLIENT_DISABLED' });
    if (client.isDemo && this.options.production) {
      throw new UnauthenticatedError('Demo clients are refused in production.', { reason: 'AUTH.DEMO_CLIENT_IN_PRODUCTION' });
    }
  }

  async principalFor(authorization: string | undefined): Promise<Principal> {
    if (!authorization) return PUBLIC;
    const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/.exec(authorization.trim());
    if (!match)
      throw new UnauthenticatedError('The Authorization header must be "Bearer <access token>".', { reason: 'AUTH.MALFORMED_HEADER' });
    const claims = await this.keys.verify(match[1]!);
    const client = await this.client(claims.sub);
    this.assertUsable(client);
    // The token's scopes, narrowed to what the client still holds (a scope removed since issue is gone now).
    const tokenScopes = String(claims.scope ?? '')
      .split(' ')
      .filter(Boolean);
    const scopes = new Set(tokenScopes.filter((s) => client.scopes.includes(s as Scope)) as Scope[]);
    return { kind: client.kind, clientId: client.clientId, agencyCode: client.agencyCode, scopes };
  }
}

/** Sets `req.principal` (the public when no token is sent); answers 401 for a token it cannot accept. */
export function useAuthentication(authenticator: Authenticator) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    try {
      req.principal = await authenticator.principalFor(req.header('authorization'));
      next();
    } catch (error) {
      if (!isHubError(error)) return next(error);
      req.log.info({ reason: error.reason }, 'authentication refused');
      sendError(res, 401, error, { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
    }
  };
}
