import { createHash } from 'node:crypto';
import { deriveKey, KEY_PURPOSES } from './key-derivation';

const SECRET = 'a-hub-secret-of-at-least-32-characters';

describe('keys derived per purpose from HUB_SECRET (HKDF-SHA256)', () => {
  it('gives each purpose its own 32-byte key, none equal to the secret or another purpose', () => {
    const keys = KEY_PURPOSES.map((purpose) => deriveKey(SECRET, purpose).toString('hex'));
    expect(keys.map((k) => k.length)).toEqual([64, 64, 64, 64, 64]);
    expect(new Set(keys).size).toBe(5);
    expect(keys).not.toContain(Buffer.from(SECRET).toString('hex'));
    expect(keys).not.toContain(createHash('sha256').update(SECRET).digest('hex'));
  });

  it('is stable: the same secret and purpose give the same key (known answers)', () => {
    // Pinned: a change here would make every sealed key and every chain link unreadable.
    expect(Object.fromEntries(KEY_PURPOSES.map((purpose) => [purpose, deriveKey(SECRET, purpose).toString('hex').slice(0, 16)]))).toEqual(
      PINNED,
    );
  });

  it('changes with the secret and with the version', () => {
    expect(deriveKey(`${SECRET}!`, 'audit-chain')).not.toEqual(deriveKey(SECRET, 'audit-chain'));
    expect(deriveKey(SECRET, 'audit-chain', 2)).not.toEqual(deriveKey(SECRET, 'audit-chain', 1));
  });

  it('refuses a purpose it does not know', () => {
    expect(() => deriveKey(SECRET, 'everything' as never)).toThrow('unknown key purpose "everything"');
  });
});

const PINNED = {
  'token-sealing': 'f492e98004eef225',
  pseudonym: 'c8563955eb7f99a7',
  'audit-chain': 'dea87447f7a5510d',
  'consent-subject': '7787a55fe56a5958',
  'citizen-session': 'b2116c1cef5edb8e',
};
