import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { createLogger, type Logger } from '../../../platform/logger';
import { fromProjectRoot } from '../../../platform/paths';
import type { LandFaultCode, ParcelId } from '../land-registry.types';
import {
  DEFAULT_BUSINESS_COUNT,
  DEFAULT_LAND_SEED,
  DEFAULT_LAND_SIZE,
  DEFAULT_POPULATION_SIZE,
  createLandRegistry,
  type LandRegistry,
} from './land-generator';
import {
  SOAP_CONTENT_TYPE,
  SoapFault,
  authenticate,
  faultEnvelope,
  findParcelsByOwnerResponse,
  getParcelResponse,
  operationFor,
  operationOf,
  readEnvelope,
  readFindParcelsByOwner,
  readGetParcel,
  type OperationName,
} from './soap-messages';
import { XmlSyntaxError, attributeOf, childElements, parseXml, type XmlElement } from './xml';

export const DEFAULT_LAND_SIMULATOR_PORT = 4103;
export const DEFAULT_LAND_USERNAME = 'hub';
export const DEFAULT_LAND_PASSWORD = 'land-sim-password';
export const MAX_SAMPLE_COUNT = 10_000;
/** The service address written in the published WSDL, replaced by the running URL when served. */
export const WSDL_DEFAULT_ADDRESS = 'http://127.0.0.1:4103/soap';

export interface LandSimulatorFaults {
  /** Delay before every /soap answer (faulted or not), in milliseconds. */
  latencyMs: number;
  /** Share of /soap calls answered with the fault Server.Unavailable, 0–1. */
  errorRate: number;
  /** Every /soap call answered with the fault Server.Unavailable. */
  outage: boolean;
  /** /soap calls are never answered; the client has to give up. */
  timeout: boolean;
  /** /soap calls answered 200 with a body that is not well-formed XML. */
  malformed: boolean;
}

export const NO_FAULTS: Readonly<LandSimulatorFaults> = Object.freeze({
  latencyMs: 0,
  errorRate: 0,
  outage: false,
  timeout: false,
  malformed: false,
});

const MAX_LATENCY_MS = 600_000;

type CallKind = OperationName | 'other';
type InjectedFault = 'outage' | 'error' | 'timeout' | 'malformed';

export interface LandSimulatorStats {
  /** Calls received per operation, answered normally or not; `other` for those naming no known operation. */
  calls: Record<CallKind, number>;
  /** Parcels sent in answers. */
  parcelsReturned: number;
  /** SOAP faults answered by the service itself (bad requests, unknown parcels, authentication), by fault code. */
  faultsReturned: Partial<Record<LandFaultCode, number>>;
  /** Calls answered with an injected fault instead of normally. */
  faultsInjected: Record<InjectedFault, number>;
  /** When counting started (start-up or last reset). */
  since: string;
}

export interface LandSimulatorOptions {
  /** @default '127.0.0.1' */
  host?: string;
  /** 0 picks a free port. @default 4103 */
  port?: number;
  /** Shared with the population simulator. @default 20250701 */
  seed?: number;
  /** Number of parcels. @default 3000 */
  size?: number;
  /** Citizens of the population simulator owners are drawn from. @default 10000 */
  populationSize?: number;
  /** Enterprises of the business simulator owners are drawn from. @default 2000 */
  businessCount?: number;
  /** WS-Security UsernameToken credentials. @default hub / land-sim-password */
  username?: string;
  password?: string;
  logger?: Logger;
  /** Faults active from the start. */
  faults?: Partial<LandSimulatorFaults>;
  /** The WSDL to serve. @default the connector's land-registry.wsdl */
  wsdlPath?: string;
  /** Randomness for `errorRate`. @default Math.random */
  random?: () => number;
}

export interface RunningLandSimulator {
  url: string;
  port: number;
  /** The SOAP endpoint, `${url}/soap`. */
  endpoint: string;
  registry: LandRegistry;
  close(): Promise<void>;
}

