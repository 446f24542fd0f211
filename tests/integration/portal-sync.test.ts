import { generateCitizen } from '../../connectors/population/simulator/citizen-generator';
import { setSimulatorFaults } from '../support/simulator-admin';
import { TEST_SIMULATOR_SEED, testEnv } from '../support/environment';
import { BIRTH_REGISTRATION, DESK, paperInputs } from '../support/hub-fixtures';
import { startTestHub, type TestHub, seedTestDemo } from '../support/test-hub';
import type { ProcedureDefinition } from '../../domain/catalogue/procedure-definition';

interface Received {
  operationId: string;
  dossierCode: string;
  status: number | null;
  body: { TrangThaiHoSo?: number; MaHoSo?: string; ChuHoSo?: string; NgayTiepNhan?: string; MaTTHC?: string } | string;
}

const portal = () => testEnv('portalUrl');

async function received(code: string): Promise<Received[]> {
  const response = await fetch(`${portal()}/_sim/received?dossier=${encodeURIComponent(code)}`);
  return ((await response.json()) as { requests: Received[] }).requests;
}

async function eventually<T>(probe: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`not reached in time: ${JSON.stringify(value).slice(0, 400)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const syncedStatuses = (requests: Received[]) =>
  requests
    .filter((r) => r.operationId === 'syncDossier' && r.status === 200 && typeof r.body === 'object')
    .map((r) => (r.body as { TrangThaiHoSo: number }).TrangThaiHoSo);

describe('synchronisation with the national portal (OAuth 2.0, over HTTP)', () => {
  let hub: TestHub;
  let papers: ReturnType<typeof paperInputs>;

  beforeAll(async () => {
    hub = await startTestHub('portal_sync', { PORTAL_SYNC: 'true' });
    await seedTestDemo(hub.services);
    papers = paperInputs((await hub.services.catalogue.procedure(BIRTH_REGISTRATION)).definition as unknown as ProcedureDefinition);
  });

  afterAll(async () => {
    await setSimulatorFaults(portal(), {});
    await hub?.dispose();
  });

  async function receive(index: number): Promise<string> {
    const result = await hub.graphql<{ receiveDossier: { dossier: { code: string } } }>(
      `mutation($input: ReceiveDossierInput!) { receiveDossier(input: $input) { ... on DossierReceived { dossier { code } } } }`,
      {
        input: {
          procedureCode: BIRTH_REGISTRATION,
          applicantId: generateCitizen(TEST_SIMULATOR_SEED, index).personalId,
          channel: 'DESK',
          agencyCode: DESK,
          components: papers,
        },
      },
      { as: 'demo-district' },
    );
    expect(result.body.errors).toBeUndefined();
    return result.body.data!.receiveDossier.dossier.code;
  }

  it('sends every change of a dossier to the portal with its fields, in order', async () => {
    const code = await receive(300);
    await hub.graphql(`mutation($c: String!) { forwardDossier(code: $c) { code } }`, { c: code }, { as: 'demo-district' });
    // Each event sends the dossier as it is at delivery, then the event's progress entry. When the first
    // event is delivered after the forward, it already carries status 4: wait for a progress entry too.
    const requests = await eventually(
      () => received(code),
      (r) => syncedStatuses(r).includes(4) && r.some((x) => x.operationId === 'syncProgress' && x.status === 200),
    );
    const first = requests.find((r) => r.operationId === 'syncDossier')!.body as Record<string, unknown>;
    expect(first).toMatchObject({ MaHoSo: code, MaTTHC: BIRTH_REGISTRATION });
    expect(String(first.NgayTiepNhan)).toMatch(/^\d{14}$/);
    // ChuHoSo is the registry's name for the applicant.
    const citizen = (await (
      await fetch(`${testEnv('populationUrl')}/v1/citizens/${generateCitizen(TEST_SIMULATOR_SEED, 300).personalId}`)
    ).json()) as { fullName: string };
    expect(first.ChuHoSo).toBe(citizen.fullName);
    // Built from the dossier's state at delivery: never backwards, ending at the latest state.
    const statuses = syncedStatuses(requests);
    expect(statuses.at(-1)).toBe(4);
    expect(statuses.every((s, i) => i === 0 || s >= statuses[i - 1]!)).toBe(true);
    // Nothing failed: each request was taken, or refused as superseded by a later state the portal holds.
    expect(requests.filter((r) => r.status !== 200 && r.status !== 409)).toEqual([]);
  });

  it('the unlogged reads now logged: the worker’s registry read of the applicant’s name', async () => {
    const code = await receive(302);
    await eventually(
      () => received(code),
      (r) => syncedStatuses(r).includes(2),
    );
    const rows = await hub.store.orm.em
      .fork()
      .execute<{ actor: string; action: string; subject: string; basis: string }[]>(
        `select actor, action, subject, basis from audit_log where basis = ? and details->>'purpose' = 'national-portal-sync'`,
        [`dossier:${code}`],
      );
    expect(rows.length).toBeGreaterThanOrEqual(1);
    expect(rows[0]).toEqual({
      actor: 'portal-sync',
      action: 'personal-data.read',
      subject: hub.services.audit.subjectRef(generateCitizen(TEST_SIMULATOR_SEED, 302).personalId),
      basis: `dossier:${code}`,
    });
  });

  it('loses nothing while the portal is down: the changes arrive once it is back', async () => {
    await setSimulatorFaults(portal(), { outage: true });
    const code = await receive(301);
    // The hub tried while the portal was down (it holds a token from the test before): the portal refused the sync.
    const refused = await eventually(
      () => received(code),
      (r) => r.some((request) => request.operationId === 'syncDossier' && request.status === 503),
    );
    expect(syncedStatuses(refused)).toEqual([]);
    await setSimulatorFaults(portal(), {});
    const requests = await eventually(
      () => received(code),
      (r) => syncedStatuses(r).includes(2),
      60_000,
    );
    expect(syncedStatuses(requests)).toEqual([2]);
    const metrics = await (await fetch(`${hub.url}/metrics`, { headers: hub.operatorHeaders })).text();
    expect(metrics).toMatch(/^hub_portal_sync_total\{outcome="synced"\} \d+/m);
  });
});
