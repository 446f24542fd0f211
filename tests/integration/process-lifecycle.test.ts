import { readFileSync } from 'node:fs';
import { FixedClock } from '../../domain/clock';
import { computeDueAt, restartAfterSupplement } from '../../domain/deadlines';
import type { ProcedureDefinition } from '../../domain/catalogue/procedure-definition';
import { fromVietnamLocal } from '../../domain/time/vietnam-time';
import { generateCitizen } from '../../connectors/population/simulator/citizen-generator';
import { fromProjectRoot } from '../../platform/paths';
import { loadWorkingCalendar } from '../../platform/working-calendar';
import { demoPapers, seedDemoData } from '../../scripts/demo-data';
import { databaseFingerprint, waitForQuietOutbox } from '../support/database-fingerprint';
import { TEST_SIMULATOR_SEED } from '../support/environment';
import { DESK } from '../support/hub-fixtures';
import { DEMO_SECRET, startTestHub, type TestHub } from '../support/test-hub';

const INTER_AGENCY = '2.000986';
const HOUR = 3600_000;

interface DossierView {
  code: string;
  status: string;
  nationalStatusCode: number;
  version: number;
  dueAt: string | null;
  originalDueAt: string | null;
  completion: string | null;
  rating: number | null;
  steps: { stepCode: string; agencyCode: string; completedAt: string | null; result: string | null; dueAt: string | null }[];
  timeline: { action: string; actor: string; fromStatus: string | null; toStatus: string | null }[];
}

const VIEW = `code status nationalStatusCode version dueAt originalDueAt completion rating
  steps { stepCode agencyCode completedAt result dueAt } timeline { action actor fromStatus toStatus }`;

function agencyWithRole(role: string): string {
  const agencies = JSON.parse(readFileSync(fromProjectRoot('reference/catalogue/agencies.json'), 'utf8')) as
    { agencies?: { code: string; roles: string[] }[] } | { code: string; roles: string[] }[];
  const list = Array.isArray(agencies) ? agencies : (agencies.agencies ?? []);
  const found = list.find((a) => a.roles.includes(role));
  if (!found) throw new Error(`no agency with role ${role}`);
  return found.code;
}

