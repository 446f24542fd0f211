import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnterpriseCode } from '../../domain/identifiers/enterprise-code';
import type { Citizen } from '../../connectors/population/population-registry.types';
import type { Enterprise, EnterpriseList, EnterpriseLookupResult, Problem } from '../../connectors/business/business-registry.types';
import { generateEnterprise, representativeIndex } from '../../connectors/business/simulator/business-generator';
import {
  startBusinessSimulator,
  type RunningBusinessSimulator,
  type SimulatorStats,
} from '../../connectors/business/simulator/business-simulator.server';
import { generateCitizen } from '../../connectors/population/simulator/citizen-generator';
import { createLogger } from '../../platform/logger';
import { testEnv } from '../support/environment';
import type { BaseSimulatorStats } from '../../connectors/simulator-kit/stats';
import { until } from '../support/until';
import { simulatorStats } from '../support/simulator-admin';

const SEED = 20250701;
const SIZE = 2_000;
const POPULATION_SIZE = 5_000;
const API_KEY = 'integration-test-key';
/** Well formed, valid check digit, not generated (the simulator's codes start with 31, 32 or 33). */
const UNKNOWN_CODE = '0100109106';

describe('business registry simulator over HTTP', () => {
  let simulator: RunningBusinessSimulator;
  let codes: string[];
  let representatives: string[];

  /** `key` null sends no X-Api-Key header. */
  const api = (path: string, init: RequestInit = {}, key: string | null = API_KEY) =>
    fetch(`${simulator.url}${path}`, { ...init, headers: { ...(key === null ? {} : { 'X-Api-Key': key }), ...init.headers } });
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
    simulator = await startBusinessSimulator({
      port: 0,
      seed: SEED,
      size: SIZE,
      populationSize: POPULATION_SIZE,
      apiKey: API_KEY,
      logger: createLogger({ level: 'silent' }),
    });
    const sample = (await (await api('/_sim/sample?count=20')).json()) as { enterpriseCodes: string[]; representativeIds: string[] };
    codes = sample.enterpriseCodes;
    representatives = sample.representativeIds;
  });

  afterAll(async () => {
    await simulator.close();
  });

  afterEach(async () => {
    await setFaults({});
  });

  it('listens on a random port of 127.0.0.1 and reports health without a key', async () => {
    expect(simulator.url).toBe(`http://127.0.0.1:${simulator.port}`);
    const response = await api('/healthz', {}, null);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', enterprises: SIZE, populationSize: POPULATION_SIZE, seed: SEED });
  });

  it('samples the first enterprises and their representatives in generation order', async () => {
    expect(codes).toHaveLength(20);
    const first = generateEnterprise(SEED, 0, POPULATION_SIZE);
    expect(codes[0]).toBe(first.enterpriseCode);
    expect(representatives[0]).toBe(first.legalRepresentative.personalId);
    expect(representatives[19]).toBe(generateEnterprise(SEED, 19, POPULATION_SIZE).legalRepresentative.personalId);
    expect((await api('/_sim/sample?count=0')).status).toBe(400);
    expect((await api('/_sim/sample?count=abc')).status).toBe(400);
  });

  it('gets an enterprise by code, its representative a citizen of the population', async () => {
    const response = await api(`/v1/enterprises/${codes[3]}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const enterprise = (await response.json()) as Enterprise;
    expect(enterprise).toEqual(generateEnterprise(SEED, 3, POPULATION_SIZE));
    const citizen = generateCitizen(SEED, representativeIndex(SEED, 3, POPULATION_SIZE));
    expect(enterprise.legalRepresentative).toMatchObject({ personalId: citizen.personalId, fullName: citizen.fullName });
  });

  it('answers 404 with a problem for an unknown enterprise', async () => {
    const response = await api(`/v1/enterprises/${UNKNOWN_CODE}`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = (await response.json()) as Problem;
    expect(problem).toMatchObject({ status: 404, code: 'ENTERPRISE_NOT_FOUND', title: 'Enterprise not found' });
    expect(problem.type).toBe('urn:problem-type:business-registry:enterprise-not-found');
  });

  it.each([
    ['too short', '010010910', '10 digits'],
    ['not digits', '01001091X6', '10 digits'],
    ['a wrong check digit', '0100109107', 'check digit'],
    ['an impossible check digit', '0000000000', 'cannot form a valid code'],
    ['a dependent unit', '0100109106-001', 'dependent unit'],
  ])('answers 400 with a problem for %s', async (_case, code, reason) => {
    const response = await api(`/v1/enterprises/${code}`);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = (await response.json()) as Problem;
    expect(problem).toMatchObject({ status: 400, code: 'INVALID_ENTERPRISE_CODE' });
    expect(problem.detail).toContain(reason);
  });

  it('looks up a batch with found, not-found and invalid codes', async () => {
    const unit = `${codes[2]}-001`;
    const response = await postJson('/v1/enterprises/batch-lookup', {
      enterpriseCodes: [codes[0], UNKNOWN_CODE, 'abc', codes[1], codes[0], unit, '0100109107'],
    });
    expect(response.status).toBe(200);
    const result = (await response.json()) as EnterpriseLookupResult;
    expect(result.enterprises.map((e) => e.enterpriseCode)).toEqual([codes[0], codes[1]]);
    expect(result.enterprises[1]).toEqual(generateEnterprise(SEED, 1, POPULATION_SIZE));
    expect(result.notFound).toEqual([UNKNOWN_CODE]);
    expect(result.invalid).toEqual(['abc', unit, '0100109107']);
  });

  it.each([
    ['an empty list', { enterpriseCodes: [] }],
    ['too many codes', { enterpriseCodes: Array.from({ length: 501 }, (_, i) => String(i)) }],
    ['no list', { codes: [UNKNOWN_CODE] }],
    ['a non-string code', { enterpriseCodes: [100109106] }],
    ['an extra property', { enterpriseCodes: [UNKNOWN_CODE], reason: 'x' }],
    ['an array body', [UNKNOWN_CODE]],
  ])('answers 400 to a batch with %s', async (_case, body) => {
    const response = await postJson('/v1/enterprises/batch-lookup', body);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await response.json()).toMatchObject({ status: 400, code: 'INVALID_REQUEST' });
  });

  it('answers 400 to a batch body that is not JSON', async () => {
    const response = await api('/v1/enterprises/batch-lookup', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"enterpriseCodes": [',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'INVALID_REQUEST', detail: 'The request body is not valid JSON.' });
  });

  it('finds the enterprises a citizen represents', async () => {
    const personalId = representatives[0] as string;
    const response = await api(`/v1/enterprises?representativeId=${personalId}`);
    expect(response.status).toBe(200);
    const { enterprises } = (await response.json()) as EnterpriseList;
    expect(enterprises.map((e) => e.enterpriseCode)).toContain(codes[0]);
    expect(enterprises.every((e) => e.legalRepresentative.personalId === personalId)).toBe(true);
    expect(enterprises).toEqual(simulator.registry.representedBy(personalId));

    // Someone who represents several.
    const busy = [...simulator.registry.representatives()].find((id) => simulator.registry.indicesRepresentedBy(id).length > 1) as string;
    const several = (await (await api(`/v1/enterprises?representativeId=${busy}`)).json()) as EnterpriseList;
    expect(several.enterprises.length).toBeGreaterThan(1);

    // A well-formed id that represents nothing: an empty list, not 404.
    const none = await api('/v1/enterprises?representativeId=046203999999');
    expect(none.status).toBe(200);
    expect(await none.json()).toEqual({ enterprises: [] });
  });

  it.each([
    ['a malformed id', '?representativeId=04620399999x', 'INVALID_PERSONAL_ID'],
    ['an unknown province', '?representativeId=003203999999', 'INVALID_PERSONAL_ID'],
    ['no id', '', 'INVALID_REQUEST'],
    ['two ids', '?representativeId=046203999999&representativeId=046203999998', 'INVALID_REQUEST'],
  ])('answers 400 to a search by representative with %s', async (_case, query, code) => {
    const response = await api(`/v1/enterprises${query}`);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await response.json()).toMatchObject({ status: 400, code });
  });

  it.each([
    ['no key', null, 'missing'],
    ['a wrong key', 'business-sim-key', 'not valid'],
    ['an empty key', '', 'not valid'],
  ])('answers 401 with a problem to a call with %s', async (_case, key, reason) => {
    for (const call of [
      () => api(`/v1/enterprises/${codes[0]}`, {}, key),
      () => api(`/v1/enterprises?representativeId=${representatives[0]}`, {}, key),
      () =>
        api(
          '/v1/enterprises/batch-lookup',
          { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ enterpriseCodes: [codes[0]] }) },
          key,
        ),
    ]) {
      const response = await call();
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(response.headers.get('www-authenticate')).toContain('X-Api-Key');
      const problem = (await response.json()) as Problem;
      expect(problem).toMatchObject({ status: 401, code: 'UNAUTHORIZED', title: 'Unauthorized' });
      expect(problem.detail).toContain(reason);
    }
  });

  it('checks the key before any fault, as a gateway does', async () => {
    await setFaults({ outage: true });
    expect((await api(`/v1/enterprises/${codes[0]}`, {}, 'wrong')).status).toBe(401);
    expect((await api(`/v1/enterprises/${codes[0]}`)).status).toBe(503);
  });

  it('answers 503 to every API call during an outage, and recovers', async () => {
    expect(await setFaults({ outage: true })).toMatchObject({ outage: true, latencyMs: 0 });
    const get = await api(`/v1/enterprises/${codes[0]}`);
    expect(get.status).toBe(503);
    expect(get.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(get.headers.get('retry-after')).toBe('30');
    expect(await get.json()).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
    expect((await postJson('/v1/enterprises/batch-lookup', { enterpriseCodes: [codes[0]] })).status).toBe(503);
    expect((await api(`/v1/enterprises?representativeId=${representatives[0]}`)).status).toBe(503);
    // Admin and health routes are not affected.
    expect((await api('/healthz')).status).toBe(200);
    await setFaults({ outage: false });
    expect((await api(`/v1/enterprises/${codes[0]}`)).status).toBe(200);
  });

  it('answers 503 at the configured error rate', async () => {
    await setFaults({ errorRate: 1 });
    expect((await api(`/v1/enterprises/${codes[0]}`)).status).toBe(503);
    await setFaults({ errorRate: 0 });
    expect((await api(`/v1/enterprises/${codes[0]}`)).status).toBe(200);
  });

  it('delays API answers by the injected latency', async () => {
    await setFaults({ latencyMs: 250 });
    const started = performance.now();
    const response = await api(`/v1/enterprises/${codes[0]}`);
    await response.json();
    expect(performance.now() - started).toBeGreaterThanOrEqual(250);
    expect(response.status).toBe(200);

    // Cleared: the simulator holds no latency any more (an upper time bound would fail on a loaded machine).
    expect(await setFaults({})).toMatchObject({ latencyMs: 0 });
    expect((await api(`/v1/enterprises/${codes[0]}`)).status).toBe(200);
  });

  it('answers 200 with a body that is not JSON when malformed', async () => {
    await setFaults({ malformed: true });
    const response = await api(`/v1/enterprises/${codes[0]}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const body = await response.text();
    expect(() => JSON.parse(body)).toThrow(SyntaxError);
  });

  it('never answers while the timeout fault is on', async () => {
    await setFaults({ timeout: true });
    await expect(api(`/v1/enterprises/${codes[0]}`, { signal: AbortSignal.timeout(300) })).rejects.toThrow();
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

  it('counts calls per operation, the codes looked up and the refused keys', async () => {
    const reset = (await (await api('/_sim/stats/reset', { method: 'POST' })).json()) as SimulatorStats;
    expect(reset.calls).toEqual({ getEnterprise: 0, lookupEnterprises: 0, findEnterprisesByRepresentative: 0 });

    await api(`/v1/enterprises/${codes[0]}`);
    await api(`/v1/enterprises/${codes[1]}`);
    await postJson('/v1/enterprises/batch-lookup', { enterpriseCodes: [codes[2], codes[3], codes[4]] });
    await api(`/v1/enterprises?representativeId=${representatives[0]}`);
    await api(`/v1/enterprises/${codes[0]}`, {}, null);
    await setFaults({ outage: true });
    await api(`/v1/enterprises/${codes[5]}`);

    const stats = (await (await api('/_sim/stats')).json()) as SimulatorStats;
    expect(stats.calls).toEqual({ getEnterprise: 4, lookupEnterprises: 1, findEnterprisesByRepresentative: 1 });
    expect(stats.codesLookedUp).toBe(5);
    expect(stats.unauthorized).toBe(1);
    expect(stats.faultsInjected).toEqual({ outage: 1, error: 0, timeout: 0, malformed: 0 });
    expect(Date.parse(stats.since)).toBeGreaterThanOrEqual(Date.parse(reset.since));
  });

  it('serves its OpenAPI description without a key', async () => {
    const response = await api('/openapi.yaml', {}, null);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/yaml/);
    const text = await response.text();
    expect(text).toBe(readFileSync(join(__dirname, '..', '..', 'connectors', 'business', 'openapi.yaml'), 'utf8'));
    for (const operationId of ['getEnterprise', 'lookupEnterprises', 'findEnterprisesByRepresentative']) {
      expect(text).toContain(`operationId: ${operationId}`);
    }
    expect(text).toContain('name: X-Api-Key');
  });

  it('answers unknown routes with a 404 problem', async () => {
    const response = await api('/v2/enterprises');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });
});

