import { readFileSync } from 'node:fs';
import { DriverException } from '@mikro-orm/core';
import { Client } from 'pg';
import { generateCitizen } from '../../connectors/population/simulator/citizen-generator';
import type { ProcedureDefinition } from '../../domain/catalogue/procedure-definition';
import { fromProjectRoot } from '../../platform/paths';
import { waitForQuietOutbox } from '../support/database-fingerprint';
import { TEST_SIMULATOR_SEED } from '../support/environment';
import { BIRTH_REGISTRATION, DESK, paperInputs } from '../support/hub-fixtures';
import { startPrivatePostgres, type PrivatePostgres } from '../support/private-postgres';
import { seedTestDemo, startTestHub, type TestHub } from '../support/test-hub';

const RECEIVE = `mutation($input: ReceiveDossierInput!) { receiveDossier(input: $input) { ... on DossierReceived { dossier { code } } } }`;
const READ = `query($code: String!) { dossier(code: $code) { code } }`;

const BIRTH_PAPERS = paperInputs(
  (JSON.parse(readFileSync(fromProjectRoot('reference/catalogue/procedures.json'), 'utf8')) as ProcedureDefinition[]).find(
    (p) => p.code === BIRTH_REGISTRATION,
  )!,
);

/** What a caller must never read: the driver's words, SQL, the database's address. */
function leaks(text: string, port: number): string[] {
  const patterns = [
    /\b(insert into|select .* from|update \w+ set|delete from)\b/i,
    /ECONN\w+|EPIPE|ETIMEDOUT/,
    /database system is/i,
    /terminating connection/i,
    /Connection terminated/i,
    /knex|mikro-?orm|node-postgres|\bpg\b/i,
    /dossier_register_sequence|outbox_event|audit_log/i,
    /\b57P0\d\b|\b08\d{3}\b/,
    new RegExp(`127\\.0\\.0\\.1|:${port}\\b`),
  ];
  return patterns.filter((pattern) => pattern.test(text)).map(String);
}

type Kind = 'reception' | 'read' | 'form' | 'token';

interface Outcome {
  kind: Kind;
  ok: boolean;
  /** Why this answer is not an acceptable one (empty when it is). */
  wrong: string[];
  code?: string;
}

/**
 * Restarting PostgreSQL under load: the receptions acknowledged are all stored, every answer given
 * while the database is away is the typed, retryable STORE_UNAVAILABLE (503 + Retry-After on REST),
 * never the driver's text, and the same hub serves again once the database is back.
 */
jest.setTimeout(240_000);

