import { registerConsentPurpose } from '../../support/hub-fixtures';
import { FixedClock } from '../../../domain/clock';
import type { ConsentAttribute } from '../../../domain/consent/consent';
import { generateCitizen } from '../../../connectors/population/simulator/citizen-generator';
import { TEST_SIMULATOR_SEED } from '../../support/environment';
import { seedTestDemo, startTestHub, type TestHub } from '../../support/test-hub';

const LAND = '1.013978';
const PORTAL = 'demo-portal';
const DAY = 86_400_000;
const ATTRIBUTES: ConsentAttribute[] = ['population.fullName', 'land.parcels'];

const PREFILL = `query($p: String!, $t: String!) {
  prefill(procedureCode: $p, consentToken: $t) { field value retrievedAt keepUntil reason }
}`;
const CITIZEN = `query($id: String!, $t: String) { citizen(personalId: $id, consentToken: $t) { fullName } }`;
const PARCEL = `query($c: String!, $m: Int!, $n: Int!, $t: String) {
  landParcel(communeCode: $c, mapSheetNumber: $m, parcelNumber: $n, consentToken: $t) { areaM2 }
}`;

interface Field {
  field: string;
  value: string | null;
  retrievedAt: string | null;
  keepUntil: string | null;
  reason: string | null;
}

/**
 * A consent's data life made effective where the hub can: each prefilled value says until when it
 * may be kept, answers carry Cache-Control: no-store, and a registry answer the hub cached is not
 * served under a consent once older than its data life.
 */
