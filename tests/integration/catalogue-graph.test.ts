import { readFileSync } from 'node:fs';
import { parseDocumentTypes } from '../../domain/catalogue/catalogue-validation';
import type { ProcedureDefinition } from '../../domain/catalogue/procedure-definition';
import { fromProjectRoot } from '../../platform/paths';
import { DEMO_AGENCIES, loadReferenceProcedures } from '../../scripts/demo-data';
import { seedTestDemo, startTestHub, type TestHub } from '../support/test-hub';

const PORTAL = { as: 'demo-portal' };
const CONSTRUCTION_PERMIT = '1.013225';

interface PaperData {
  code: string;
  name: string;
  kind: string;
  quantity: number;
  required: boolean;
  condition: string | null;
  acceptedDocumentTypes: { code: string; name: string; validity: { kind: string; months: number | null; days: number | null } }[];
  registrySource: string | null;
}

interface ProcedureData {
  procedure: {
    code: string;
    papers: PaperData[];
    fees: { name: string; amountVnd: number | null; note: string | null }[];
    steps: { code: string; name: string; agencyKind: string; role: string | null; workingDays: number }[];
    resultDocumentType: { code: string; nameEn: string; supersededByNewer: boolean; registrySource: string | null } | null;
  };
}

const PROCEDURE_QUERY = `query($code: String!) { procedure(code: $code) {
  code
  papers { code name kind quantity required condition registrySource acceptedDocumentTypes { code name validity { kind months days } } }
  fees { name amountVnd note }
  steps { code name agencyKind role workingDays }
  resultDocumentType { code nameEn supersededByNewer registrySource }
} }`;

