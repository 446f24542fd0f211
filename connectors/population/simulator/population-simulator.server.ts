import { readFileSync } from 'node:fs';
import express, { type RequestHandler, type Response } from 'express';
import { parsePersonalId } from '../../../domain/identifiers/personal-id';
import { createLogger, type Logger } from '../../../platform/logger';
import { fromProjectRoot } from '../../../platform/paths';
import { MAX_LOOKUP_BATCH, type Citizen, type CitizenLookupResult, type Problem, type ProblemCode } from '../population-registry.types';
import {
  NO_FAULTS,
  baseStats,
  clientCertificateName,
  clientCertificateSerial,
  createSimulatorApp,
  createSimulatorControls,
  listenSimulator,
  parseSampleCount,
  type BaseSimulatorStats,
  type SimulatorFaults,
  type SimulatorTls,
  requireClientCertificate,
  useFallbackHandlers,
} from '../../simulator-kit';
import { createPopulation, type Population } from './citizen-generator';

export { NO_FAULTS, type SimulatorFaults };

export const DEFAULT_SIMULATOR_PORT = 4101;
export const DEFAULT_SIMULATOR_SEED = 20250701;
export const DEFAULT_SIMULATOR_SIZE = 10_000;
export const MAX_SAMPLE_COUNT = 10_000;

export type OperationId = 'getCitizen' | 'lookupCitizens' | 'getHousehold';
export interface SimulatorStats extends BaseSimulatorStats {
  /** Calls received per operation, answered normally or not. */
  calls: Record<OperationId, number>;
  /** Personal ids received in calls answered normally (duplicates and malformed ids included). */
  idsLookedUp: number;
  /** Requests per client certificate, by its subject CN and by its serial number, when served over mutual TLS. */
  clientCertificates: Record<string, number>;
  clientCertificateSerials: Record<string, number>;
}

export interface PopulationSimulatorOptions {
  /** @default '127.0.0.1' */
  host?: string;
  /** 0 picks a free port. @default 4101 */
  port?: number;
  /** @default 20250701 */
  seed?: number;
  /** Number of citizens. @default 10000 */
  size?: number;
  logger?: Logger;
  /** Faults active from the start. */
  faults?: Partial<SimulatorFaults>;
  /** The OpenAPI description served at /openapi.yaml. @default the connector's openapi.yaml */
  openApiPath?: string;
  /** Randomness for `errorRate`. @default Math.random */
  random?: () => number;
  /** Serve HTTPS and require a client certificate from these CAs (as the national registry does). */
  tls?: SimulatorTls;
}

export interface RunningPopulationSimulator {
  url: string;
  port: number;
  population: Population;
  close(): Promise<void>;
}

const PROBLEM_TYPES: Record<ProblemCode, { status: number; title: string }> = {
  INVALID_PERSONAL_ID: { status: 400, title: 'Invalid personal identification number' },
  CITIZEN_NOT_FOUND: { status: 404, title: 'Citizen not found' },
  HOUSEHOLD_NOT_FOUND: { status: 404, title: 'Household not found' },
  INVALID_REQUEST: { status: 400, title: 'Invalid request' },
  SERVICE_UNAVAILABLE: { status: 503, title: 'Service unavailable' },
  INTERNAL_ERROR: { status: 500, title: 'Internal error' },
  CLIENT_CERTIFICATE_REQUIRED: { status: 401, title: 'Client certificate required' },
  CLIENT_CERTIFICATE_UNTRUSTED: { status: 403, title: 'Client certificate not accepted' },
};

function problemOf(code: ProblemCode, detail: string, status = PROBLEM_TYPES[code].status): Problem {
  return {
    type: `urn:problem-type:population-registry:${code.toLowerCase().replace(/_/g, '-')}`,
    title: PROBLEM_TYPES[code].title,
    status,
    detail,
    code,
  };
}

function sendProblem(res: Response, problem: Problem): void {
  res.status(problem.status).type('application/problem+json').json(problem);
}

/** The description published with the connector (the same file from sources or from dist/). */
export function defaultOpenApiPath(): string {
  return fromProjectRoot('connectors', 'population', 'openapi.yaml');
}

function emptyStats(): SimulatorStats {
  return {
    calls: { getCitizen: 0, lookupCitizens: 0, getHousehold: 0 },
    idsLookedUp: 0,
    clientCertificates: {},
    clientCertificateSerials: {},
    ...baseStats(),
  };
}

/**
 * Starts the population registry simulator: the API of ../openapi.yaml over a generated
 * population, plus admin routes under /_sim/ to inject faults and read call counts.
 */
