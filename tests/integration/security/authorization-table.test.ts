import { generateCitizen } from '../../../connectors/population/simulator/citizen-generator';
import { TEST_SIMULATOR_SEED } from '../../support/environment';
import type { ProcedureDefinition } from '../../../domain/catalogue/procedure-definition';
import { DESK, paperInputs } from '../../support/hub-fixtures';
import { startTestHub, type TestHub, seedTestDemo } from '../../support/test-hub';

type Expected = 'allow' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'CONSENT_REQUIRED';
const A: Expected = 'allow';
const U: Expected = 'UNAUTHENTICATED';
const F: Expected = 'FORBIDDEN';
const C: Expected = 'CONSENT_REQUIRED';

const CALLERS = [null, 'demo-district', 'demo-officer', 'demo-portal', 'demo-monitor'] as const;
const KIM_LONG = '000.20.31.H46';

/**
 * Who may call what, over real HTTP: public, agency system (Phú Xuân), officer front end (Kim Long),
 * portal, monitoring centre. `own` is a Phú Xuân dossier, `kimLong` one of Kim Long, `portal` one the
 * portal submitted to Phú Xuân.
 */
function table(own: string, kimLong: string, portalDossier: string, personalId: string): [string, string, Expected[]][] {
  const receive = (agency: string, channel: string, key: string) =>
    // No papers: an allowed caller gets DossierIncomplete (nothing saved), a refused one an error.
    `mutation { receiveDossier(input: { procedureCode: "1.001193", applicantId: "${personalId}", channel: ${channel}, agencyCode: "${agency}", idempotencyKey: "${key}" }) { __typename } }`;
  return [
    ['procedures', `{ procedures(first: 1) { totalCount } }`, [A, A, A, A, A]],
    ['procedure', `{ procedure(code: "1.001193") { name } }`, [A, A, A, A, A]],
    ['dossierStatus', `{ dossierStatus(code: "${own}") { status } }`, [A, A, A, A, A]],
    ['dossier (Phú Xuân)', `{ dossier(code: "${own}") { code status } }`, [U, A, F, F, A]],
    ['dossier (Kim Long)', `{ dossier(code: "${kimLong}") { code status } }`, [U, F, A, F, A]],
    ['dossier (submitted by the portal)', `{ dossier(code: "${portalDossier}") { code status } }`, [U, A, F, A, A]],
    ['dossiers', `{ dossiers { totalCount } }`, [U, A, A, F, A]],
    ['dossiers of Kim Long', `{ dossiers(filter: { agencyCode: "${KIM_LONG}" }) { totalCount } }`, [U, F, A, F, A]],
    ['Dossier.applicantId (Phú Xuân)', `{ dossier(code: "${own}") { applicantId } }`, [U, A, F, F, F]],
    ['Dossier.applicant (Phú Xuân)', `{ dossier(code: "${own}") { applicant { fullName } } }`, [U, A, F, F, F]],
    ['Dossier.applicant (portal’s dossier)', `{ dossier(code: "${portalDossier}") { applicant { fullName } } }`, [U, A, F, C, F]],
    ['citizen with a Phú Xuân dossier', `{ citizen(personalId: "${personalId}", dossierCode: "${own}") { fullName } }`, [U, A, F, C, F]],
    ['citizen without a basis', `{ citizen(personalId: "${personalId}") { fullName } }`, [U, F, F, C, F]],
    ['receiveDossier at Phú Xuân desk', receive(DESK, 'DESK', 'table-desk-0001'), [U, A, F, F, F]],
    ['receiveDossier at Kim Long desk', receive(KIM_LONG, 'DESK', 'table-kimlong-0001'), [U, F, A, F, F]],
    ['receiveDossier online', receive(DESK, 'ONLINE', 'table-online-0001'), [U, A, F, A, F]],
  ];
}

describe('authorisation table over HTTP: client kind × root field and sensitive field', () => {
  let hub: TestHub;
  let rows: [string, string, Expected[]][];

  beforeAll(async () => {
    hub = await startTestHub('authz');
    const codes = (await seedTestDemo(hub.services)).dossierCodes;
    const personalId = generateCitizen(TEST_SIMULATOR_SEED, 0).personalId;
    const definition = (await hub.services.catalogue.procedure('1.001193')).definition as unknown as ProcedureDefinition;
    const submitted = await hub.graphql<{ receiveDossier: { dossier: { code: string } } }>(
      `mutation($input: ReceiveDossierInput!) { receiveDossier(input: $input) { ... on DossierReceived { dossier { code } } } }`,
      {
        input: {
          procedureCode: '1.001193',
          applicantId: personalId,
          channel: 'ONLINE',
          agencyCode: DESK,
          components: paperInputs(definition),
        },
      },
      { as: 'demo-portal' },
    );
    rows = table(codes[0]!, codes[2]!, submitted.body.data!.receiveDossier.dossier.code, personalId);
  });

  afterAll(async () => {
    await hub?.dispose();
  });

  it('allows and denies exactly as the policy states', async () => {
    const mismatches: string[] = [];
    for (const [label, query, expected] of rows) {
      for (const [i, caller] of CALLERS.entries()) {
        const result = await hub.graphql(query, {}, caller ? { as: caller } : {});
        const errors = result.body.errors ?? [];
        const got: string = errors.length === 0 ? 'allow' : String(errors[0]!.extensions?.code);
        if (got !== expected[i]) mismatches.push(`${label} as ${caller ?? 'public'}: got ${got}, expected ${expected[i]}`);
        if (got !== 'allow') expect(errors[0]!.message.length).toBeGreaterThan(20);
      }
    }
    expect(mismatches).toEqual([]);
    expect(rows.length * CALLERS.length).toBe(80);
  });
});
