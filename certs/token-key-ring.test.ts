import { MemorySigningKeys } from './memory-signing-keys';
import { TokenKeyRing } from './token-key-ring';

const SECRET = 'a-hub-secret-of-at-least-32-characters';
const settings = { issuer: 'urn:onestop-hub', audience: 'onestop-hub', ttlSeconds: 300 };
const TYP = 'test-statement+jwt';

/** Counts the reads of the stored keys: a check on every request must not cost one. */
class CountingKeys extends MemorySigningKeys {
  reads = 0;
  override async list() {
    this.reads += 1;
    return super.list();
  }
}

describe('token key ring: keys read and imported once, not per check', () => {
  it('statements and access tokens verify many times with the keys read once', async () => {
    const repository = new CountingKeys();
    const ring = new TokenKeyRing(repository, SECRET, settings);
    await ring.ensureKey();
    const { jws } = await ring.signStatement(TYP, { n: 1 });
    const { token } = await ring.issue('demo-portal', { scope: 'dossier:submit' });
    await ring.verifyStatement(TYP, jws);
    await ring.verify(token);
    const reads = repository.reads;
    for (let i = 0; i < 5; i += 1) {
      expect(await ring.verifyStatement(TYP, jws)).toMatchObject({ n: 1 });
      expect(await ring.verify(token)).toMatchObject({ sub: 'demo-portal' });
    }
    expect(repository.reads).toBe(reads);
  });

  it('a key rotated in by another replica after the keys were read: its statements verify (unknown kid → read again)', async () => {
    const repository = new MemorySigningKeys();
    const here = new TokenKeyRing(repository, SECRET, settings);
    await here.ensureKey();
    await here.verifyStatement(TYP, (await here.signStatement(TYP, { n: 1 })).jws);
    const elsewhere = new TokenKeyRing(repository, SECRET, settings);
    await elsewhere.rotate();
    const { jws, kid } = await elsewhere.signStatement(TYP, { n: 2 });
    expect(repository.keys.map((k) => k.kid)).toContain(kid);
    expect(await here.verifyStatement(TYP, jws)).toMatchObject({ n: 2 });
  });

  it('a retired key still verifies the statements it signed, cached or not', async () => {
    const repository = new MemorySigningKeys();
    const ring = new TokenKeyRing(repository, SECRET, settings);
    await ring.ensureKey();
    const { jws, kid } = await ring.signStatement(TYP, { n: 3 });
    expect(await ring.verifyStatement(TYP, jws)).toMatchObject({ n: 3 });
    await ring.rotate();
    await ring.retire(kid);
    expect(await ring.verifyStatement(TYP, jws)).toMatchObject({ n: 3 });
    expect(await new TokenKeyRing(repository, SECRET, settings).verifyStatement(TYP, jws)).toMatchObject({ n: 3 });
  });

  it('a statement naming a kid the hub never had, or none, does not verify', async () => {
    const repository = new MemorySigningKeys();
    const ring = new TokenKeyRing(repository, SECRET, settings);
    await ring.ensureKey();
    const { jws } = await ring.signStatement(TYP, { n: 4 });
    const [header, payload, signature] = jws.split('.');
    const parsed = JSON.parse(Buffer.from(header!, 'base64url').toString()) as Record<string, unknown>;
    const withHeader = (h: Record<string, unknown>) => `${Buffer.from(JSON.stringify(h)).toString('base64url')}.${payload}.${signature}`;
    expect(await ring.verifyStatement(TYP, withHeader({ ...parsed, kid: 'never-ours' }))).toBeUndefined();
    const { kid: _kid, ...noKid } = parsed;
    expect(await ring.verifyStatement(TYP, withHeader(noKid))).toBeUndefined();
  });
});

describe('token key ring: a token whose signature was checked once', () => {
  it('is refused once its key is retired, although it verified before', async () => {
    const ring = new TokenKeyRing(new MemorySigningKeys(), SECRET, settings);
    await ring.ensureKey();
    const { token } = await ring.issue('demo-portal', { scope: 'dossier:submit' });
    await ring.verify(token);
    const [header] = token.split('.');
    const { kid } = JSON.parse(Buffer.from(header!, 'base64url').toString()) as { kid: string };
    await ring.rotate();
    await ring.retire(kid);
    await expect(ring.verify(token)).rejects.toMatchObject({ reason: 'AUTH.TOKEN_JWKS_NO_MATCHING_KEY' });
  });

  it('is refused once it has expired, although it verified before (the clock is set, not waited for)', async () => {
    let now = new Date('2026-03-01T08:00:00Z');
    const ring = new TokenKeyRing(new MemorySigningKeys(), SECRET, settings, { now: () => now });
    await ring.ensureKey();
    const { token } = await ring.issue('demo-portal', { scope: 'dossier:submit' });
    expect(await ring.verify(token)).toMatchObject({ sub: 'demo-portal' });
    now = new Date(now.getTime() + (settings.ttlSeconds + 31) * 1000);
    await expect(ring.verify(token)).rejects.toMatchObject({ reason: 'AUTH.TOKEN_JWT_EXPIRED' });
  });

  it('a token altered by one character is checked again and refused', async () => {
    const ring = new TokenKeyRing(new MemorySigningKeys(), SECRET, settings);
    await ring.ensureKey();
    const { token } = await ring.issue('demo-portal', { scope: 'dossier:submit' });
    await ring.verify(token);
    // A character inside the signature (the last one may carry only padding bits).
    const at = token.length - 10;
    const altered = `${token.slice(0, at)}${token[at] === 'A' ? 'B' : 'A'}${token.slice(at + 1)}`;
    await expect(ring.verify(altered)).rejects.toMatchObject({ reason: expect.stringMatching(/^AUTH\.TOKEN_/) });
  });
});
