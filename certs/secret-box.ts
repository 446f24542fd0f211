import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { deriveKey } from './key-derivation';

/** What a box seals: each purpose its own HKDF key (certs/key-derivation.ts). */
export type SealingPurpose = 'token-sealing' | 'consent-subject' | 'citizen-session';

/** The scrypt salts of the first scheme (`v1.`), kept only to open what it sealed (later purposes never had one). */
const LEGACY_SALTS: Partial<Record<SealingPurpose, string>> = { 'token-sealing': 'onestop-hub:token-signing-keys' };

/**
 * Encrypts key material at rest (AES-256-GCM) under a key derived from the hub's secret, so a
 * database dump alone never yields a private key. Boxes are versioned: `v2.` (what `seal` writes)
 * uses the HKDF key of the purpose; `v1.` boxes, sealed before under a scrypt key, still open.
 */
export class SecretBox {
  private readonly key: Buffer;
  private legacyKey: Buffer | undefined;

  constructor(
    private readonly secret: string,
    private readonly purpose: SealingPurpose,
  ) {
    this.key = deriveKey(secret, purpose);
  }

  seal(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `v2.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
  }

  /** Whether a box was sealed under the current scheme (else: open it and seal it again). */
  static isCurrent(sealed: string): boolean {
    return sealed.startsWith('v2.');
  }

  open(sealed: string): string {
    const [version, encoded] = sealed.split('.', 2);
    const key = version === 'v2' ? this.key : version === 'v1' && LEGACY_SALTS[this.purpose] ? this.legacy() : undefined;
    if (!key || encoded === undefined) throw new Error(`not a sealed box of a known version (${version ?? 'none'})`);
    const raw = Buffer.from(encoded, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }

  // scrypt is slow on purpose: only paid when a v1 box is opened.
  private legacy(): Buffer {
    this.legacyKey ??= scryptSync(this.secret, LEGACY_SALTS[this.purpose]!, 32);
    return this.legacyKey;
  }
}
