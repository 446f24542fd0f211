import { createCipheriv, randomBytes, scryptSync } from 'node:crypto';
import { exportJWK, generateKeyPair } from 'jose';
import { MemorySigningKeys } from './memory-signing-keys';
import { TokenKeyRing } from './token-key-ring';

const SECRET = 'a-hub-secret-of-at-least-32-characters';
const settings = { issuer: 'urn:onestop-hub', audience: 'onestop-hub', ttlSeconds: 300 };

/** Sealed exactly as the first scheme did: AES-256-GCM under scrypt(HUB_SECRET, 'onestop-hub:token-signing-keys'). */
function sealV1(plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', scryptSync(SECRET, 'onestop-hub:token-signing-keys', 32), iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `v1.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
}

describe('token signing keys sealed at rest', () => {
  it('existing deployments: a key sealed under the first scheme still signs tokens that verify', async () => {
    const repository = new MemorySigningKeys();
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    await repository.insert({
      kid: 'old-key',
      alg: 'ES256',
      publicJwk: { ...(await exportJWK(publicKey)), kid: 'old-key', alg: 'ES256', use: 'sig' },
      encryptedPrivateKey: sealV1(JSON.stringify(await exportJWK(privateKey))),
      activatedAt: new Date('2026-01-01T00:00:00Z'),
      retiredAt: null,
    });
    const ring = new TokenKeyRing(repository, SECRET, settings);
    const { token } = await ring.issue('demo-district', { scope: 'dossier:read' });
    expect(await ring.verify(token)).toMatchObject({ sub: 'demo-district', scope: 'dossier:read' });
  });

  it('new keys are sealed under the HKDF token-sealing key (v2), never with the secret itself', async () => {
    const repository = new MemorySigningKeys();
    await new TokenKeyRing(repository, SECRET, settings).rotate();
    expect(repository.keys.map((k) => k.encryptedPrivateKey.slice(0, 3))).toEqual(['v2.']);
    expect(repository.keys[0]!.encryptedPrivateKey).not.toContain(SECRET);
  });

  it('statements are signed with their own typ and never pass as an access token', async () => {
    const ring = new TokenKeyRing(new MemorySigningKeys(), SECRET, settings);
    await ring.ensureKey();
    const { jws } = await ring.signStatement('audit-checkpoint+jwt', { sub: 'processing-log', count: 3 });
    expect(await ring.verifyStatement('audit-checkpoint+jwt', jws)).toMatchObject({
      sub: 'processing-log',
      count: 3,
      iss: 'urn:onestop-hub',
    });
    expect(await ring.verifyStatement('other+jwt', jws)).toBeUndefined();
    await expect(ring.verify(jws)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
