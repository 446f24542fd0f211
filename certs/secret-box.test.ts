import { createCipheriv, randomBytes, scryptSync } from 'node:crypto';
import { SecretBox } from './secret-box';

const SECRET = 'a-hub-secret-of-at-least-32-characters';

/** A box exactly as the first scheme sealed it: AES-256-GCM under scrypt(HUB_SECRET, purpose salt). */
function sealedByFirstScheme(plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', scryptSync(SECRET, 'onestop-hub:token-signing-keys', 32), iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `v1.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
}

describe('SecretBox', () => {
  it('seals under the HKDF key (v2) and opens what it sealed', () => {
    const box = new SecretBox(SECRET, 'token-sealing');
    const sealed = box.seal('{"d":"private"}');
    expect(sealed).toMatch(/^v2\./);
    expect(SecretBox.isCurrent(sealed)).toBe(true);
    expect(box.open(sealed)).toBe('{"d":"private"}');
  });

  it('existing deployments: a token key sealed under the first scheme (v1, scrypt) still opens', () => {
    const sealed = sealedByFirstScheme('{"d":"old"}');
    expect(SecretBox.isCurrent(sealed)).toBe(false);
    expect(new SecretBox(SECRET, 'token-sealing').open(sealed)).toBe('{"d":"old"}');
  });

  it('does not open under another secret, nor a box of unknown version', () => {
    const sealed = new SecretBox(SECRET, 'token-sealing').seal('x');
    expect(() => new SecretBox(`${SECRET}!`, 'token-sealing').open(sealed)).toThrow();
    expect(() => new SecretBox(SECRET, 'token-sealing').open(sealed.replace(/^v2/, 'v9'))).toThrow('known version (v9)');
  });
});
