import {
  startPopulationSimulator,
  type RunningPopulationSimulator,
} from '../../connectors/population/simulator/population-simulator.server';
import { generateCitizen } from '../../connectors/population/simulator/citizen-generator';
import { PopulationRegistryClient } from '../../connectors/population/population-registry.client';
import { FixedClock } from '../../domain/clock';
import { quietLogger } from '../support/database';
import { TEST_SIMULATOR_SEED } from '../support/environment';
import { resetSimulatorStats, setSimulatorFaults, simulatorStats } from '../support/simulator-admin';
import { BIRTH_REGISTRATION, DESK, paperInputs } from '../support/hub-fixtures';
import { startTestHub, type TestHub, seedTestDemo } from '../support/test-hub';
import type { ProcedureDefinition } from '../../domain/catalogue/procedure-definition';

describe('registry connectors: batching, caching, resilience, configuration', () => {
  let simulator: RunningPopulationSimulator;
  let hub: TestHub;

  beforeAll(async () => {
    // A registry of its own, so its call counts are this test's alone.
    simulator = await startPopulationSimulator({ port: 0, seed: TEST_SIMULATOR_SEED, size: 5000, logger: quietLogger });
    hub = await startTestHub('connectors', { POPULATION_REGISTRY_URL: simulator.url, POPULATION_REGISTRY_TIMEOUT_MS: '1000' });
    await seedTestDemo(hub.services);
    const definition = (await hub.services.catalogue.procedure(BIRTH_REGISTRATION)).definition as unknown as ProcedureDefinition;
    const papers = paperInputs(definition);
    for (let i = 0; i < 100; i += 1) {
      const result = await hub.graphql(
        `mutation($input: ReceiveDossierInput!) { receiveDossier(input: $input) { __typename } }`,
        {
          input: {
            procedureCode: BIRTH_REGISTRATION,
            applicantId: generateCitizen(TEST_SIMULATOR_SEED, 100 + i).personalId,
            channel: 'DESK',
            agencyCode: DESK,
            components: papers,
          },
        },
        { as: 'demo-district' },
      );
      expect(result.body.errors).toBeUndefined();
    }
  });

  afterAll(async () => {
    await hub?.dispose();
    await simulator?.close();
  });

  it('gives a citizen’s household with its members, one call per household, each read in the processing log', async () => {
    // A dossier whose applicant lives with others, so the household holds other people's data.
    const dossiers = await hub.services.dossiers.list({ procedureCode: BIRTH_REGISTRATION }, 100);
    const householdOf = (personalId: string) => simulator.population.household(simulator.population.get(personalId)!.householdId)!;
    const dossier = dossiers.items.find((d) => householdOf(d.applicantId).members.length > 1)!;
    const expected = householdOf(dossier.applicantId);
    await resetSimulatorStats(simulator.url);
    const result = await hub.graphql<{
      dossier: { applicant: { household: { householdId: string; members: { personalId: string; relationshipToHead: string }[] } } };
    }>(
      `query($code: String!) { dossier(code: $code) { applicant { household { householdId members { personalId fullName relationshipToHead } } } } }`,
      { code: dossier.code },
      { as: 'demo-district' },
    );
    expect(result.body.errors).toBeUndefined();
    const household = result.body.data!.dossier.applicant.household;
    expect(household.householdId).toBe(expected.householdId);
    expect(household.members).toEqual(
      expected.members.map((m) => ({ personalId: m.personalId, fullName: m.fullName, relationshipToHead: m.relationshipToHead })),
    );
    expect((await simulatorStats<{ calls: { getHousehold: number } }>(simulator.url)).calls.getHousehold).toBe(1);
    const others = expected.members
      .filter((m) => m.personalId !== dossier.applicantId)
      .map((m) => hub.services.audit.subjectRef(m.personalId));
    const logged = await hub.store.orm.em
      .fork()
      .getConnection()
      .execute<{ subject: string }[]>(`select subject from audit_log where details->'fields' ? 'Citizen.household'`);
    expect(others.length).toBeGreaterThan(0);
    expect(logged.map((row) => row.subject)).toEqual(expect.arrayContaining(others));
  });

  it('lists 100 dossiers with their applicants in one batch call to the registry, then serves them from the cache', async () => {
    // Reception asked the registry for these citizens already: start from an empty cache.
    hub.population.clearCache();
    await resetSimulatorStats(simulator.url);
    const query = `{ dossiers(first: 100, filter: { procedureCode: "${BIRTH_REGISTRATION}" }) { edges { node { code applicant { fullName } } } } }`;
    const first = await hub.graphql<{ dossiers: { edges: { node: { applicant: { fullName: string } | null } }[] } }>(
      query,
      {},
      { as: 'demo-district' },
    );
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data!.dossiers.edges).toHaveLength(100);
    expect(first.body.data!.dossiers.edges.every((e) => e.node.applicant?.fullName)).toBe(true);
    const after = await simulatorStats(simulator.url);
    expect(after.calls.lookupCitizens).toBe(1);
    expect(after.calls.getCitizen ?? 0).toBe(0);
    await hub.graphql(query, {}, { as: 'demo-district' });
    expect((await simulatorStats(simulator.url)).calls.lookupCitizens).toBe(1);
  });

  it('answers with store data and UPSTREAM_UNAVAILABLE on registry fields when the registry is down, and recovers', async () => {
    hub.population.clearCache();
    await setSimulatorFaults(simulator.url, { outage: true });
    const query = `{ dossiers(first: 5) { edges { node { code status applicant { fullName } } } } }`;
    const down = await hub.graphql<{ dossiers: { edges: { node: { code: string; applicant: unknown } }[] } }>(
      query,
      {},
      { as: 'demo-district' },
    );
    expect(down.body.data!.dossiers.edges).toHaveLength(5);
    expect(down.body.data!.dossiers.edges.every((e) => e.node.code && e.node.applicant === null)).toBe(true);
    expect(down.body.errors!.every((e) => e.extensions?.code === 'UPSTREAM_UNAVAILABLE')).toBe(true);
    // Repeated failures open the circuit: readiness reports the connector down.
    for (let i = 0; i < 3; i += 1) await hub.graphql(query, {}, { as: 'demo-district' });
    const ready = (await (await fetch(`${hub.url}/readyz`, { headers: hub.operatorHeaders })).json()) as {
      checks: { kind: string; status: string; error?: string }[];
    };
    expect(ready.checks.find((c) => c.kind === 'connector')?.status).toBe('down');
    await setSimulatorFaults(simulator.url, { outage: false });
    // The open circuit lets a trial call through after 10 s. The breaker (cockatiel) reads Date.now
    // itself, with no clock to inject: the test moves that time past the 10 s instead of waiting them.
    const realNow = Date.now;
    const later = jest.spyOn(Date, 'now').mockImplementation(() => realNow() + 10_500);
    const back = await hub
      .graphql<{ dossiers: { edges: { node: { applicant: { fullName: string } | null } }[] } }>(query, {}, { as: 'demo-district' })
      .finally(() => later.mockRestore());
    expect(back.body.errors).toBeUndefined();
    expect(back.body.data!.dossiers.edges.every((e) => e.node.applicant?.fullName)).toBe(true);
  });

  it('reuses a citizen record only as long as its most recently changed attribute allows', async () => {
    const personalId = generateCitizen(TEST_SIMULATOR_SEED, 42).personalId;
    const updates = generateCitizen(TEST_SIMULATOR_SEED, 42).attributeUpdates;
    const latest = Math.max(...updates.map((u) => Date.parse(u.updatedAt)));
    const clock = new FixedClock(new Date(latest));
    const client = new PopulationRegistryClient(hub.registry.schema, {
      url: simulator.url,
      timeoutMs: 2000,
      cacheTtlSeconds: 3600,
      logger: quietLogger,
      clock,
    });
    // Fetched 200 s after the last change: reused for a tenth of that.
    clock.advance(200_000);
    expect(await client.lookup([personalId])).toEqual([expect.objectContaining({ personalId })]);
    expect(client.cachedSecondsLeft(personalId)).toBeGreaterThanOrEqual(19);
    expect(client.cachedSecondsLeft(personalId)).toBeLessThanOrEqual(20);
    // Fetched just after the change: not reused at all, the next read asks the registry again.
    client.clearCache();
    clock.set(new Date(latest + 500));
    await client.lookup([personalId]);
    expect(client.cachedSecondsLeft(personalId)).toBe(0);
    await client.lookup([personalId]);
    expect(client.calls).toBe(3);
  });

  it('reaches the registry at another address by configuration alone', async () => {
    const other = await startPopulationSimulator({ port: 0, seed: TEST_SIMULATOR_SEED, size: 5000, logger: quietLogger });
    const elsewhere = await startTestHub('connectors_elsewhere', { POPULATION_REGISTRY_URL: other.url });
    try {
      await seedTestDemo(elsewhere.services);
      // The seed's receptions asked it already (registry confirmations): count the listing's call alone.
      expect((await simulatorStats(other.url)).calls.lookupCitizens).toBeGreaterThan(0);
      elsewhere.population.clearCache();
      await resetSimulatorStats(other.url);
      const codes = await elsewhere.graphql<{ dossiers: { edges: { node: { code: string; applicant: { fullName: string } } }[] } }>(
        `{ dossiers(first: 1) { edges { node { code applicant { fullName } } } } }`,
        {},
        { as: 'demo-district' },
      );
      expect(codes.body.errors).toBeUndefined();
      expect(codes.body.data!.dossiers.edges[0]!.node.applicant.fullName).toMatch(/\S+ \S+/);
      expect((await simulatorStats(other.url)).calls.lookupCitizens).toBe(1);
    } finally {
      await elsewhere.dispose();
      await other.close();
    }
  });
});
