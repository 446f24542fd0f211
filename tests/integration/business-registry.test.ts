import { startBusinessSimulator, type RunningBusinessSimulator } from '../../connectors/business/simulator/business-simulator.server';
import { generateEnterpriseCode } from '../../connectors/business/simulator/business-generator';
import { quietLogger } from '../support/database';
import { TEST_SIMULATOR_SEED } from '../support/environment';
import { DEMO_SECRET, startTestHub, type TestHub } from '../support/test-hub';
import { seedDemoData } from '../../scripts/demo-data';

interface Enterprise {
  enterpriseCode: string;
  name: string;
  legalRepresentative: { fullName: string };
}

async function calls(simulator: RunningBusinessSimulator): Promise<Record<string, number>> {
  return ((await (await fetch(`${simulator.url}/_sim/stats`)).json()) as { calls: Record<string, number> }).calls;
}

describe('business registry composed into the one graph', () => {
  let simulator: RunningBusinessSimulator;
  let hub: TestHub;

  beforeAll(async () => {
    // A registry of its own, so its call counts are this test's alone.
    simulator = await startBusinessSimulator({ port: 0, seed: TEST_SIMULATOR_SEED, logger: quietLogger });
    hub = await startTestHub('business', { BUSINESS_REGISTRY_URL: simulator.url });
    await seedDemoData(hub.services, TEST_SIMULATOR_SEED, DEMO_SECRET);
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
    await fetch(`${simulator.url}/_sim/stats/reset`, { method: 'POST' });
    const result = await hub.graphql(`{ business(enterpriseCode: "01001091") { name } }`, {}, { as: 'demo-portal' });
    expect(result.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.body.errors?.[0]?.message).toMatch(/10 digits|enterprise code/i);
    expect(Object.values(await calls(simulator)).reduce((a, b) => a + b, 0)).toBe(0);
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
    await fetch(`${simulator.url}/_sim/stats/reset`, { method: 'POST' });
    hub.business.clearCache();
    const result = await hub.graphql<{
      dossiers: { edges: { node: { procedure: { code: string }; business: Enterprise | null } }[] };
    }>(`{ dossiers(first: 50) { edges { node { procedure { code } business { enterpriseCode name } } } } }`, {}, { as: 'demo-monitor' });
    expect(result.body.errors).toBeUndefined();
    const withBusiness = result.body.data!.dossiers.edges.filter((e) => e.node.business !== null);
    expect(withBusiness).toHaveLength(1);
    expect(withBusiness[0]!.node.procedure.code).toBe('2.001583');
    expect(withBusiness[0]!.node.business!.enterpriseCode).toBe(generateEnterpriseCode(TEST_SIMULATOR_SEED, 0));
    expect((await calls(simulator)).lookupEnterprises).toBe(1);
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
      await seedDemoData(wrongKey.services, TEST_SIMULATOR_SEED, DEMO_SECRET);
      const code = generateEnterpriseCode(TEST_SIMULATOR_SEED, 1);
      const result = await wrongKey.graphql(`{ business(enterpriseCode: "${code}") { name } }`, {}, { as: 'demo-portal' });
      expect(result.body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
      expect(JSON.stringify(result.body)).not.toContain('not-the-key');
    } finally {
      await wrongKey.dispose();
    }
  });
});
