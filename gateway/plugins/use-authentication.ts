import { createHash } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import type { NextFunction, Request, Response } from 'express';
import { LRUCache } from 'lru-cache';
import { systemClock, type Clock } from '../../domain/clock';
import type { TokenKeyRing } from '../../certs/token-key-ring';
import { normaliseSerial } from '../../certs/pki/asn1';
import { PUBLIC, type Principal, type Scope } from '../../domain/access/principal';
import { isHubError, UnauthenticatedError } from '../../domain/errors';
import type { ClientRegistry, RegisteredClient } from '../../store/services/client-registry.service';
import { sendError } from '../http-errors';

declare module 'express-serve-static-core' {
  interface Request {
    principal: Principal;
  }
}

/** The client certificate of the TLS connection, as the gateway saw it (null over plain HTTP or without one). */
export interface PresentedCertificate {
  /** It chains to the hub's CA (the TLS layer checked it). */
  authorized: boolean;
  commonName: string | null;
  /** Lower-case hex. */
  serialNumber: string | null;
  /** base64url SHA-256 of the certificate's DER: what a bound token names (RFC 8705 x5t#S256). */
  thumbprint: string | null;
}

export function presentedCertificate(req: Request): PresentedCertificate | null {
  const socket = req.socket as TLSSocket;
  if (typeof socket.getPeerCertificate !== 'function') return null;
  const certificate = socket.getPeerCertificate();
  if (!certificate || Object.keys(certificate).length === 0) return null;
  const commonName = certificate.subject?.CN;
  return {
    authorized: socket.authorized,
    commonName: typeof commonName === 'string' ? commonName : null,
    serialNumber: certificate.serialNumber ? normaliseSerial(certificate.serialNumber) : null,
    thumbprint: certificate.raw ? createHash('sha256').update(certificate.raw).digest('base64url') : null,
  };
}

export interface AuthenticatorOptions {
  /** Demo clients are refused in production. */
  production: boolean;
  /** How long a client's registry entry is trusted before re-reading it (disable takes effect within). @default 5000 */
  clientCacheMs?: number;
  /** Client ids (and unknown ids) kept in memory at most: an assertion's `iss` is read before it is verified. @default 10000 */
  clientCacheEntries?: number;
  /** Whether the hub's CA revoked a client certificate (mTLS). */
  isRevoked?: (serialNumber: string) => boolean;
  /** The hub's clock: the client cache ages by it. @default the system clock */
  clock?: Clock;
}

/** Turns a bearer token into a principal: a valid signature is not enough, the client must still be active. */
export class Authenticator {
  private readonly cache: LRUCache<string, { client: RegisteredClient | undefined }>;
  /** Look-ups under way: when an entry expires under load, the requests waiting on it share one read. */
  private readonly reading = new Map<string, Promise<RegisteredClient | undefined>>();

  constructor(
    private readonly keys: TokenKeyRing,
    private readonly clients: ClientRegistry,
    private readonly options: AuthenticatorOptions,
  ) {
    const clock = options.clock ?? systemClock;
    this.cache = new LRUCache({
      maxSize: options.clientCacheEntries ?? 10_000,
      sizeCalculation: () => 1,
      ttl: options.clientCacheMs ?? 5000,
      // Entries age by the hub's clock (read on every look-up), so a test sets the time instead of waiting.
      perf: { now: () => clock.now().getTime() },
      ttlResolution: 0,
    });
  }

  /** Client entries held in memory now (for tests and operators). */
  get cachedClients(): number {
    return this.cache.size;
  }

  async client(clientId: string): Promise<RegisteredClient | undefined> {
    const cached = this.cache.get(clientId);
    if (cached) return cached.client;
    let reading = this.reading.get(clientId);
    if (!reading) {
      reading = this.clients
        .find(clientId)
        .then((client) => {
          this.cache.set(clientId, { client });
          return client;
        })
        .finally(() => this.reading.delete(clientId));
      this.reading.set(clientId, reading);
    }
    return reading;
  }

  /** Checks the client may obtain or use tokens now. */
  assertUsable(client: RegisteredClient | undefined): asserts client is RegisteredClient {
    if (!client || !client.active)
      throw new UnauthenticatedError('This client is unknown or disabled.', { reason: 'AUTH.CLIENT_DISABLED' });
    if (client.isDemo && this.options.production) {
      throw new UnauthenticatedError('Demo clients are refused in production.', { reason: 'AUTH.DEMO_CLIENT_IN_PRODUCTION' });
    }
  }

  /** mTLS: a client so registered must present a valid certificate from the hub's CA that names it. */
  assertCertificate(client: RegisteredClient, presented: PresentedCertificate | null): void {
    if (!client.tlsCertificateRequired) return;
    const refuse = (message: string, reason: string) => new UnauthenticatedError(message, { reason });
    if (!presented?.serialNumber) {
      throw refuse(
        'This client must call over TLS with its client certificate from the hub’s CA (mutual TLS).',
        'MTLS.CERTIFICATE_REQUIRED',
      );
    }
    if (!presented.authorized)
      throw refuse('The client certificate was not issued by the hub’s CA, or has expired.', 'MTLS.CERTIFICATE_UNTRUSTED');
    if (presented.commonName !== client.clientId) {
      throw refuse(`The client certificate names "${presented.commonName ?? ''}", not this client.`, 'MTLS.CERTIFICATE_MISMATCH');
    }
    if (this.options.isRevoked?.(presented.serialNumber))
      throw refuse('The client certificate has been revoked.', 'MTLS.CERTIFICATE_REVOKED');
  }

  async principalFor(authorization: string | undefined, presented: PresentedCertificate | null = null): Promise<Principal> {
    if (!authorization) return PUBLIC;
    const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/.exec(authorization.trim());
    if (!match)
      throw new UnauthenticatedError('The Authorization header must be "Bearer <access token>".', { reason: 'AUTH.MALFORMED_HEADER' });
    const claims = await this.keys.verify(match[1]!);
    const client = await this.client(claims.sub);
    this.assertUsable(client);
    this.assertCertificate(client, presented);
    // RFC 8705: a token issued over mutual TLS is good only with the certificate it was issued to.
    const bound = (claims.cnf as { 'x5t#S256'?: unknown } | undefined)?.['x5t#S256'];
    if (bound !== undefined && bound !== presented?.thumbprint) {
      throw new UnauthenticatedError('This access token was issued to another client certificate: get one with this certificate.', {
        reason: 'MTLS.TOKEN_BINDING_MISMATCH',
      });
    }
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
      req.principal = await authenticator.principalFor(req.header('authorization'), presentedCertificate(req));
      next();
    } catch (error) {
      if (!isHubError(error)) return next(error);
      req.log.info({ reason: error.reason }, 'authentication refused');
      sendError(res, 401, error, { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
    }
  };
}
