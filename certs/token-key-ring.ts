import { randomUUID } from 'node:crypto';
import {
  createLocalJWKSet,
  decodeProtectedHeader,
  errors as joseErrors,
  exportJWK,
  generateKeyPair,
  importJWK,
  jwtVerify,
  SignJWT,
  type JWK,
  type JWTPayload,
} from 'jose';
import { systemClock, type Clock } from '../domain/clock';
import { UnauthenticatedError } from '../domain/errors';
import { SecretBox } from './secret-box';

/** A signing key as stored: the public half in clear, the private half sealed. */
export interface StoredSigningKey {
  kid: string;
  alg: string;
  publicJwk: JWK;
  encryptedPrivateKey: string;
  activatedAt: Date | null;
  retiredAt: Date | null;
}

/** Where keys live (the store implements it); the ring never hands private keys out. */
export interface SigningKeyRepository {
  list(): Promise<StoredSigningKey[]>;
  insert(key: StoredSigningKey): Promise<void>;
  activate(kid: string, at: Date): Promise<void>;
  retire(kid: string, at: Date): Promise<void>;
}

export interface TokenSettings {
  issuer: string;
  audience: string;
  ttlSeconds: number;
}

/** ES256: fast to sign and verify with native crypto, compact, and what the JWKS advertises. */
const ALG = 'ES256';
/** Seconds of clock skew accepted on `exp` and `nbf`. */
const CLOCK_TOLERANCE_SECONDS = 30;
/** Tokens whose signature is remembered as checked, at most (each is a few hundred bytes). */
const VERIFIED_TOKENS_MAX = 10_000;

/** jose's time checks (exp, nbf, with the tolerance), for a token whose signature was already checked. */
function withinTime(payload: JWTPayload, now: Date): boolean {
  const seconds = Math.floor(now.getTime() / 1000);
  if (typeof payload.exp !== 'number' || payload.exp <= seconds - CLOCK_TOLERANCE_SECONDS) return false;
  return typeof payload.nbf !== 'number' || payload.nbf <= seconds + CLOCK_TOLERANCE_SECONDS;
}

/**
 * The hub's token signing keys: one active key signs, every unretired key verifies (so tokens
 * survive a rotation), the public halves are the JWKS.
 */
export class TokenKeyRing {
  private readonly box: SecretBox;
  /**
   * The unretired keys, their verifier, and the tokens already verified with them: a token's signature
   * is checked once per key set (the set is read again every minute, and dropped on rotate or retire),
   * its time claims on every use.
   */
  private cache:
    | {
        keys: StoredSigningKey[];
        verifier: ReturnType<typeof createLocalJWKSet>;
        loadedAt: number;
        verified: Map<string, Readonly<JWTPayload & { sub: string }>>;
      }
    | undefined;
  /** Every key the hub ever had, by kid, for statements: imported once, not on every check. */
  private statementKeys: { byKid: Map<string, ReturnType<typeof createLocalJWKSet>>; loadedAt: number } | undefined;

  constructor(
    private readonly repository: SigningKeyRepository,
    hubSecret: string,
    private readonly settings: TokenSettings,
    private readonly clock: Clock = systemClock,
  ) {
    // Its own HKDF key (token-sealing); keys sealed under the first scheme still open (SecretBox).
    this.box = new SecretBox(hubSecret, 'token-sealing');
  }

  private now(): Date {
    return this.clock.now();
  }

  private async keys(refresh = false): Promise<StoredSigningKey[]> {
    if (!refresh && this.cache && this.now().getTime() - this.cache.loadedAt < 60_000) return this.cache.keys;
    const keys = (await this.repository.list()).filter((k) => !k.retiredAt);
    // One key set per load: jose imports each key once per set, so a set per request would re-import it.
    this.cache = {
      keys,
      verifier: createLocalJWKSet({ keys: keys.map((k) => k.publicJwk) }),
      loadedAt: this.now().getTime(),
      verified: new Map(),
    };
    return keys;
  }

  private async verifier(refresh: boolean): Promise<ReturnType<typeof createLocalJWKSet>> {
    await this.keys(refresh);
    return this.cache!.verifier;
  }

  /** The key set of one kid for statements; the keys are read again when the kid is unknown or after a minute. */
  private async statementKey(kid: string | undefined): Promise<ReturnType<typeof createLocalJWKSet> | undefined> {
    if (kid === undefined) return undefined;
    const fresh = this.statementKeys && this.now().getTime() - this.statementKeys.loadedAt < 60_000;
    if (!fresh || !this.statementKeys!.byKid.has(kid)) {
      const byKid = new Map((await this.repository.list()).map((k) => [k.kid, createLocalJWKSet({ keys: [k.publicJwk] })] as const));
      this.statementKeys = { byKid, loadedAt: this.now().getTime() };
    }
    return this.statementKeys!.byKid.get(kid);
  }

