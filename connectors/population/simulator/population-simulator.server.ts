import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { parsePersonalId } from '../../../domain/identifiers/personal-id';
import { createLogger, type Logger } from '../../../platform/logger';
import { fromProjectRoot } from '../../../platform/paths';
import { MAX_LOOKUP_BATCH, type Citizen, type CitizenLookupResult, type Problem, type ProblemCode } from '../population-registry.types';
import { createPopulation, type Population } from './citizen-generator';

export const DEFAULT_SIMULATOR_PORT = 4101;
export const DEFAULT_SIMULATOR_SEED = 20250701;
export const DEFAULT_SIMULATOR_SIZE = 10_000;
export const MAX_SAMPLE_COUNT = 10_000;

export interface SimulatorFaults {
  /** Delay before every /v1/ answer (faulted or not), in milliseconds. */
  latencyMs: number;
  /** Share of /v1/ calls answered 503, 0–1. */
  errorRate: number;
  /** Every /v1/ call answered 503. */
  outage: boolean;
  /** /v1/ calls are never answered; the client has to give up. */
  timeout: boolean;
  /** /v1/ calls answered 200 with a body that is not valid JSON. */
  malformed: boolean;
}

export const NO_FAULTS: Readonly<SimulatorFaults> = Object.freeze({
  latencyMs: 0,
  errorRate: 0,
  outage: false,
  timeout: false,
  malformed: false,
});

const MAX_LATENCY_MS = 600_000;

export type OperationId = 'getCitizen' | 'lookupCitizens';
type FaultKind = 'outage' | 'error' | 'timeout' | 'malformed';

export interface SimulatorStats {
  /** Calls received per operation, answered normally or not. */
  calls: Record<OperationId, number>;
  /** Personal ids received in calls answered normally (duplicates and malformed ids included). */
  idsLookedUp: number;
  /** Calls answered with an injected fault instead of normally. */
  faultsInjected: Record<FaultKind, number>;
  /** When counting started (start-up or last reset). */
  since: string;
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
  INVALID_REQUEST: { status: 400, title: 'Invalid request' },
  SERVICE_UNAVAILABLE: { status: 503, title: 'Service unavailable' },
  INTERNAL_ERROR: { status: 500, title: 'Internal error' },
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

/** Waits at least `ms` (timers may fire a little early); unref'd so it never holds the process open. */
function sleepAtLeast(ms: number): Promise<void> {
  const until = performance.now() + ms;
  return new Promise((done) => {
    const check = () => {
      const left = until - performance.now();
      if (left <= 0) done();
      else setTimeout(check, Math.ceil(left)).unref();
    };
    check();
  });
}

function parseFaults(body: unknown, base: Readonly<SimulatorFaults>): SimulatorFaults | string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'The body must be a JSON object.';
  const next = { ...base };
  for (const [key, value] of Object.entries(body)) {
    switch (key) {
      case 'latencyMs':
        if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > MAX_LATENCY_MS) {
          return `latencyMs must be an integer from 0 to ${MAX_LATENCY_MS}.`;
        }
        next.latencyMs = value as number;
        break;
      case 'errorRate':
        if (typeof value !== 'number' || !(value >= 0 && value <= 1)) return 'errorRate must be a number from 0 to 1.';
        next.errorRate = value;
        break;
      case 'outage':
      case 'timeout':
      case 'malformed':
        if (typeof value !== 'boolean') return `${key} must be true or false.`;
        next[key] = value;
        break;
      default:
        return `Unknown fault "${key}"; expected latencyMs, errorRate, outage, timeout, malformed.`;
    }
  }
  return next;
}

