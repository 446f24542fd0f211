import { FixedClock } from '../../domain/clock';
import type { ProcedureDefinition } from '../../domain/catalogue/procedure-definition';
import { generateCitizen } from '../../connectors/population/simulator/citizen-generator';
import { DEMO_AGENCIES, demoPapers } from '../../scripts/demo-data';
import { heldDocumentsByCode, heldDocumentsOf, recordDocumentUse } from '../../store/held-documents';
import { TEST_SIMULATOR_SEED, testEnv } from '../support/environment';
import { ENTERPRISE, registerAgencySystems } from '../support/hub-fixtures';
import { collectMessages, freshTopicPrefix } from '../support/kafka';
import { DEMO_SECRET, startTestHub, type TestHub, seedTestDemo } from '../support/test-hub';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% giấy tờ (bản scan)\n%%EOF\n');
const KIM_LONG = '000.20.31.H46';
const DISTRICT_DESK = '000.19.31.H46';
/** Marital-status confirmation (Decree 123/2015 art. 22): valid 6 months, a newer one replaces the older. */
const MARITAL_STATUS = '1.004873';
const DAY = 86_400_000;

interface DocumentJson {
  code: string;
  typeCode: string | null;
  ownerId: string;
  issuedAt: string;
  validUntil: string | null;
  status: string;
  source: string;
  errors?: { extensions: { code: string; reason?: string } }[];
}

const VERIFY = `query($code: String) { verifyDocument(documentCode: $code) {
  indication document { code typeCode status issuedAt validUntil } } }`;
const STATUS = `query($code: String!) { documentStatus(documentCode: $code) {
  code typeCode source dossierCode issuingAgencyCode status history { from to by reason supersededBy } usedBy { dossierCode } } }`;