export async function startPopulationSimulator(options: PopulationSimulatorOptions = {}): Promise<RunningPopulationSimulator> {
  const host = options.host ?? '127.0.0.1';
  const seed = options.seed ?? DEFAULT_SIMULATOR_SEED;
  const size = options.size ?? DEFAULT_SIMULATOR_SIZE;
  const logger = options.logger ?? createLogger({ name: 'population-simulator' });
  const random = options.random ?? Math.random;
  const openApiDocument = readFileSync(options.openApiPath ?? defaultOpenApiPath(), 'utf8');

  const started = performance.now();
  const population = createPopulation(seed, size);
  logger.info({ seed, size, durationMs: Math.round(performance.now() - started) }, 'population generated');

  const controls = createSimulatorControls({
    faults: options.faults,
    emptyStats,
    random,
    logger,
    renderer: {
      outage: (res) => sendProblem(res, problemOf('SERVICE_UNAVAILABLE', 'The population registry is unavailable (simulated outage).')),
      error: (res) =>
        sendProblem(res, problemOf('SERVICE_UNAVAILABLE', 'The population registry is temporarily unavailable (simulated error).')),
      malformed: (res) => res.status(200).type('application/json').send('{"citizens":[{"personalId":"0'),
    },
    rejectInvalid: (res, detail) => sendProblem(res, problemOf('INVALID_REQUEST', detail)),
  });
  const { stats, admin } = controls;

  // Access log: route templates only, never the URL (it carries a personal id).
  const app = createSimulatorApp(logger, (req, res) => ({
    route: req.route ? `${req.baseUrl}${String(req.route.path)}` : '(no route)', // an unmatched path may still carry an id
    operationId: res.locals.operationId,
    client: clientCertificateName(req),
  }));
  if (options.tls) {
    app.use(requireClientCertificate((res, failure) => sendProblem(res, problemOf(failure.kind, failure.detail))));
    app.use((req, _res, next) => {
      const name = clientCertificateName(req) ?? '(none)';
      const serial = clientCertificateSerial(req) ?? '(none)';
      stats.current.clientCertificates[name] = (stats.current.clientCertificates[name] ?? 0) + 1;
      stats.current.clientCertificateSerials[serial] = (stats.current.clientCertificateSerials[serial] ?? 0) + 1;
      next();
    });
  }

  const operation =
    (operationId: OperationId): RequestHandler =>
    (_req, res, next) => {
      res.locals.operationId = operationId;
      stats.current.calls[operationId]++;
      next();
    };

  const injectFaults: RequestHandler = (_req, res, next) => controls.injectFaults(res, next);

  const referenceYear = () => new Date().getFullYear();

  const api = express.Router();
  api.get('/citizens/:personalId', operation('getCitizen'), injectFaults, (req, res) => {
    const parsed = parsePersonalId(req.params.personalId, { referenceYear: referenceYear() });
    stats.current.idsLookedUp++;
    if (!parsed.ok) {
      sendProblem(res, problemOf('INVALID_PERSONAL_ID', parsed.reason));
      return;
    }
    const citizen = population.get(parsed.value.personalId);
    if (!citizen) {
      sendProblem(res, problemOf('CITIZEN_NOT_FOUND', 'No citizen has this personal identification number.'));
      return;
    }
    res.json(citizen);
  });

  api.get('/households/:householdId', operation('getHousehold'), injectFaults, (req, res) => {
    const householdId = String(req.params.householdId);
    if (!/^\d{11}$/.test(householdId)) {
      sendProblem(res, problemOf('INVALID_REQUEST', 'A household id has 11 digits (commune code and number).'));
      return;
    }
    const household = population.household(householdId);
    if (!household) {
      sendProblem(res, problemOf('HOUSEHOLD_NOT_FOUND', 'No household has this identifier.'));
      return;
    }
    res.json(household);
  });

  api.post('/citizens/batch-lookup', operation('lookupCitizens'), injectFaults, express.json({ limit: '100kb' }), (req, res) => {
    const body: unknown = req.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body) || !('personalIds' in body)) {
      sendProblem(res, problemOf('INVALID_REQUEST', 'The body must be a JSON object with a "personalIds" array.'));
      return;
    }
    const extra = Object.keys(body).filter((key) => key !== 'personalIds');
    if (extra.length > 0) {
      sendProblem(res, problemOf('INVALID_REQUEST', `Unknown property "${extra[0]}"; only "personalIds" is allowed.`));
      return;
    }
    const { personalIds } = body as { personalIds: unknown };
    if (!Array.isArray(personalIds) || personalIds.length < 1 || personalIds.length > MAX_LOOKUP_BATCH) {
      sendProblem(res, problemOf('INVALID_REQUEST', `"personalIds" must be an array of 1 to ${MAX_LOOKUP_BATCH} strings.`));
      return;
    }
    const notString = personalIds.findIndex((id) => typeof id !== 'string');
    if (notString >= 0) {
      sendProblem(res, problemOf('INVALID_REQUEST', `"personalIds" item ${notString} is not a string.`));
      return;
    }
    stats.current.idsLookedUp += personalIds.length;
    const year = referenceYear();
    const result: CitizenLookupResult = { citizens: [], notFound: [], invalid: [] };
    for (const id of new Set(personalIds as string[])) {
      if (!parsePersonalId(id, { referenceYear: year }).ok) {
        result.invalid.push(id);
        continue;
      }
      const citizen: Citizen | undefined = population.get(id);
      if (citizen) result.citizens.push(citizen);
      else result.notFound.push(id);
    }
    res.json(result);
  });
  app.use('/v1', api);

  app.get('/openapi.yaml', (_req, res) => {
    res.type('application/yaml').send(openApiDocument);
  });

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', citizens: population.size, seed });
  });

  admin.get('/sample', (req, res) => {
    const count = parseSampleCount(req.query.count, MAX_SAMPLE_COUNT);
    if (typeof count === 'string') {
      sendProblem(res, problemOf('INVALID_REQUEST', count));
      return;
    }
    res.json({ personalIds: population.personalIds(count) });
  });
  app.use('/_sim', admin);

  useFallbackHandlers(app, logger, (res, _req, failure) =>
    sendProblem(res, problemOf(failure.kind === 'INTERNAL' ? 'INTERNAL_ERROR' : 'INVALID_REQUEST', failure.detail, failure.status)),
  );

  const { url, port, close } = await listenSimulator(app, options.port ?? DEFAULT_SIMULATOR_PORT, host, options.tls);
  logger.info({ url, seed, size }, 'population registry simulator listening');

  return {
    url,
    port,
    population,
    close,
  };
}
