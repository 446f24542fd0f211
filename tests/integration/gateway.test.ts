import { testEnv } from '../support/environment';
import type { ProcedureDefinition } from '../../domain/catalogue/procedure-definition';
import { BIRTH_REGISTRATION, DESK, ENTERPRISE, paperInputs } from '../support/hub-fixtures';
import { startTestHub, type TestHub, seedTestDemo } from '../support/test-hub';

/** Agency system of the desk that received the demo dossiers 1, 2 and 5. */
const AS = { as: 'demo-district' };

interface DossierData {
  dossier: {
    code: string;
    status: string;
    nationalStatusCode: number;
    procedure: { code: string };
    applicant: { fullName: string; personalId: string; permanentResidence: { communeCode: string } } | null;
  };
}

describe('gateway over real HTTP: one graph of the dossier store and the population registry', () => {
  let hub: TestHub;
  let codes: string[];

  beforeAll(async () => {
    hub = await startTestHub('gateway');
    codes = (await seedTestDemo(hub.services)).dossierCodes;
  });

  afterAll(async () => {
    await hub?.dispose();
  });

  it('resolves Dossier.applicant from the registry simulator in the same response as store data', async () => {
    const result = await hub.graphql<DossierData>(
      `query($code: String!) { dossier(code: $code) { code status nationalStatusCode procedure { code } applicant { fullName personalId permanentResidence { communeCode } } } }`,
      { code: codes[0] },
      AS,
    );
    expect(result.status).toBe(200);
    expect(result.body.errors).toBeUndefined();
    const dossier = result.body.data!.dossier;
    expect(dossier).toMatchObject({ code: codes[0], status: 'RECEIVED', nationalStatusCode: 2, procedure: { code: BIRTH_REGISTRATION } });

    // The same person, asked of the simulator directly.
    const direct = await fetch(`${testEnv('populationUrl')}/v1/citizens/${dossier.applicant!.personalId}`);
    const citizen = (await direct.json()) as { fullName: string; permanentResidence: { communeCode: string } };
    expect(dossier.applicant!.fullName).toBe(citizen.fullName);
    expect(dossier.applicant!.permanentResidence.communeCode).toBe(citizen.permanentResidence.communeCode);
  });

  it('lists an agency’s dossiers with their applicants in one response', async () => {
    const result = await hub.graphql<{
      dossiers: { totalCount: number; edges: { node: { code: string; applicantKind: string; applicant: { fullName: string } | null } }[] };
    }>(`{ dossiers(first: 50) { totalCount edges { node { code applicantKind applicant { fullName } } } } }`, {}, AS);
    expect(result.body.errors).toBeUndefined();
    const nodes = result.body.data!.dossiers.edges.map((e) => e.node);
    // The demo dossiers received at Phú Xuân (the first, second, fifth and the land dossier).
    expect(nodes.map((n) => n.code).sort()).toEqual([codes[0], codes[1], codes[4], codes[7]].sort());
    expect(result.body.data!.dossiers.totalCount).toBe(4);
    for (const node of nodes) {
      if (node.applicantKind === 'CITIZEN') expect(node.applicant?.fullName).toMatch(/\S+ \S+/);
      else expect(node.applicant).toBeNull();
    }
  });

  it('paginates and filters (the monitoring centre sees every agency)', async () => {
    const MONITOR = { as: 'demo-monitor' };
    const first = await hub.graphql<{
      dossiers: { edges: { node: { code: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
    }>(`{ dossiers(first: 2) { edges { node { code } } pageInfo { hasNextPage endCursor } } }`, {}, MONITOR);
    const page1 = first.body.data!.dossiers;
    expect(page1.edges).toHaveLength(2);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const second = await hub.graphql<{ dossiers: { edges: { node: { code: string } }[] } }>(
      `query($after: String) { dossiers(first: 2, after: $after) { edges { node { code } } } }`,
      { after: page1.pageInfo.endCursor },
      MONITOR,
    );
    const seen = new Set([...page1.edges, ...second.body.data!.dossiers.edges].map((e) => e.node.code));
    expect(seen.size).toBe(4);
    const returned = await hub.graphql<{ dossiers: { edges: { node: { status: string } }[] } }>(
      `{ dossiers(filter: { status: RETURNED }) { edges { node { status } } } }`,
      {},
      MONITOR,
    );
    expect(returned.body.data!.dossiers.edges.map((e) => e.node.status)).toEqual(['RETURNED']);
  });

  it('answers the public status look-up with no personal data', async () => {
    const result = await hub.graphql<{ dossierStatus: Record<string, unknown> }>(
      `query($code: String!) { dossierStatus(code: $code) { code status statusLabel nationalStatusCode procedureName receivingAgencyName receivedAt dueAt overdue } }`,
      { code: codes[0] },
    );
    expect(result.body.data!.dossierStatus).toMatchObject({
      code: codes[0],
      status: 'RECEIVED',
      statusLabel: 'Được tiếp nhận',
      overdue: false,
    });
    const type = await hub.graphql<{ __type: { fields: { name: string }[] } }>(`{ __type(name: "DossierStatusView") { fields { name } } }`);
    const fields = type.body.data!.__type.fields.map((f) => f.name);
    expect(fields).not.toEqual(expect.arrayContaining(['applicantId']));
    expect(
      fields.some(
        (f) => /applicant|name$/i.test(f) && !['procedureName', 'receivingAgencyName', 'currentAgencyName', 'currentStepName'].includes(f),
      ),
    ).toBe(false);
  });

  it('receives a dossier and honours the idempotency key', async () => {
    const mutation = `mutation($input: ReceiveDossierInput!) { receiveDossier(input: $input) { ... on DossierReceived { dossier { code status channel applicantKind } } } }`;
    const definition = (await hub.services.catalogue.procedure('2.001583')).definition as unknown as ProcedureDefinition;
    const input = {
      procedureCode: '2.001583',
      applicantId: ENTERPRISE,
      channel: 'ONLINE',
      agencyCode: DESK,
      idempotencyKey: 'gateway-test-0001',
      components: paperInputs(definition),
    };
    const a = await hub.graphql<{ receiveDossier: { dossier: { code: string } } }>(mutation, { input }, AS);
    const b = await hub.graphql<{ receiveDossier: { dossier: { code: string } } }>(mutation, { input }, AS);
    expect(a.body.errors).toBeUndefined();
    expect(a.body.data!.receiveDossier.dossier).toMatchObject({ status: 'RECEIVED', channel: 'ONLINE', applicantKind: 'BUSINESS' });
    expect(b.body.data!.receiveDossier.dossier.code).toBe(a.body.data!.receiveDossier.dossier.code);
    expect(a.body.data!.receiveDossier.dossier.code).toMatch(new RegExp(`^${DESK.replace(/\./g, '\\.')}-\\d{6}-\\d{4}$`));
  });

  it.each([
    ['a malformed dossier code', `{ dossier(code: "1 OR 1=1") { code } }`, 'BAD_USER_INPUT'],
    ['an unknown dossier', `{ dossier(code: "000.19.31.H46-200101-9999") { code } }`, 'NOT_FOUND'],
    ['an unknown procedure', `{ procedure(code: "9.999999") { code } }`, 'NOT_FOUND'],
    ['a page too large', `{ dossiers(first: 1000) { totalCount } }`, 'BAD_USER_INPUT'],
    ['a forged cursor', `{ dossiers(after: "bm9wZQ") { totalCount } }`, 'BAD_USER_INPUT'],
    [
      'a personal id with a wrong province',
      `mutation { receiveDossier(input: { procedureCode: "${BIRTH_REGISTRATION}", applicantId: "999203001234", channel: DESK, agencyCode: "${DESK}" }) { __typename } }`,
      'BAD_USER_INPUT',
    ],
    [
      'an enterprise code with a wrong check digit',
      `mutation { receiveDossier(input: { procedureCode: "${BIRTH_REGISTRATION}", applicantId: "0100109107", channel: DESK, agencyCode: "${DESK}" }) { __typename } }`,
      'BAD_USER_INPUT',
    ],
    [
      'an unknown agency',
      `mutation { receiveDossier(input: { procedureCode: "${BIRTH_REGISTRATION}", applicantId: "${ENTERPRISE}", channel: DESK, agencyCode: "000.99.99.H99" }) { __typename } }`,
      'FORBIDDEN',
    ],
    ['a citizen asked without a legal basis', `{ citizen(personalId: "046203999999") { fullName } }`, 'FORBIDDEN'],
    ['a malformed personal id', `{ citizen(personalId: "04620399999X") { fullName } }`, 'BAD_USER_INPUT'],
    ['a syntax error', `{ dossier(code: ) }`, 'GRAPHQL_PARSE_FAILED'],
    ['an unknown field', `{ dossier(code: "x") { nope } }`, 'GRAPHQL_VALIDATION_FAILED'],
  ])('gives a typed error for %s', async (_label, query, code) => {
    const before = await hub.graphql<{ dossiers: { totalCount: number } }>(`{ dossiers { totalCount } }`, {}, AS);
    const result = await hub.graphql(query, {}, AS);
    expect(result.body.errors?.[0]?.extensions?.code).toBe(code);
    expect(result.body.errors?.[0]?.message.length).toBeGreaterThan(10);
    expect(JSON.stringify(result.body)).not.toMatch(/\bat .*\.(ts|js):\d+/);
    const after = await hub.graphql<{ dossiers: { totalCount: number } }>(`{ dossiers { totalCount } }`, {}, AS);
    expect(after.body.data!.dossiers.totalCount).toBe(before.body.data!.dossiers.totalCount);
  });

  it('serves GET /graphql for queries, and echoes the request id', async () => {
    const response = await fetch(`${hub.url}/graphql?query=${encodeURIComponent('{ procedures(first: 1) { totalCount } }')}`, {
      headers: { 'x-request-id': 'req-test-12345678', 'apollo-require-preflight': 'true' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('req-test-12345678');
    const body = (await response.json()) as { data: { procedures: { totalCount: number } } };
    expect(body.data.procedures.totalCount).toBe(41);
  });

  it('gives a citizen’s registry data for a dossier of that citizen in the agency’s hands, and logs the processing', async () => {
    const own = await hub.graphql<{ dossier: { applicantId: string } }>(
      `query($c: String!) { dossier(code: $c) { applicantId } }`,
      { c: codes[0] },
      AS,
    );
    const personalId = own.body.data!.dossier.applicantId;
    const query = `query($id: String!, $c: String) { citizen(personalId: $id, dossierCode: $c) { personalId fullName } }`;
    const allowed = await hub.graphql<{ citizen: { personalId: string } }>(query, { id: personalId, c: codes[0] }, AS);
    expect(allowed.body.errors).toBeUndefined();
    expect(allowed.body.data!.citizen.personalId).toBe(personalId);
    // Another agency's dossier is no legal basis; nor is a dossier about someone else.
    const otherAgency = await hub.graphql(query, { id: personalId, c: codes[2] }, AS);
    expect(otherAgency.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const otherPerson = await hub.graphql(query, { id: '046203999999', c: codes[0] }, AS);
    expect(otherPerson.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'PERSONAL_DATA.BASIS_MISMATCH' });
    const rows = await hub.store.orm.em
      .fork()
      .execute<{ actor: string; basis: string; subject: string }[]>(
        `select actor, basis, subject from audit_log where details->'fields' ? 'Query.citizen'`,
      );
    expect(rows).toEqual([{ actor: 'demo-district', basis: `dossier:${codes[0]}`, subject: hub.services.audit.subjectRef(personalId) }]);
    expect(JSON.stringify(rows)).not.toContain(personalId);
    expect(await hub.services.audit.verify()).toMatchObject({ ok: true });
  });

  it('reports liveness, readiness of each dependency, and Prometheus metrics', async () => {
    expect(await (await fetch(`${hub.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${hub.url}/readyz`, { headers: hub.operatorHeaders });
    expect(ready.status).toBe(200);
    const readiness = (await ready.json()) as { checks: { name: string; kind: string; status: string }[] };
    expect(readiness.checks.map((c) => [c.kind, c.status])).toEqual([
      ['store', 'up'],
      ['event-bus', 'up'],
      ['connector', 'up'],
      ['connector', 'up'],
      ['connector', 'up'],
      ['connector', 'up'],
      ['connector', 'up'],
    ]);
    // Each upstream on its own row, the identity provider among them.
    expect(readiness.checks.at(-1)?.name).toBe('national identity provider');
    const metrics = await (await fetch(`${hub.url}/metrics`, { headers: hub.operatorHeaders })).text();
    expect(metrics).toMatch(/^hub_graphql_operations_total\{operation="query",outcome="ok"\} \d+/m);
    expect(metrics).toMatch(/^hub_outbox_pending_events \d+/m);
    expect(metrics).toMatch(/^hub_http_request_duration_seconds_count\{route="\/graphql"/m);
  });

  it('does not serve the registries’ raw operations or Mesh internals', async () => {
    const result = await hub.graphql<{ __schema: { queryType: { fields: { name: string }[] }; directives: { name: string }[] } }>(
      `{ __schema { queryType { fields { name } } directives { name } } }`,
    );
    const fields = result.body.data!.__schema.queryType.fields.map((f) => f.name);
    expect(fields).toEqual(expect.arrayContaining(['dossier', 'dossiers', 'dossierStatus', 'procedures', 'procedure', 'citizen']));
    expect(fields).not.toEqual(expect.arrayContaining(['getCitizen']));
    expect(fields).not.toContain('lookupCitizens');
    expect(result.body.data!.__schema.directives.map((d) => d.name)).not.toContain('httpOperation');
  });
});

describe('gateway with a registry that is down', () => {
  let hub: TestHub;

  beforeAll(async () => {
    hub = await startTestHub('gateway_down', { POPULATION_REGISTRY_URL: 'http://127.0.0.1:9', POPULATION_REGISTRY_TIMEOUT_MS: '1000' });
    await seedTestDemo(hub.services);
  });

  afterAll(async () => {
    await hub?.dispose();
  });

  it('still answers with store data, and UPSTREAM_UNAVAILABLE on the registry field only', async () => {
    const list = await hub.graphql<{ dossiers: { edges: { node: { code: string; applicant: unknown } }[] } }>(
      `{ dossiers(first: 3) { edges { node { code applicant { fullName } } } } }`,
      {},
      AS,
    );
    expect(list.status).toBe(200);
    expect(list.body.data!.dossiers.edges).toHaveLength(3);
    expect(list.body.errors!.length).toBeGreaterThan(0);
    for (const error of list.body.errors!) {
      expect(error.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
      expect(error.path).toEqual(expect.arrayContaining(['applicant']));
    }
  });

  it('reports the connector as down in readiness', async () => {
    const ready = await fetch(`${hub.url}/readyz`, { headers: hub.operatorHeaders });
    expect(ready.status).toBe(503);
    const body = (await ready.json()) as { checks: { kind: string; status: string }[] };
    expect(body.checks.find((c) => c.kind === 'connector')?.status).toBe('down');
    expect(body.checks.filter((c) => c.kind === 'connector' && c.status === 'up')).toHaveLength(4);
    expect(body.checks.find((c) => c.kind === 'store')?.status).toBe('up');
  });
});
