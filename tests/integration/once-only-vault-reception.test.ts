import { generateCitizen } from '../../connectors/population/simulator/citizen-generator';
import { FixedClock } from '../../domain/clock';
import { DEMO_AGENCIES } from '../../scripts/demo-data';
import { databaseFingerprint, waitForQuietOutbox } from '../support/database-fingerprint';
import { TEST_SIMULATOR_SEED } from '../support/environment';
import { registerAgencySystems } from '../support/hub-fixtures';
import { DEMO_SECRET, seedTestDemo, startTestHub, type TestHub } from '../support/test-hub';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% giấy tờ (bản scan)\n%%EOF\n');
const DESK = '000.19.31.H46';
const KIM_LONG = '000.20.31.H46';
/** Birth registration: C01 the medical birth notice (MEDICAL_BIRTH_NOTICE), C08 identity papers (population-backed). */
const BIRTH = '1.001193';
/** Marital-status confirmation: its signed result is a MARITAL_STATUS_CERTIFICATE. */
const MARITAL_STATUS = '1.004873';
/** Marriage with a foreign element: C06 accepts a MARITAL_STATUS_CERTIFICATE. */
const FOREIGN_MARRIAGE = '2.000806';
const DAY = 86_400_000;
const AS = { as: 'demo-district' };

const RECEIVE = `mutation($input: ReceiveDossierInput!) { receiveDossier(input: $input) {
  __typename
  ... on DossierReceived { dossier { code reusedPapers totalPapers missedReuse papers { requirementCode source documentCode registry takenFromVault } } }
  ... on DossierIncomplete { missing { requirementCode reasonCode reason } } } }`;
const SUPPLEMENT = `mutation($c: String!, $p: [PaperInput!]!) { submitSupplement(code: $c, components: $p) {
  status reusedPapers papers { requirementCode source documentCode supplement } } }`;

interface Received {
  receiveDossier: {
    __typename: string;
    dossier?: {
      code: string;
      reusedPapers: number;
      totalPapers: number;
      missedReuse: number;
      papers: { requirementCode: string; source: string; documentCode: string | null; registry: string | null; takenFromVault: boolean }[];
    };
    missing?: { requirementCode: string; reasonCode: string; reason: string }[];
  };
}

