/**
 * The national identity provider, as the hub sees it: it verifies a citizen's ID token (signature,
 * issuer, audience, expiry, level of assurance) and says who signed in. Failures are UNAUTHENTICATED
 * errors with a namespaced reason.
 */
export interface VerifiedIdentity {
  /** The 12-digit personal id (the token's `sub`). */
  personalId: string;
  name: string;
  /** The level of assurance the provider reached. */
  acr: string;
  authTime: Date;
}

export interface IdTokenVerifyOptions {
  /** The lowest level of assurance accepted. */
  minimumAcr?: string;
}

export interface IdentityVerifier {
  verifyIdToken(idToken: string, options?: IdTokenVerifyOptions): Promise<VerifiedIdentity>;
}
