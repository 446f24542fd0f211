import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path_ from 'node:path';
import { promisify } from 'node:util';
import { FixedClock } from '../../domain/clock';
import { classifyCompletion, computeDueAt, restartAfterSupplement } from '../../domain/deadlines';
import type { ProcedureDefinition } from '../../domain/catalogue/procedure-definition';
import { fromVietnamLocal, toVietnamLocal } from '../../domain/time/vietnam-time';
import { generateCitizen } from '../../connectors/population/simulator/citizen-generator';
import { fromProjectRoot } from '../../platform/paths';
import { loadWorkingCalendar } from '../../platform/working-calendar';
import { DEMO_AGENCIES, demoPapers } from '../../scripts/demo-data';
import { databaseFingerprint, waitForQuietOutbox } from '../support/database-fingerprint';
import { TEST_SIMULATOR_SEED, testEnv } from '../support/environment';
import { allRequiredPapers, DESK, registerAgencySystems } from '../support/hub-fixtures';
import { DEMO_SECRET, startTestHub, type TestHub, seedTestDemo } from '../support/test-hub';

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

const run = promisify(execFile);

/** `dd tháng m năm yyyy` as the forms print it (Vietnam time; no leading zero for months from March). */
function vietnameseDate(instant: Date): string {
  const local = toVietnamLocal(instant);
  const day = String(local.day).padStart(2, '0');
  const month = local.month < 3 ? String(local.month).padStart(2, '0') : String(local.month);
  return `${day} tháng ${month} năm ${local.year}`;
}

function agencyName(code: string): string {
  const agencies = JSON.parse(readFileSync(fromProjectRoot('reference/catalogue/agencies.json'), 'utf8')) as {
    agencies: { code: string; name: string }[];
  };
  return agencies.agencies.find((a) => a.code === code)!.name;
}

let hubForPdf: TestHub;

