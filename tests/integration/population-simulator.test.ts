import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isConsistentWithBirth, parsePersonalId } from '../../domain/identifiers/personal-id';
import type { Citizen, CitizenLookupResult, Household, Problem } from '../../connectors/population/population-registry.types';
import {
  startPopulationSimulator,
  type RunningPopulationSimulator,
  type SimulatorStats,
} from '../../connectors/population/simulator/population-simulator.server';
import { generateCitizen } from '../../connectors/population/simulator/citizen-generator';
import { createLogger } from '../../platform/logger';
import type { BaseSimulatorStats } from '../../connectors/simulator-kit/stats';
import { until } from '../support/until';
import { simulatorStats } from '../support/simulator-admin';

const SEED = 20250701;
const SIZE = 2_000;

describe('population registry simulator over HTTP', () => {
  let simulator: RunningPopulationSimulator;
  let sample: string[];

  const api = (path: string, init?: RequestInit) => fetch(`${simulator.url}${path}`, init);
  const postJson = (path: string, body: unknown) =>
    api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const setFaults = async (faults: Record<string, unknown>) => {
    const response = await api('/_sim/faults', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(faults),
    });
    expect(response.status).toBe(200);
    return response.json();
  };

  beforeAll(async () => {
    simulator = await startPopulationSimulator({
      port: 0,
      seed: SEED,
      size: SIZE,
      logger: createLogger({ level: 'silent' }),
    });
    const response = await api('/_sim/sample?count=20');
    sample = ((await response.json()) as { personalIds: string[] }).personalIds;
  });

  afterAll(async () => {
    await simulator.close();
  });

  afterEach(async () => {
    await setFaults({});
  });

  it('listens on a random port of 127.0.0.1 and reports health', async () => {
    expect(simulator.url).toBe(`http://127.0.0.1:${simulator.port}`);
    expect(simulator.port).toBeGreaterThan(0);
    const response = await api('/healthz');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', citizens: SIZE, seed: SEED });
  });

  it('answers a household with its members, the head first, consistent with their citizen records', async () => {
    const citizen = (await (await api(`/v1/citizens/${sample[7]}`)).json()) as Citizen;
    const response = await api(`/v1/households/${citizen.householdId}`);
    expect(response.status).toBe(200);
    const household = (await response.json()) as Household;
    expect(household.householdId).toBe(citizen.householdId);
    expect(household.permanentResidence).toEqual(citizen.permanentResidence);
    expect(household.members[0]!.relationshipToHead).toBe('HEAD');
    expect(household.members.filter((m) => m.relationshipToHead === 'HEAD')).toHaveLength(1);
    const self = household.members.find((m) => m.personalId === citizen.personalId)!;
    expect(self).toEqual({
      personalId: citizen.personalId,
      fullName: citizen.fullName,
      dateOfBirth: citizen.dateOfBirth,
      sex: citizen.sex,
      relationshipToHead: citizen.isHouseholdHead ? 'HEAD' : expect.stringMatching(/^(SPOUSE|PARENT|CHILD)$/),
    });
    for (const member of household.members) {
      const record = (await (await api(`/v1/citizens/${member.personalId}`)).json()) as Citizen;
      expect(record.householdId).toBe(household.householdId);
      expect(record.isHouseholdHead).toBe(member.relationshipToHead === 'HEAD');
    }
    const missing = await api('/v1/households/00000000000');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as Problem).code).toBe('HOUSEHOLD_NOT_FOUND');
    const malformed = await api('/v1/households/12ab');
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as Problem).code).toBe('INVALID_REQUEST');
  });

  it('samples the first citizens in generation order', async () => {
    expect(sample).toHaveLength(20);
    expect(sample[0]).toBe(generateCitizen(SEED, 0).personalId);
    expect(sample[19]).toBe(generateCitizen(SEED, 19).personalId);
    expect((await api('/_sim/sample?count=0')).status).toBe(400);
    expect((await api('/_sim/sample?count=abc')).status).toBe(400);
    const all = (await (await api(`/_sim/sample?count=${SIZE}`)).json()) as { personalIds: string[] };
    expect(all.personalIds).toHaveLength(SIZE);
  });

  it('gets a citizen by personal id', async () => {
    const response = await api(`/v1/citizens/${sample[3]}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const citizen = (await response.json()) as Citizen;
    expect(citizen).toEqual(generateCitizen(SEED, 3));
    const parsed = parsePersonalId(citizen.personalId);
    expect(parsed.ok && isConsistentWithBirth(parsed.value, citizen.dateOfBirth, citizen.sex)).toBe(true);
  });

  it('answers 404 with a problem for an unknown citizen', async () => {
    const response = await api('/v1/citizens/046203999999');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = (await response.json()) as Problem;
    expect(problem).toMatchObject({ status: 404, code: 'CITIZEN_NOT_FOUND', title: 'Citizen not found' });
    expect(problem.type).toMatch(/^urn:problem-type:population-registry:/);
    expect(problem.detail).not.toContain('046203999999');
  });

  it.each([
    ['too short', '04620399999', 'exactly 12 digits'],
    ['not digits', '04620399999x', 'only the digits'],
    ['unknown province', '003203999999', 'not assigned'],
    ['province out of range', '097203999999', 'outside the range'],
    ['birth year in the future', '046499000001', 'Impossible'],
  ])('answers 400 with a problem for a malformed id (%s)', async (_case, id, reason) => {
    const response = await api(`/v1/citizens/${id}`);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = (await response.json()) as Problem;
    expect(problem).toMatchObject({ status: 400, code: 'INVALID_PERSONAL_ID' });
    expect(problem.detail).toContain(reason);
  });

  it('looks up a batch with found, not-found and invalid ids', async () => {
    const unknown = '046203999999';
    const response = await postJson('/v1/citizens/batch-lookup', {
      personalIds: [sample[0], unknown, 'abc', sample[1], sample[0], '003203999999'],
    });
    expect(response.status).toBe(200);
    const result = (await response.json()) as CitizenLookupResult;
    expect(result.citizens.map((c) => c.personalId)).toEqual([sample[0], sample[1]]);
    expect(result.citizens[1]).toEqual(generateCitizen(SEED, 1));
    expect(result.notFound).toEqual([unknown]);
    expect(result.invalid).toEqual(['abc', '003203999999']);
  });

  it.each([
    ['an empty list', { personalIds: [] }],
    ['too many ids', { personalIds: Array.from({ length: 501 }, (_, i) => String(i)) }],
    ['no list', { ids: ['046203999999'] }],
    ['a non-string id', { personalIds: [46203999999] }],
    ['an extra property', { personalIds: ['046203999999'], reason: 'x' }],
    ['an array body', ['046203999999']],
  ])('answers 400 to a batch with %s', async (_case, body) => {
    const response = await postJson('/v1/citizens/batch-lookup', body);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await response.json()).toMatchObject({ status: 400, code: 'INVALID_REQUEST' });
  });

  it('answers 400 to a batch body that is not JSON', async () => {
    const response = await api('/v1/citizens/batch-lookup', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"personalIds": [',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'INVALID_REQUEST', detail: 'The request body is not valid JSON.' });
  });

  it('answers 503 to every API call during an outage, and recovers', async () => {
    expect(await setFaults({ outage: true })).toMatchObject({ outage: true, latencyMs: 0 });
    const get = await api(`/v1/citizens/${sample[0]}`);
    expect(get.status).toBe(503);
    expect(get.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await get.json()).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
    expect((await postJson('/v1/citizens/batch-lookup', { personalIds: [sample[0]] })).status).toBe(503);
    // Admin and health routes are not affected.
    expect((await api('/healthz')).status).toBe(200);
    await setFaults({ outage: false });
    expect((await api(`/v1/citizens/${sample[0]}`)).status).toBe(200);
  });

  it('answers 503 at the configured error rate', async () => {
    await setFaults({ errorRate: 1 });
    expect((await api(`/v1/citizens/${sample[0]}`)).status).toBe(503);
    await setFaults({ errorRate: 0 });
    expect((await api(`/v1/citizens/${sample[0]}`)).status).toBe(200);
  });

  it('delays API answers by the injected latency', async () => {
    await setFaults({ latencyMs: 250 });
    const started = performance.now();
    const response = await api(`/v1/citizens/${sample[0]}`);
    await response.json();
    expect(performance.now() - started).toBeGreaterThanOrEqual(250);
    expect(response.status).toBe(200);

    // Cleared: the simulator holds no latency any more (an upper time bound would fail on a loaded machine).
    expect(await setFaults({})).toMatchObject({ latencyMs: 0 });
    expect((await api(`/v1/citizens/${sample[0]}`)).status).toBe(200);
  });

  it('answers 200 with a body that is not JSON when malformed', async () => {
    await setFaults({ malformed: true });
    const response = await api(`/v1/citizens/${sample[0]}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const body = await response.text();
    expect(() => JSON.parse(body)).toThrow(SyntaxError);
  });

  it('never answers while the timeout fault is on', async () => {
    await setFaults({ timeout: true });
    await expect(api(`/v1/citizens/${sample[0]}`, { signal: AbortSignal.timeout(300) })).rejects.toThrow();
  });

  it('switches faults at run time: PUT replaces, PATCH merges, bad values are refused', async () => {
    await setFaults({ latencyMs: 10, malformed: true });
    const patched = await api('/_sim/faults', {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ malformed: false, errorRate: 0.5 }),
    });
    expect(await patched.json()).toEqual({ latencyMs: 10, errorRate: 0.5, outage: false, timeout: false, malformed: false });
    expect(await (await api('/_sim/faults')).json()).toMatchObject({ latencyMs: 10, errorRate: 0.5 });
    expect(await setFaults({ outage: true })).toEqual({ latencyMs: 0, errorRate: 0, outage: true, timeout: false, malformed: false });
    for (const bad of [{ errorRate: 2 }, { latencyMs: -1 }, { outage: 'yes' }, { slow: true }]) {
      const response = await api('/_sim/faults', {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(bad),
      });
      expect(response.status).toBe(400);
    }
    expect(await (await api('/_sim/faults')).json()).toMatchObject({ outage: true });
  });

  it('counts calls per operation and the ids looked up', async () => {
    const reset = (await (await api('/_sim/stats/reset', { method: 'POST' })).json()) as SimulatorStats;
    expect(reset.calls).toEqual({ getCitizen: 0, lookupCitizens: 0, getHousehold: 0 });

    await api(`/v1/citizens/${sample[0]}`);
    await api(`/v1/citizens/${sample[1]}`);
    await postJson('/v1/citizens/batch-lookup', { personalIds: [sample[2], sample[3], sample[4]] });
    await setFaults({ outage: true });
    await api(`/v1/citizens/${sample[5]}`);

    const stats = (await (await api('/_sim/stats')).json()) as SimulatorStats;
    expect(stats.calls).toEqual({ getCitizen: 3, lookupCitizens: 1, getHousehold: 0 });
    expect(stats.idsLookedUp).toBe(5);
    expect(stats.faultsInjected).toEqual({ outage: 1, error: 0, timeout: 0, malformed: 0 });
    expect(Date.parse(stats.since)).toBeGreaterThanOrEqual(Date.parse(reset.since));
  });

  it('serves its OpenAPI description', async () => {
    const response = await api('/openapi.yaml');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/yaml/);
    const text = await response.text();
    expect(text).toBe(readFileSync(join(__dirname, '..', '..', 'connectors', 'population', 'openapi.yaml'), 'utf8'));
    expect(text).toContain('operationId: getCitizen');
    expect(text).toContain('operationId: lookupCitizens');
  });

  it('answers unknown routes with a 404 problem', async () => {
    const response = await api('/v2/citizens');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });
});