function emptyStats(): SimulatorStats {
  return {
    calls: { getCitizen: 0, lookupCitizens: 0 },
    idsLookedUp: 0,
    faultsInjected: { outage: 0, error: 0, timeout: 0, malformed: 0 },
    since: new Date().toISOString(),
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

  const initialFaults = parseFaults(options.faults ?? {}, NO_FAULTS);
  if (typeof initialFaults === 'string') throw new RangeError(initialFaults);
  let faults: SimulatorFaults = initialFaults;
  let stats = emptyStats();

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  // Access log: route templates only, never the URL (it carries a personal id).
  app.use((req, res, next) => {
    const since = performance.now();
    res.on('close', () => {
      const route = req.route ? `${req.baseUrl}${String(req.route.path)}` : undefined;
      logger.info(
        {
          method: req.method,
          route: route ?? '(no route)', // an unmatched path may still carry an id
          operationId: res.locals.operationId,
          fault: res.locals.fault,
          status: res.writableFinished ? res.statusCode : undefined,
          aborted: !res.writableFinished || undefined,
          durationMs: Math.round(performance.now() - since),
        },
        'request',
      );
    });
    next();
  });

  const operation =
    (operationId: OperationId): RequestHandler =>
    (_req, res, next) => {
      res.locals.operationId = operationId;
      stats.calls[operationId]++;
      next();
    };

  const injectFaults: RequestHandler = (_req, res, next) => {
    const active = faults;
    const inject = (kind: FaultKind): void => {
      res.locals.fault = kind;
      stats.faultsInjected[kind]++;
    };
    if (active.timeout) {
      inject('timeout');
      return; // never answered; the socket is destroyed when the client gives up or on close()
    }
    void sleepAtLeast(active.latencyMs).then(() => {
      if (active.outage) {
        inject('outage');
        res.setHeader('Retry-After', '30');
        sendProblem(res, problemOf('SERVICE_UNAVAILABLE', 'The population registry is unavailable (simulated outage).'));
      } else if (active.errorRate > 0 && random() < active.errorRate) {
        inject('error');
        res.setHeader('Retry-After', '1');
        sendProblem(res, problemOf('SERVICE_UNAVAILABLE', 'The population registry is temporarily unavailable (simulated error).'));
      } else if (active.malformed) {
        inject('malformed');
        res.status(200).type('application/json').send('{"citizens":[{"personalId":"0');
      } else {
        next();
      }
    });
  };

  const referenceYear = () => new Date().getFullYear();

  const api = express.Router();
  api.get('/citizens/:personalId', operation('getCitizen'), injectFaults, (req, res) => {
    const parsed = parsePersonalId(req.params.personalId, { referenceYear: referenceYear() });
    stats.idsLookedUp++;
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
    stats.idsLookedUp += personalIds.length;
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

  const admin = express.Router();
  admin.use(express.json({ limit: '10kb' }));
  admin.get('/faults', (_req, res) => {
    res.json(faults);
  });
  // PUT replaces the whole set (missing fields reset); PATCH changes only the fields given.
  for (const method of ['put', 'patch'] as const) {
    admin[method]('/faults', (req, res) => {
      const next = parseFaults(req.body ?? {}, method === 'put' ? NO_FAULTS : faults);
      if (typeof next === 'string') {
        sendProblem(res, problemOf('INVALID_REQUEST', next));
        return;
      }
      faults = next;
      logger.warn({ faults }, 'faults changed');
      res.json(faults);
    });
  }
  admin.get('/stats', (_req, res) => {
    res.json(stats);
  });
  admin.post('/stats/reset', (_req, res) => {
    stats = emptyStats();
    res.json(stats);
  });
  admin.get('/sample', (req, res) => {
    const raw = req.query.count;
    const count = raw === undefined ? 10 : Number(raw);
    if (!Number.isInteger(count) || count < 1 || count > MAX_SAMPLE_COUNT) {
      sendProblem(res, problemOf('INVALID_REQUEST', `count must be an integer from 1 to ${MAX_SAMPLE_COUNT}.`));
      return;
    }
    res.json({ personalIds: population.personalIds(count) });
  });
  app.use('/_sim', admin);

  app.use((_req, res) => {
    sendProblem(res, problemOf('INVALID_REQUEST', 'No such resource.', 404));
  });

  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const type = (error as { type?: unknown }).type;
    if (type === 'entity.parse.failed') {
      sendProblem(res, problemOf('INVALID_REQUEST', 'The request body is not valid JSON.'));
    } else if (type === 'entity.too.large') {
      sendProblem(res, problemOf('INVALID_REQUEST', 'The request body is too large.', 413));
    } else {
      logger.error({ err: error }, 'unexpected error');
      if (!res.headersSent) sendProblem(res, problemOf('INTERNAL_ERROR', 'Unexpected error in the simulator.'));
    }
  });

  const server: Server = await new Promise((ready, failed) => {
    const listening = app.listen(options.port ?? DEFAULT_SIMULATOR_PORT, host, (error?: Error) =>
      error ? failed(error) : ready(listening),
    );
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  logger.info({ url, seed, size }, 'population registry simulator listening');

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    population,
    close: () => {
      closing ??= new Promise<void>((done, failed) => {
        server.close((error) => (error ? failed(error) : done()));
        // Held (timeout fault) and keep-alive connections would keep close() waiting.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