describe('the catalogue in the graph: what a portal needs to build its submission screen', () => {
  let hub: TestHub;
  const catalogue = new Map(loadReferenceProcedures().map((p) => [p.code, p]));

  beforeAll(async () => {
    hub = await startTestHub('catalogue-graph');
    await seedTestDemo(hub.services);
  });

  afterAll(async () => {
    await hub?.dispose();
  });

  it("gives a portal a procedure's papers with their accepted document types, its fees, steps and result type", async () => {
    const result = await hub.graphql<ProcedureData>(PROCEDURE_QUERY, { code: CONSTRUCTION_PERMIT }, PORTAL);
    expect(result.status).toBe(200);
    expect(result.body.errors).toBeUndefined();
    const procedure = result.body.data!.procedure;
    const definition = catalogue.get(CONSTRUCTION_PERMIT)!;

    expect(procedure.papers.map((p) => p.code)).toEqual(definition.components.map((c) => c.code));
    const [form, ownCertificate, , landPaper] = procedure.papers;
    // The application form is made for the dossier: no held document can stand in for it.
    expect(form).toMatchObject({ code: 'C01', kind: 'ORIGINAL', required: true, condition: null, acceptedDocumentTypes: [] });
    expect(landPaper).toMatchObject({
      code: 'C04',
      kind: 'COPY',
      required: true,
      registrySource: 'LAND',
      acceptedDocumentTypes: [
        {
          code: 'LAND_USE_CERTIFICATE',
          name: 'Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất',
          validity: { kind: 'NEVER_EXPIRES', months: null, days: null },
        },
      ],
    });
    expect(ownCertificate!.required).toBe(false);

    expect(procedure.fees).toEqual(definition.fees);
    expect(procedure.steps).toEqual(
      definition.steps.map((s) => ({
        code: s.code,
        name: s.name,
        agencyKind: s.agency.kind === 'role' ? 'ROLE' : 'RECEIVING_AGENCY',
        role: s.agency.kind === 'role' ? s.agency.role : null,
        workingDays: s.workingDays,
      })),
    );
    expect(procedure.steps[0]).toMatchObject({ agencyKind: 'RECEIVING_AGENCY', role: null, workingDays: 0 });
    expect(procedure.steps.some((s) => s.role === 'economy-infrastructure' && s.workingDays === 7)).toBe(true);
    expect(procedure.resultDocumentType).toEqual({
      code: 'CONSTRUCTION_PERMIT',
      nameEn: 'Construction permit',
      supersededByNewer: false,
      registrySource: null,
    });
  });

  it('words the condition of a paper not always required as the catalogue does, and counts the marital-status certificate 6 months', async () => {
    const birth = await hub.graphql<ProcedureData>(PROCEDURE_QUERY, { code: '1.001193' });
    expect(birth.body.errors).toBeUndefined();
    const papers = birth.body.data!.procedure.papers;
    expect(papers.find((p) => p.code === 'C04')!.condition).toBe(
      'Trường hợp trẻ em bị bỏ rơi thì phải có biên bản về việc trẻ bị bỏ rơi do cơ quan có thẩm quyền lập.',
    );
    expect(papers.find((p) => p.code === 'C05')!.condition).toBe('Trong trường hợp ủy quyền thực hiện việc đăng ký khai sinh');
    expect(papers.find((p) => p.code === 'C08')!.acceptedDocumentTypes.map((t) => t.code)).toEqual([
      'IDENTITY_CARD',
      'CITIZEN_IDENTITY_CARD',
      'IDENTITY_CERTIFICATE',
      'PASSPORT',
    ]);
    expect(birth.body.data!.procedure.resultDocumentType!.code).toBe('BIRTH_CERTIFICATE');

    const marriageAbroad = await hub.graphql<ProcedureData>(PROCEDURE_QUERY, { code: '2.000806' });
    const maritalStatus = marriageAbroad.body.data!.procedure.papers.find((p) => p.code === 'C06')!.acceptedDocumentTypes[0];
    expect(maritalStatus).toMatchObject({ code: 'MARITAL_STATUS_CERTIFICATE', validity: { kind: 'EXPIRES_AFTER_MONTHS', months: 6 } });

    // A residence procedure updates the database: no reusable result.
    const residence = await hub.graphql<ProcedureData>(PROCEDURE_QUERY, { code: '1.004222' });
    expect(residence.body.data!.procedure.resultDocumentType).toBeNull();
  });

  it('lists the document types, publicly, exactly as the shipped file has them', async () => {
    const shipped = parseDocumentTypes(JSON.parse(readFileSync(fromProjectRoot('reference/catalogue/document-types.json'), 'utf8')));
    const result = await hub.graphql<{ documentTypes: { code: string; validity: { kind: string; days: number | null } }[] }>(
      '{ documentTypes { code validity { kind days } } }',
    );
    expect(result.body.errors).toBeUndefined();
    expect(result.body.data!.documentTypes.map((t) => t.code)).toEqual(shipped.map((t) => t.code));
    expect(result.body.data!.documentTypes.find((t) => t.code === 'RESIDENCE_CONFIRMATION')!.validity).toEqual({
      kind: 'EXPIRES_AFTER_DAYS',
      days: 30,
    });
  });

  it('resolves the papers of the procedure reached through a dossier too', async () => {
    const result = await hub.graphql<{ dossiers: { edges: { node: { procedure: { code: string; papers: { code: string }[] } } }[] } }>(
      '{ dossiers(first: 1) { edges { node { procedure { code papers { code } } } } } }',
      {},
      { as: 'demo-monitor' },
    );
    expect(result.body.errors).toBeUndefined();
    const procedure = result.body.data!.dossiers.edges[0]!.node.procedure;
    const definition = catalogue.get(procedure.code) as ProcedureDefinition;
    expect(procedure.papers.map((p) => p.code)).toEqual(definition.components.map((c) => c.code));
  });

  it('pages through agencies with a cursor, and filters them by level, role, administrative unit and name', async () => {
    type Page = {
      agencies: {
        totalCount: number;
        edges: { node: { code: string; name: string; level: string; roles: string[]; parentCode: string | null } }[];
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      };
    };
    const query = `query($filter: AgencyFilterInput, $first: Int, $after: String) {
      agencies(filter: $filter, first: $first, after: $after) {
        totalCount edges { node { code name level roles parentCode } } pageInfo { hasNextPage endCursor }
      } }`;
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const page: { body: { data?: Page | null; errors?: unknown } } = await hub.graphql<Page>(query, { first: 5, after }, PORTAL);
      expect(page.body.errors).toBeUndefined();
      const agencies: Page['agencies'] = page.body.data!.agencies;
      expect(agencies.totalCount).toBe(DEMO_AGENCIES.length);
      seen.push(...agencies.edges.map((e) => e.node.code));
      after = agencies.pageInfo.hasNextPage ? agencies.pageInfo.endCursor : null;
      pages++;
    } while (after);
    expect(pages).toBe(Math.ceil(DEMO_AGENCIES.length / 5));
    expect(seen).toEqual(DEMO_AGENCIES.map((a) => a.code).sort());

    const codesFor = async (filter: Record<string, unknown>): Promise<string[]> => {
      const result = await hub.graphql<Page>(query, { filter, first: 100 });
      expect(result.body.errors).toBeUndefined();
      return result.body.data!.agencies.edges.map((e) => e.node.code);
    };
    const expected = (keep: (a: (typeof DEMO_AGENCIES)[number]) => boolean) =>
      DEMO_AGENCIES.filter(keep)
        .map((a) => a.code)
        .sort();
    expect(await codesFor({ level: 'COMMUNE' })).toEqual(expected((a) => a.level === 'commune'));
    expect(await codesFor({ role: 'land-registration-office' })).toEqual(expected((a) => a.roles!.includes('land-registration-office')));
    expect(await codesFor({ adminUnitCode: '19753' })).toEqual(expected((a) => a.adminUnitCode === '19753'));
    // The province's code takes in the wards' agencies too, through their parents.
    expect(await codesFor({ adminUnitCode: '46' })).toEqual(expected(() => true));
    expect(await codesFor({ adminUnitCode: '01' })).toEqual([]);
    expect(await codesFor({ search: 'kim long', role: 'police-residence' })).toEqual(
      expected((a) => /kim long/i.test(a.name) && a.roles!.includes('police-residence')),
    );

    const unknownRole = await hub.graphql<Page>(query, { filter: { role: 'mayor' } });
    expect(unknownRole.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'AGENCY.UNKNOWN_ROLE' });
    const badUnit = await hub.graphql<Page>(query, { filter: { adminUnitCode: '4' } });
    expect(badUnit.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'AGENCY.INVALID_ADMIN_UNIT' });

    const one = await hub.graphql<{ agency: { code: string; roles: string[] } }>('query($c: String!) { agency(code: $c) { code roles } }', {
      c: DEMO_AGENCIES[0]!.code,
    });
    expect(one.body.data!.agency).toEqual({ code: DEMO_AGENCIES[0]!.code, roles: DEMO_AGENCIES[0]!.roles });
  });
});