describe('population registry simulator lifecycle', () => {
  it('closes even while a request is held by the timeout fault', async () => {
    const simulator = await startPopulationSimulator({
      port: 0,
      size: 10,
      faults: { timeout: true },
      logger: createLogger({ level: 'silent' }),
    });
    const held = fetch(`${simulator.url}/v1/citizens/046203999999`).catch((error: unknown) => error);
    // Closed once the simulator holds the call (counted as an injected timeout), not after a guessed delay.
    await until(async () => (await simulatorStats<BaseSimulatorStats>(simulator.url)).faultsInjected.timeout === 1, 'the call held');
    await simulator.close();
    // fetch rejects with a TypeError of Node's own realm, not jest's.
    expect(await held).toMatchObject({ name: 'TypeError', message: 'fetch failed' });
  });

  it('logs requests without personal ids', async () => {
    const lines: string[] = [];
    const { default: pino } = await import('pino');
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    const simulator = await startPopulationSimulator({ port: 0, size: 50, logger });
    const [id] = simulator.population.personalIds(1) as [string];
    await (await fetch(`${simulator.url}/v1/citizens/${id}`)).json();
    await (await fetch(`${simulator.url}/v1/citizens/046203999999`)).json();
    await simulator.close();
    const requests = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((l) => l.msg === 'request');
    expect(requests).toHaveLength(2);
    expect(requests[0]).toMatchObject({ route: '/v1/citizens/:personalId', operationId: 'getCitizen', status: 200 });
    expect(requests[1]).toMatchObject({ status: 404 });
    expect(lines.join('\n')).not.toContain(id);
    expect(lines.join('\n')).not.toContain('046203999999');
  });
});
