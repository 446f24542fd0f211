import type { ProcedureDefinition } from '../../../domain/catalogue/procedure-definition';
import { AgencySealSigner } from '../../../certs/signing/agency-seal-signer';
import { generateCitizen } from '../../../connectors/population/simulator/citizen-generator';
import { StoreAgencyRegistry } from '../../../store/agency-registry';
import { TEST_SIMULATOR_SEED } from '../../support/environment';
import { DESK, paperInputs } from '../../support/hub-fixtures';
import { DEMO_SECRET, startTestHub, type TestHub, seedTestDemo } from '../../support/test-hub';

/**
 * Regression tests of issue 11's findings 1, 3 and 4, over HTTP against a real hub: a desk signing
 * in another agency's name (the forged-seal walk), the monitoring centre reading the register,
 * an idempotency key replayed by another client, reads of personal data left out of the log, and a
 * token narrowed to dossier:read downloading identity scans.
 */
const TEMPORARY_RESIDENCE = '1.004194';
const POLICE = '000.19.35.H46';
const POLICE_NAME = 'Công an Phường Phú Xuân';
const LAND_OFFICE = '000.01.15.H46';
const KIM_LONG = '000.20.31.H46';

type Errors = { message: string; extensions?: Record<string, unknown> }[] | undefined;