async function pdfText(path: string): Promise<string> {
  const response = await fetch(`${hubForPdf.url}${path}`, {
    headers: { authorization: `Bearer ${await hubForPdf.tokenFor('demo-district')}` },
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('application/pdf');
  const dir = mkdtempSync(path_.join(tmpdir(), 'form-'));
  const file = path_.join(dir, 'form.pdf');
  writeFileSync(file, Buffer.from(await response.arrayBuffer()));
  // Reading order, whitespace folded: a value wrapped across lines still reads as one phrase.
  const { stdout } = await run('pdftotext', [file, '-']);
  rmSync(dir, { recursive: true, force: true });
  return stdout.replace(/\s+/g, ' ');
}

const formText = (code: string, form: string) => pdfText(`/dossiers/${code}/forms/${form}.pdf`);

describe('the one-stop process end to end, over HTTP, with a fixed clock', () => {
  // Monday 2 March 2026, 09:00 in Vietnam: an ordinary working day after Tết.
  const clock = new FixedClock(fromVietnamLocal(2026, 3, 2, 9, 0));
  const calendar = loadWorkingCalendar();
  let hub: TestHub;
  let definition: ProcedureDefinition;
  const applicantId = generateCitizen(TEST_SIMULATOR_SEED, 42).personalId;
  const DISTRICT = { as: 'demo-district' };
  /** The client acting for an agency: the demo desk's own, or one registered per agency. */
  const clientOf = (agencyCode: string) => (agencyCode === DESK ? 'demo-district' : `walk-${agencyCode.toLowerCase()}`);
  const PORTAL = { as: 'demo-portal' };

  async function act<T = { [k: string]: DossierView }>(query: string, variables: Record<string, unknown>, as = DISTRICT) {
    const result = await hub.graphql<T>(query, variables, as);
    return result;
  }

  beforeAll(async () => {
    hub = await startTestHub('process', {}, { clock });
    hubForPdf = hub;
    await seedTestDemo(hub.services);
    // Every agency a dossier may be routed to acts through a system of its own.
    await registerAgencySystems(
      hub.services,
      DEMO_AGENCIES.filter((a) => a.code !== DESK),
      clientOf,
      DEMO_SECRET,
    );
    definition = (await hub.services.catalogue.procedure(INTER_AGENCY)).definition as unknown as ProcedureDefinition;
  });

  afterAll(async () => {
    await hub?.dispose();
  });

  it.each([
    ['same-day, commune (birth registration)', '1.001193'],
    ['working days, commune (permanent residence)', '1.004222'],
    ['provincial, land registration office', '1.013833'],
    ['provincial, business registration office', '2.001583'],
    ['inter-agency (birth, residence, health insurance)', '2.000986'],
  ])('walks a %s dossier through its whole life: online submission to rating, with its forms', async (_kind, procedureCode) => {
    const procedure = (await hub.services.catalogue.procedure(procedureCode)).definition as unknown as ProcedureDefinition;
    const business = !procedure.applicantKinds.includes('CITIZEN');
    const applicant = business ? '0100109106' : applicantId;
    const receive = `mutation($input: ReceiveDossierInput!) { receiveDossier(input: $input) {
      __typename ... on DossierReceived { dossier { ${VIEW} } } ... on DossierIncomplete { missing { requirementCode name reason } message } } }`;
    const base = { procedureCode, applicantId: applicant, channel: 'ONLINE', agencyCode: DESK };
    clock.set(fromVietnamLocal(2026, 3, 2, 9, 0));

    // 1. Incomplete: every missing paper at once, and nothing saved.
    await waitForQuietOutbox(hub.store.orm);
    const before = await databaseFingerprint(hub.store.orm);
    const incomplete = await act<{ receiveDossier: { __typename: string; missing: { requirementCode: string }[] } }>(
      receive,
      { input: { ...base, components: [] } },
      PORTAL,
    );
    expect(incomplete.body.errors).toBeUndefined();
    // The population registry confirms the citizen; the made-up enterprise is in no registry, so its papers are missing too.
    const expectedMissing = procedure.components
      .filter((c) => c.required && (business || c.registrySource !== 'population'))
      .map((c) => c.code);
    expect(incomplete.body.data!.receiveDossier.__typename).toBe('DossierIncomplete');
    expect(incomplete.body.data!.receiveDossier.missing.map((m) => m.requirementCode)).toEqual(expectedMissing);
    // Nothing saved but the processing log: the registries asked for the papers they back is personal-data processing.
    const after = await databaseFingerprint(hub.store.orm);
    expect({ ...after, audit_log: null }).toEqual({ ...before, audit_log: null });
    const registryBacked = procedure.components.some((c) => c.required && c.registrySource === 'population');
    expect(Number(after.audit_log!.split(':')[0]) - Number(before.audit_log!.split(':')[0])).toBe(registryBacked ? 1 : 0);

    // 2. Complete, online: registered, waiting for a desk to accept it.
    const papers = (business ? allRequiredPapers(procedure) : demoPapers(procedure)).map((p) => ({
      requirementCode: p.requirementCode,
      fileName: p.file?.name,
      fileSha256: p.file?.sha256,
      presented: p.presented,
    }));
    const submitted = await act<{ receiveDossier: { dossier: DossierView } }>(
      receive,
      { input: { ...base, components: papers, idempotencyKey: `walk-${procedureCode}` } },
      PORTAL,
    );
    expect(submitted.body.errors).toBeUndefined();
    let dossier = submitted.body.data!.receiveDossier.dossier;
    expect(dossier).toMatchObject({ status: 'REGISTERED_ONLINE', nationalStatusCode: 1, dueAt: null });
    const code = dossier.code;

    // 3. The desk accepts it: the resolution time starts.
    clock.set(fromVietnamLocal(2026, 3, 2, 9, 30));
    const accepted = await act<{ acceptDossier: DossierView }>(`mutation($c: String!) { acceptDossier(code: $c) { ${VIEW} } }`, {
      c: code,
    });
    expect(accepted.body.errors).toBeUndefined();
    dossier = accepted.body.data!.acceptDossier;
    expect(dossier).toMatchObject({ status: 'RECEIVED', nationalStatusCode: 2 });
    expect(new Date(dossier.dueAt!).toISOString()).toBe(computeDueAt(clock.now(), procedure.resolution, calendar).toISOString());

    // 4. One supplement request listing what is missing; a second is refused.
    clock.advance(HOUR / 2);
    const first = procedure.components[0]!.code;
    const supplement = `mutation($c: String!, $v: Int) { requestSupplement(code: $c, expectedVersion: $v, missing: [{ requirementCode: "${first}", reason: "Bản chụp không rõ nét" }]) { ${VIEW} } }`;
    const requested = await act<{ requestSupplement: DossierView }>(supplement, { c: code, v: dossier.version });
    expect(requested.body.errors).toBeUndefined();
    expect(requested.body.data!.requestSupplement).toMatchObject({ status: 'SUPPLEMENT_REQUESTED', nationalStatusCode: 5 });
    const again = await act(supplement, { c: code });
    expect(again.body.errors?.[0]?.extensions?.code).toBe('INVALID_TRANSITION');

    // 5. The supplement arrives: processing resumes and the resolution time restarts.
    clock.advance(HOUR / 2);
    const supplied = await act<{ submitSupplement: DossierView }>(
      `mutation($c: String!) { submitSupplement(code: $c, components: [{ requirementCode: "${first}", fileName: "ban-moi.pdf", fileSha256: "${'c'.repeat(64)}" }]) { ${VIEW} } }`,
      { c: code },
    );
    expect(supplied.body.errors).toBeUndefined();
    expect(supplied.body.data!.submitSupplement).toMatchObject({ status: 'PROCESSING', nationalStatusCode: 4 });
    const restartedDue = restartAfterSupplement(clock.now(), procedure.resolution, calendar);
    expect(new Date(supplied.body.data!.submitSupplement.dueAt!).toISOString()).toBe(restartedDue.toISOString());

    // 6. Every further step is routed by the hub to the agency with its role, and completed there:
    //    the agency holding the dossier forwards it, the one receiving it completes its step.
    const roles = new Map(
      (
        JSON.parse(readFileSync(fromProjectRoot('reference/catalogue/agencies.json'), 'utf8')) as {
          agencies: { code: string; roles: string[] }[];
        }
      ).agencies.map((a) => [a.code, a.roles]),
    );
    const routed: string[] = [];
    let holder = DESK;
    for (const planned of procedure.steps.slice(1)) {
      clock.advance(HOUR / 4);
      const forwarded = await act<{ forwardDossier: DossierView }>(
        `mutation($c: String!) { forwardDossier(code: $c, note: "Chuyển xử lý") { ${VIEW} } }`,
        { c: code },
        { as: clientOf(holder) },
      );
      expect(forwarded.body.errors).toBeUndefined();
      const step = forwarded.body.data!.forwardDossier.steps.at(-1)!;
      expect(step.stepCode).toBe(planned.code);
      if (planned.agency.kind === 'role') expect(roles.get(step.agencyCode)).toContain(planned.agency.role);
      else expect(step.agencyCode).toBe(DESK);
      routed.push(step.agencyCode);
      holder = step.agencyCode;
      // The public look-up names the step the dossier is in (read without loading the control sheet).
      const status = await act<{ dossierStatus: { currentStepName: string | null } }>(
        `query($c: String!) { dossierStatus(code: $c) { code currentStepName } }`,
        { c: code },
      );
      expect(status.body.data!.dossierStatus.currentStepName).toBe(planned.name);
      const done = await act(
        `mutation($c: String!) { completeStep(code: $c, result: "Đạt") { code } }`,
        { c: code },
        { as: clientOf(holder) },
      );
      expect(done.body.errors).toBeUndefined();
    }
    // Every procedure ends back at the desk, which records and returns the result.
    expect(holder).toBe(DESK);

    // 7. The one extension with the apology: granted while a working day remains, once; too late otherwise.
    const extend = `mutation($c: String!, $d: DateTimeISO!) { extendDeadline(code: $c, newDueAt: $d, reason: "Chờ cơ quan liên quan xác minh") { ${VIEW} } }`;
    const newDue = new Date(restartedDue.getTime() + 7 * 24 * HOUR);
    const extended = await act<{ extendDeadline: DossierView }>(extend, { c: code, d: newDue.toISOString() });
    const extensionAllowed = procedure.resolution.kind === 'working-days' && procedure.resolution.days >= 2;
    if (extensionAllowed) {
      expect(extended.body.errors).toBeUndefined();
      expect(extended.body.data!.extendDeadline).toMatchObject({ originalDueAt: restartedDue.toISOString(), dueAt: newDue.toISOString() });
      const twice = await act(extend, { c: code, d: new Date(newDue.getTime() + 24 * HOUR).toISOString() });
      expect(twice.body.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_TRANSITION', reason: 'DEADLINE.ALREADY_EXTENDED' });
    } else {
      expect(extended.body.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_TRANSITION', reason: 'DEADLINE.TOO_LATE_TO_APOLOGISE' });
    }

    // 8. Result (early, on time or late, by the engine), return with fees, rating through the portal.
    clock.advance(HOUR);
    const resolved = await act<{ recordResult: DossierView }>(
      `mutation($c: String!) { recordResult(code: $c, summary: "Đã có kết quả") { ${VIEW} } }`,
      { c: code },
    );
    const dueAtResult = extensionAllowed ? newDue : restartedDue;
    expect(resolved.body.data!.recordResult).toMatchObject({
      status: 'RESOLVED',
      nationalStatusCode: 9,
      completion: classifyCompletion(clock.now(), dueAtResult),
    });
    const returned = await act<{ returnResult: DossierView }>(
      `mutation($c: String!) { returnResult(code: $c, channel: POST, feesPaidVnd: 0) { ${VIEW} } }`,
      { c: code },
    );
    expect(returned.body.data!.returnResult).toMatchObject({ status: 'RETURNED', nationalStatusCode: 10 });
    const rated = await act<{ rateService: DossierView }>(
      `mutation($c: String!) { rateService(code: $c, score: 5, comment: "Nhanh, chu đáo") { ${VIEW} } }`,
      { c: code },
      PORTAL,
    );
    expect(rated.body.errors).toBeUndefined();
    expect(rated.body.data!.rateService.rating).toBe(5);

    // 9. The printable forms carry the same story, with the registry's name for the applicant.
    const applicantName = business
      ? `Doanh nghiệp mã số ${applicant}`
      : ((await (await fetch(`${testEnv('populationUrl')}/v1/citizens/${applicant}`)).json()) as { fullName: string }).fullName;
    const receipt = await formText(code, '01');
    expect(receipt).toContain(code);
    expect(receipt).toContain(applicantName);
    expect(receipt).toContain(procedure.name.slice(0, 40));
    expect(receipt).toContain(vietnameseDate(extensionAllowed ? restartedDue : restartedDue));
    const supplementRequest = await formText(code, '02');
    expect(supplementRequest).toContain('Bản chụp không rõ nét');
    expect(supplementRequest).toContain(applicantName);
    if (extensionAllowed) {
      const apology = await formText(code, '04');
      expect(apology).toContain('Chờ cơ quan liên quan xác minh');
      expect(apology).toContain(vietnameseDate(newDue));
    } else {
      expect(
        (
          await fetch(`${hub.url}/dossiers/${code}/forms/04.pdf`, {
            headers: { authorization: `Bearer ${await hub.tokenFor('demo-district')}` },
          })
        ).status,
      ).toBe(404);
    }
    const sheet = await formText(code, '05');
    for (const agency of routed) expect(sheet).toContain(agencyName(agency));
    expect(await pdfText(`/agencies/${DESK}/register.pdf?from=2026-03-01&to=2026-03-31`)).toContain(code);
    expect(
      (
        await fetch(`${hub.url}/dossiers/${code}/forms/03.pdf`, {
          headers: { authorization: `Bearer ${await hub.tokenFor('demo-district')}` },
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await fetch(`${hub.url}/dossiers/${code}/forms/01.pdf`, {
          headers: { authorization: `Bearer ${await hub.tokenFor('demo-monitor')}` },
        })
      ).status,
    ).toBe(403);
    expect((await fetch(`${hub.url}/dossiers/${code}/forms/01.pdf`)).status).toBe(401);

    // 10. The timeline and the events tell the whole story, in order.
    const final = (await act<{ dossier: DossierView }>(`query($c: String!) { dossier(code: $c) { ${VIEW} } }`, { c: code })).body.data!
      .dossier;
    const stepActions = procedure.steps.slice(1).flatMap(() => ['FORWARD', 'UPDATE']);
    expect(final.timeline.map((t) => t.action)).toEqual([
      'RECEIVE',
      'ACCEPT_ONLINE',
      'REQUEST_SUPPLEMENT',
      'SUBMIT_SUPPLEMENT',
      ...stepActions,
      ...(extensionAllowed ? ['UPDATE'] : []),
      'RECORD_RESULT',
      'RETURN_RESULT',
      'UPDATE',
    ]);
    expect(final.timeline[0]).toMatchObject({ actor: 'demo-portal', toStatus: 'REGISTERED_ONLINE' });
    expect(final.steps.every((s) => s.completedAt)).toBe(true);
    const events = await hub.store.orm.em
      .fork()
      .execute<{ type: string }[]>('select type from outbox_event where subject = ? order by id', [code]);
    expect(events.map((e) => e.type)).toEqual([
      'dossier.received',
      'dossier.received',
      'dossier.supplement-requested',
      ...procedure.steps.slice(1).flatMap(() => ['dossier.forwarded', 'dossier.step-completed']),
      ...(extensionAllowed ? ['dossier.deadline-extended'] : []),
      'dossier.result-recorded',
      'dossier.result-signed',
      'dossier.returned',
    ]);
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
    expect(total.ratings).toBe(5);
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