  /** Creates and activates a new signing key; the previous ones keep verifying until retired. */
  async rotate(): Promise<string> {
    const { publicKey, privateKey } = await generateKeyPair(ALG, { extractable: true });
    const kid = `${this.now().toISOString().slice(0, 10)}-${randomUUID().slice(0, 8)}`;
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: ALG, use: 'sig' };
    const privateJwk = await exportJWK(privateKey);
    await this.repository.insert({
      kid,
      alg: ALG,
      publicJwk,
      encryptedPrivateKey: this.box.seal(JSON.stringify(privateJwk)),
      activatedAt: null,
      retiredAt: null,
    });
    await this.repository.activate(kid, this.now());
    this.cache = undefined;
    return kid;
  }

  async retire(kid: string): Promise<void> {
    await this.repository.retire(kid, this.now());
    this.cache = undefined;
  }

  /** Makes sure a key exists (first start). */
  async ensureKey(): Promise<void> {
    if (!(await this.active())) await this.rotate();
  }

  private async active(): Promise<StoredSigningKey | undefined> {
    const keys = await this.keys();
    return keys.filter((k) => k.activatedAt).sort((a, b) => b.activatedAt!.getTime() - a.activatedAt!.getTime())[0];
  }

  async jwks(): Promise<{ keys: JWK[] }> {
    return { keys: (await this.keys()).map((k) => k.publicJwk) };
  }

  /** Signs an access token for a client; returns it with its lifetime. */
  async issue(subject: string, claims: JWTPayload): Promise<{ token: string; expiresIn: number }> {
    const key = await this.active();
    if (!key) throw new Error('no active token signing key (run: npm run hub -- keys rotate)');
    const privateKey = await importJWK(JSON.parse(this.box.open(key.encryptedPrivateKey)) as JWK, ALG);
    const issuedAt = Math.floor(this.now().getTime() / 1000);
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: ALG, kid: key.kid, typ: 'at+jwt' })
      .setIssuer(this.settings.issuer)
      .setAudience(this.settings.audience)
      .setSubject(subject)
      .setIssuedAt(issuedAt)
      .setNotBefore(issuedAt)
      .setExpirationTime(issuedAt + this.settings.ttlSeconds)
      .setJti(randomUUID())
      .sign(privateKey);
    return { token, expiresIn: this.settings.ttlSeconds };
  }

  /**
   * Verifies an access token: our signature (ES256 only: no `none`, no HMAC confusion), our issuer
   * and audience, not expired, not before its time. Any failure is UNAUTHENTICATED.
   */
  async verify(token: string): Promise<JWTPayload & { sub: string }> {
    await this.keys();
    const set = this.cache;
    const known = set?.verified.get(token);
    if (known && withinTime(known, this.now())) return known;
    const payload = await this.verifySignature(token);
    // Remembered only in the key set it was checked against, if that set is still the current one.
    const verified = this.cache === set ? set?.verified : undefined;
    if (verified) {
      // Bounded: the oldest verification goes first (a Map keeps insertion order).
      if (verified.size >= VERIFIED_TOKENS_MAX) verified.delete(verified.keys().next().value!);
      verified.set(token, Object.freeze(payload));
    }
    return payload;
  }

  private async verifySignature(token: string): Promise<JWTPayload & { sub: string }> {
    const attempt = async (refresh: boolean) =>
      jwtVerify(token, await this.verifier(refresh), {
        algorithms: [ALG],
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        typ: 'at+jwt',
        requiredClaims: ['sub', 'exp', 'iat', 'jti'],
        currentDate: this.now(),
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      });
    try {
      let result;
      try {
        result = await attempt(false);
      } catch (error) {
        // A key rotated on another replica: reload once.
        if ((error as { code?: string }).code !== 'ERR_JWKS_NO_MATCHING_KEY') throw error;
        result = await attempt(true);
      }
      return result.payload as JWTPayload & { sub: string };
    } catch (error) {
      const code = (error as { code?: string }).code ?? '';
      const why =
        code === 'ERR_JWT_EXPIRED'
          ? 'has expired'
          : code === 'ERR_JWT_CLAIM_VALIDATION_FAILED'
            ? 'was not issued for this hub'
            : 'is not valid';
      throw new UnauthenticatedError(`The access token ${why}. Get a new one from POST /oauth/token.`, {
        reason: `AUTH.TOKEN_${code.replace(/^ERR_/, '') || 'INVALID'}`,
      });
    }
  }

  /**
   * Signs a statement of the hub that is not an access token (e.g. a processing-log checkpoint):
   * a JWS with the active key, its own `typ` (so it can never pass as a token), verifiable by anyone
   * against /.well-known/jwks.json.
   */
  async signStatement(typ: string, claims: JWTPayload): Promise<{ jws: string; kid: string }> {
    const key = await this.active();
    if (!key) throw new Error('no active token signing key (run: npm run hub -- keys rotate)');
    const privateKey = await importJWK(JSON.parse(this.box.open(key.encryptedPrivateKey)) as JWK, ALG);
    const jws = await new SignJWT(claims)
      .setProtectedHeader({ alg: ALG, kid: key.kid, typ })
      .setIssuer(this.settings.issuer)
      .setIssuedAt(Math.floor(this.now().getTime() / 1000))
      .sign(privateKey);
    return { jws, kid: key.kid };
  }

  /**
   * Checks a statement signed by `signStatement`: our signature with any key the hub ever had
   * (retired ones too: a statement outlives the key that signed it), our issuer, its `typ`.
   * Undefined when it does not verify. `allowExpired`: a statement whose `exp` passed still returns
   * its (verified) claims, for callers that answer an expiry with a reason of their own.
   */
  async verifyStatement(typ: string, jws: string, options: { allowExpired?: boolean } = {}): Promise<JWTPayload | undefined> {
    try {
      const key = await this.statementKey(decodeProtectedHeader(jws).kid);
      if (!key) return undefined;
      const { payload } = await jwtVerify(jws, key, {
        algorithms: [ALG],
        issuer: this.settings.issuer,
        typ,
        currentDate: this.now(),
      });
      return payload;
    } catch (error) {
      // jose checks the signature before the claims: an expired statement's payload is ours.
      if (options.allowExpired && error instanceof joseErrors.JWTExpired) return error.payload;
      return undefined;
    }
  }
}