/** The WSDL published with the connector (the same file from sources or from dist/). */
export function defaultWsdlPath(): string {
  return fromProjectRoot('connectors', 'land', 'land-registry.wsdl');
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

function parseFaults(body: unknown, base: Readonly<LandSimulatorFaults>): LandSimulatorFaults | string {
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

function emptyStats(): LandSimulatorStats {
  return {
    calls: { GetParcel: 0, FindParcelsByOwner: 0, other: 0 },
    parcelsReturned: 0,
    faultsReturned: {},
    faultsInjected: { outage: 0, error: 0, timeout: 0, malformed: 0 },
    since: new Date().toISOString(),
  };
}

function sendAdminProblem(res: Response, status: number, detail: string): void {
  res
    .status(status)
    .type('application/problem+json')
    .json({
      type: 'urn:problem-type:land-registry-simulator:invalid-request',
      title: status === 404 ? 'Not found' : 'Invalid request',
      status,
      detail,
    });
}

/** The WSDL with its service address pointing at this simulator; checks the address is where it is expected. */
function wsdlFor(wsdl: string, endpoint: string): string {
  const document = parseXml(wsdl);
  const addresses = childElements(document, undefined, 'service')
    .flatMap((service) => childElements(service, undefined, 'port'))
    .flatMap((port) => childElements(port, undefined, 'address'));
  const locations = addresses.map((address: XmlElement) => attributeOf(address, '', 'location'));
  if (locations.length !== 1 || locations[0] !== WSDL_DEFAULT_ADDRESS) {
    throw new Error(`The WSDL must have one soap:address with location="${WSDL_DEFAULT_ADDRESS}".`);
  }
  return wsdl.split(`location="${WSDL_DEFAULT_ADDRESS}"`).join(`location="${endpoint}"`);
}

/**
 * Starts the land registry simulator: the SOAP 1.1 service of ../land-registry.wsdl over generated
 * parcels, plus admin routes under /_sim/ to inject faults and read call counts.
 */
export async function startLandSimulator(options: LandSimulatorOptions = {}): Promise<RunningLandSimulator> {
  const host = options.host ?? '127.0.0.1';
  const seed = options.seed ?? DEFAULT_LAND_SEED;
  const size = options.size ?? DEFAULT_LAND_SIZE;
  const populationSize = options.populationSize ?? DEFAULT_POPULATION_SIZE;
  const businessCount = options.businessCount ?? DEFAULT_BUSINESS_COUNT;
  const credentials = { username: options.username ?? DEFAULT_LAND_USERNAME, password: options.password ?? DEFAULT_LAND_PASSWORD };
  const logger = options.logger ?? createLogger({ name: 'land-simulator' });
  const random = options.random ?? Math.random;
  const wsdlTemplate = readFileSync(options.wsdlPath ?? defaultWsdlPath(), 'utf8');
  wsdlFor(wsdlTemplate, WSDL_DEFAULT_ADDRESS); // fails early on a WSDL without the expected address

  const started = performance.now();
  const registry = createLandRegistry({ seed, size, populationSize, businessCount });
  logger.info(
    { seed, size, populationSize, businessCount, owners: registry.ownerCount, durationMs: Math.round(performance.now() - started) },
    'parcels generated',
  );

  const initialFaults = parseFaults(options.faults ?? {}, NO_FAULTS);
  if (typeof initialFaults === 'string') throw new RangeError(initialFaults);
  let faults: LandSimulatorFaults = initialFaults;
  let stats = emptyStats();
  let wsdl = wsdlTemplate;

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  // Access log: operation, status and fault only, never ids, names or credentials.
  app.use((req, res, next) => {
    const since = performance.now();
    res.on('close', () => {
      logger.info(
        {
          method: req.method,
          route: req.route ? String(req.route.path) : '(no route)',
          operation: res.locals.operation,
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

  const sendFault = (res: Response, fault: SoapFault, countAsReturned = true): void => {
    res.locals.fault ??= fault.code;
    if (countAsReturned) stats.faultsReturned[fault.code] = (stats.faultsReturned[fault.code] ?? 0) + 1;
    res.status(500).type(SOAP_CONTENT_TYPE).send(faultEnvelope(fault));
  };

  const soap: RequestHandler = (req, res) => {
    const text = typeof req.body === 'string' ? req.body : '';
    let document: XmlElement | undefined;
    let syntaxError: XmlSyntaxError | undefined;
    try {
      document = parseXml(text);
    } catch (error) {
      if (!(error instanceof XmlSyntaxError)) throw error;
      syntaxError = error;
    }
    const operation = document ? operationOf(document) : undefined;
    res.locals.operation = operation;
    stats.calls[operation ?? 'other']++;

    const active = faults;
    const inject = (kind: InjectedFault): void => {
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
        sendFault(res, new SoapFault('Server.Unavailable', 'Hệ thống thông tin đất đai đang tạm ngừng phục vụ (mô phỏng sự cố).'), false);
      } else if (active.errorRate > 0 && random() < active.errorRate) {
        inject('error');
        res.setHeader('Retry-After', '1');
        sendFault(res, new SoapFault('Server.Unavailable', 'Hệ thống thông tin đất đai tạm thời không phản hồi (mô phỏng lỗi).'), false);
      } else if (active.malformed) {
        inject('malformed');
        res
          .status(200)
          .type(SOAP_CONTENT_TYPE)
          .send(
            `<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><land:GetParcelResp`,
          );
      } else {
        answer(req, res, document, syntaxError);
      }
    });
  };

  const answer = (req: Request, res: Response, document: XmlElement | undefined, syntaxError: XmlSyntaxError | undefined): void => {
    try {
      if (!document) {
        throw new SoapFault(
          'Client.InvalidRequest',
          syntaxError ? `Thông điệp không phải là XML hợp lệ (lỗi ở vị trí ${syntaxError.offset}).` : 'Thông điệp rỗng.',
        );
      }
      const { header, payload } = readEnvelope(document);
      authenticate(header, credentials);
      // Only authenticated callers learn which operations exist.
      const operation = operationFor(payload, req.get('SOAPAction'));
      if (operation === 'GetParcel') {
        const id: ParcelId = readGetParcel(payload);
        const parcel = registry.getParcel(id);
        if (!parcel) throw new SoapFault('Client.ParcelNotFound', 'Không tìm thấy thửa đất với mã xã, số tờ bản đồ và số thửa đã cho.');
        stats.parcelsReturned++;
        res.status(200).type(SOAP_CONTENT_TYPE).send(getParcelResponse(parcel));
      } else {
        const ownerId = readFindParcelsByOwner(payload, new Date().getFullYear());
        const parcels = registry.parcelsOwnedBy(ownerId);
        stats.parcelsReturned += parcels.length;
        res.status(200).type(SOAP_CONTENT_TYPE).send(findParcelsByOwnerResponse(parcels));
      }
    } catch (error) {
      if (!(error instanceof SoapFault)) {
        logger.error({ err: error }, 'unexpected error');
        sendFault(res, new SoapFault('Server.Internal', 'Lỗi không mong đợi trong hệ thống thông tin đất đai.'));
        return;
      }
      sendFault(res, error);
    }
  };

  // Any content type: SOAP 1.1 says text/xml, but a wrong one is better answered with a fault than ignored.
  app.post('/soap', express.text({ type: () => true, limit: '64kb' }), soap);

  const serveWsdl: RequestHandler = (_req, res) => {
    res.type(SOAP_CONTENT_TYPE).send(wsdl);
  };
  app.get('/soap', (req, res, next) => {
    if (Object.keys(req.query).some((key) => key.toLowerCase() === 'wsdl')) {
      serveWsdl(req, res, next);
      return;
    }
    res.setHeader('Allow', 'POST');
    res.status(405).type('text/plain').send('Send SOAP 1.1 requests with POST; the WSDL is at /soap?wsdl.\n');
  });
  app.get('/land-registry.wsdl', serveWsdl);

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', parcels: registry.size, seed, populationSize, businessCount });
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
        sendAdminProblem(res, 400, next);
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
      sendAdminProblem(res, 400, `count must be an integer from 1 to ${MAX_SAMPLE_COUNT}.`);
      return;
    }
    res.json({ parcels: registry.parcelIds(count), ownerIds: registry.ownerIds(count) });
  });
  app.use('/_sim', admin);

  app.use((_req, res) => {
    sendAdminProblem(res, 404, 'No such resource.');
  });

  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const type = (error as { type?: unknown }).type;
    const onSoap = req.path === '/soap';
    if (type === 'entity.parse.failed') {
      sendAdminProblem(res, 400, 'The request body is not valid JSON.');
    } else if (type === 'entity.too.large') {
      if (onSoap) sendFault(res, new SoapFault('Client.InvalidRequest', 'Thông điệp quá lớn.'));
      else sendAdminProblem(res, 413, 'The request body is too large.');
    } else {
      logger.error({ err: error }, 'unexpected error');
      if (res.headersSent) return;
      if (onSoap) sendFault(res, new SoapFault('Server.Internal', 'Lỗi không mong đợi trong hệ thống thông tin đất đai.'));
      else sendAdminProblem(res, 500, 'Unexpected error in the simulator.');
    }
  });

  const server: Server = await new Promise((ready, failed) => {
    const listening = app.listen(options.port ?? DEFAULT_LAND_SIMULATOR_PORT, host, (error?: Error) =>
      error ? failed(error) : ready(listening),
    );
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const endpoint = `${url}/soap`;
  wsdl = wsdlFor(wsdlTemplate, endpoint);
  logger.info({ url, seed, size, populationSize }, 'land registry simulator listening');

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    endpoint,
    registry,
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