describe('act only as yourself', () => {
  let hub: TestHub;
  let seeded: string[];
  let papers: ReturnType<typeof paperInputs>;
  const applicantId = generateCitizen(TEST_SIMULATOR_SEED, 11).personalId;

  /** A token with only these scopes, through the real token endpoint. */
  async function narrowToken(clientId: string, scope: string): Promise<string> {
    const response = await fetch(`${hub.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: DEMO_SECRET, scope }),
    });
    const body = (await response.json()) as { access_token?: string };
    if (!body.access_token) throw new Error(`no narrowed token for ${clientId}`);
    return body.access_token;
  }

  /** The code and reason of a REST error answer. */
  const problem = async (response: Response) =>
    ((await response.json()) as { errors: { extensions: Record<string, unknown> }[] }).errors[0]!.extensions;

  const download = async (path: string, token?: string) =>
    fetch(`${hub.url}${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});

  async function auditRows(field: string): Promise<{ actor: string; action: string; subject: string | null; basis: string | null }[]> {
    return hub.store.orm.em
      .fork()
      .execute(`select actor, action, subject, basis from audit_log where details->'fields' @> jsonb_build_array(?::text) order by id`, [
        field,
      ]);
  }

  async function receiveAtDesk(procedureCode: string, key?: string, as = 'demo-district', agencyCode = DESK) {
    const definition = (await hub.services.catalogue.procedure(procedureCode)).definition as unknown as ProcedureDefinition;
    papers = paperInputs(definition);
    return hub.graphql<{ receiveDossier: { dossier: { code: string } } }>(
      `mutation($input: ReceiveDossierInput!) { receiveDossier(input: $input) { ... on DossierReceived { dossier { code } } } }`,
      {
        input: { procedureCode, applicantId, channel: 'DESK', agencyCode, components: papers, ...(key ? { idempotencyKey: key } : {}) },
      },
      { as },
    );
  }

  beforeAll(async () => {
    hub = await startTestHub('own_acts');
    seeded = (await seedTestDemo(hub.services)).dossierCodes;
    // The ward police and the provincial land office get systems of their own, as they would.
    for (const [clientId, agencyCode] of [
      ['test-police-phu-xuan', POLICE],
      ['test-land-office', LAND_OFFICE],
    ]) {
      await hub.services.clients.ensure({
        clientId,
        name: `Test system of ${agencyCode}`,
        kind: 'AGENCY_SYSTEM',
        agencyCode,
        secret: DEMO_SECRET,
      });
    }
  });

  afterAll(async () => {
    await hub?.dispose();
  });

  describe('the forged-seal walk', () => {
    let code: string;
    let resultDocument: string;

    beforeAll(async () => {
      const received = await receiveAtDesk(TEMPORARY_RESIDENCE);
      expect(received.body.errors).toBeUndefined();
      code = received.body.data!.receiveDossier.dossier.code;
    });

    it('forged-seal walk: forwarding to an agency not competent for the step is refused, naming the competent ones', async () => {
      const refused = await hub.graphql(
        `mutation($c: String!) { forwardDossier(code: $c, toAgencyCode: "${LAND_OFFICE}") { code } }`,
        { c: code },
        { as: 'demo-district' },
      );
      const error = (refused.body.errors as Errors)![0]!;
      expect(error.extensions).toMatchObject({
        code: 'FORBIDDEN',
        reason: 'ROUTING.NOT_COMPETENT',
        details: { stepCode: 'S2', competentAgencyCodes: [POLICE] },
      });
      expect(error.message).toContain(`${POLICE_NAME} (${POLICE})`);
      // Nothing moved: the land office was not added to the dossier.
      const dossier = await hub.services.dossiers.findByCode(code);
      expect({ holder: dossier.currentAgency?.code, involved: dossier.involvedAgencyCodes }).toEqual({ holder: DESK, involved: [] });
    });

    it('forged-seal walk: a desk that forwarded the dossier cannot complete its step or record its result', async () => {
      const forwarded = await hub.graphql<{ forwardDossier: { currentAgencyCode: string | null } }>(
        `mutation($c: String!) { forwardDossier(code: $c) { steps { agencyCode } } }`,
        { c: code },
        { as: 'demo-district' },
      );
      expect(forwarded.body.errors).toBeUndefined();
      for (const mutation of [
        `completeStep(code: $c, result: "Đạt")`,
        `recordResult(code: $c, summary: "Đã đăng ký tạm trú")`,
        `extendDeadline(code: $c, newDueAt: "2099-01-01T00:00:00Z", reason: "Chờ xác minh")`,
        `rejectDossier(code: $c, reason: "Không đủ điều kiện")`,
      ]) {
        const refused = await hub.graphql(`mutation($c: String!) { ${mutation} { code } }`, { c: code }, { as: 'demo-district' });
        const error = (refused.body.errors as Errors)![0]!;
        expect(error.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'DOSSIER.NOT_HOLDER', details: { holderAgencyCode: POLICE } });
        expect(error.message).toContain(`${POLICE_NAME} (${POLICE})`);
      }
      const documents = await hub.store.orm.em.fork().execute('select code from document where dossier_code = ?', [code]);
      expect(documents).toEqual([]);
      expect((await hub.services.dossiers.findByCode(code)).status).toBe('PROCESSING');
    });

    it('forged-seal walk: the holder records the result, sealed by its own agency in the CMS and the PDF', async () => {
      const recorded = await hub.graphql<{ recordResult: { signedResult: { documentCode: string; agencyName: string } } }>(
        `mutation($c: String!) { recordResult(code: $c, summary: "Đã đăng ký tạm trú") { signedResult { documentCode agencyName } } }`,
        { c: code },
        { as: 'test-police-phu-xuan' },
      );
      expect(recorded.body.errors).toBeUndefined();
      const signed = recorded.body.data!.recordResult.signedResult;
      expect(signed.agencyName).toBe(POLICE_NAME);
      resultDocument = signed.documentCode;
      const verified = await hub.graphql<{ verifyDocument: { indication: string; signatures: { signer: string }[] } }>(
        `query($d: String!) { verifyDocument(documentCode: $d) { indication signatures { signer } } }`,
        { d: resultDocument },
      );
      expect(verified.body.data!.verifyDocument.indication).toBe('PASSED');
      const { content } = await hub.services.documents.content(resultDocument);
      const embedded = await hub.services.verifier.verifyPdf(content);
      for (const signer of [...verified.body.data!.verifyDocument.signatures, ...embedded.signatures].map((s) => s.signer)) {
        expect(signer).toContain(POLICE);
        expect(signer).toContain(POLICE_NAME);
      }
      // The desk hands the result back, wherever it was resolved.
      const returned = await hub.graphql(
        `mutation($c: String!) { returnResult(code: $c, channel: DESK) { status } }`,
        { c: code },
        { as: 'demo-district' },
      );
      expect(returned.body.errors).toBeUndefined();
    });

    it('forged-seal walk: a seal for an agency the registry does not know is never issued', async () => {
      const seals = () => hub.pki.list().filter((r) => r.profile === 'organisation-signing');
      const before = seals().length;
      // The hub's own signer classes over its own CA and agency table.
      const signer = new AgencySealSigner(hub.pki, new StoreAgencyRegistry(hub.store.orm));
      await expect(
        signer.signDigest({ code: '000.99.99.H46', name: 'Cơ quan không có thật' }, Buffer.alloc(32, 1), new Date()),
      ).rejects.toMatchObject({
        code: 'FORBIDDEN',
        reason: 'SEAL.UNKNOWN_AGENCY',
      });
      expect(seals().length).toBe(before);
      // Every seal the CA holds after the whole walk is a registered agency's.
      const registered = new Set((await hub.store.orm.em.fork().execute<{ code: string }[]>('select code from agency')).map((a) => a.code));
      const sealed = seals().map((r) => /organizationIdentifier=([^,]+)/.exec(r.subject)?.[1]);
      expect(sealed.length).toBeGreaterThan(0);
      for (const agency of sealed) expect(registered.has(agency!)).toBe(true);
      expect(sealed).not.toContain(LAND_OFFICE);
    });

    it('the narrowed token: a token narrowed to dossier:read cannot download documents or signatures', async () => {
      const narrow = await narrowToken('test-police-phu-xuan', 'dossier:read');
      for (const path of [`/documents/${resultDocument}`, `/documents/${resultDocument}/signature.p7s`]) {
        const refused = await download(path, narrow);
        expect(refused.status).toBe(403);
        expect(await problem(refused)).toMatchObject({ code: 'FORBIDDEN', reason: 'AUTH.SCOPE_MISSING' });
      }
      const full = await download(`/documents/${resultDocument}`, await hub.tokenFor('test-police-phu-xuan'));
      expect(full.status).toBe(200);
    });

    it('the unlogged reads now logged: every document and signature download', async () => {
      const before = (await auditRows('signature.p7s')).length;
      const token = await hub.tokenFor('demo-district');
      expect((await download(`/documents/${resultDocument}/signature.p7s`, token)).status).toBe(200);
      const rows = await auditRows('signature.p7s');
      expect(rows.length).toBe(before + 1);
      expect(rows.at(-1)).toMatchObject({
        actor: 'demo-district',
        action: 'personal-data.read',
        subject: hub.services.audit.subjectRef(applicantId),
        basis: `dossier:${code}`,
      });
      const documents = await auditRows('document');
      expect(documents.map((r) => r.actor)).toContain('test-police-phu-xuan');
    });
  });

  it('the register download by the monitor is refused; only the receiving agency itself prints it', async () => {
    const path = `/agencies/${DESK}/register.pdf?from=2020-01-01&to=2020-12-31`;
    const monitor = await download(path, await hub.tokenFor('demo-monitor'));
    expect(monitor.status).toBe(403);
    expect(await problem(monitor)).toMatchObject({ code: 'FORBIDDEN', reason: 'PERSONAL_DATA.MONITOR' });
    const otherWard = await download(path, await hub.tokenFor('demo-officer'));
    expect(await problem(otherWard)).toMatchObject({ code: 'FORBIDDEN', reason: 'REGISTER.OTHER_AGENCY' });
    const narrowed = await download(path, await narrowToken('demo-district', 'dossier:read'));
    expect(await problem(narrowed)).toMatchObject({ code: 'FORBIDDEN', reason: 'AUTH.SCOPE_MISSING' });
    expect((await download(path, await hub.tokenFor('demo-district'))).status).toBe(200);
  });

  it('the idempotency replay by another client gets a dossier of its own, never the first client’s', async () => {
    const first = await receiveAtDesk(TEMPORARY_RESIDENCE, 'replay-key-0001');
    const again = await receiveAtDesk(TEMPORARY_RESIDENCE, 'replay-key-0001');
    const firstCode = first.body.data!.receiveDossier.dossier.code;
    // The same client retrying gets its first dossier back.
    expect(again.body.data!.receiveDossier.dossier.code).toBe(firstCode);
    // Another client (Kim Long's officer desk, at its own desk) with the same key: its own, new dossier.
    const replay = await receiveAtDesk(TEMPORARY_RESIDENCE, 'replay-key-0001', 'demo-officer', KIM_LONG);
    expect(replay.body.errors).toBeUndefined();
    const replayCode = replay.body.data!.receiveDossier.dossier.code;
    expect(replayCode).not.toBe(firstCode);
    expect(replayCode.startsWith(KIM_LONG)).toBe(true);
    const rows = await hub.store.orm.em
      .fork()
      .execute<{ code: string; idempotency_client_id: string }[]>(
        `select code, idempotency_client_id from dossier where idempotency_key = 'replay-key-0001' order by id`,
      );
    expect(rows).toEqual([
      { code: firstCode, idempotency_client_id: 'demo-district' },
      { code: replayCode, idempotency_client_id: 'demo-officer' },
    ]);
  });

  it('the monitoring centre cannot search dossiers by applicant or land parcel', async () => {
    for (const filter of [`applicantId: "${applicantId}"`, `landParcel: { communeCode: "19753", mapSheetNumber: 1, parcelNumber: 1 }`]) {
      const refused = await hub.graphql(`{ dossiers(filter: { ${filter} }) { totalCount } }`, {}, { as: 'demo-monitor' });
      expect((refused.body.errors as Errors)![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'PERSONAL_DATA.MONITOR' });
    }
    // Without a personal filter it still sees every dossier's status.
    const all = await hub.graphql(`{ dossiers { totalCount } }`, {}, { as: 'demo-monitor' });
    expect(all.body.errors).toBeUndefined();
  });

  it('the unlogged reads now logged: a search by personal id, and by land parcel', async () => {
    const found = await hub.graphql<{ dossiers: { totalCount: number } }>(
      `{ dossiers(filter: { applicantId: "${applicantId}" }) { totalCount } }`,
      {},
      { as: 'demo-district' },
    );
    expect(found.body.errors).toBeUndefined();
    expect(await auditRows('dossiers.filter.applicantId')).toEqual([
      {
        actor: 'demo-district',
        action: 'personal-data.search',
        subject: hub.services.audit.subjectRef(applicantId),
        basis: `agency:${DESK}`,
      },
    ]);
    const land = await hub.graphql<{ dossier: { landParcelId: { communeCode: string; mapSheetNumber: number; parcelNumber: number } } }>(
      `query($c: String!) { dossier(code: $c) { landParcelId { communeCode mapSheetNumber parcelNumber } } }`,
      { c: seeded[7] },
      { as: 'demo-district' },
    );
    const parcel = land.body.data!.dossier.landParcelId;
    const byParcel = await hub.graphql<{ dossiers: { totalCount: number } }>(
      `query($p: LandParcelInput!) { dossiers(filter: { landParcel: $p }) { totalCount } }`,
      { p: parcel },
      { as: 'demo-district' },
    );
    expect(byParcel.body.data!.dossiers.totalCount).toBe(1);
    expect(await auditRows('dossiers.filter.landParcel')).toEqual([
      { actor: 'demo-district', action: 'personal-data.search', subject: null, basis: `agency:${DESK}` },
    ]);
  });

  it('the unlogged reads now logged: Citizen.parcels, for the citizen and every co-holder', async () => {
    const dossier = await hub.services.dossiers.findByCode(seeded[7]!);
    const result = await hub.graphql<{ citizen: { parcels: { owners: { ownerId: string; ownerKind: string }[] }[] } }>(
      `query($p: String!, $c: String!) { citizen(personalId: $p, dossierCode: $c) { parcels { owners { ownerId ownerKind } } } }`,
      { p: dossier.applicantId, c: dossier.code },
      { as: 'demo-district' },
    );
    expect(result.body.errors).toBeUndefined();
    const holders = new Set([dossier.applicantId]);
    for (const parcel of result.body.data!.citizen.parcels)
      for (const o of parcel.owners) if (o.ownerKind === 'CITIZEN') holders.add(o.ownerId);
    const rows = await auditRows('Citizen.parcels');
    expect(new Set(rows.map((r) => r.subject))).toEqual(new Set([...holders].map((id) => hub.services.audit.subjectRef(id))));
    for (const row of rows) {
      expect(row).toMatchObject({
        actor: 'demo-district',
        action: 'personal-data.read',
        basis: `parcels-of:${hub.services.audit.subjectRef(dossier.applicantId)}`,
      });
    }
  });
});
