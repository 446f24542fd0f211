/**
 * The national identity provider as the domain sees it: an ID token the citizen brought from it,
 * checked (signature by the issuer's published keys, issuer, audience, expiry, nonce, level of
 * assurance, a valid personal id as subject) and turned into who signed in. Implemented by the
 * OpenID Connect relying party in `connectors/identity/`.
 */

/** Why an ID token was refused: the `reason` of the `UNAUTHENTICATED` error. */
export const IDENTITY_REFUSALS = [
  'IDENTITY.INVALID_ID_TOKEN',
  'IDENTITY.WRONG_ISSUER',
  'IDENTITY.WRONG_AUDIENCE',
  'IDENTITY.EXPIRED',
  'IDENTITY.NONCE_MISMATCH',
  'IDENTITY.LOW_ASSURANCE',
  'IDENTITY.INVALID_SUBJECT',
] as const;

export type IdentityRefusal = (typeof IDENTITY_REFUSALS)[number];

/** A citizen the national identity provider vouched for. */
export interface VerifiedIdentity {
  /** The 12-digit personal id (the token's `sub`). */
  personalId: string;
  /** Full name as the provider gave it, when it did. */
  name: string | null;
  /** The level of assurance the sign-in reached (the token's `acr`, e.g. `urn:vneid:loa:2`). */
  acr: string;
  /** When the citizen authenticated (the token's `auth_time`, else its `iat`). */
  authTime: Date;
  /** The issuer that signed the token. */
  issuer: string;
}

export interface VerifyIdTokenOptions {
  /** The audience the token must name; the hub's own client id when absent. */
  audience?: string;
  /**
   * Further audiences accepted besides `audience` (a portal's own client id at the provider, when
   * the portal relays its citizen's ID token). The token's `azp`, when present, must be one of them.
   */
  alsoAudiences?: readonly string[];
  /** The nonce the sign-in was started with; checked when given. */
  nonce?: string;
}

/**
 * Verifies ID tokens. Refusals are `UnauthenticatedError`s with a reason of `IDENTITY_REFUSALS`;
 * a provider that cannot be reached (discovery, keys) is an `UpstreamUnavailableError`.
 */
export interface IdentityVerifier {
  verifyIdToken(idToken: string, options?: VerifyIdTokenOptions): Promise<VerifiedIdentity>;
}
