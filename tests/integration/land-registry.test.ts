import { generateEnterprise } from '../../connectors/business/simulator/business-generator';
import { LandRegistryClient } from '../../connectors/land/land-registry.client';
import type { Parcel } from '../../connectors/land/land-registry.types';
import { startLandSimulator, type RunningLandSimulator } from '../../connectors/land/simulator/land-simulator.server';
import type { LandParcelId } from '../../domain/identifiers/land-parcel-id';
import { quietLogger } from '../support/database';
import { TEST_SIMULATOR_SEED } from '../support/environment';
import { BIRTH_REGISTRATION, DESK, receiveComplete } from '../support/hub-fixtures';
import { resetSimulatorStats, setSimulatorFaults, simulatorStats } from '../support/simulator-admin';
import { startTestHub, type TestHub, seedTestDemo } from '../support/test-hub';

/** Registration of changes in land use rights (đăng ký biến động): a land procedure for citizens. */
const LAND_CHANGE = '1.013831';
const POPULATION_SIZE = 5000;

const idOf = (parcel: Parcel): LandParcelId => ({
  communeCode: parcel.communeCode,
  mapSheetNumber: parcel.mapSheetNumber,
  parcelNumber: parcel.parcelNumber,
});

interface LandStats {
  calls: { GetParcel: number; FindParcelsByOwner: number };
}

/** One request touching the dossier store, the population, land and business registries. */
const STITCHED = `query($code: String!) {
  dossier(code: $code) {
    code status
    landParcelId { communeCode mapSheetNumber parcelNumber }
    landParcel {
      areaM2 address landUsePurpose { code name } landUseTerm { kind endDate }
      certificate { number status } encumbrances { kind holder }
      owners { ownerId ownerKind fullName share }
    }
    applicant { fullName parcels { communeCode mapSheetNumber parcelNumber } enterprises { enterpriseCode name } }
  }
}`;

interface StitchedAnswer {
  dossier: {
    code: string;
    status: string;
    landParcelId: LandParcelId;
    landParcel: (Omit<Parcel, 'landUseTerm'> & { landUseTerm: { kind: string; endDate: string | null } }) | null;
    applicant: { fullName: string; parcels: LandParcelId[] | null; enterprises: { enterpriseCode: string; name: string }[] | null };
  };
}

