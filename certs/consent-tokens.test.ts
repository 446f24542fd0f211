import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { ConsentRecord } from '../domain/consent/consent';
import { CHECKPOINT_TYP } from './processing-log-keys';
import { CONSENT_TYP, ConsentTokens } from './consent-tokens';
import { MemorySigningKeys } from './memory-signing-keys';
import { TokenKeyRing } from './token-key-ring';

const SECRET = 'a-hub-secret-of-at-least-32-characters';
const settings = { issuer: 'urn:onestop-hub', audience: 'onestop-hub', ttlSeconds: 300 };

const record: ConsentRecord = {
  id: 'c-1',
  subjectPseudonym: 'ps1:abc',
  clientId: 'portal-a',
  attributes: ['population.fullName'],
  purpose: 'prefill:1.001193',
  procedureCode: '1.001193',
  issuedAt: new Date('2026-12-01T00:00:00Z'),
  notAfter: new Date('2026-12-31T00:00:00Z'),
  dataLifeSeconds: 3_600,
  status: 'GRANTED',
  revokedAt: null,
};

async function setUp(now: Date) {
  let clock = now;
  const ring = new TokenKeyRing(new MemorySigningKeys(), SECRET, settings, { now: () => clock });
  await ring.ensureKey();
  return { ring, tokens: new ConsentTokens(ring), setNow: (d: Date) => (clock = d) };
}

const payloadOf = (jws: string) => JSON.parse(Buffer.from(jws.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('consent tokens', () => {
  it('a token carries the artefact and verifies to the same claims, the personal id nowhere', async () => {
    const { tokens } = await setUp(new Date('2026-12-03T00:00:00Z'));
    const token = await tokens.sign(record);
    expect(payloadOf(token)).toMatchObject({ jti: 'c-1', sub: 'ps1:abc', azp: 'portal-a', client_id: 'portal-a', data_life: 3_600 });
    expect(await tokens.verify(token)).toEqual({
      consentId: 'c-1',
      subjectPseudonym: 'ps1:abc',
      clientId: 'portal-a',
      attributes: ['population.fullName'],
      purpose: 'prefill:1.001193',
      procedureCode: '1.001193',
      notAfter: record.notAfter,
    });
  });

  it('expired consent: its claims still verify so the record can answer CONSENT.EXPIRED', async () => {
    const { tokens, setNow } = await setUp(new Date('2026-12-03T00:00:00Z'));
    const token = await tokens.sign(record);
    setNow(new Date('2027-02-01T00:00:00Z'));
    expect(await tokens.verify(token)).toMatchObject({ consentId: 'c-1' });
  });

  it('forged consent (other key): refused', async () => {
    const { tokens } = await setUp(new Date('2026-12-03T00:00:00Z'));
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const kid = (await exportJWK(publicKey)).x!;
    const forged = await new SignJWT(payloadOf(await tokens.sign(record)))
      .setProtectedHeader({ alg: 'ES256', kid, typ: CONSENT_TYP })
      .sign(privateKey);
    expect(await tokens.verify(forged)).toBeUndefined();
  });

  it('alg none consent: refused', async () => {
    const { tokens } = await setUp(new Date('2026-12-03T00:00:00Z'));
    const token = await tokens.sign(record);
    const unsigned = `${part({ alg: 'none', typ: CONSENT_TYP })}.${token.split('.')[1]}.`;
    expect(await tokens.verify(unsigned)).toBeUndefined();
  });

  it('altered consent (attributes added to the payload): refused', async () => {
    const { tokens } = await setUp(new Date('2026-12-03T00:00:00Z'));
    const [header, , signature] = (await tokens.sign(record)).split('.');
    const altered = `${header}.${part({ ...payloadOf(await tokens.sign(record)), attributes: ['population.fullName', 'land.parcels'] })}.${signature}`;
    expect(await tokens.verify(altered)).toBeUndefined();
  });

  it('typ confusion: a checkpoint or an access token never passes as a consent, nor a consent as a token', async () => {
    const { ring, tokens } = await setUp(new Date('2026-12-03T00:00:00Z'));
    const { jws: checkpoint } = await ring.signStatement(CHECKPOINT_TYP, { ...payloadOf(await tokens.sign(record)) });
    expect(await tokens.verify(checkpoint)).toBeUndefined();
    const { token: accessToken } = await ring.issue('portal-a', { scope: 'dossier:submit' });
    expect(await tokens.verify(accessToken)).toBeUndefined();
    await expect(ring.verify(await tokens.sign(record))).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
