import { generateCitizen } from '../../../connectors/population/simulator/citizen-generator';
import { TEST_SIMULATOR_SEED } from '../../support/environment';
import type { ProcedureDefinition } from '../../../domain/catalogue/procedure-definition';
import { DESK, paperInputs } from '../../support/hub-fixtures';
import { startTestHub, type TestHub, seedTestDemo } from '../../support/test-hub';

type Expected = 'allow' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'CONSENT_REQUIRED' | 'BAD_USER_INPUT' | 'INVALID_TRANSITION';
const A: Expected = 'allow';
const U: Expected = 'UNAUTHENTICATED';
const F: Expected = 'FORBIDDEN';
const C: Expected = 'CONSENT_REQUIRED';
/** Allowed by the policy, then refused for its deliberately empty input: the row changes nothing. */
const P: Expected = 'BAD_USER_INPUT';
/** Allowed by the policy, then refused by the lifecycle: the dossier is not in a status for it. */
const T: Expected = 'INVALID_TRANSITION';

const CALLERS = [null, 'demo-district', 'demo-officer', 'demo-portal', 'demo-monitor'] as const;
const KIM_LONG = '000.20.31.H46';
const LAND_OFFICE = '000.01.15.H46';

/**
 * Who may call what, over real HTTP: public, agency system (Phú Xuân), officer front end (Kim Long),
 * portal, monitoring centre. `own` is a Phú Xuân dossier, `kimLong` one of Kim Long, `portal` one the
 * portal submitted to Phú Xuân, `forwarded` one Phú Xuân received and forwarded to its ward police.
 */
function table(own: string, kimLong: string, portalDossier: string, forwarded: string, personalId: string): [string, string, Expected[]][] {
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
    ['dossiers by applicant (personal id)', `{ dossiers(filter: { applicantId: "${personalId}" }) { totalCount } }`, [U, A, A, F, F]],
    [
      'dossiers by land parcel',
      `{ dossiers(filter: { landParcel: { communeCode: "19753", mapSheetNumber: 1, parcelNumber: 1 } }) { totalCount } }`,
      [U, A, A, F, F],
    ],
    // Holder-only actions: the agency holding the dossier now, no one else.
    ['recordResult (own dossier, held)', `mutation { recordResult(code: "${own}", summary: "") { code } }`, [U, P, F, F, F]],
    ['recordResult (forwarded to the police)', `mutation { recordResult(code: "${forwarded}", summary: "") { code } }`, [U, F, F, F, F]],
    ['completeStep (forwarded to the police)', `mutation { completeStep(code: "${forwarded}", result: "") { code } }`, [U, F, F, F, F]],
    ['completeStep (Kim Long’s, held)', `mutation { completeStep(code: "${kimLong}", result: "") { code } }`, [U, F, P, F, F]],
    ['stopDossier (forwarded to the police)', `mutation { stopDossier(code: "${forwarded}", reason: "") { code } }`, [U, F, F, F, F]],
    // Forward targets: only agencies competent for the step.
    [
      'forwardDossier to a non-competent agency',
      `mutation { forwardDossier(code: "${own}", toAgencyCode: "${LAND_OFFICE}") { code } }`,
      [U, F, F, F, F],
    ],
    ['forwardDossier to an unknown step', `mutation { forwardDossier(code: "${own}", stepCode: "S99") { code } }`, [U, P, F, F, F]],
    // The receiving desk, wherever the dossier is; the applicant through the portal that submitted it.
    [
      'returnResult (forwarded, still processing)',
      `mutation { returnResult(code: "${forwarded}", channel: DESK) { code } }`,
      [U, T, F, F, F],
    ],
    ['rateService (portal’s dossier)', `mutation { rateService(code: "${portalDossier}", score: 0) { code } }`, [U, P, F, P, F]],
    // Consent: a token is checked against its record (a forged one is no consent); grantConsent needs a verified ID token.
    ['prefill with a forged consent token', `{ prefill(procedureCode: "1.001193", consentToken: "forged") { field } }`, [U, C, C, C, F]],
    [
      'citizen with a forged consent token',
      `{ citizen(personalId: "${personalId}", consentToken: "forged") { fullName } }`,
      [U, C, C, C, F],
    ],
    [
      'grantConsent with an ID token that does not verify',
      `mutation { grantConsent(input: { idToken: "not-a-token", attributes: ["population.fullName"], purpose: "prefill:1.001193", procedureCode: "1.001193", notAfter: "2027-01-01T00:00:00Z", dataLifeSeconds: 60 }) { consentToken } }`,
      [U, F, F, U, F],
    ],
    [
      'revokeConsent of a consent that does not exist',
      `mutation { revokeConsent(id: "00000000-0000-4000-8000-000000000000") { status } }`,
      [U, F, F, 'NOT_FOUND' as Expected, F],
    ],
    [
      'withdrawDossier (Kim Long’s)',
      `mutation { withdrawDossier(code: "${kimLong}", expectedVersion: -1) { code } }`,
      [U, F, 'CONFLICT' as Expected, F, F],
    ],
  ];
}

describe('authorisation table over HTTP: client kind × root field and sensitive field', () => {
  let hub: TestHub;
  let rows: [string, string, Expected[]][];
  let resultDocument: string;

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
    rows = table(codes[0]!, codes[2]!, submitted.body.data!.receiveDossier.dossier.code, codes[1]!, personalId);
    resultDocument = (await hub.services.dossiers.findByCode(codes[3]!)).resultDocumentCode!;
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
    expect(rows.length * CALLERS.length).toBe(160);
  });

  it('allows and denies the REST downloads of personal data exactly as the policy states', async () => {
    /** Path × caller (public, Phú Xuân, Kim Long, portal, monitor) → HTTP status. */
    const REST: [string, string, number[]][] = [
      ['Phú Xuân’s register (form 06)', `/agencies/${DESK}/register.pdf?from=2026-01-01&to=2026-12-31`, [401, 200, 403, 403, 403]],
      ['Kim Long’s register (form 06)', `/agencies/${KIM_LONG}/register.pdf?from=2026-01-01&to=2026-12-31`, [401, 403, 200, 403, 403]],
      ['a Kim Long result document', `/documents/${resultDocument}`, [401, 403, 200, 403, 403]],
      ['its signature', `/documents/${resultDocument}/signature.p7s`, [401, 403, 200, 403, 403]],
    ];
    const mismatches: string[] = [];
    for (const [label, path, expected] of REST) {
      for (const [i, caller] of CALLERS.entries()) {
        const headers: Record<string, string> = caller ? { authorization: `Bearer ${await hub.tokenFor(caller)}` } : {};
        const response = await fetch(`${hub.url}${path}`, { headers });
        await response.arrayBuffer();
        if (response.status !== expected[i])
          mismatches.push(`${label} as ${caller ?? 'public'}: got ${response.status}, expected ${expected[i]}`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});
