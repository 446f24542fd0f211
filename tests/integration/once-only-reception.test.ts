import {
  startPopulationSimulator,
  type RunningPopulationSimulator,
} from '../../connectors/population/simulator/population-simulator.server';
import { generateCitizen } from '../../connectors/population/simulator/citizen-generator';
import { quietLogger } from '../support/database';
import { databaseFingerprint, waitForQuietOutbox } from '../support/database-fingerprint';
import { TEST_SIMULATOR_SEED } from '../support/environment';
import { setSimulatorFaults } from '../support/simulator-admin';
import { BIRTH_REGISTRATION, DESK, loadCatalogue } from '../support/hub-fixtures';
import { seedTestDemo, startTestHub, type TestHub } from '../support/test-hub';

/** Birth registration: C01 (the birth notice) handed in; C08 (the parent's identity papers) backed by the population registry. */
const RECEIVE = `mutation($input: ReceiveDossierInput!) { receiveDossier(input: $input) {
  __typename
  ... on DossierReceived { dossier { code reusedPapers totalPapers missedReuse missedReusePapers { requirementCode source registry attribute }
    papers { requirementCode source registry registryAttribute registryUpdatedAt } } }
  ... on DossierIncomplete { missing { requirementCode reasonCode reason } } } }`;

interface Outcome {
  receiveDossier: {
    __typename: string;
    dossier?: {
      code: string;
      reusedPapers: number;
      totalPapers: number;
      missedReuse: number;
      missedReusePapers: { requirementCode: string; source: string; registry: string | null; attribute: string | null }[];
      papers: {
        requirementCode: string;
        source: string;
        registry: string | null;
        registryAttribute: string | null;
        registryUpdatedAt: string | null;
      }[];
    };
    missing?: { requirementCode: string; reasonCode: string; reason: string }[];
  };
}

const NOTICE = { requirementCode: 'C01', fileName: 'giay-chung-sinh.pdf', fileSha256: 'b'.repeat(64) };
const AS = { as: 'demo-district' };

describe('once-only reception: registry papers confirmed, not assumed', () => {
  let simulator: RunningPopulationSimulator;
  let hub: TestHub;
  const citizen = generateCitizen(TEST_SIMULATOR_SEED, 321);
  const receive = (applicantId: string, components: unknown[] = [NOTICE]) =>
    hub.graphql<Outcome>(
      RECEIVE,
      { input: { procedureCode: BIRTH_REGISTRATION, applicantId, channel: 'DESK', agencyCode: DESK, components } },
      AS,
    );
  const processingEntries = async (action: string) =>
    hub.store.orm.em
      .fork()
      .execute<{ basis: string; subject: string; details: { reads?: { requirementCode: string; outcome: string }[] } }[]>(
        `select basis, subject, details from audit_log where action = ? order by seq`,
        [action],
      );

  beforeAll(async () => {
    // A registry of its own: its outage concerns this file only.
    simulator = await startPopulationSimulator({ port: 0, seed: TEST_SIMULATOR_SEED, size: 5000, logger: quietLogger });
    hub = await startTestHub('once_only', { POPULATION_REGISTRY_URL: simulator.url, POPULATION_REGISTRY_TIMEOUT_MS: '1000' });
    await loadCatalogue(hub.services);
    await seedTestDemo(hub.services);
  });
  afterAll(async () => {
    await hub?.dispose();
    await simulator?.close();
  });

  it('registry up: the population-backed paper is satisfied from the registry, its last-updated time recorded, and the read logged', async () => {
    const before = (await processingEntries('personal-data.registry-confirmation')).length;
    const result = await receive(citizen.personalId);
    expect(result.body.errors).toBeUndefined();
    const dossier = result.body.data!.receiveDossier.dossier!;
    // Identity: the newest change of the name, birth date, sex or nationality, as the registry says.
    const identityUpdated = Math.max(
      ...citizen.attributeUpdates
        .filter((u) => ['fullName', 'dateOfBirth', 'sex', 'nationality'].includes(u.attribute))
        .map((u) => Date.parse(u.updatedAt)),
    );
    expect(dossier.papers).toEqual([
      { requirementCode: 'C01', source: 'NEW_FILE', registry: null, registryAttribute: null, registryUpdatedAt: null },
      {
        requirementCode: 'C08',
        source: 'REGISTRY',
        registry: 'population',
        registryAttribute: 'identity',
        registryUpdatedAt: new Date(identityUpdated).toISOString(),
      },
    ]);
    expect(dossier).toMatchObject({ reusedPapers: 1, totalPapers: 2, missedReuse: 0, missedReusePapers: [] });
    const entries = await processingEntries('personal-data.registry-confirmation');
    expect(entries).toHaveLength(before + 1);
    expect(entries.at(-1)).toMatchObject({
      basis: `reception:${DESK}`,
      subject: hub.services.audit.subjectRef(citizen.personalId),
      details: { reads: [{ requirementCode: 'C08', registry: 'population', attribute: 'identity', outcome: 'CONFIRMED' }] },
    });
  });

  it('a paper shown at the desk although the registry confirmed it is counted as missed reuse', async () => {
    const result = await receive(generateCitizen(TEST_SIMULATOR_SEED, 322).personalId, [
      NOTICE,
      { requirementCode: 'C08', presented: true },
    ]);
    const dossier = result.body.data!.receiveDossier.dossier!;
    expect(dossier).toMatchObject({
      reusedPapers: 0,
      missedReuse: 1,
      missedReusePapers: [{ requirementCode: 'C08', source: 'REGISTRY', registry: 'population', attribute: 'identity' }],
    });
  });

  it('a person unknown to the registry: the paper is missing with NOT_IN_REGISTRY, and nothing is saved but the processing log', async () => {
    // A valid personal id beyond the simulator's population.
    const stranger = generateCitizen(TEST_SIMULATOR_SEED, 9_000).personalId;
    await waitForQuietOutbox(hub.store.orm);
    const before = await databaseFingerprint(hub.store.orm);
    const result = await receive(stranger);
    expect(result.body.errors).toBeUndefined();
    expect(result.body.data!.receiveDossier).toEqual({
      __typename: 'DossierIncomplete',
      missing: [
        {
          requirementCode: 'C08',
          reasonCode: 'NOT_IN_REGISTRY',
          reason: expect.stringMatching(/^Cơ sở dữ liệu quốc gia về dân cư không có/),
        },
      ],
    });
    const after = await databaseFingerprint(hub.store.orm);
    expect({ ...after, audit_log: null }).toEqual({ ...before, audit_log: null });
  });

  it('population registry in outage: the paper is missing with REGISTRY_UNAVAILABLE, so the desk can take it instead', async () => {
    hub.population.clearCache();
    await setSimulatorFaults(simulator.url, { outage: true });
    try {
      const result = await receive(generateCitizen(TEST_SIMULATOR_SEED, 323).personalId);
      expect(result.body.errors).toBeUndefined();
      expect(result.body.data!.receiveDossier.missing).toEqual([
        { requirementCode: 'C08', reasonCode: 'REGISTRY_UNAVAILABLE', reason: expect.stringContaining('take the paper instead') },
      ]);
      // The desk takes the paper: received, nothing counted as reused.
      const taken = await receive(generateCitizen(TEST_SIMULATOR_SEED, 323).personalId, [
        NOTICE,
        { requirementCode: 'C08', presented: true },
      ]);
      expect(taken.body.data!.receiveDossier.dossier).toMatchObject({ reusedPapers: 0, missedReuse: 0 });
    } finally {
      await setSimulatorFaults(simulator.url, {});
    }
  });
});