describe('land registry (SOAP) composed into the one graph', () => {
  let simulator: RunningLandSimulator;
  let hub: TestHub;
  /** A citizen who holds land and legally represents an enterprise: present in all three registries. */
  let representative: { personalId: string; enterpriseCode: string; enterpriseName: string; parcel: Parcel };

  beforeAll(async () => {
    // A land registry of its own (its call counts and faults are this file's alone), found by configuration only.
    simulator = await startLandSimulator({
      port: 0,
      seed: TEST_SIMULATOR_SEED,
      size: 3000,
      populationSize: POPULATION_SIZE,
      logger: quietLogger,
    });
    hub = await startTestHub('land', { LAND_REGISTRY_URL: simulator.endpoint });
    await seedTestDemo(hub.services);
    for (let index = 0; !representative; index += 1) {
      const enterprise = generateEnterprise(TEST_SIMULATOR_SEED, index, POPULATION_SIZE);
      const parcels = simulator.registry.parcelsOwnedBy(enterprise.legalRepresentative.personalId);
      if (enterprise.status === 'ACTIVE' && parcels.length > 0) {
        representative = {
          personalId: enterprise.legalRepresentative.personalId,
          enterpriseCode: enterprise.enterpriseCode,
          enterpriseName: enterprise.name,
          parcel: parcels[0]!,
        };
      }
    }
  });

  afterAll(async () => {
    await hub?.dispose();
    await simulator?.close();
  });

  const receiveLandDossier = (applicantId: string, landParcel: LandParcelId) =>
    receiveComplete(hub.services, { procedureCode: LAND_CHANGE, applicantId, channel: 'DESK', agencyCode: DESK, landParcel });

  it('answers one query across the dossier store and the population, land and business registries', async () => {
    const dossier = await receiveLandDossier(representative.personalId, idOf(representative.parcel));
    const result = await hub.graphql<StitchedAnswer>(STITCHED, { code: dossier.code }, { as: 'demo-district' });
    expect(result.body.errors).toBeUndefined();
    const answer = result.body.data!.dossier;
    const parcel = representative.parcel;
    expect(answer.code).toBe(dossier.code);
    expect(answer.landParcelId).toEqual(idOf(parcel));
    expect(answer.landParcel).toMatchObject({
      areaM2: parcel.areaM2,
      address: parcel.address,
      landUsePurpose: parcel.landUsePurpose,
      certificate: { number: parcel.certificate.number, status: parcel.certificate.status },
      encumbrances: parcel.encumbrances.map((e) => ({ kind: e.kind, holder: e.holder })),
      landUseTerm: { kind: parcel.landUseTerm.kind },
    });
    // Ids keep their leading zeros (every personal id starts with 0) across SOAP.
    expect(answer.landParcel!.owners).toEqual(parcel.owners);
    expect(answer.landParcel!.owners.map((o) => o.ownerId)).toContain(representative.personalId);
    expect(answer.applicant.fullName).toBe(parcel.owners.find((o) => o.ownerId === representative.personalId)!.fullName);
    expect(answer.applicant.parcels).toEqual(simulator.registry.parcelsOwnedBy(representative.personalId).map(idOf));
    expect(answer.applicant.enterprises).toContainEqual({
      enterpriseCode: representative.enterpriseCode,
      name: representative.enterpriseName,
    });
  });

  it('reads a parcel once for many dossiers about it, and reuses it from the cache', async () => {
    const parcel = simulator.registry.getParcel(simulator.registry.parcelIds(40)[39]!)!;
    const holder = parcel.owners.find((o) => o.ownerKind === 'CITIZEN')?.ownerId ?? representative.personalId;
    for (let i = 0; i < 3; i += 1) await receiveLandDossier(holder, idOf(parcel));
    hub.land.clearCache();
    await resetSimulatorStats(simulator.url);
    const list = `query($parcel: LandParcelInput!) { dossiers(filter: { landParcel: $parcel }) { totalCount edges { node { landParcel { areaM2 } } } } }`;
    const first = await hub.graphql<{ dossiers: { totalCount: number; edges: { node: { landParcel: { areaM2: number } } }[] } }>(
      list,
      { parcel: idOf(parcel) },
      { as: 'demo-district' },
    );
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data!.dossiers.totalCount).toBe(3);
    expect(first.body.data!.dossiers.edges.map((e) => e.node.landParcel.areaM2)).toEqual([parcel.areaM2, parcel.areaM2, parcel.areaM2]);
    await hub.graphql(list, { parcel: idOf(parcel) }, { as: 'demo-district' });
    expect((await simulatorStats<LandStats>(simulator.url)).calls.GetParcel).toBe(1);
    expect(hub.land.cachedSecondsLeft(idOf(parcel))).toBeGreaterThan(0);
  });

  it('serves landParcel only on the legal basis of a dossier about that parcel', async () => {
    const [ownParcel, otherParcel] = [
      simulator.registry.getParcel(simulator.registry.parcelIds(3)[1]!)!,
      simulator.registry.getParcel(simulator.registry.parcelIds(3)[2]!)!,
    ];
    const dossier = await receiveLandDossier(representative.personalId, idOf(ownParcel));
    const query = `query($communeCode: String!, $mapSheetNumber: Int!, $parcelNumber: Int!, $dossierCode: String) {
      landParcel(communeCode: $communeCode, mapSheetNumber: $mapSheetNumber, parcelNumber: $parcelNumber, dossierCode: $dossierCode) { certificate { number } }
    }`;
    const allowed = await hub.graphql<{ landParcel: { certificate: { number: string } } }>(
      query,
      { ...idOf(ownParcel), dossierCode: dossier.code },
      { as: 'demo-district' },
    );
    expect(allowed.body.errors).toBeUndefined();
    expect(allowed.body.data!.landParcel.certificate.number).toBe(ownParcel.certificate.number);

    const withoutBasis = await hub.graphql(query, { ...idOf(ownParcel) }, { as: 'demo-district' });
    expect(withoutBasis.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'PERSONAL_DATA.NO_LEGAL_BASIS' });
    const otherBasis = await hub.graphql(query, { ...idOf(otherParcel), dossierCode: dossier.code }, { as: 'demo-district' });
    expect(otherBasis.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'PERSONAL_DATA.BASIS_MISMATCH' });
    const monitor = await hub.graphql(query, { ...idOf(ownParcel), dossierCode: dossier.code }, { as: 'demo-monitor' });
    expect(monitor.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const malformed = await hub.graphql(
      query,
      { ...idOf(ownParcel), communeCode: '123', dossierCode: dossier.code },
      { as: 'demo-district' },
    );
    expect(malformed.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'LAND_PARCEL.INVALID_COMMUNE_CODE' });
    expect(malformed.body.errors?.[0]?.message).toMatch(/5 digits/);
  });

  it('gives NOT_FOUND for a parcel the land registry does not hold', async () => {
    const missing = { communeCode: '19753', mapSheetNumber: 9999, parcelNumber: 99999 };
    expect(simulator.registry.getParcel(missing)).toBeUndefined();
    const dossier = await receiveLandDossier(representative.personalId, missing);
    const result = await hub.graphql<{ dossier: { code: string; landParcel: null } }>(
      `query($code: String!) { dossier(code: $code) { code landParcel { areaM2 } } }`,
      { code: dossier.code },
      { as: 'demo-district' },
    );
    expect(result.body.data!.dossier).toEqual({ code: dossier.code, landParcel: null });
    expect(result.body.errors?.[0]).toMatchObject({
      path: ['dossier', 'landParcel'],
      extensions: { code: 'NOT_FOUND', reason: 'LAND_REGISTRY.NOT_FOUND' },
    });
  });

  it('refuses a land parcel on a dossier of a procedure that is not about land, saving nothing', async () => {
    const before = (await hub.services.dossiers.list({}, 1)).totalCount;
    const result = await hub.graphql(
      `mutation($input: ReceiveDossierInput!) { receiveDossier(input: $input) { __typename } }`,
      {
        input: {
          procedureCode: BIRTH_REGISTRATION,
          applicantId: representative.personalId,
          channel: 'DESK',
          agencyCode: DESK,
          landParcel: idOf(representative.parcel),
        },
      },
      { as: 'demo-district' },
    );
    expect(result.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'RECEPTION.LAND_PARCEL_NOT_APPLICABLE' });
    expect((await hub.services.dossiers.list({}, 1)).totalCount).toBe(before);
  });

  it('maps refused credentials to UPSTREAM_UNAVAILABLE without revealing the password', async () => {
    const logged: string[] = [];
    const logger = quietLogger.child({});
    logger.error = ((...args: unknown[]) => void logged.push(JSON.stringify(args))) as typeof logger.error;
    const client = new LandRegistryClient({
      endpoint: simulator.endpoint,
      username: 'hub',
      password: 'wrong-secret',
      timeoutMs: 2000,
      logger,
    });
    const failure = (await client.getParcel(idOf(representative.parcel)).then(
      () => new Error('expected a refusal'),
      (error: unknown) => error,
    )) as Error & { code: string; reason: string };
    expect(failure).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', reason: 'LAND_REGISTRY.AUTHENTICATION' });
    expect(JSON.stringify(failure) + String(failure.message) + logged.join()).not.toContain('wrong-secret');
    expect(logged.join()).toMatch(/LAND_REGISTRY_PASSWORD/);
  });

  // Last: the outage opens the land registry's circuit breaker for the rest of this hub's life.
  it('with the land registry down, answers everything else and a typed error on the land fields', async () => {
    const dossier = await receiveLandDossier(representative.personalId, idOf(representative.parcel));
    hub.land.clearCache();
    await setSimulatorFaults(simulator.url, { outage: true });
    try {
      const result = await hub.graphql<StitchedAnswer>(STITCHED, { code: dossier.code }, { as: 'demo-district' });
      const answer = result.body.data!.dossier;
      expect(answer.code).toBe(dossier.code);
      expect(answer.landParcelId).toEqual(idOf(representative.parcel));
      expect(answer.applicant.fullName).toMatch(/\S+ \S+/);
      expect(answer.applicant.enterprises).toContainEqual({
        enterpriseCode: representative.enterpriseCode,
        name: representative.enterpriseName,
      });
      expect(answer.landParcel).toBeNull();
      expect(answer.applicant.parcels).toBeNull();
      const errors = result.body.errors ?? [];
      expect(errors.map((e) => e.path?.join('.')).sort()).toEqual(['dossier.applicant.parcels', 'dossier.landParcel']);
      for (const error of errors) {
        expect(error.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
        expect(error.message).toMatch(/land registry/);
      }
      const ready = await fetch(`${hub.url}/readyz`, { headers: hub.operatorHeaders });
      const checks = ((await ready.json()) as { checks: { name: string; status: string }[] }).checks;
      expect(checks.find((c) => c.name === 'land registry')?.status).not.toBe('up');
    } finally {
      await setSimulatorFaults(simulator.url, {});
    }
  });
});