describe('a database outage is a retryable answer, not a leak', () => {
  let pg: PrivatePostgres;
  let hub: TestHub;
  let authorization: string;
  /** The demo dossiers: the first is at the desk this test's client serves. */
  let seeded: string[];
  const acknowledged: string[] = [];
  const outcomes: Outcome[] = [];
  let counter = 0;

  beforeAll(async () => {
    pg = await startPrivatePostgres('outage');
    hub = await startTestHub('outage', { DATABASE_URL: pg.url, DATABASE_POOL_MAX: '6' });
    seeded = (await seedTestDemo(hub.services)).dossierCodes;
    authorization = `Bearer ${await hub.tokenFor('demo-district')}`;
  });

  afterAll(async () => {
    await hub?.dispose();
    await pg?.destroy();
  });

  async function receive(): Promise<Outcome> {
    const n = counter++;
    const input = {
      procedureCode: BIRTH_REGISTRATION,
      applicantId: generateCitizen(TEST_SIMULATOR_SEED, n % 1000).personalId,
      channel: 'DESK',
      agencyCode: DESK,
      idempotencyKey: `outage-${String(n).padStart(6, '0')}`,
      components: BIRTH_PAPERS,
    };
    const response = await fetch(`${hub.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: JSON.stringify({ query: RECEIVE, variables: { input } }),
    });
    return graphqlOutcome('reception', response);
  }

  async function read(): Promise<Outcome> {
    const response = await fetch(`${hub.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: JSON.stringify({ query: READ, variables: { code: acknowledged[counter++ % acknowledged.length] } }),
    });
    return graphqlOutcome('read', response);
  }

  async function graphqlOutcome(kind: Kind, response: Response): Promise<Outcome> {
    const text = await response.text();
    const body = JSON.parse(text) as {
      data?: { receiveDossier?: { dossier?: { code: string } }; dossier?: { code: string } } | null;
      errors?: { extensions?: { code?: string; details?: { retryAfterSeconds?: number } } }[];
    };
    const code = body.data?.receiveDossier?.dossier?.code ?? body.data?.dossier?.code;
    if (!body.errors && code) return { kind, ok: true, wrong: [], code };
    const wrong = [
      ...(body.errors ?? [{}]).filter((e) => e.extensions?.code !== 'STORE_UNAVAILABLE').map((e) => `code ${e.extensions?.code}`),
      ...(body.errors ?? []).filter((e) => !(Number(e.extensions?.details?.retryAfterSeconds) > 0)).map(() => 'no retry hint'),
      ...(response.headers.get('retry-after') ? [] : ['no Retry-After']),
      ...leaks(text, pg.port),
    ];
    return { kind, ok: false, wrong: wrong.map((w) => `${kind}: ${w} in ${text.slice(0, 300)}`) };
  }

  async function form(): Promise<Outcome> {
    const code = acknowledged[counter++ % acknowledged.length];
    const response = await fetch(`${hub.url}/dossiers/${code}/forms/01.pdf`, { headers: { authorization } });
    return restOutcome('form', response, (text) => response.headers.get('content-type') === 'application/pdf' && text.startsWith('%PDF-'));
  }

  /** A REST answer: a success, or 503 problem details with STORE_UNAVAILABLE and Retry-After. */
  async function restOutcome(kind: Kind, response: Response, succeeded: (text: string) => boolean): Promise<Outcome> {
    const text = await response.text();
    if (response.status === 200 && succeeded(text)) return { kind, ok: true, wrong: [] };
    let problem: { code?: string } = {};
    try {
      problem = JSON.parse(text) as typeof problem;
    } catch {
      // reported below: no code
    }
    const wrong = [
      ...(response.status === 503 ? [] : [`HTTP ${response.status}`]),
      ...(response.headers.get('content-type')?.startsWith('application/problem+json') ? [] : ['not problem JSON']),
      ...(problem.code === 'STORE_UNAVAILABLE' ? [] : [`code ${problem.code}`]),
      ...(Number(response.headers.get('retry-after')) > 0 ? [] : ['no Retry-After']),
      ...leaks(text, pg.port),
    ];
    return { kind, ok: false, wrong: wrong.map((w) => `${kind}: ${w} in ${text.slice(0, 300)}`) };
  }

  /** A token request: the client registry is in the database too. */
  async function token(): Promise<Outcome> {
    const response = await fetch(`${hub.url}/oauth/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'demo-district', client_secret: 'demo-secret' }),
    });
    return restOutcome('token', response, (text) => typeof (JSON.parse(text) as { access_token?: unknown }).access_token === 'string');
  }

  /**
   * Four clients send receptions, reads, form downloads and token requests until `enough` says so (or the attempt
   * budget is spent: the loop is bounded), recording every answer.
   */
  async function load(enough: (phase: Outcome[]) => boolean, during?: () => Promise<void>): Promise<Outcome[]> {
    const phase: Outcome[] = [];
    let budget = 3000;
    let stop = false;
    const client = async (index: number) => {
      for (let i = 0; !stop && budget-- > 0; i += 1) {
        // Reads and forms need a dossier received before.
        const step = acknowledged.length === 0 ? 0 : (index + i) % 5;
        const outcome = await [receive, receive, read, form, token][step]!();
        phase.push(outcome);
        outcomes.push(outcome);
        if (outcome.kind === 'reception' && outcome.ok) acknowledged.push(outcome.code!);
        if (enough(phase)) stop = true;
      }
    };
    const clients = Promise.all([0, 1, 2, 3].map(client));
    await during?.();
    await clients;
    return phase;
  }

  const count = (phase: Outcome[], kind: Kind, ok: boolean) => phase.filter((o) => o.kind === kind && o.ok === ok).length;
  /** The answers of the database's absence were seen for each kind of request. */
  const sawOutage = (phase: Outcome[]) =>
    count(phase, 'reception', false) >= 5 &&
    count(phase, 'read', false) >= 3 &&
    count(phase, 'form', false) >= 3 &&
    count(phase, 'token', false) >= 2;
  /** The hub serves every kind of request again. */
  const recovered = (phase: Outcome[]) =>
    phase.slice(-12).every((o) => o.ok) && count(phase, 'reception', true) >= 10 && count(phase, 'form', true) >= 2;

  it.each([['fast' as const], ['immediate' as const]])(
    'restarting PostgreSQL (%s shutdown) under load: STORE_UNAVAILABLE meanwhile, nothing acknowledged lost, served again without a restart',
    async (mode) => {
      const before = await load((phase) => count(phase, 'reception', true) >= 10 && count(phase, 'form', true) >= 2);
      expect(before.filter((o) => !o.ok).map((o) => o.wrong)).toEqual([]);

      // Stopped while requests are in flight: some end mid-query (57P01), later ones find no server.
      let stopped = false;
      const down = await load(
        (phase) => stopped && sawOutage(phase),
        () => pg.stop(mode).then(() => void (stopped = true)),
      );
      expect(sawOutage(down)).toBe(true);

      // Started again under load: the first requests find it starting up (57P03), then it serves.
      const after = await load(recovered, () => pg.start());
      expect(recovered(after)).toBe(true);

      const wrong = outcomes.flatMap((o) => o.wrong);
      expect(wrong).toEqual([]);
      const refused = [...down, ...after].filter((o) => !o.ok).length;
      console.log(`${mode} restart: ${refused} answers STORE_UNAVAILABLE meanwhile, ${acknowledged.length} receptions acknowledged so far`);
    },
  );

  it('the processing log failing to be written after the resolvers ran is STORE_UNAVAILABLE with Retry-After, not a 500', async () => {
    // The write that fails is the one after a successful read: the store went away in between.
    const read = `query($code: String!) { dossier(code: $code) { applicantId } }`;
    // Answered while the log can be written.
    expect((await hub.graphql(read, { code: seeded[0] }, { as: 'demo-district' })).body.data).toEqual({
      dossier: { applicantId: expect.any(String) },
    });
    const audit = hub.services.audit;
    const append = audit.append.bind(audit);
    const lost = () => new DriverException(Object.assign(new Error(`connect ECONNREFUSED 127.0.0.1:${pg.port}`), { code: 'ECONNREFUSED' }));
    audit.append = async () => {
      throw lost();
    };
    try {
      const graphql = await fetch(`${hub.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body: JSON.stringify({
          query: read,
          variables: { code: seeded[0] },
        }),
      });
      const text = await graphql.text();
      expect(graphql.status).toBe(503);
      expect(Number(graphql.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((JSON.parse(text) as { errors: { extensions: { code: string } }[] }).errors.map((e) => e.extensions.code)).toEqual([
        'STORE_UNAVAILABLE',
      ]);
      expect(leaks(text, pg.port)).toEqual([]);
      // Fail closed: a read its processing record could not be written for is not answered.
      expect((JSON.parse(text) as { data?: unknown }).data).toBeUndefined();

      const form = await fetch(`${hub.url}/dossiers/${seeded[0]}/forms/01.pdf`, { headers: { authorization } });
      const problem = await form.text();
      expect([form.status, form.headers.get('content-type'), (JSON.parse(problem) as { code: string }).code]).toEqual([
        503,
        'application/problem+json; charset=utf-8',
        'STORE_UNAVAILABLE',
      ]);
      expect(leaks(problem, pg.port)).toEqual([]);
    } finally {
      audit.append = append;
    }
  });

  it('every acknowledged reception is stored, once, with its event published', async () => {
    await waitForQuietOutbox(hub.store.orm);
    const client = new Client({ connectionString: pg.url });
    await client.connect();
    try {
      const schema = hub.config.DATABASE_SCHEMA;
      const { rows } = await client.query<{ code: string; events: string }>(
        `select d.code, (select count(*) from "${schema}".outbox_event o where o.subject = d.code and o.type = 'dossier.received' and o.published_at is not null)::text as events from "${schema}".dossier d`,
      );
      const stored = new Map(rows.map((r) => [r.code, Number(r.events)]));
      expect(acknowledged.filter((code) => stored.get(code) !== 1)).toEqual([]);
      expect(new Set(acknowledged).size).toBe(acknowledged.length);
      expect(acknowledged.length).toBeGreaterThanOrEqual(40);
    } finally {
      await client.end();
    }
  });
});
