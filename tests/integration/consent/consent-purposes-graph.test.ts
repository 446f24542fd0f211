import { generateCitizen } from '../../../connectors/population/simulator/citizen-generator';
import { shippedPrefillFields } from '../../../platform/prefill-fields';
import { TEST_SIMULATOR_SEED } from '../../support/environment';
import { DEMO_SECRET, seedTestDemo, startTestHub, type TestHub } from '../../support/test-hub';

const PORTAL = 'demo-portal';
const OTHER_PORTAL = 'test-other-portal';
const BIRTH = '1.001193';
const DAY = 86_400_000;
const citizen = generateCitizen(TEST_SIMULATOR_SEED, 0);

const PURPOSES = `{ consentPurposes { purpose procedureCode attributes descriptionVi descriptionEn updatedAt } }`;
const PREFILL = `query($p: String!, $t: String!) { prefill(procedureCode: $p, consentToken: $t) { attribute value reason } }`;

interface Purpose {
  purpose: string;
  procedureCode: string | null;
  attributes: string[];
  descriptionVi: string | null;
  descriptionEn: string | null;
  updatedAt: string;
}

describe('consentPurposes over HTTP', () => {
  let hub: TestHub;
  const purposesOf = async (as?: string) => {
    const result = await hub.graphql<{ consentPurposes: Purpose[] }>(PURPOSES, {}, as ? { as } : {});
    return result.body;
  };

  beforeAll(async () => {
    hub = await startTestHub('consent_purposes');
    await seedTestDemo(hub.services);
    await hub.services.clients.ensure({ clientId: OTHER_PORTAL, name: 'Another portal', kind: 'PORTAL', secret: DEMO_SECRET });
    await hub.services.consentPurposes.register(OTHER_PORTAL, {
      purpose: 'eligibility-check',
      attributes: ['population.fullName'],
      descriptionVi: 'Kiểm tra điều kiện',
      descriptionEn: 'Eligibility check',
    });
  });

  afterAll(async () => {
    await hub?.dispose();
  });

  it('the demo portal may ask consent for the default purpose of every prefill procedure, as the seed registered them', async () => {
    const body = await purposesOf(PORTAL);
    expect(body.errors).toBeUndefined();
    const lists = shippedPrefillFields();
    const purposes = body.data!.consentPurposes;
    expect(purposes.map((p) => p.procedureCode)).toEqual([...lists.keys()].sort());
    for (const p of purposes) {
      expect(p.purpose).toBe(`prefill:${p.procedureCode}`);
      expect(new Set(p.attributes)).toEqual(new Set(lists.get(p.procedureCode!)!.map((f) => f.attribute)));
      expect(p.descriptionVi).toMatch(/^Điền sẵn tờ khai thủ tục /);
      expect(p.descriptionEn).toMatch(new RegExp(`^Prefill the declaration of procedure ${p.procedureCode!.replace('.', '\\.')} \\(`));
    }
  });

  it('seeding again on the next start changes nothing', async () => {
    const before = (await purposesOf(PORTAL)).data!.consentPurposes;
    await seedTestDemo(hub.services);
    expect((await purposesOf(PORTAL)).data!.consentPurposes).toEqual(before);
  });

  it('a portal reads its own purposes only', async () => {
    expect((await purposesOf(OTHER_PORTAL)).data!.consentPurposes).toEqual([
      {
        purpose: 'eligibility-check',
        procedureCode: null,
        attributes: ['population.fullName'],
        descriptionVi: 'Kiểm tra điều kiện',
        descriptionEn: 'Eligibility check',
        updatedAt: expect.any(String),
      },
    ]);
    expect((await purposesOf(PORTAL)).data!.consentPurposes.map((p) => p.purpose)).not.toContain('eligibility-check');
  });

  it('no client can name another whose purposes to read: the query takes no client', async () => {
    const result = await hub.graphql(`{ consentPurposes(clientId: "${OTHER_PORTAL}") { purpose } }`, {}, { as: PORTAL });
    expect(result.body.errors?.[0]?.message).toMatch(/Unknown argument "clientId"/);
  });

  it('is for portals: an agency system is refused, the public must sign in', async () => {
    expect((await purposesOf('demo-district')).errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'CONSENT.PORTALS_ONLY',
    });
    expect((await purposesOf()).errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('a removed purpose is no longer offered nor granted, while a consent already given for it keeps working', async () => {
    const purpose = `prefill:${BIRTH}`;
    const { token } = await hub.services.consents.grant({
      personalId: citizen.personalId,
      clientId: PORTAL,
      attributes: ['population.fullName'],
      purpose,
      procedureCode: BIRTH,
      notAfter: new Date(Date.now() + DAY),
      dataLifeSeconds: 60,
      requestId: null,
    });
    expect(await hub.services.consentPurposes.remove(PORTAL, purpose)).toEqual({ consentsInForce: 1 });
    expect((await purposesOf(PORTAL)).data!.consentPurposes.map((p) => p.purpose)).not.toContain(purpose);

    const prefill = await hub.graphql<{ prefill: { attribute: string; value: string | null }[] }>(
      PREFILL,
      { p: BIRTH, t: token },
      { as: PORTAL },
    );
    expect(prefill.body.errors).toBeUndefined();
    expect(prefill.body.data!.prefill.find((f) => f.attribute === 'population.fullName')!.value).toBe(citizen.fullName);

    // A new consent for it is refused (grantConsent asks the service once the ID token verified).
    await expect(
      hub.services.consents.grant({
        personalId: citizen.personalId,
        clientId: PORTAL,
        attributes: ['population.fullName'],
        purpose,
        procedureCode: BIRTH,
        notAfter: new Date(Date.now() + DAY),
        dataLifeSeconds: 60,
        requestId: null,
      }),
    ).rejects.toMatchObject({ reason: 'CONSENT.PURPOSE_NOT_REGISTERED' });

    // The next start puts the demo portal's default back.
    await seedTestDemo(hub.services);
    expect((await purposesOf(PORTAL)).data!.consentPurposes.map((p) => p.purpose)).toContain(purpose);
  });
});