describe('the vault as the state’s memory: types, validity, results, supersession, revocation, events', () => {
  // From the real time: the seal certificates are issued now, and a signature must not predate them.
  const clock = new FixedClock(new Date());
  const prefix = freshTopicPrefix('vault');
  const citizen = generateCitizen(TEST_SIMULATOR_SEED, 77).personalId;
  const clientOf = (agencyCode: string) => `vault-${agencyCode.toLowerCase()}`;
  let hub: TestHub;
  let collector: Awaited<ReturnType<typeof collectMessages>>;

  const upload = async (as: string, query: string) => {
    const response = await fetch(`${hub.url}/documents?${query}`, {
      method: 'POST',
      headers: { 'content-type': 'application/pdf', authorization: `Bearer ${await hub.tokenFor(as)}` },
      body: PDF,
    });
    return { status: response.status, body: (await response.json()) as DocumentJson };
  };
  const count = async (table: string) =>
    Number((await hub.store.orm.em.fork().execute<{ n: string }[]>(`select count(*) as n from ${table}`))[0]!.n);

  /** Receives, forwards and resolves a marital-status dossier over HTTP; returns the signed result's code. */
  async function resolveMaritalStatus(key: string): Promise<{ dossierCode: string; resultCode: string }> {
    const definition = (await hub.services.catalogue.procedure(MARITAL_STATUS)).definition as unknown as ProcedureDefinition;
    const components = demoPapers(definition).map((p) => ({
      requirementCode: p.requirementCode,
      fileName: p.file?.name,
      fileSha256: p.file?.sha256,
      presented: p.presented,
    }));
    const received = await hub.graphql<{ receiveDossier: { dossier: { code: string } } }>(
      `mutation($input: ReceiveDossierInput!) { receiveDossier(input: $input) { ... on DossierReceived { dossier { code } } ... on DossierIncomplete { message } } }`,
      {
        input: {
          procedureCode: MARITAL_STATUS,
          applicantId: citizen,
          channel: 'DESK',
          agencyCode: KIM_LONG,
          components,
          idempotencyKey: key,
        },
      },
      { as: clientOf(KIM_LONG) },
    );
    expect(received.body.errors).toBeUndefined();
    const dossierCode = received.body.data!.receiveDossier.dossier.code;
    const forwarded = await hub.graphql<{ forwardDossier: { steps: { agencyCode: string }[] } }>(
      `mutation($c: String!) { forwardDossier(code: $c) { steps { agencyCode } } }`,
      { c: dossierCode },
      { as: clientOf(KIM_LONG) },
    );
    expect(forwarded.body.errors).toBeUndefined();
    const holder = forwarded.body.data!.forwardDossier.steps.at(-1)!.agencyCode;
    clock.advance(3600_000);
    const resolved = await hub.graphql<{ recordResult: { status: string; resultDocumentCode: string } }>(
      `mutation($c: String!) { recordResult(code: $c, summary: "Đã cấp giấy xác nhận") { status resultDocumentCode } }`,
      { c: dossierCode },
      { as: clientOf(holder) },
    );
    expect(resolved.body.errors).toBeUndefined();
    expect(resolved.body.data!.recordResult.status).toBe('RESOLVED');
    return { dossierCode, resultCode: resolved.body.data!.recordResult.resultDocumentCode };
  }

  beforeAll(async () => {
    hub = await startTestHub('vault', { KAFKA_BROKERS: testEnv('kafkaBrokers'), KAFKA_TOPIC_PREFIX: prefix }, { clock });
    await seedTestDemo(hub.services);
    await registerAgencySystems(hub.services, DEMO_AGENCIES, clientOf, DEMO_SECRET);
    collector = await collectMessages(['document.digitized', 'document.revoked', 'document.superseded'].map((t) => `${prefix}${t}`));
  });

  afterAll(async () => {
    await collector?.consumer.disconnect();
    await hub?.dispose();
  });

  it('digitizes a paper with its type, owner and validity, from the type’s rule or stated on it', async () => {
    const issuedAt = '2026-01-10T00:00:00.000Z';
    const marital = await upload(
      'demo-district',
      `title=XNTTHN&documentType=MARITAL_STATUS_CERTIFICATE&ownerId=${citizen}&issuedAt=${issuedAt}`,
    );
    expect(marital.status).toBe(201);
    expect(marital.body).toMatchObject({
      typeCode: 'MARITAL_STATUS_CERTIFICATE',
      ownerId: citizen,
      issuedAt,
      validUntil: '2026-07-10T00:00:00.000Z',
      status: 'VALID',
      source: 'DESK_SCAN',
    });
    const card = await upload('demo-district', `title=CCCD&documentType=IDENTITY_CARD&ownerId=${citizen}&validUntil=2041-05-01`);
    expect(card.body).toMatchObject({ typeCode: 'IDENTITY_CARD', validUntil: '2041-05-01T00:00:00.000Z' });
    const birth = await hub.graphql<{ digitizeDocument: { code: string; typeCode: string; validUntil: string | null } }>(
      `mutation($input: DigitizeDocumentInput!) { digitizeDocument(input: $input) { code typeCode validUntil } }`,
      {
        input: {
          title: 'Giấy khai sinh',
          mediaType: 'application/pdf',
          contentBase64: PDF.toString('base64'),
          ownerId: citizen,
          documentType: 'BIRTH_CERTIFICATE',
        },
      },
      { as: 'demo-district' },
    );
    expect(birth.body.errors).toBeUndefined();
    expect(birth.body.data!.digitizeDocument).toMatchObject({ typeCode: 'BIRTH_CERTIFICATE', validUntil: null });

    // The reader reception decides with sees the same facts, in the caller's EntityManager.
    const held = await heldDocumentsByCode(hub.store.orm.em.fork(), [marital.body.code, birth.body.data!.digitizeDocument.code, 'NOPE']);
    expect(held.get(marital.body.code)).toEqual({
      code: marital.body.code,
      ownerId: citizen,
      typeCode: 'MARITAL_STATUS_CERTIFICATE',
      issuingAgencyCode: DISTRICT_DESK,
      issuedAt: new Date(issuedAt),
      validUntil: new Date('2026-07-10T00:00:00.000Z'),
      status: 'VALID',
      source: 'DESK_SCAN',
    });
    expect(held.size).toBe(2);
    expect((await heldDocumentsOf(hub.store.orm.em.fork(), citizen, ['IDENTITY_CARD'])).map((d) => d.code)).toEqual([card.body.code]);

    // The event says what entered the vault, never whose it is.
    await collector.waitFor((messages) => messages.some((m) => m.key === card.body.code));
    const digitized = collector.messages.find((m) => m.key === marital.body.code)!;
    expect(digitized.topic).toBe(`${prefix}document.digitized`);
    expect(JSON.stringify(digitized.value)).toContain('MARITAL_STATUS_CERTIFICATE');
    expect(JSON.stringify(digitized.value)).not.toContain(citizen);
  });

  it.each([
    ['an unknown type', `documentType=NO_SUCH_TYPE&ownerId=${citizen}`, 'DOCUMENT.UNKNOWN_TYPE'],
    ['a type whose end is stated, without it', `documentType=IDENTITY_CARD&ownerId=${citizen}`, 'DOCUMENT.VALIDITY_REQUIRED'],
    [
      'an end date for a type that never expires',
      `documentType=BIRTH_CERTIFICATE&ownerId=${citizen}&validUntil=2030-01-01`,
      'DOCUMENT.VALIDITY_NOT_STATED',
    ],
    ['a citizen’s type for a business', `documentType=BIRTH_CERTIFICATE&ownerId=${ENTERPRISE}`, 'DOCUMENT.TYPE_NOT_FOR_OWNER'],
    ['an issue date in the future', `documentType=BIRTH_CERTIFICATE&ownerId=${citizen}&issuedAt=2030-01-01`, 'DOCUMENT.ISSUED_IN_FUTURE'],
  ])('refuses %s and saves nothing', async (_, query, reason) => {
    const before = await count('document');
    const refused = await upload('demo-district', `title=X&${query}`);
    expect(refused.status).toBe(400);
    expect(refused.body.errors![0]!.extensions.reason).toBe(reason);
    expect(await count('document')).toBe(before);
  });

  it('keeps a business’s paper under its enterprise code', async () => {
    const registration = await upload(
      'demo-district',
      `title=GCNĐKDN&documentType=ENTERPRISE_REGISTRATION_CERTIFICATE&ownerId=${ENTERPRISE}`,
    );
    expect(registration.status).toBe(201);
    expect(registration.body).toMatchObject({ ownerId: ENTERPRISE, typeCode: 'ENTERPRISE_REGISTRATION_CERTIFICATE', validUntil: null });
  });

  it('puts a resolved dossier’s signed result in the applicant’s vault with the procedure’s result type; a newer one supersedes it', async () => {
    const first = await resolveMaritalStatus('vault-marital-1');
    const verified = await hub.graphql<{
      verifyDocument: { indication: string; document: { typeCode: string; status: string; validUntil: string } };
    }>(VERIFY, { code: first.resultCode });
    expect(verified.body.data!.verifyDocument).toMatchObject({
      indication: 'PASSED',
      document: { typeCode: 'MARITAL_STATUS_CERTIFICATE', status: 'VALID' },
    });
    const held = (await heldDocumentsByCode(hub.store.orm.em.fork(), [first.resultCode])).get(first.resultCode)!;
    expect(held).toMatchObject({ ownerId: citizen, typeCode: 'MARITAL_STATUS_CERTIFICATE', source: 'DOSSIER_RESULT', status: 'VALID' });
    expect(held.validUntil!.getTime() - held.issuedAt.getTime()).toBeGreaterThan(180 * DAY);
    expect(held.validUntil!.getTime() - held.issuedAt.getTime()).toBeLessThanOrEqual(184 * DAY);

    clock.advance(7 * DAY);
    const second = await resolveMaritalStatus('vault-marital-2');
    const status = await hub.graphql<{
      documentStatus: {
        source: string;
        dossierCode: string;
        status: string;
        history: { from: string; to: string; supersededBy: string }[];
      };
    }>(STATUS, { code: first.resultCode }, { as: clientOf(KIM_LONG) });
    expect(status.body.errors).toBeUndefined();
    expect(status.body.data!.documentStatus).toMatchObject({
      source: 'DOSSIER_RESULT',
      dossierCode: first.dossierCode,
      status: 'SUPERSEDED',
      history: [{ from: 'VALID', to: 'SUPERSEDED', supersededBy: second.resultCode }],
    });
    // The desk scan of an older confirmation (digitized above) is superseded too; the newer result stays valid.
    const ofType = await heldDocumentsOf(hub.store.orm.em.fork(), citizen, ['MARITAL_STATUS_CERTIFICATE']);
    expect(ofType.filter((d) => d.status === 'VALID').map((d) => d.code)).toEqual([second.resultCode]);
    // Superseded, it still verifies: the report shows why it no longer counts.
    const stillSigned = await hub.graphql<{ verifyDocument: { indication: string; document: { status: string } } }>(VERIFY, {
      code: first.resultCode,
    });
    expect(stillSigned.body.data!.verifyDocument).toMatchObject({ indication: 'PASSED', document: { status: 'SUPERSEDED' } });
    await collector.waitFor((messages) => messages.some((m) => m.topic === `${prefix}document.superseded` && m.key === first.resultCode));
    const event = collector.messages.find((m) => m.topic === `${prefix}document.superseded` && m.key === first.resultCode)!;
    expect(JSON.stringify(event.value)).toContain(second.resultCode);
    expect(JSON.stringify(event.value)).not.toContain(citizen);
  });

  it('records, in the caller’s transaction, which dossier used a held document for which paper', async () => {
    const { body } = await upload('demo-district', `title=GKS&documentType=BIRTH_CERTIFICATE&ownerId=${citizen}`);
    const [{ code: dossierCode }] = await hub.store.orm.em
      .fork()
      .execute<{ code: string }[]>(`select code from dossier where applicant_id = ? order by code limit 1`, [citizen]);
    const at = new Date();
    // Rolled back with its transaction: a reception that fails records no use.
    await expect(
      hub.store.orm.em.fork().transactional(async (em) => {
        await recordDocumentUse(em, { documentCode: body.code, dossierCode: dossierCode!, requirementCode: 'C01', at });
        throw new Error('reception failed');
      }),
    ).rejects.toThrow('reception failed');
    expect(await count(`document_use where document_code = '${body.code}'`)).toBe(0);
    await hub.store.orm.em.fork().transactional(async (em) => {
      await recordDocumentUse(em, [
        { documentCode: body.code, dossierCode: dossierCode!, requirementCode: 'C01', at },
        { documentCode: body.code, dossierCode: dossierCode!, requirementCode: 'C01', at },
      ]);
    });
    const status = await hub.graphql<{ documentStatus: { usedBy: { dossierCode: string }[] } }>(
      STATUS,
      { code: body.code },
      { as: 'demo-district' },
    );
    expect(status.body.errors).toBeUndefined();
    expect(status.body.data!.documentStatus.usedBy).toEqual([{ dossierCode }]);
  });

  it('lets the issuing agency revoke a document: status, history, event, processing-log entry, verification report', async () => {
    const { body } = await upload('demo-district', `title=GKS&documentType=BIRTH_CERTIFICATE&ownerId=${citizen}`);
    const logBefore = await count(`audit_log where action = 'document.revoke'`);
    const revoked = await hub.graphql<{
      revokeDocument: { status: string; history: { from: string; to: string; by: string; reason: string }[] };
    }>(
      `mutation($code: String!, $reason: String!) { revokeDocument(code: $code, reason: $reason) { status history { from to by reason } } }`,
      { code: body.code, reason: 'Cấp sai thông tin' },
      { as: 'demo-district' },
    );
    expect(revoked.body.errors).toBeUndefined();
    expect(revoked.body.data!.revokeDocument).toEqual({
      status: 'REVOKED',
      history: [{ from: 'VALID', to: 'REVOKED', by: 'demo-district', reason: 'Cấp sai thông tin' }],
    });
    expect(await count(`audit_log where action = 'document.revoke'`)).toBe(logBefore + 1);
    const report = await hub.graphql<{ verifyDocument: { indication: string; document: { status: string } } }>(VERIFY, { code: body.code });
    expect(report.body.data!.verifyDocument).toMatchObject({ indication: 'PASSED', document: { status: 'REVOKED' } });
    await collector.waitFor((messages) => messages.some((m) => m.topic === `${prefix}document.revoked` && m.key === body.code));
    const event = collector.messages.find((m) => m.topic === `${prefix}document.revoked`)!;
    expect(JSON.stringify(event.value)).not.toContain(citizen);
    expect(JSON.stringify(event.value)).not.toContain('Cấp sai');
    const again = await hub.graphql(
      `mutation($code: String!) { revokeDocument(code: $code, reason: "lại") { status } }`,
      { code: body.code },
      {
        as: 'demo-district',
      },
    );
    expect(again.body.errors![0]!.extensions).toMatchObject({ reason: 'DOCUMENT.ALREADY_REVOKED' });
  });

  it('another agency cannot revoke a document', async () => {
    const { body } = await upload('demo-district', `title=GKS&documentType=BIRTH_CERTIFICATE&ownerId=${citizen}`);
    for (const as of ['demo-officer', clientOf(KIM_LONG), 'demo-portal', 'demo-monitor']) {
      const refused = await hub.graphql(
        `mutation($code: String!) { revokeDocument(code: $code, reason: "không phải của tôi") { status } }`,
        { code: body.code },
        { as },
      );
      expect(refused.body.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN' });
    }
    const held = (await heldDocumentsByCode(hub.store.orm.em.fork(), [body.code])).get(body.code)!;
    expect(held.status).toBe('VALID');
    expect(await count(`document_status_change where document_code = '${body.code}'`)).toBe(0);
  });

  it('keeps new files in DATA_DIR behind the storage port and still serves a document kept in the database before', async () => {
    const { body } = await upload('demo-district', `title=GKS&documentType=BIRTH_CERTIFICATE&ownerId=${citizen}`);
    const em = hub.store.orm.em.fork();
    const [row] = await em.execute<{ content: Buffer | null; storage_key: string }[]>(
      'select content, storage_key from document where code = ?',
      [body.code],
    );
    expect(row!.content).toBeNull();
    expect(row!.storage_key).toMatch(new RegExp(`^\\d{4}/\\d{2}/${body.code.replace(/\./g, '\\.')}$`));
    const fetchFile = async () =>
      Buffer.from(
        await (
          await fetch(`${hub.url}/documents/${body.code}`, { headers: { authorization: `Bearer ${await hub.tokenFor('demo-district')}` } })
        ).arrayBuffer(),
      );
    expect((await fetchFile()).equals(PDF)).toBe(true);
    // A row written before the port holds its bytes in the database, with no storage key.
    await em.execute('update document set content = ?, storage_key = null where code = ?', [PDF, body.code]);
    expect((await fetchFile()).equals(PDF)).toBe(true);
  });
});