describe('business registry simulator with the population simulator', () => {
  it('names as legal representatives the citizens the population simulator serves', async () => {
    // The population simulator the global setup started, as a separate process.
    const populationUrl = testEnv('populationUrl');
    const health = (await (await fetch(`${populationUrl}/healthz`)).json()) as { citizens: number; seed: number };
    const simulator = await startBusinessSimulator({
      port: 0,
      seed: health.seed,
      size: 300,
      populationSize: health.citizens,
      logger: createLogger({ level: 'silent' }),
    });
    try {
      const sample = (await (await fetch(`${simulator.url}/_sim/sample?count=300`)).json()) as { representativeIds: string[] };
      const ids = [...new Set(sample.representativeIds)];
      const response = await fetch(`${populationUrl}/v1/citizens/batch-lookup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ personalIds: ids }),
      });
      const { citizens, notFound, invalid } = (await response.json()) as { citizens: Citizen[]; notFound: string[]; invalid: string[] };
      expect({ notFound, invalid }).toEqual({ notFound: [], invalid: [] });
      const citizenById = new Map(citizens.map((citizen) => [citizen.personalId, citizen]));
      for (const enterprise of simulator.registry.values()) {
        const citizen = citizenById.get(enterprise.legalRepresentative.personalId) as Citizen;
        expect(enterprise.legalRepresentative.fullName).toBe(citizen.fullName);
        expect(citizen.dateOfBirth <= `${Number(enterprise.foundedOn.slice(0, 4)) - 18}${enterprise.foundedOn.slice(4)}`).toBe(true);
        expect(parseEnterpriseCode(enterprise.enterpriseCode).ok).toBe(true);
      }
    } finally {
      await simulator.close();
    }
  });
});

describe('business registry simulator lifecycle', () => {
  it('closes even while a request is held by the timeout fault', async () => {
    const simulator = await startBusinessSimulator({
      port: 0,
      size: 10,
      populationSize: 100,
      faults: { timeout: true },
      logger: createLogger({ level: 'silent' }),
    });
    const held = fetch(`${simulator.url}/v1/enterprises/${UNKNOWN_CODE}`, { headers: { 'X-Api-Key': 'business-sim-key' } }).catch(
      (error: unknown) => error,
    );
    // Closed once the simulator holds the call (counted as an injected timeout), not after a guessed delay.
    await until(async () => (await simulatorStats<BaseSimulatorStats>(simulator.url)).faultsInjected.timeout === 1, 'the call held');
    await simulator.close();
    // fetch rejects with a TypeError of Node's own realm, not jest's.
    expect(await held).toMatchObject({ name: 'TypeError', message: 'fetch failed' });
  });

  it('refuses an empty API key', async () => {
    await expect(startBusinessSimulator({ port: 0, size: 1, populationSize: 10, apiKey: ' ' })).rejects.toThrow(RangeError);
  });

  it('logs requests without personal ids, codes or the key', async () => {
    const lines: string[] = [];
    const { default: pino } = await import('pino');
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    const simulator = await startBusinessSimulator({ port: 0, size: 50, populationSize: 500, apiKey: 'secret-key-123', logger });
    const [code] = simulator.registry.enterpriseCodes(1) as [string];
    const [personalId] = simulator.registry.representativeIds(1) as [string];
    const headers = { 'X-Api-Key': 'secret-key-123' };
    await (await fetch(`${simulator.url}/v1/enterprises/${code}`, { headers })).json();
    await (await fetch(`${simulator.url}/v1/enterprises?representativeId=${personalId}`, { headers })).json();
    await (await fetch(`${simulator.url}/v1/enterprises/${code}`)).json();
    await simulator.close();
    const requests = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((l) => l.msg === 'request');
    expect(requests).toHaveLength(3);
    expect(requests[0]).toMatchObject({ route: '/v1/enterprises/:enterpriseCode', operationId: 'getEnterprise', status: 200 });
    expect(requests[1]).toMatchObject({ route: '/v1/enterprises', operationId: 'findEnterprisesByRepresentative', status: 200 });
    expect(requests[2]).toMatchObject({ status: 401 });
    const log = lines.join('\n');
    for (const secret of [code, personalId, 'secret-key-123']) expect(log).not.toContain(secret);
  });
});
