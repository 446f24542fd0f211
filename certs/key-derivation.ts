import { hkdfSync } from 'node:crypto';

/**
 * What a key derived from `HUB_SECRET` is for. One key per purpose: a key that leaks through one
 * use (a pseudonym table, a sealed token key) gives nothing for the others.
 */
export const KEY_PURPOSES = ['token-sealing', 'pseudonym', 'audit-chain', 'consent-subject', 'citizen-session'] as const;
export type KeyPurpose = (typeof KEY_PURPOSES)[number];

/** Fixed and public (RFC 5869 §3.1: a salt need not be secret); changing it changes every key. */
const SALT = 'onestop-hub/hub-secret/v1';

/**
 * The 256-bit key for one purpose: HKDF-SHA256 over `HUB_SECRET`, the purpose and version in the
 * `info` (RFC 5869), so the same secret always gives the same key and each purpose another one.
 */
export function deriveKey(hubSecret: string, purpose: KeyPurpose, version = 1): Buffer {
  if (!(KEY_PURPOSES as readonly string[]).includes(purpose)) throw new Error(`unknown key purpose "${purpose}"`);
  return Buffer.from(hkdfSync('sha256', Buffer.from(hubSecret, 'utf8'), SALT, `onestop-hub:${purpose}:v${version}`, 32));
}
