import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import express, { type RequestHandler, type Response } from 'express';
import { parseEnterpriseCode } from '../../../domain/identifiers/enterprise-code';
import { parsePersonalId } from '../../../domain/identifiers/personal-id';
import { createLogger, type Logger } from '../../../platform/logger';
import { fromProjectRoot } from '../../../platform/paths';
import {
  DEFAULT_SIMULATOR_SEED as DEFAULT_POPULATION_SEED,
  DEFAULT_SIMULATOR_SIZE as DEFAULT_POPULATION_SIMULATOR_SIZE,
} from '../../population/simulator/population-simulator.server';
import {
  NO_FAULTS,
  baseStats,
  createSimulatorApp,
  createSimulatorControls,
  listenSimulator,
  parseSampleCount,
  type BaseSimulatorStats,
  type SimulatorFaults,
  useFallbackHandlers,
} from '../../simulator-kit';
import {
  API_KEY_HEADER,
  MAX_LOOKUP_BATCH,
  type EnterpriseList,
  type EnterpriseLookupResult,
  type Problem,
  type ProblemCode,
} from '../business-registry.types';
import { createBusinessRegistry, type BusinessRegistry } from './business-generator';

export { NO_FAULTS, type SimulatorFaults };

export const DEFAULT_SIMULATOR_PORT = 4102;
/** The population simulator's: representatives are its citizens only when both use the same seed. */
export const DEFAULT_SIMULATOR_SEED = DEFAULT_POPULATION_SEED;
export const DEFAULT_SIMULATOR_SIZE = 2_000;
/** The population simulator's default size, for the same reason. */
export const DEFAULT_POPULATION_SIZE = DEFAULT_POPULATION_SIMULATOR_SIZE;
export const DEFAULT_API_KEY = 'business-sim-key';
export const MAX_SAMPLE_COUNT = 10_000;

export type OperationId = 'getEnterprise' | 'lookupEnterprises' | 'findEnterprisesByRepresentative';
export interface SimulatorStats extends BaseSimulatorStats {
  /** Calls received per operation, answered normally or not. */
  calls: Record<OperationId, number>;
  /** Enterprise codes received in calls answered normally (duplicates and malformed codes included). */
  codesLookedUp: number;
  /** Calls refused for a missing or wrong API key. */
  unauthorized: number;
}

export interface BusinessSimulatorOptions {
  /** @default '127.0.0.1' */
  host?: string;
  /** 0 picks a free port. @default 4102 */
  port?: number;
  /** Must be the population simulator's seed. @default 20250701 */
  seed?: number;
  /** Number of enterprises. @default 2000 */
  size?: number;
  /** Must be the population simulator's size. @default 10000 */
  populationSize?: number;
  /** The key callers must send in X-Api-Key. @default 'business-sim-key' */
  apiKey?: string;
  logger?: Logger;
  /** Faults active from the start. */
  faults?: Partial<SimulatorFaults>;
  /** The OpenAPI description served at /openapi.yaml. @default the connector's openapi.yaml */
  openApiPath?: string;
  /** Randomness for `errorRate`. @default Math.random */
  random?: () => number;
}

export interface RunningBusinessSimulator {
  url: string;
  port: number;
  registry: BusinessRegistry;
  close(): Promise<void>;
}

const PROBLEM_TYPES: Record<ProblemCode, { status: number; title: string }> = {
  INVALID_ENTERPRISE_CODE: { status: 400, title: 'Invalid enterprise code' },
  ENTERPRISE_NOT_FOUND: { status: 404, title: 'Enterprise not found' },
  INVALID_PERSONAL_ID: { status: 400, title: 'Invalid personal identification number' },
  INVALID_REQUEST: { status: 400, title: 'Invalid request' },
  UNAUTHORIZED: { status: 401, title: 'Unauthorized' },
  SERVICE_UNAVAILABLE: { status: 503, title: 'Service unavailable' },
  INTERNAL_ERROR: { status: 500, title: 'Internal error' },
};

