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