describe('once-only reception reads the vault', () => {
  // From the real time: the seal certificates are issued now, and a signature must not predate them.
  const clock = new FixedClock(new Date());
  const citizen = generateCitizen(TEST_SIMULATOR_SEED, 401).personalId;
  const other = generateCitizen(TEST_SIMULATOR_SEED, 402).personalId;
  const clientOf = (agencyCode: string) => `reuse-${agencyCode.toLowerCase()}`;
  let hub: TestHub;

  const digitize = async (query: string): Promise<string> => {
    const response = await fetch(`${hub.url}/documents?${query}`, {
      method: 'POST',
      headers: { 'content-type': 'application/pdf', authorization: `Bearer ${await hub.tokenFor('demo-district')}` },
      body: PDF,
    });
    const body = (await response.json()) as { code: string };
    expect(response.status).toBe(201);
    return body.code;
  };
  const receive = (procedureCode: string, applicantId: string, components: unknown[], extra: Record<string, unknown> = {}) =>
    hub.graphql<Received>(RECEIVE, { input: { procedureCode, applicantId, channel: 'DESK', agencyCode: DESK, components, ...extra } }, AS);
  const byCode = (code: string) => [{ requirementCode: 'C01', documentCode: code }];

  beforeAll(async () => {
    hub = await startTestHub('once_only_vault', {}, { clock });
    await seedTestDemo(hub.services);
    await registerAgencySystems(hub.services, DEMO_AGENCIES, clientOf, DEMO_SECRET);
  });
  afterAll(async () => {
    await hub?.dispose();
  });

  it('accepts a paper digitized at the desk by its code; the dossier records the document and the document the dossier', async () => {
    const notice = await digitize(`title=GCS&documentType=MEDICAL_BIRTH_NOTICE&ownerId=${citizen}`);
    const result = await receive(BIRTH, citizen, byCode(notice));
    expect(result.body.errors).toBeUndefined();
    const dossier = result.body.data!.receiveDossier.dossier!;
    expect(dossier.papers).toEqual([
      { requirementCode: 'C01', source: 'DOCUMENT', documentCode: notice, registry: null, takenFromVault: false },
      { requirementCode: 'C08', source: 'REGISTRY', documentCode: null, registry: 'population', takenFromVault: false },
    ]);
    expect(dossier).toMatchObject({ reusedPapers: 2, totalPapers: 2, missedReuse: 0 });
    const status = await hub.graphql<{ documentStatus: { usedBy: { dossierCode: string }[] } }>(
      `query($code: String!) { documentStatus(documentCode: $code) { usedBy { dossierCode } } }`,
      { code: notice },
      AS,
    );
    expect(status.body.data!.documentStatus.usedBy).toEqual([{ dossierCode: dossier.code }]);
  });

  it('refuses another person’s, a wrong-type, a revoked, an expired and a superseded document, each with its reason, saving nothing', async () => {
    const theirs = await digitize(`title=GCS&documentType=MEDICAL_BIRTH_NOTICE&ownerId=${other}`);
    const wrongType = await digitize(`title=GKS&documentType=BIRTH_CERTIFICATE&ownerId=${citizen}`);
    const revoked = await digitize(`title=GCS&documentType=MEDICAL_BIRTH_NOTICE&ownerId=${citizen}`);
    const revocation = await hub.graphql(
      `mutation($code: String!) { revokeDocument(code: $code, reason: "Cấp sai thông tin") { status } }`,
      { code: revoked },
      AS,
    );
    expect(revocation.body.errors).toBeUndefined();
    // Identity cards (C08): one that ends soon, and an older one superseded by a newer.
    const expiring = await digitize(
      `title=CCCD&documentType=CITIZEN_IDENTITY_CARD&ownerId=${other}&validUntil=${new Date(clock.now().getTime() + 2 * DAY).toISOString().slice(0, 10)}`,
    );
    const older = await digitize(`title=CCCD&documentType=IDENTITY_CARD&ownerId=${citizen}&issuedAt=2020-01-01&validUntil=2040-01-01`);
    await digitize(`title=CCCD&documentType=IDENTITY_CARD&ownerId=${citizen}&issuedAt=2025-01-01&validUntil=2045-01-01`);
    const notice = await digitize(`title=GCS&documentType=MEDICAL_BIRTH_NOTICE&ownerId=${other}`);

    await waitForQuietOutbox(hub.store.orm);
    const before = await databaseFingerprint(hub.store.orm);
    const refusal = async (applicantId: string, components: unknown[]) => {
      const result = await receive(BIRTH, applicantId, components);
      expect(result.body.errors).toBeUndefined();
      return result.body.data!.receiveDossier.missing!.map((m) => [m.requirementCode, m.reasonCode, m.reason]);
    };
    expect(await refusal(citizen, byCode(theirs))).toEqual([
      ['C01', 'NOT_OWNER', `Giấy tờ ${theirs} không phải của người nộp hồ sơ (document ${theirs} is not the applicant's).`],
    ]);
    expect(await refusal(citizen, byCode(wrongType))).toEqual([
      ['C01', 'WRONG_TYPE', expect.stringContaining('not of a type this paper accepts')],
    ]);
    expect(await refusal(citizen, byCode(revoked))).toEqual([
      ['C01', 'REVOKED', `Giấy tờ ${revoked} đã bị thu hồi (document ${revoked} was revoked).`],
    ]);
    expect(
      await refusal(citizen, [
        { requirementCode: 'C01', fileName: 'gcs.pdf', fileSha256: 'c'.repeat(64) },
        { requirementCode: 'C08', documentCode: older },
      ]),
    ).toEqual([['C08', 'SUPERSEDED', expect.stringContaining('superseded by a newer one')]]);
    expect(await refusal(citizen, [{ requirementCode: 'C01', documentCode: 'GT.KHONG-CO' }])).toEqual([
      ['C01', 'UNKNOWN', expect.stringContaining('no document')],
    ]);
    // Three days on, the card has ended.
    clock.advance(3 * DAY);
    try {
      expect(
        await refusal(other, [
          { requirementCode: 'C01', documentCode: notice },
          { requirementCode: 'C08', documentCode: expiring },
        ]),
      ).toEqual([['C08', 'EXPIRED', expect.stringContaining('has expired')]]);
    } finally {
      clock.advance(-3 * DAY);
    }
    const after = await databaseFingerprint(hub.store.orm);
    // Nothing saved but the processing log (the registry asked for the papers it backs).
    expect({ ...after, audit_log: null }).toEqual({ ...before, audit_log: null });
  });

  it('accepts a held document in a supplement, and refuses a revoked one there with its reason', async () => {
    const received = await receive(BIRTH, citizen, [{ requirementCode: 'C01', fileName: 'gcs.pdf', fileSha256: 'd'.repeat(64) }]);
    const code = received.body.data!.receiveDossier.dossier!.code;
    const requested = await hub.graphql(
      `mutation($c: String!) { requestSupplement(code: $c, missing: [{ requirementCode: "C01", reason: "Bản chụp không rõ" }]) { status } }`,
      { c: code },
      AS,
    );
    expect(requested.body.errors).toBeUndefined();
    const revoked = await digitize(`title=GCS&documentType=MEDICAL_BIRTH_NOTICE&ownerId=${citizen}`);
    await hub.graphql(`mutation($code: String!) { revokeDocument(code: $code, reason: "Sai") { status } }`, { code: revoked }, AS);
    const refused = await hub.graphql(SUPPLEMENT, { c: code, p: byCode(revoked) }, AS);
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({
      reason: 'SUPPLEMENT.INCOMPLETE',
      details: { missing: [{ requirementCode: 'C01', reasonCode: 'REVOKED', reason: expect.stringContaining('revoked') }] },
    });
    const notice = await digitize(`title=GCS&documentType=MEDICAL_BIRTH_NOTICE&ownerId=${citizen}`);
    const supplemented = await hub.graphql<{
      submitSupplement: {
        status: string;
        reusedPapers: number;
        papers: { requirementCode: string; source: string; documentCode: string | null; supplement: boolean }[];
      };
    }>(SUPPLEMENT, { c: code, p: byCode(notice) }, AS);
    expect(supplemented.body.errors).toBeUndefined();
    expect(supplemented.body.data!.submitSupplement.papers.filter((p) => p.supplement)).toEqual([
      { requirementCode: 'C01', source: 'DOCUMENT', documentCode: notice, supplement: true },
    ]);
    expect(supplemented.body.data!.submitSupplement.reusedPapers).toBe(2);
  });

  it('a resolved dossier’s signed result satisfies a later dossier of another procedure, by code and with useHeldDocuments, shown as reused and verifying PASSED', async () => {
    const applicant = generateCitizen(TEST_SIMULATOR_SEED, 403).personalId;
    const first = await hub.graphql<Received>(
      RECEIVE,
      { input: { procedureCode: MARITAL_STATUS, applicantId: applicant, channel: 'DESK', agencyCode: KIM_LONG, components: [] } },
      { as: clientOf(KIM_LONG) },
    );
    expect(first.body.errors).toBeUndefined();
    const dossierCode = first.body.data!.receiveDossier.dossier!.code;
    const forwarded = await hub.graphql<{ forwardDossier: { steps: { agencyCode: string }[] } }>(
      `mutation($c: String!) { forwardDossier(code: $c) { steps { agencyCode } } }`,
      { c: dossierCode },
      { as: clientOf(KIM_LONG) },
    );
    const holder = forwarded.body.data!.forwardDossier.steps.at(-1)!.agencyCode;
    const resolved = await hub.graphql<{ recordResult: { resultDocumentCode: string } }>(
      `mutation($c: String!) { recordResult(code: $c, summary: "Đã cấp giấy xác nhận") { resultDocumentCode } }`,
      { c: dossierCode },
      { as: clientOf(holder) },
    );
    expect(resolved.body.errors).toBeUndefined();
    const result = resolved.body.data!.recordResult.resultDocumentCode;

    // C03 and C04 (the declaration, the foreigner's papers) are new; C08 comes from the population registry.
    const newPapers = ['C03', 'C04'].map((requirementCode) => ({
      requirementCode,
      fileName: `${requirementCode}.pdf`,
      fileSha256: 'e'.repeat(64),
    }));
    const named = await receive(FOREIGN_MARRIAGE, applicant, [...newPapers, { requirementCode: 'C06', documentCode: result }]);
    expect(named.body.errors).toBeUndefined();
    expect(named.body.data!.receiveDossier.dossier!.papers.find((p) => p.requirementCode === 'C06')).toEqual({
      requirementCode: 'C06',
      source: 'DOCUMENT',
      documentCode: result,
      registry: null,
      takenFromVault: false,
    });
    const taken = await receive(FOREIGN_MARRIAGE, applicant, newPapers, { useHeldDocuments: true });
    expect(taken.body.errors).toBeUndefined();
    const dossier = taken.body.data!.receiveDossier.dossier!;
    expect(dossier.papers.find((p) => p.requirementCode === 'C06')).toEqual({
      requirementCode: 'C06',
      source: 'DOCUMENT',
      documentCode: result,
      registry: null,
      takenFromVault: true,
    });
    expect(dossier).toMatchObject({ reusedPapers: 2, totalPapers: 4, missedReuse: 0 });

    const reusable = await hub.graphql<{
      reusableDocuments: { requirementCode: string; documents: { code: string; verification: string }[] }[];
    }>(
      `query($a: String!, $p: String!) { reusableDocuments(applicantId: $a, procedureCode: $p) { requirementCode documents { code verification } } }`,
      { a: applicant, p: FOREIGN_MARRIAGE },
      AS,
    );
    expect(reusable.body.errors).toBeUndefined();
    expect(reusable.body.data!.reusableDocuments.find((p) => p.requirementCode === 'C06')!.documents).toEqual([
      { code: result, verification: 'PASSED' },
    ]);
  });

  it('reusableDocuments lists exactly the two held documents and the registry-backed paper, and writes one processing-log entry', async () => {
    const applicant = generateCitizen(TEST_SIMULATOR_SEED, 404).personalId;
    const notice = await digitize(`title=GCS&documentType=MEDICAL_BIRTH_NOTICE&ownerId=${applicant}`);
    const card = await digitize(`title=CCCD&documentType=CITIZEN_IDENTITY_CARD&ownerId=${applicant}&validUntil=2040-01-01`);
    const entries = async () =>
      Number(
        (
          await hub.store.orm.em
            .fork()
            .execute<{ n: string }[]>(`select count(*) as n from audit_log where details->'fields' ? 'reusableDocuments'`)
        )[0]!.n,
      );
    const before = await entries();
    const answer = await hub.graphql<{
      reusableDocuments: {
        requirementCode: string;
        required: boolean;
        stillNeeded: boolean;
        documents: { code: string; typeCode: string; issuingAgencyCode: string }[];
        registry: { registry: string; attribute: string; outcome: string; lastUpdatedAt: string | null } | null;
      }[];
    }>(
      `query($a: String!, $p: String!) { reusableDocuments(applicantId: $a, procedureCode: $p) {
        requirementCode required stillNeeded documents { code typeCode issuingAgencyCode } registry { registry attribute outcome lastUpdatedAt } } }`,
      { a: applicant, p: BIRTH },
      AS,
    );
    expect(answer.body.errors).toBeUndefined();
    const papers = answer.body.data!.reusableDocuments;
    const reusable = papers.filter((p) => p.documents.length > 0 || p.registry);
    expect(
      reusable.map((p) => [p.requirementCode, p.documents.map((d) => [d.code, d.typeCode]), p.registry?.outcome ?? null, p.stillNeeded]),
    ).toEqual([
      ['C01', [[notice, 'MEDICAL_BIRTH_NOTICE']], null, false],
      ['C07', [], 'CONFIRMED', false],
      ['C08', [[card, 'CITIZEN_IDENTITY_CARD']], 'CONFIRMED', false],
    ]);
    expect(reusable.find((p) => p.requirementCode === 'C07')!.registry).toMatchObject({
      registry: 'population',
      attribute: 'currentResidence',
    });
    expect(reusable.find((p) => p.requirementCode === 'C08')!.registry).toMatchObject({ registry: 'population', attribute: 'identity' });
    expect(reusable.find((p) => p.requirementCode === 'C08')!.registry!.lastUpdatedAt).not.toBeNull();
    expect(await entries()).toBe(before + 1);
    // empty-basis walk: a dossierCode named but empty is checked as a basis (refused), not read as "at my desk".
    const empty = await hub.graphql(
      `query($a: String!, $p: String!) { reusableDocuments(applicantId: $a, procedureCode: $p, dossierCode: "") { requirementCode } }`,
      { a: applicant, p: BIRTH },
      AS,
    );
    expect(empty.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'PERSONAL_DATA.NO_LEGAL_BASIS' });
    expect(await entries()).toBe(before + 1);
    // A portal has no reception basis: it needs the citizen's consent.
    const portal = await hub.graphql(
      `query($a: String!, $p: String!) { reusableDocuments(applicantId: $a, procedureCode: $p) { requirementCode } }`,
      { a: applicant, p: BIRTH },
      { as: 'demo-portal' },
    );
    expect(portal.body.errors?.[0]?.extensions?.code).toBe('CONSENT_REQUIRED');
    expect(await entries()).toBe(before + 1);
  });
});