function problemOf(code: ProblemCode, detail: string, status = PROBLEM_TYPES[code].status): Problem {
  return {
    type: `urn:problem-type:business-registry:${code.toLowerCase().replace(/_/g, '-')}`,
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
  return fromProjectRoot('connectors', 'business', 'openapi.yaml');
}

function emptyStats(): SimulatorStats {
  return {
    calls: { getEnterprise: 0, lookupEnterprises: 0, findEnterprisesByRepresentative: 0 },
    codesLookedUp: 0,
    unauthorized: 0,
    ...baseStats(),
  };
}

/** Digest first, so the comparison takes the same time whatever the lengths. */
function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** The value as the 10-digit code of an enterprise, or why it is not one. */
function asEnterpriseCode(value: unknown): { ok: true; code: string } | { ok: false; reason: string } {
  const parsed = parseEnterpriseCode(value);
  if (!parsed.ok) return parsed;
  if (parsed.value.branch !== undefined) {
    return {
      ok: false,
      reason: 'This is the code of a dependent unit, not of an enterprise: look up its enterprise by the first 10 digits.',
    };
  }
  return { ok: true, code: parsed.value.enterpriseCode };
}

/**
 * Starts the business registry simulator: the API of ../openapi.yaml over a generated registry
 * whose legal representatives are citizens of the population simulator, plus admin routes under
 * /_sim/ to inject faults and read call counts.
 */
export async function startBusinessSimulator(options: BusinessSimulatorOptions = {}): Promise<RunningBusinessSimulator> {
  const host = options.host ?? '127.0.0.1';
  const seed = options.seed ?? DEFAULT_SIMULATOR_SEED;
  const size = options.size ?? DEFAULT_SIMULATOR_SIZE;
  const populationSize = options.populationSize ?? DEFAULT_POPULATION_SIZE;
  const apiKey = options.apiKey ?? DEFAULT_API_KEY;
  if (apiKey.trim() === '') throw new RangeError('The API key must not be empty.');
  const logger = options.logger ?? createLogger({ name: 'business-simulator' });
  const random = options.random ?? Math.random;
  const openApiDocument = readFileSync(options.openApiPath ?? defaultOpenApiPath(), 'utf8');
  const apiKeyDigest = digest(apiKey);

  const started = performance.now();
  const registry = createBusinessRegistry(seed, size, populationSize);
  logger.info({ seed, size, populationSize, durationMs: Math.round(performance.now() - started) }, 'business registry generated');

  const controls = createSimulatorControls({
    faults: options.faults,
    emptyStats,
    random,
    logger,
    renderer: {
      outage: (res) => sendProblem(res, problemOf('SERVICE_UNAVAILABLE', 'The business registry is unavailable (simulated outage).')),
      error: (res) =>
        sendProblem(res, problemOf('SERVICE_UNAVAILABLE', 'The business registry is temporarily unavailable (simulated error).')),
      malformed: (res) => res.status(200).type('application/json').send('{"enterprises":[{"enterpriseCode":"3'),
    },
    rejectInvalid: (res, detail) => sendProblem(res, problemOf('INVALID_REQUEST', detail)),
  });
  const { stats, admin } = controls;

  // Access log: route templates only, never the URL (it may carry a personal id) nor headers (the key).
  const app = createSimulatorApp(logger, (req, res) => ({
    route: req.route ? `${req.baseUrl}${String(req.route.path)}` : '(no route)', // an unmatched path may still carry an id
    operationId: res.locals.operationId,
  }));

  const operation =
    (operationId: OperationId): RequestHandler =>
    (_req, res, next) => {
      res.locals.operationId = operationId;
      stats.current.calls[operationId]++;
      next();
    };

  // Checked before any fault, as the registry's gateway would.
  const authenticate: RequestHandler = (req, res, next) => {
    const presented = req.get(API_KEY_HEADER);
    if (presented !== undefined && timingSafeEqual(digest(presented), apiKeyDigest)) {
      next();
      return;
    }
    stats.current.unauthorized++;
    res.setHeader('WWW-Authenticate', `ApiKey realm="business-registry", header="${API_KEY_HEADER}"`);
    sendProblem(
      res,
      problemOf(
        'UNAUTHORIZED',
        presented === undefined ? `The ${API_KEY_HEADER} header is missing.` : `The key in the ${API_KEY_HEADER} header is not valid.`,
      ),
    );
  };

  const injectFaults: RequestHandler = (_req, res, next) => controls.injectFaults(res, next);

  const api = express.Router();
  api.get('/enterprises', operation('findEnterprisesByRepresentative'), authenticate, injectFaults, (req, res) => {
    const raw = req.query.representativeId;
    if (typeof raw !== 'string') {
      sendProblem(res, problemOf('INVALID_REQUEST', 'Give exactly one "representativeId" query parameter.'));
      return;
    }
    const parsed = parsePersonalId(raw, { referenceYear: new Date().getFullYear() });
    if (!parsed.ok) {
      sendProblem(res, problemOf('INVALID_PERSONAL_ID', parsed.reason));
      return;
    }
    const result: EnterpriseList = { enterprises: registry.representedBy(parsed.value.personalId) };
    res.json(result);
  });

  api.post(
    '/enterprises/batch-lookup',
    operation('lookupEnterprises'),
    authenticate,
    injectFaults,
    express.json({ limit: '100kb' }),
    (req, res) => {
      const body: unknown = req.body;
      if (typeof body !== 'object' || body === null || Array.isArray(body) || !('enterpriseCodes' in body)) {
        sendProblem(res, problemOf('INVALID_REQUEST', 'The body must be a JSON object with an "enterpriseCodes" array.'));
        return;
      }
      const extra = Object.keys(body).filter((key) => key !== 'enterpriseCodes');
      if (extra.length > 0) {
        sendProblem(res, problemOf('INVALID_REQUEST', `Unknown property "${extra[0]}"; only "enterpriseCodes" is allowed.`));
        return;
      }
      const { enterpriseCodes } = body as { enterpriseCodes: unknown };
      if (!Array.isArray(enterpriseCodes) || enterpriseCodes.length < 1 || enterpriseCodes.length > MAX_LOOKUP_BATCH) {
        sendProblem(res, problemOf('INVALID_REQUEST', `"enterpriseCodes" must be an array of 1 to ${MAX_LOOKUP_BATCH} strings.`));
        return;
      }
      const notString = enterpriseCodes.findIndex((code) => typeof code !== 'string');
      if (notString >= 0) {
        sendProblem(res, problemOf('INVALID_REQUEST', `"enterpriseCodes" item ${notString} is not a string.`));
        return;
      }
      stats.current.codesLookedUp += enterpriseCodes.length;
      const result: EnterpriseLookupResult = { enterprises: [], notFound: [], invalid: [] };
      for (const code of new Set(enterpriseCodes as string[])) {
        if (!asEnterpriseCode(code).ok) {
          result.invalid.push(code);
          continue;
        }
        const enterprise = registry.get(code);
        if (enterprise) result.enterprises.push(enterprise);
        else result.notFound.push(code);
      }
      res.json(result);
    },
  );

  api.get('/enterprises/:enterpriseCode', operation('getEnterprise'), authenticate, injectFaults, (req, res) => {
    const parsed = asEnterpriseCode(req.params.enterpriseCode);
    stats.current.codesLookedUp++;
    if (!parsed.ok) {
      sendProblem(res, problemOf('INVALID_ENTERPRISE_CODE', parsed.reason));
      return;
    }
    const enterprise = registry.get(parsed.code);
    if (!enterprise) {
      sendProblem(res, problemOf('ENTERPRISE_NOT_FOUND', 'No enterprise has this code.'));
      return;
    }
    res.json(enterprise);
  });
  app.use('/v1', api);

  app.get('/openapi.yaml', (_req, res) => {
    res.type('application/yaml').send(openApiDocument);
  });

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', enterprises: registry.size, populationSize, seed });
  });

  admin.get('/sample', (req, res) => {
    const count = parseSampleCount(req.query.count, MAX_SAMPLE_COUNT);
    if (typeof count === 'string') {
      sendProblem(res, problemOf('INVALID_REQUEST', count));
      return;
    }
    // The same order: representativeIds[i] is the legal representative of enterpriseCodes[i].
    res.json({ enterpriseCodes: registry.enterpriseCodes(count), representativeIds: registry.representativeIds(count) });
  });
  app.use('/_sim', admin);

  useFallbackHandlers(app, logger, (res, _req, failure) =>
    sendProblem(res, problemOf(failure.kind === 'INTERNAL' ? 'INTERNAL_ERROR' : 'INVALID_REQUEST', failure.detail, failure.status)),
  );

  const { url, port, close } = await listenSimulator(app, options.port ?? DEFAULT_SIMULATOR_PORT, host);
  logger.info({ url, seed, size, populationSize }, 'business registry simulator listening');

  return {
    url,
    port,
    registry,
    close,
  };
}