describe('the one-stop process end to end, over HTTP, with a fixed clock', () => {
  // Monday 2 March 2026, 09:00 in Vietnam: an ordinary working day after Tết.
  const clock = new FixedClock(fromVietnamLocal(2026, 3, 2, 9, 0));
  const calendar = loadWorkingCalendar();
  let hub: TestHub;
  let definition: ProcedureDefinition;
  const applicantId = generateCitizen(TEST_SIMULATOR_SEED, 42).personalId;
  const DISTRICT = { as: 'demo-district' };
  const PORTAL = { as: 'demo-portal' };

  async function act<T = { [k: string]: DossierView }>(query: string, variables: Record<string, unknown>, as = DISTRICT) {
    const result = await hub.graphql<T>(query, variables, as);
    return result;
  }

  beforeAll(async () => {
    hub = await startTestHub('process', {}, { clock });
    await seedDemoData(hub.services, TEST_SIMULATOR_SEED, DEMO_SECRET);
    definition = (await hub.services.catalogue.procedure(INTER_AGENCY)).definition as unknown as ProcedureDefinition;
  });

  afterAll(async () => {
    await hub?.dispose();
  });

  it('walks an inter-agency dossier from online submission to rating', async () => {
    const receive = `mutation($input: ReceiveDossierInput!) { receiveDossier(input: $input) {
      __typename ... on DossierReceived { dossier { ${VIEW} } } ... on DossierIncomplete { missing { requirementCode name reason } message } } }`;
    const base = { procedureCode: INTER_AGENCY, applicantId, channel: 'ONLINE', agencyCode: DESK };

    // 1. Incomplete: every missing paper at once, and nothing saved.
    await waitForQuietOutbox(hub.store.orm);
    const before = await databaseFingerprint(hub.store.orm);
    const incomplete = await act<{ receiveDossier: { __typename: string; missing: { requirementCode: string }[] } }>(
      receive,
      { input: { ...base, components: [] } },
      PORTAL,
    );
    expect(incomplete.body.errors).toBeUndefined();
    const expectedMissing = definition.components.filter((c) => c.required && !(c.registrySource === 'population')).map((c) => c.code);
    expect(incomplete.body.data!.receiveDossier.__typename).toBe('DossierIncomplete');
    expect(incomplete.body.data!.receiveDossier.missing.map((m) => m.requirementCode)).toEqual(expectedMissing);
    expect(await databaseFingerprint(hub.store.orm)).toEqual(before);

    // 2. Complete, online: registered, waiting for a desk to accept it.
    const papers = demoPapers(definition).map((p) => ({
      requirementCode: p.requirementCode,
      fileName: p.file?.name,
      fileSha256: p.file?.sha256,
      presented: p.presented,
    }));
    const submitted = await act<{ receiveDossier: { dossier: DossierView } }>(
      receive,
      { input: { ...base, components: papers, idempotencyKey: 'process-walk-0001' } },
      PORTAL,
    );
    expect(submitted.body.errors).toBeUndefined();
    let dossier = submitted.body.data!.receiveDossier.dossier;
    expect(dossier).toMatchObject({ status: 'REGISTERED_ONLINE', nationalStatusCode: 1, dueAt: null });
    const code = dossier.code;

    // 3. The desk accepts it at 10:00: the resolution time starts.
    clock.set(fromVietnamLocal(2026, 3, 2, 10, 0));
    const accepted = await act<{ acceptDossier: DossierView }>(`mutation($c: String!) { acceptDossier(code: $c) { ${VIEW} } }`, {
      c: code,
    });
    expect(accepted.body.errors).toBeUndefined();
    dossier = accepted.body.data!.acceptDossier;
    expect(dossier.status).toBe('RECEIVED');
    expect(new Date(dossier.dueAt!).toISOString()).toBe(computeDueAt(clock.now(), definition.resolution, calendar).toISOString());

    // 4. Forwarded for appraisal; a paper turns out unreadable: one supplement request.
    const police = agencyWithRole('police-residence');
    const insurance = agencyWithRole('social-insurance');
    clock.advance(HOUR);
    const result = await act<{ forwardDossier: DossierView }>(
      `mutation($c: String!, $a: String!) { forwardDossier(code: $c, toAgencyCode: $a) { ${VIEW} } }`,
      { c: code, a: DESK },
    );
    expect(result.body.errors).toBeUndefined();
    const first = definition.components[0]!.code;
    const supplement = `mutation($c: String!, $v: Int) { requestSupplement(code: $c, expectedVersion: $v, missing: [{ requirementCode: "${first}", reason: "Bản chụp không rõ nét" }]) { ${VIEW} } }`;
    const requested = await act<{ requestSupplement: DossierView }>(supplement, { c: code, v: result.body.data!.forwardDossier.version });
    expect(requested.body.errors).toBeUndefined();
    expect(requested.body.data!.requestSupplement.status).toBe('SUPPLEMENT_REQUESTED');

    // 5. The supplement arrives two days later: the resolution time restarts.
    clock.set(fromVietnamLocal(2026, 3, 4, 14, 0));
    const supplied = await act<{ submitSupplement: DossierView }>(
      `mutation($c: String!) { submitSupplement(code: $c, components: [{ requirementCode: "${first}", fileName: "ban-moi.pdf", fileSha256: "${'c'.repeat(64)}" }]) { ${VIEW} } }`,
      { c: code },
    );
    expect(supplied.body.errors).toBeUndefined();
    expect(supplied.body.data!.submitSupplement.status).toBe('PROCESSING');
    expect(new Date(supplied.body.data!.submitSupplement.dueAt!).toISOString()).toBe(
      restartAfterSupplement(clock.now(), definition.resolution, calendar).toISOString(),
    );

    // 6. Inter-agency steps: police (residence), then social insurance (health-insurance card).
    for (const agency of [police, insurance]) {
      clock.advance(2 * HOUR);
      const forwarded = await act(
        `mutation($c: String!, $a: String!) { forwardDossier(code: $c, toAgencyCode: $a, note: "Chuyển liên thông") { ${VIEW} } }`,
        { c: code, a: agency },
      );
      expect(forwarded.body.errors).toBeUndefined();
      clock.advance(24 * HOUR);
      const done = await act(`mutation($c: String!) { completeStep(code: $c, result: "Đã giải quyết phần việc") { ${VIEW} } }`, {
        c: code,
      });
      expect(done.body.errors).toBeUndefined();
    }

    // 7. It will be late: the one extension, with the apology; a second one is refused.
    const current = (await act<{ dossier: DossierView }>(`query($c: String!) { dossier(code: $c) { ${VIEW} } }`, { c: code })).body.data!
      .dossier;
    const newDue = new Date(new Date(current.dueAt!).getTime() + 7 * 24 * HOUR);
    const extend = `mutation($c: String!, $d: DateTimeISO!) { extendDeadline(code: $c, newDueAt: $d, reason: "Chờ cơ quan bảo hiểm xác minh") { ${VIEW} } }`;
    const extended = await act<{ extendDeadline: DossierView }>(extend, { c: code, d: newDue.toISOString() });
    expect(extended.body.errors).toBeUndefined();
    expect(extended.body.data!.extendDeadline).toMatchObject({ originalDueAt: current.dueAt, dueAt: newDue.toISOString() });
    const again = await act(extend, { c: code, d: new Date(newDue.getTime() + 24 * HOUR).toISOString() });
    expect(again.body.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_TRANSITION', reason: 'DEADLINE.ALREADY_EXTENDED' });

    // 8. Result, return with fees, rating by the applicant through the portal.
    clock.advance(24 * HOUR);
    const resolved = await act<{ recordResult: DossierView }>(
      `mutation($c: String!) { recordResult(code: $c, summary: "Đã cấp giấy khai sinh, thẻ BHYT") { ${VIEW} } }`,
      { c: code },
    );
    expect(resolved.body.data!.recordResult).toMatchObject({ status: 'RESOLVED', nationalStatusCode: 9, completion: 'EARLY' });
    const returned = await act(`mutation($c: String!) { returnResult(code: $c, channel: POST, feesPaidVnd: 0) { ${VIEW} } }`, { c: code });
    expect((returned.body.data as { returnResult: DossierView }).returnResult.status).toBe('RETURNED');
    const rated = await act<{ rateService: DossierView }>(
      `mutation($c: String!) { rateService(code: $c, score: 5, comment: "Nhanh, chu đáo") { ${VIEW} } }`,
      { c: code },
      PORTAL,
    );
    expect(rated.body.errors).toBeUndefined();
    expect(rated.body.data!.rateService.rating).toBe(5);

    // The timeline and the control sheet tell the whole story.
    const final = (await act<{ dossier: DossierView }>(`query($c: String!) { dossier(code: $c) { ${VIEW} } }`, { c: code })).body.data!
      .dossier;
    expect(final.timeline.map((t) => t.action)).toEqual([
      'RECEIVE',
      'ACCEPT_ONLINE',
      'FORWARD',
      'REQUEST_SUPPLEMENT',
      'SUBMIT_SUPPLEMENT',
      'FORWARD',
      'UPDATE',
      'FORWARD',
      'UPDATE',
      'UPDATE',
      'RECORD_RESULT',
      'RETURN_RESULT',
      'UPDATE',
    ]);
    expect(final.timeline[0]).toMatchObject({ actor: 'demo-portal', toStatus: 'REGISTERED_ONLINE' });
    expect(final.steps.map((s) => s.agencyCode)).toEqual([DESK, DESK, police, insurance]);
    expect(final.steps.every((s) => s.completedAt)).toBe(true);

    // Its events left through the outbox, in order.
    const events = await hub.store.orm.em
      .fork()
      .execute<{ type: string }[]>('select type from outbox_event where subject = ? order by id', [code]);
    expect(events.map((e) => e.type)).toEqual([
      'dossier.received',
      'dossier.received',
      'dossier.forwarded',
      'dossier.supplement-requested',
      'dossier.forwarded',
      'dossier.step-completed',
      'dossier.forwarded',
      'dossier.step-completed',
      'dossier.deadline-extended',
      'dossier.result-recorded',
      'dossier.returned',
    ]);
  });

  it.each([
    ['same-day, commune (birth registration)', '1.001193'],
    ['working days, commune (permanent residence)', '1.004222'],
    ['provincial, land registration office', '1.013833'],
    ['provincial, business registration office', '2.001583'],
    ['inter-agency (birth, residence, health insurance)', '2.001023'],
  ])('walks a %s dossier received at a ward desk through every step, routed to the competent agencies', async (_kind, procedureCode) => {
    const procedure = (await hub.services.catalogue.procedure(procedureCode)).definition as unknown as ProcedureDefinition;
    const applicant = procedure.applicantKinds.includes('CITIZEN') ? generateCitizen(TEST_SIMULATOR_SEED, 77).personalId : '0100109106';
    const papers = demoPapers(procedure).map((p) => ({
      requirementCode: p.requirementCode,
      fileName: p.file?.name,
      fileSha256: p.file?.sha256,
      presented: p.presented,
    }));
    clock.set(fromVietnamLocal(2026, 3, 9, 8, 30));
    const received = await act<{ receiveDossier: { __typename: string; dossier: DossierView } }>(
      `mutation($input: ReceiveDossierInput!) { receiveDossier(input: $input) { __typename ... on DossierReceived { dossier { ${VIEW} } } } }`,
      { input: { procedureCode, applicantId: applicant, channel: 'DESK', agencyCode: DESK, components: papers } },
    );
    expect(received.body.errors).toBeUndefined();
    const code = received.body.data!.receiveDossier.dossier.code;
    expect(new Date(received.body.data!.receiveDossier.dossier.dueAt!).toISOString()).toBe(
      computeDueAt(clock.now(), procedure.resolution, calendar).toISOString(),
    );

    const roles = new Map(
      (
        JSON.parse(readFileSync(fromProjectRoot('reference/catalogue/agencies.json'), 'utf8')) as {
          agencies: { code: string; roles: string[] }[];
        }
      ).agencies.map((a) => [a.code, a.roles]),
    );
    // Step 1 is the reception at the desk; each later step is routed by the hub to its role's agency.
    for (const planned of procedure.steps.slice(1)) {
      clock.advance(HOUR);
      const forwarded = await act<{ forwardDossier: DossierView }>(`mutation($c: String!) { forwardDossier(code: $c) { ${VIEW} } }`, {
        c: code,
      });
      expect(forwarded.body.errors).toBeUndefined();
      const step = forwarded.body.data!.forwardDossier.steps.at(-1)!;
      expect(step.stepCode).toBe(planned.code);
      if (planned.agency.kind === 'role') expect(roles.get(step.agencyCode)).toContain(planned.agency.role);
      else expect(step.agencyCode).toBe(DESK);
      const done = await act(`mutation($c: String!) { completeStep(code: $c, result: "Đạt") { code } }`, { c: code });
      expect(done.body.errors).toBeUndefined();
    }
    clock.advance(HOUR);
    const resolved = await act<{ recordResult: DossierView }>(
      `mutation($c: String!) { recordResult(code: $c, summary: "Đã có kết quả") { ${VIEW} } }`,
      { c: code },
    );
    expect(resolved.body.data!.recordResult.status).toBe('RESOLVED');
    const returned = await act<{ returnResult: DossierView }>(
      `mutation($c: String!) { returnResult(code: $c, channel: DESK) { ${VIEW} } }`,
      { c: code },
    );
    expect(returned.body.data!.returnResult.status).toBe('RETURNED');
    expect(returned.body.data!.returnResult.steps.length).toBe(Math.max(procedure.steps.length, 1));
  });

  it('lets only one of two officers acting on the same version win', async () => {
    const papers = demoPapers(definition).map((p) => ({
      requirementCode: p.requirementCode,
      fileName: p.file?.name,
      fileSha256: p.file?.sha256,
      presented: p.presented,
    }));
    const received = await act<{ receiveDossier: { dossier: DossierView } }>(
      `mutation($input: ReceiveDossierInput!) { receiveDossier(input: $input) { ... on DossierReceived { dossier { ${VIEW} } } } }`,
      { input: { procedureCode: INTER_AGENCY, applicantId, channel: 'DESK', agencyCode: DESK, components: papers } },
    );
    const { code, version } = received.body.data!.receiveDossier.dossier;
    const forward = `mutation($c: String!, $v: Int) { forwardDossier(code: $c, toAgencyCode: "${DESK}", expectedVersion: $v) { version } }`;
    const [a, b] = await Promise.all([act(forward, { c: code, v: version }), act(forward, { c: code, v: version })]);
    const outcomes = [a, b].map((r) => r.body.errors?.[0]?.extensions?.code ?? 'ok').sort();
    expect(outcomes).toEqual(['CONFLICT', 'ok']);
  });

  it('refuses illegal transitions naming the status and what is allowed', async () => {
    const codes = await hub.graphql<{ dossiers: { edges: { node: { code: string; status: string } }[] } }>(
      `{ dossiers(filter: { status: RETURNED }) { edges { node { code status } } } }`,
      {},
      DISTRICT,
    );
    const returned = codes.body.data!.dossiers.edges[0]!.node.code;
    const result = await act(`mutation($c: String!) { forwardDossier(code: $c, toAgencyCode: "${DESK}") { code } }`, { c: returned });
    expect(result.body.errors?.[0]?.extensions).toMatchObject({
      code: 'INVALID_TRANSITION',
      details: { currentStatus: 'RETURNED', allowedActions: [] },
    });
    expect(result.body.errors?.[0]?.message).toMatch(/RETURNED \(Đã trả kết quả\)/);
  });

  it('answers statistics for the period, per agency and in total', async () => {
    const result = await hub.graphql<{ statistics: { total: Record<string, number | null>; byAgency: { agencyCode: string }[] } }>(
      `{ statistics(from: "2026-03-01", to: "2026-03-31") { total { received resolved early onTime late pending overdueNow online onlineShare reuseShare averageRating ratings } byAgency { agencyCode received } } }`,
      {},
      { as: 'demo-monitor' },
    );
    expect(result.body.errors).toBeUndefined();
    const total = result.body.data!.statistics.total;
    expect(total.received).toBeGreaterThanOrEqual(9);
    expect(total.ratings).toBe(1);
    expect(total.averageRating).toBe(5);
    expect(total.early! + total.onTime! + total.late!).toBe(total.resolved);
    const own = await hub.graphql(
      `{ statistics(from: "2026-03-01", to: "2026-03-31", agencyCode: "000.20.31.H46") { total { received } } }`,
      {},
      DISTRICT,
    );
    expect(own.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const badDate = await hub.graphql(
      `{ statistics(from: "2026-02-30", to: "2026-03-31") { total { received } } }`,
      {},
      { as: 'demo-monitor' },
    );
    expect(badDate.body.errors?.[0]?.extensions?.code).toMatch(/BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED/);
  });
});