describe('data life of a consent', () => {
  let hub: TestHub;
  // The hub's clock: cached answers age when it moves, without waiting.
  const clock = new FixedClock(new Date());
  let owner: { personalId: string; parcel: { communeCode: string; mapSheetNumber: number; parcelNumber: number } };

  const consent = async (dataLifeSeconds: number) =>
    (
      await hub.services.consents.grant({
        personalId: owner.personalId,
        clientId: PORTAL,
        attributes: ATTRIBUTES,
        purpose: `prefill:${LAND}`,
        procedureCode: LAND,
        notAfter: new Date(clock.now().getTime() + 30 * DAY),
        dataLifeSeconds,
        requestId: null,
      })
    ).token;
  const prefill = async (token: string) => {
    const result = await hub.graphql<{ prefill: Field[] }>(PREFILL, { p: LAND, t: token }, { as: PORTAL });
    expect(result.body.errors).toBeUndefined();
    return { headers: result.headers, fields: result.body.data!.prefill };
  };
  const fullName = (fields: Field[]) => fields.find((f) => f.field === 'landUser.fullName')!;

  beforeAll(async () => {
    // A registry cache far longer than any data life below.
    hub = await startTestHub('data_life', { REGISTRY_CACHE_TTL_SECONDS: '3600' }, { clock });
    await seedTestDemo(hub.services);
    await registerConsentPurpose(hub.services, PORTAL, `prefill:${LAND}`, ATTRIBUTES);
    // A citizen holding a parcel at the test land registry.
    for (let index = 0; !owner && index < 500; index += 1) {
      const { personalId } = generateCitizen(TEST_SIMULATOR_SEED, index);
      const parcels = await hub.land.findParcelsByOwner(personalId);
      const held = parcels.find((p) => p.owners.some((o) => o.ownerKind === 'CITIZEN' && o.ownerId === personalId));
      if (held) owner = { personalId, parcel: held };
    }
    expect(owner).toBeDefined();
  });

  afterAll(async () => {
    await hub?.dispose();
  });

  it('each prefilled value carries keepUntil = retrievedAt + data life; null on fields without a value', async () => {
    hub.population.clearCache();
    const { fields } = await prefill(await consent(600));
    const filled = fields.filter((f) => f.value !== null);
    expect(filled.length).toBeGreaterThan(0);
    for (const f of filled) expect(Date.parse(f.keepUntil!) - Date.parse(f.retrievedAt!)).toBe(600_000);
    expect(fields.filter((f) => f.value === null).every((f) => f.keepUntil === null)).toBe(true);
  });

  it('prefill, and citizen and landParcel under a consent, answer with Cache-Control: no-store', async () => {
    const token = await consent(600);
    expect((await prefill(token)).headers.get('cache-control')).toBe('no-store');
    const citizen = await hub.graphql(CITIZEN, { id: owner.personalId, t: token }, { as: PORTAL });
    expect(citizen.body.errors).toBeUndefined();
    expect(citizen.headers.get('cache-control')).toBe('no-store');
    const { communeCode: c, mapSheetNumber: m, parcelNumber: n } = owner.parcel;
    const parcel = await hub.graphql(PARCEL, { c, m, n, t: token }, { as: PORTAL });
    expect(parcel.body.errors).toBeUndefined();
    expect(parcel.headers.get('cache-control')).toBe('no-store');
  });

  it('a cached registry answer serves a consent read only while younger than its data life; retrievedAt is when the hub read it', async () => {
    hub.population.clearCache();
    const long = await consent(3_600);
    const minute = await consent(60);
    const first = fullName((await prefill(long)).fields);
    const calls = hub.population.calls;
    // From the cache: the registry is not asked again, and the value says when it was read.
    clock.advance(30_000);
    const again = fullName((await prefill(minute)).fields);
    expect(hub.population.calls).toBe(calls);
    expect(again.retrievedAt).toBe(first.retrievedAt);
    expect(Date.parse(again.keepUntil!)).toBe(Date.parse(first.retrievedAt!) + 60_000);
    // Older than a minute now: a consent of a minute reads the registry; one of an hour may still use the cache.
    clock.advance(31_000);
    const fresh = fullName((await prefill(minute)).fields);
    expect(hub.population.calls).toBe(calls + 1);
    expect(fresh.retrievedAt).toBe(clock.now().toISOString());
    clock.advance(1_000);
    expect(fullName((await prefill(long)).fields).retrievedAt).toBe(fresh.retrievedAt);
    expect(hub.population.calls).toBe(calls + 1);
  });

  it('two consents in one request: the shorter data life is not served the answer cached for the longer one', async () => {
    const long = await consent(3_600);
    const none = await consent(0);
    await prefill(long);
    const calls = hub.population.calls;
    const result = await hub.graphql<{ a: Field[]; b: Field[] }>(
      `query($p: String!, $long: String!, $none: String!) {
        a: prefill(procedureCode: $p, consentToken: $long) { field value retrievedAt keepUntil reason }
        b: prefill(procedureCode: $p, consentToken: $none) { field value retrievedAt keepUntil reason }
      }`,
      { p: LAND, long, none },
      { as: PORTAL },
    );
    expect(result.body.errors).toBeUndefined();
    // The hour-long consent took the cached answer; the one of no data life asked the registry.
    expect(hub.population.calls).toBe(calls + 1);
    expect(fullName(result.body.data!.b).retrievedAt).toBe(clock.now().toISOString());
    expect(fullName(result.body.data!.b).keepUntil).toBe(fullName(result.body.data!.b).retrievedAt);
  });

  it('data life 0: always read fresh, even right after another read cached the record (a warmed cache is no way around it)', async () => {
    const none = await consent(0);
    // Another read (no consent) caches the citizen and the parcel.
    await hub.population.lookup([owner.personalId]);
    await hub.land.getParcel(owner.parcel);
    const population = hub.population.calls;
    const land = hub.land.calls;
    const { fields } = await prefill(none);
    expect(hub.population.calls).toBe(population + 1);
    // keepUntil equals retrievedAt: the portal may not keep the value at all.
    expect(fullName(fields).keepUntil).toBe(fullName(fields).retrievedAt);
    expect((await hub.graphql(CITIZEN, { id: owner.personalId, t: none }, { as: PORTAL })).body.errors).toBeUndefined();
    expect(hub.population.calls).toBe(population + 2);
    const { communeCode: c, mapSheetNumber: m, parcelNumber: n } = owner.parcel;
    const before = hub.land.calls;
    expect((await hub.graphql(PARCEL, { c, m, n, t: none }, { as: PORTAL })).body.errors).toBeUndefined();
    expect(hub.land.calls).toBe(before + 1);
    expect(before).toBeGreaterThan(land);
    // The same reads without a consent still use the cache.
    await hub.population.lookup([owner.personalId]);
    expect(hub.population.calls).toBe(population + 2);
  });
});
