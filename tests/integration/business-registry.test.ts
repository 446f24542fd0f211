import { startBusinessSimulator, type RunningBusinessSimulator } from '../../connectors/business/simulator/business-simulator.server';
import { generateEnterpriseCode } from '../../connectors/business/simulator/business-generator';
import { quietLogger } from '../support/database';
import { TEST_SIMULATOR_SEED } from '../support/environment';
import { resetSimulatorStats, simulatorStats } from '../support/simulator-admin';
import type { ProcedureDefinition } from '../../domain/catalogue/procedure-definition';
import { BIRTH_REGISTRATION, DESK, paperInputs, receiveComplete } from '../support/hub-fixtures';
import { startTestHub, type TestHub, seedTestDemo } from '../support/test-hub';

interface Enterprise {
  enterpriseCode: string;
  name: string;
  legalRepresentative: { fullName: string };
}

describe('business registry composed into the one graph', () => {
  let simulator: RunningBusinessSimulator;
  let hub: TestHub;

  beforeAll(async () => {
    // A registry of its own, so its call counts are this test's alone.
    simulator = await startBusinessSimulator({ port: 0, seed: TEST_SIMULATOR_SEED, populationSize: 5000, logger: quietLogger });
    hub = await startTestHub('business', { BUSINESS_REGISTRY_URL: simulator.url });
    await seedTestDemo(hub.services);
  });

  afterAll(async () => {
    await hub?.dispose();
    await simulator?.close();
  });

  it('answers an enterprise by its code with the registry data', async () => {
    const code = generateEnterpriseCode(TEST_SIMULATOR_SEED, 3);
    const result = await hub.graphql<{ business: Enterprise }>(
      `query($code: String!) { business(enterpriseCode: $code) { enterpriseCode name legalRepresentative { fullName } } }`,
      { code },
      { as: 'demo-portal' },
    );
    expect(result.body.errors).toBeUndefined();
    expect(result.body.data!.business.enterpriseCode).toBe(code);
    expect(result.body.data!.business.name).toBe(simulator.registry.get(code)!.name);
    expect(result.body.data!.business.legalRepresentative.fullName).toMatch(/\S+ \S+/);
  });

  it('lists the enterprises a citizen represents, read on the legal basis of their dossier', async () => {
    const code = generateEnterpriseCode(TEST_SIMULATOR_SEED, 5);
    const representative = simulator.registry.get(code)!.legalRepresentative.personalId;
    const definition = (await hub.services.catalogue.procedure(BIRTH_REGISTRATION)).definition as unknown as ProcedureDefinition;
    const received = await hub.graphql<{ receiveDossier: { dossier: { code: string } } }>(
      `mutation($input: ReceiveDossierInput!) { receiveDossier(input: $input) { ... on DossierReceived { dossier { code } } } }`,
      {
        input: {
          procedureCode: BIRTH_REGISTRATION,
          applicantId: representative,
          channel: 'DESK',
          agencyCode: DESK,
          components: paperInputs(definition),
        },
      },
      { as: 'demo-district' },
    );
    const dossierCode = received.body.data!.receiveDossier.dossier.code;
    const result = await hub.graphql<{ citizen: { fullName: string; enterprises: { enterpriseCode: string }[] } }>(
      `query($id: String!, $dossier: String!) { citizen(personalId: $id, dossierCode: $dossier) { fullName enterprises { enterpriseCode } } }`,
      { id: representative, dossier: dossierCode },
      { as: 'demo-district' },
    );
    expect(result.body.errors).toBeUndefined();
    expect(result.body.data!.citizen.enterprises.map((e) => e.enterpriseCode)).toContain(code);
    expect(result.body.data!.citizen.fullName).toBe(simulator.registry.get(code)!.legalRepresentative.fullName);
    // Without a basis, neither the citizen nor their enterprises are served.
    const refused = await hub.graphql(
      `query($id: String!) { citizen(personalId: $id) { enterprises { enterpriseCode } } }`,
      { id: representative },
      { as: 'demo-district' },
    );
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it("does not expose the legal representative's personal id (personal data)", async () => {
    const code = generateEnterpriseCode(TEST_SIMULATOR_SEED, 3);
    const result = await hub.graphql(
      `{ business(enterpriseCode: "${code}") { legalRepresentative { personalId } } }`,
      {},
      { as: 'demo-portal' },
    );
    expect(result.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('refuses a malformed enterprise code with a typed error, without calling the registry', async () => {
    await resetSimulatorStats(simulator.url);
    const result = await hub.graphql(`{ business(enterpriseCode: "01001091") { name } }`, {}, { as: 'demo-portal' });
    expect(result.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.body.errors?.[0]?.message).toMatch(/10 digits|enterprise code/i);
    expect(Object.values((await simulatorStats(simulator.url)).calls).reduce((a, b) => a + b, 0)).toBe(0);
  });

  it('answers null for a well-formed code the registry does not know', async () => {
    const unknown = await hub.graphql<{ business: Enterprise | null }>(
      `{ business(enterpriseCode: "0000000019") { name } }`,
      {},
      { as: 'demo-portal' },
    );
    expect(unknown.body.data?.business ?? null).toBeNull();
  });

  it('resolves Dossier.business for a business applicant and leaves it null for a citizen', async () => {
    await resetSimulatorStats(simulator.url);
    hub.business.clearCache();
    const result = await hub.graphql<{
      dossiers: { edges: { node: { procedure: { code: string }; business: Enterprise | null } }[] };
    }>(`{ dossiers(first: 50) { edges { node { procedure { code } business { enterpriseCode name } } } } }`, {}, { as: 'demo-monitor' });
    expect(result.body.errors).toBeUndefined();
    const withBusiness = result.body.data!.dossiers.edges.filter((e) => e.node.business !== null);
    expect(withBusiness).toHaveLength(1);
    expect(withBusiness[0]!.node.procedure.code).toBe('2.001583');
    expect(withBusiness[0]!.node.business!.enterpriseCode).toBe(generateEnterpriseCode(TEST_SIMULATOR_SEED, 0));
    expect((await simulatorStats(simulator.url)).calls.lookupEnterprises).toBe(1);
    // Asking for the business of citizen dossiers touched no personal data.
    const processing = await hub.graphql<{ business: Enterprise | null }>(
      `{ dossiers(first: 50) { edges { node { applicantEnterpriseCode } } } }`,
      {},
      { as: 'demo-monitor' },
    );
    expect(processing.body.errors).toBeUndefined();
  });

  it('reports the registry unavailable (not a wrong answer) when the hub presents a wrong API key', async () => {
    const wrongKey = await startTestHub('business_wrong_key', {
      BUSINESS_REGISTRY_URL: simulator.url,
      BUSINESS_REGISTRY_API_KEY: 'not-the-key',
    });
    try {
      await seedTestDemo(wrongKey.services);
      const code = generateEnterpriseCode(TEST_SIMULATOR_SEED, 1);
      const result = await wrongKey.graphql(`{ business(enterpriseCode: "${code}") { name } }`, {}, { as: 'demo-portal' });
      expect(result.body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
      expect(JSON.stringify(result.body)).not.toContain('not-the-key');
    } finally {
      await wrongKey.dispose();
    }
  });

  it("gives the legal representative from the population registry only through the enterprise's dossier", async () => {
    const code = generateEnterpriseCode(TEST_SIMULATOR_SEED, 6);
    const enterprise = simulator.registry.get(code)!;
    const dossier = await receiveComplete(hub.services, {
      procedureCode: '2.001583',
      applicantId: code,
      channel: 'DESK',
      agencyCode: DESK,
    });
    const query = `query($code: String!) { dossier(code: $code) { business { name representative { personalId fullName } } } }`;
    const allowed = await hub.graphql<{
      dossier: { business: { name: string; representative: { personalId: string; fullName: string } } };
    }>(query, { code: dossier.code }, { as: 'demo-district' });
    expect(allowed.body.errors).toBeUndefined();
    expect(allowed.body.data!.dossier.business.representative).toEqual({
      personalId: enterprise.legalRepresentative.personalId,
      fullName: enterprise.legalRepresentative.fullName,
    });
    // The monitoring centre may open the dossier but never personal data.
    const monitor = await hub.graphql<{ dossier: { business: { name: string; representative: null } } }>(
      query,
      { code: dossier.code },
      { as: 'demo-monitor' },
    );
    expect(monitor.body.data!.dossier.business).toEqual({ name: enterprise.name, representative: null });
    expect(monitor.body.errors?.[0]).toMatchObject({ path: ['dossier', 'business', 'representative'], extensions: { code: 'FORBIDDEN' } });
    // Registration data is public; the representative's population record is not.
    const direct = await hub.graphql<{ business: { name: string; representative: null } }>(
      `{ business(enterpriseCode: "${code}") { name representative { fullName } } }`,
      {},
      { as: 'demo-district' },
    );
    expect(direct.body.data!.business).toEqual({ name: enterprise.name, representative: null });
    expect(direct.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'PERSONAL_DATA.NO_LEGAL_BASIS' });
  });
});
