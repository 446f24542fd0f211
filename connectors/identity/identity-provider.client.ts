import { createLocalJWKSet, decodeJwt, errors as joseErrors, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import * as oidc from 'openid-client';
import { systemClock, type Clock } from '../../domain/clock';
import { UnauthenticatedError, UpstreamUnavailableError } from '../../domain/errors';
import { parsePersonalId } from '../../domain/identifiers/personal-id';
import { meetsAssurance } from '../../domain/identity/assurance-level';
import type { IdentityRefusal, IdentityVerifier, VerifiedIdentity, VerifyIdTokenOptions } from '../../domain/ports/identity-verifier.port';
import { UpstreamPolicy } from '../upstream-policy';
import type { UpstreamFetch } from '../upstream-tls';

export interface IdentityProviderClientOptions {
  /** The provider's issuer URL; its discovery document is at `<issuer>/.well-known/openid-configuration`. */
  issuerUrl: string;
  clientId: string;
  clientSecret: string;
  /** The lowest level of assurance accepted, e.g. `urn:vneid:loa:2`. */
  requiredAcr: string;
  timeoutMs: number;
  /** The one upstream HTTP client (connectors/upstream-tls.ts). */
  fetch: UpstreamFetch;
  clock?: Clock;
  /** Leeway for the provider's clock, in seconds. @default 5 */
  clockToleranceSeconds?: number;
  /** Calls in flight and waiting at most (the upstream policy's bulkhead). @default DEFAULT_CONCURRENCY */
  concurrency?: { maxConcurrent: number; maxQueued: number } | undefined;
}

/** What the hub keeps between sending the citizen to the provider and the callback. */
export interface AuthorizationRequest {
  url: URL;
  state: string;
  nonce: string;
  codeVerifier: string;
}

export interface TokenSet {
  idToken: string;
  accessToken: string;
  identity: VerifiedIdentity;
}

const ALGORITHMS = ['RS256', 'PS256', 'ES256'];

function refuse(reason: IdentityRefusal, message: string, cause?: unknown, details?: Record<string, unknown>): UnauthenticatedError {
  return new UnauthenticatedError(message, { reason, cause, ...(details ? { details } : {}) });
}

function unavailable(cause: unknown): UpstreamUnavailableError {
  return new UpstreamUnavailableError('The national identity provider is not available right now. Try again in a moment.', {
    reason: 'IDENTITY.UNAVAILABLE',
    cause,
  });
}

/**
 * The hub as an ordinary OpenID Connect relying party of the national identity provider: discovery
 * (cached), the authorization code flow with PKCE, state and nonce (`openid-client`), and ID-token
 * verification (`jose` against the provider's JWKS, kept and refreshed when a new key appears).
 * A real provider is reached by configuration alone: issuer URL, client id and secret.
 *
 * Every call to the provider goes through the upstream policy, as the registries' do: a time limit,
 * a bulkhead, a circuit breaker (a provider that is down is refused at once, UPSTREAM.CIRCUIT_OPEN,
 * retryable), and retries for discovery and the keys only: a code is single-use, its exchange is
 * never retried.
 */
export class IdentityProviderClient implements IdentityVerifier {
  readonly #options: IdentityProviderClientOptions;
  readonly #clock: Clock;
  #configuration: Promise<oidc.Configuration> | undefined;
  #keys: { set: ReturnType<typeof createLocalJWKSet>; fetchedAt: number } | undefined;
  readonly policy: UpstreamPolicy;

  constructor(options: IdentityProviderClientOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.policy = new UpstreamPolicy({ name: 'national identity provider', timeoutMs: options.timeoutMs, ...options.concurrency });
  }

  get issuer(): string {
    return this.#options.issuerUrl;
  }

  /** The provider's metadata, fetched once (again after a failure). */
  discover(): Promise<oidc.Configuration> {
    if (!this.#configuration) {
      const { issuerUrl, clientId, clientSecret, timeoutMs } = this.#options;
      const attempt = this.policy.execute(
        async (signal) => {
          try {
            const configuration = await oidc.discovery(new URL(issuerUrl), clientId, clientSecret, oidc.ClientSecretBasic(clientSecret), {
              execute: new URL(issuerUrl).protocol === 'http:' ? [oidc.allowInsecureRequests] : [],
              timeout: Math.max(1, Math.ceil(timeoutMs / 1000)),
              [oidc.customFetch]: (url, init) => this.#fetch(url, { ...init, signal: both(init.signal, signal) }),
            });
            configuration[oidc.customFetch] = this.#fetch;
            configuration.timeout = Math.max(1, Math.ceil(timeoutMs / 1000));
            return configuration;
          } catch (error) {
            throw unavailable(error);
          }
        },
        { idempotent: true },
      );
      this.#configuration = attempt;
      attempt.catch(() => {
        if (this.#configuration === attempt) this.#configuration = undefined;
      });
    }
    return this.#configuration;
  }

  /** The authorization URL to send the citizen to, with PKCE (S256), state and nonce. */
  async authorizationUrl(input: { redirectUri: string; scope?: string; acrValues?: string }): Promise<AuthorizationRequest> {
    const configuration = await this.discover();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(configuration, {
      redirect_uri: input.redirectUri,
      scope: input.scope ?? 'openid profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
      ...(input.acrValues ? { acr_values: input.acrValues } : {}),
    });
    return { url, state, nonce, codeVerifier };
  }

  /**
   * Exchanges the code of a callback URL for tokens, checking state and PKCE (openid-client), then
   * verifies the ID token by the hub's own rules (`verifyIdToken`).
   */
  async exchangeCode(callbackUrl: string, request: Omit<AuthorizationRequest, 'url'>): Promise<TokenSet> {
    const configuration = await this.discover();
    // Not idempotent: a code is single-use, a second attempt would be refused (or look like a replay).
    const tokens = await this.policy.execute(
      async () => {
        try {
          return await oidc.authorizationCodeGrant(
            configuration,
            new URL(callbackUrl),
            { pkceCodeVerifier: request.codeVerifier, expectedState: request.state, expectedNonce: request.nonce, idTokenExpected: true },
            undefined,
          );
        } catch (error) {
          // A refused code is the caller's (UNAUTHENTICATED): it does not count against the provider.
          throw this.#exchangeFailure(error);
        }
      },
      { idempotent: false },
    );
    const idToken = tokens.id_token;
    if (!idToken) throw refuse('IDENTITY.INVALID_ID_TOKEN', 'The identity provider returned no ID token.');
    return { idToken, accessToken: tokens.access_token, identity: await this.verifyIdToken(idToken, { nonce: request.nonce }) };
  }

  async verifyIdToken(idToken: string, options: VerifyIdTokenOptions = {}): Promise<VerifiedIdentity> {
    let claims: JWTPayload;
    try {
      claims = decodeJwt(idToken);
    } catch (error) {
      throw refuse('IDENTITY.INVALID_ID_TOKEN', 'The ID token is not a signed JWT.', error);
    }
    // The issuer first: a token of another provider is named as such, not as a bad signature.
    if (claims.iss !== this.#options.issuerUrl) {
      throw refuse('IDENTITY.WRONG_ISSUER', 'The ID token was not issued by the national identity provider this hub trusts.');
    }
    const audiences = [options.audience ?? this.#options.clientId, ...(options.alsoAudiences ?? [])];
    const payload = await this.#verifySignature(idToken, audiences);
    // OpenID Connect Core §2: with several audiences the party it was issued to is azp; it must be one we accept.
    const tokenAudiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    if (payload.azp !== undefined ? !audiences.includes(String(payload.azp)) : tokenAudiences.length > 1) {
      throw refuse('IDENTITY.WRONG_AUDIENCE', 'The ID token was issued for another service (its authorized party).');
    }
    if (options.nonce !== undefined && payload.nonce !== options.nonce) {
      throw refuse('IDENTITY.NONCE_MISMATCH', 'The ID token belongs to another sign-in (its nonce differs).');
    }
    if (!meetsAssurance(payload.acr, this.#options.requiredAcr)) {
      throw refuse(
        'IDENTITY.LOW_ASSURANCE',
        `The sign-in's level of assurance is below ${this.#options.requiredAcr}: the citizen must sign in with a higher-level account.`,
        undefined,
        { acr: typeof payload.acr === 'string' ? payload.acr : null, requiredAcr: this.#options.requiredAcr },
      );
    }
    const subject = parsePersonalId(payload.sub);
    if (!subject.ok) throw refuse('IDENTITY.INVALID_SUBJECT', 'The ID token does not name a valid personal id.');
    const authTime = typeof payload.auth_time === 'number' ? payload.auth_time : payload.iat;
    return {
      personalId: subject.value.personalId,
      name: typeof payload.name === 'string' ? payload.name : null,
      acr: payload.acr as string,
      authTime: new Date((authTime ?? 0) * 1000),
      issuer: this.#options.issuerUrl,
    };
  }

  /** For /readyz: the circuit is not open and the discovery document answers. */
  checkHealth(): Promise<void> {
    return this.policy.probe(new URL('.well-known/openid-configuration', withSlash(this.#options.issuerUrl)), this.#fetch);
  }

  async #verifySignature(
    idToken: string,
    audience: string[],
  ): Promise<JWTPayload & { acr?: unknown; nonce?: unknown; name?: unknown; auth_time?: unknown; azp?: unknown }> {
    const verify = async (set: ReturnType<typeof createLocalJWKSet>) =>
      (
        await jwtVerify(idToken, set, {
          issuer: this.#options.issuerUrl,
          audience,
          algorithms: ALGORITHMS,
          currentDate: this.#clock.now(),
          clockTolerance: this.#options.clockToleranceSeconds ?? 5,
          requiredClaims: ['sub', 'exp', 'iat'],
        })
      ).payload;
    try {
      try {
        return await verify(await this.#keySet(false));
      } catch (error) {
        // A key the provider added since: fetch its keys once more (rotation), at most once a minute.
        if (error instanceof joseErrors.JWKSNoMatchingKey) return await verify(await this.#keySet(true));
        throw error;
      }
    } catch (error) {
      throw this.#verificationFailure(error);
    }
  }

  async #keySet(refresh: boolean): Promise<ReturnType<typeof createLocalJWKSet>> {
    const now = this.#clock.now().getTime();
    if (this.#keys && (!refresh || now - this.#keys.fetchedAt < 60_000)) return this.#keys.set;
    const configuration = await this.discover();
    const jwksUri = configuration.serverMetadata().jwks_uri;
    if (!jwksUri) throw unavailable(new Error('the discovery document names no jwks_uri'));
    const keys = await this.policy.execute(
      async (signal) => {
        try {
          const response = await this.#fetch(jwksUri, { headers: { accept: 'application/json' }, signal });
          if (!response.ok) throw new Error(`JWKS answered ${response.status}`);
          const set = (await response.json()) as JSONWebKeySet;
          if (!Array.isArray(set.keys)) throw new Error('JWKS has no keys');
          return set;
        } catch (error) {
          throw unavailable(error);
        }
      },
      { idempotent: true },
    );
    this.#keys = { set: createLocalJWKSet(keys), fetchedAt: now };
    return this.#keys.set;
  }

  #verificationFailure(error: unknown): unknown {
    if (error instanceof UpstreamUnavailableError) return error;
    if (error instanceof joseErrors.JWTExpired)
      return refuse('IDENTITY.EXPIRED', 'The ID token has expired: the citizen must sign in again.', error);
    if (error instanceof joseErrors.JWTClaimValidationFailed) {
      if (error.claim === 'aud') return refuse('IDENTITY.WRONG_AUDIENCE', 'The ID token was issued for another service.', error);
      if (error.claim === 'iss') return refuse('IDENTITY.WRONG_ISSUER', 'The ID token was not issued by the trusted provider.', error);
    }
    return refuse('IDENTITY.INVALID_ID_TOKEN', 'The ID token is not valid (signature, algorithm or claims).', error);
  }

  #exchangeFailure(error: unknown): unknown {
    if (error instanceof UpstreamUnavailableError || error instanceof UnauthenticatedError) return error;
    const status = (error as { status?: unknown }).status;
    if (error instanceof oidc.ResponseBodyError && typeof status === 'number' && status < 500) {
      return refuse('IDENTITY.INVALID_ID_TOKEN', `The identity provider refused the code (${error.error}).`, error);
    }
    if (error instanceof oidc.AuthorizationResponseError) {
      return refuse('IDENTITY.INVALID_ID_TOKEN', `The sign-in was not completed (${error.error}).`, error);
    }
    return unavailable(error);
  }

  readonly #fetch: UpstreamFetch = (input, init) => {
    const signal = init?.signal ?? AbortSignal.timeout(this.#options.timeoutMs);
    return this.#options.fetch(input, { ...init, signal });
  };
}

/** Aborted when either is (the client's own time limit, the policy's per attempt). */
function both(first: AbortSignal | null | undefined, second: AbortSignal): AbortSignal {
  return first ? AbortSignal.any([first, second]) : second;
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
