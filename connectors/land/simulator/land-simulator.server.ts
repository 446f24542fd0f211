import { readFileSync } from 'node:fs';
import express, { type Request, type RequestHandler, type Response } from 'express';
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
import { XmlSyntaxError, attributeOf, childElements, parseXml, type XmlElement } from './xml';

export const DEFAULT_LAND_SIMULATOR_PORT = 4103;
export const DEFAULT_LAND_USERNAME = 'hub';
export const DEFAULT_LAND_PASSWORD = 'land-sim-password';
export const MAX_SAMPLE_COUNT = 10_000;
/** The service address written in the published WSDL, replaced by the running URL when served. */
export const WSDL_DEFAULT_ADDRESS = 'http://127.0.0.1:4103/soap';

/** Faults of /soap calls: error and outage answer the SOAP fault Server.Unavailable, malformed a body that is not XML. */
export type LandSimulatorFaults = SimulatorFaults;
export { NO_FAULTS };

type CallKind = OperationName | 'other';

export interface LandSimulatorStats extends BaseSimulatorStats {
  /** Calls received per operation, answered normally or not; `other` for those naming no known operation. */
  calls: Record<CallKind, number>;
  /** Parcels sent in answers. */
  parcelsReturned: number;
  /** SOAP faults answered by the service itself (bad requests, unknown parcels, authentication), by fault code. */
  faultsReturned: Partial<Record<LandFaultCode, number>>;
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

function emptyStats(): LandSimulatorStats {
  return {
    calls: { GetParcel: 0, FindParcelsByOwner: 0, other: 0 },
    parcelsReturned: 0,
    faultsReturned: {},
    ...baseStats(),
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

  const unavailable = (res: Response, message: string): void => sendFault(res, new SoapFault('Server.Unavailable', message), false);
  const controls = createSimulatorControls({
    faults: options.faults,
    emptyStats,
    random,
    logger,
    renderer: {
      outage: (res) => unavailable(res, 'Hệ thống thông tin đất đai đang tạm ngừng phục vụ (mô phỏng sự cố).'),
      error: (res) => unavailable(res, 'Hệ thống thông tin đất đai tạm thời không phản hồi (mô phỏng lỗi).'),
      malformed: (res) =>
        res
          .status(200)
          .type(SOAP_CONTENT_TYPE)
          .send(
            `<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><land:GetParcelResp`,
          ),
    },
    rejectInvalid: (res, detail) => sendAdminProblem(res, 400, detail),
  });
  const { stats, admin } = controls;
  let wsdl = wsdlTemplate;

  // Access log: operation, status and fault only, never ids, names or credentials.
  const app = createSimulatorApp(logger, (req, res) => ({
    route: req.route ? String(req.route.path) : '(no route)',
    operation: res.locals.operation,
  }));

  const sendFault = (res: Response, fault: SoapFault, countAsReturned = true): void => {
    res.locals.fault ??= fault.code;
    if (countAsReturned) stats.current.faultsReturned[fault.code] = (stats.current.faultsReturned[fault.code] ?? 0) + 1;
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
    stats.current.calls[operation ?? 'other']++;

    controls.injectFaults(res, () => answer(req, res, document, syntaxError));
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
        stats.current.parcelsReturned++;
        res.status(200).type(SOAP_CONTENT_TYPE).send(getParcelResponse(parcel));
      } else {
        const ownerId = readFindParcelsByOwner(payload, new Date().getFullYear());
        const parcels = registry.parcelsOwnedBy(ownerId);
        stats.current.parcelsReturned += parcels.length;
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

  admin.get('/sample', (req, res) => {
    const count = parseSampleCount(req.query.count, MAX_SAMPLE_COUNT);
    if (typeof count === 'string') {
      sendAdminProblem(res, 400, count);
      return;
    }
    res.json({ parcels: registry.parcelIds(count), ownerIds: registry.ownerIds(count) });
  });
  app.use('/_sim', admin);

  // SOAP callers get a SOAP fault; the JSON admin routes (and unknown paths) a problem document.
  useFallbackHandlers(app, logger, (res, req, failure) => {
    if (req.path === '/soap' && failure.kind === 'TOO_LARGE') sendFault(res, new SoapFault('Client.InvalidRequest', 'Thông điệp quá lớn.'));
    else if (req.path === '/soap' && failure.kind === 'INTERNAL')
      sendFault(res, new SoapFault('Server.Internal', 'Lỗi không mong đợi trong hệ thống thông tin đất đai.'));
    else sendAdminProblem(res, failure.status, failure.detail);
  });

  const { url, port, close } = await listenSimulator(app, options.port ?? DEFAULT_LAND_SIMULATOR_PORT, host);
  const endpoint = `${url}/soap`;
  wsdl = wsdlFor(wsdlTemplate, endpoint);
  logger.info({ url, seed, size, populationSize }, 'land registry simulator listening');

  return {
    url,
    port,
    endpoint,
    registry,
    close,
  };
}
