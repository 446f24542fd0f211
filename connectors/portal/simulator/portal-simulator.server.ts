import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import express, { type Request, type RequestHandler, type Response } from 'express';
import { systemClock, type Clock } from '../../../domain/clock';
import { parseDossierCode } from '../../../domain/dossier/dossier-code';
import { parsePersonalId } from '../../../domain/identifiers/personal-id';
import { formatPortalTimestamp } from '../../../domain/time/vietnam-time';
import { createLogger, type Logger } from '../../../platform/logger';
import { fromProjectRoot } from '../../../platform/paths';
import { createPopulation, type Population } from '../../population/simulator/citizen-generator';
import {
  PORTAL_SCOPES,
  parsePortalTimestamp,
  type CitizenAccount,
  type InvalidField,
  type NationalStatusCode,
  type OAuthErrorResponse,
  type PortalProgressEntry,
  type PortalScope,
  type PortalSyncedDossier,
  type PortalSyncReceipt,
  type Problem,
  type ProblemCode,
  type ProcedurePage,
  type TokenResponse,
} from '../portal.types';
import {
  NO_FAULTS,
  baseStats,
  createSimulatorApp,
  createSimulatorControls,
  listenSimulator,
  parseSampleCount,
  type BaseSimulatorStats,
  type FaultKind,
  type SimulatorFaults,
  useFallbackHandlers,
} from '../../simulator-kit';
import { accountOfCitizen } from './citizen-accounts';
import { loadCatalogue } from './portal-catalogue';
import { isPlausibleTransition, plausibleNextStatuses, validateDossierRecord, validateProgressEntry } from './portal-validation';
import { PREFILL_BASE_PATH, createPrefillDemo, type PrefillDemoHub, type PrefillOutcome } from './prefill-demo';

export const DEFAULT_PORTAL_PORT = 4104;
export const DEFAULT_PORTAL_SEED = 20250701;
export const DEFAULT_PORTAL_POPULATION_SIZE = 10_000;
export const DEFAULT_CLIENT_ID = 'onestop-hub';
export const DEFAULT_CLIENT_SECRET = 'portal-sim-secret';
export const DEFAULT_TOKEN_TTL_SECONDS = 300;
export const DEFAULT_MAX_RECEIVED = 10_000;
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
export const MAX_SAMPLE_COUNT = 1_000;
const REALM = 'dvcqg';

export { NO_FAULTS, type SimulatorFaults };

export const OPERATION_IDS = [
  'requestToken',
  'listProcedures',
  'syncDossier',
  'syncProgress',
  'getSyncedDossier',
  'getCitizenAccount',
] as const;
export type OperationId = (typeof OPERATION_IDS)[number];
type AuthRejection = 'invalidClient' | 'missingToken' | 'invalidToken' | 'expiredToken' | 'insufficientScope';

export interface SimulatorStats extends BaseSimulatorStats {
  /** Calls received per operation, answered normally or not. */
  calls: Record<OperationId, number>;
  tokensIssued: number;
  /** Calls refused for authentication or authorisation, by cause. */
  authRejected: Record<AuthRejection, number>;
}

/** One synchronisation request as the portal received it (`GET /_sim/received`). */
export interface ReceivedRequest {
  /** 1, 2, ... in order of arrival since start-up (not reset with the log). */
  sequence: number;
  /** ISO 8601 with milliseconds. */
  receivedAt: string;
  operationId: 'syncDossier' | 'syncProgress';
  method: string;
  path: string;
  dossierCode: string;
  /** The JSON body, or the raw text when it was not JSON. */
  body: unknown;
  /** What the portal answered; null until answered (or never, under the timeout fault). */
  status: number | null;
  fault?: FaultKind;
}

export interface PortalSimulatorOptions {
  /** @default '127.0.0.1' */
  host?: string;
  /** 0 picks a free port. @default 4104 */
  port?: number;
  /** Seed of the synthetic population whose citizens may have accounts. @default 20250701 */
  seed?: number;
  /** @default 10000 */
  populationSize?: number;
  /** @default 'onestop-hub' */
  clientId?: string;
  /** @default 'portal-sim-secret' */
  clientSecret?: string;
  /** Lifetime of an access token, in seconds (fractions allowed in-process). @default 300 */
  tokenTtlSeconds?: number;
  logger?: Logger;
  /** Faults active from the start. */
  faults?: Partial<SimulatorFaults>;
  /** @default the connector's openapi.yaml */
  openApiPath?: string;
  /** @default reference/catalogue/procedures.json */
  cataloguePath?: string;
  /** Oldest entries of the received log are dropped beyond this many. @default 10000 */
  maxReceived?: number;
  /** Randomness for `errorRate`. @default Math.random */
  random?: () => number;
  /**
   * The portal's client at the hub, for the prefill demo under /prefill (the consent flow); without
   * it those pages say the demo is not configured.
   */
  hub?: PrefillDemoHub | undefined;
  /** The portal's clock: token lifetimes, receipt times, catalogue changes. Tests set it instead of waiting. @default the system clock */
  clock?: Clock;
}

export interface RunningPortalSimulator {
  url: string;
  port: number;
  population: Population;
  /** The account of a citizen, as `GET /v1/citizen-accounts/{personalId}` answers it. */
  citizenAccount(personalId: string): CitizenAccount | undefined;
  /** Forgets every access token issued (as a portal restart would); returns how many there were. */
  revokeTokens(): number;
  /** The synchronisation requests received, oldest first. */
  received(): ReceivedRequest[];
  /** The prefill demo: its redirect URI (to register at the hub) and the last outcome it showed. */
  prefillDemo: { redirectUri: string; last(): PrefillOutcome | undefined };
  close(): Promise<void>;
}

const PROBLEM_TYPES: Record<ProblemCode, { status: number; title: string }> = {
  INVALID_REQUEST: { status: 400, title: 'Invalid request' },
  INVALID_PERSONAL_ID: { status: 400, title: 'Invalid personal identification number' },
  TOKEN_REQUIRED: { status: 401, title: 'Access token required' },
  INVALID_TOKEN: { status: 401, title: 'Invalid access token' },
  INSUFFICIENT_SCOPE: { status: 403, title: 'Insufficient scope' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  DOSSIER_NOT_FOUND: { status: 404, title: 'Dossier not found' },
  ACCOUNT_NOT_FOUND: { status: 404, title: 'Citizen account not found' },
  IMPLAUSIBLE_TRANSITION: { status: 409, title: 'Implausible status change' },
  IMMUTABLE_FIELD: { status: 409, title: 'Field cannot change' },
  SERVICE_UNAVAILABLE: { status: 503, title: 'Service unavailable' },
  INTERNAL_ERROR: { status: 500, title: 'Internal error' },
};

function problemOf(code: ProblemCode, detail: string, extra: Partial<Problem> = {}): Problem {
  return {
    type: `urn:problem-type:dvcqg:${code.toLowerCase().replace(/_/g, '-')}`,
    title: PROBLEM_TYPES[code].title,
    status: PROBLEM_TYPES[code].status,
    detail,
    code,
    ...extra,
  };
}

function sendProblem(res: Response, problem: Problem): void {
  res.status(problem.status).type('application/problem+json').json(problem);
}

function invalidFields(res: Response, fields: InvalidField[]): void {
  const listed = fields.map((field) => field.name).join(', ');
  sendProblem(res, problemOf('INVALID_REQUEST', `Invalid fields: ${listed}.`, { invalidFields: fields }));
}

export function defaultOpenApiPath(): string {
  return fromProjectRoot('connectors', 'portal', 'openapi.yaml');
}

function emptyStats(clock: Clock): SimulatorStats {
  return {
    calls: Object.fromEntries(OPERATION_IDS.map((id) => [id, 0])) as Record<OperationId, number>,
    tokensIssued: 0,
    authRejected: { invalidClient: 0, missingToken: 0, invalidToken: 0, expiredToken: 0, insufficientScope: 0 },
    ...baseStats(clock),
  };
}

/** Constant-time comparison of secrets of any length. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

interface IssuedToken {
  clientId: string;
  scopes: ReadonlySet<PortalScope>;
  expiresAt: number;
}

interface StoredDossier {
  synced: PortalSyncedDossier;
}

/**
 * Starts the national public-service portal simulator: the API of ../openapi.yaml (OAuth 2.0 client
 * credentials, the procedure catalogue, dossier and progress synchronisation, citizen accounts),
 * plus admin routes under /_sim/ for faults, call counts and the log of what was received.
 */
export async function startPortalSimulator(options: PortalSimulatorOptions = {}): Promise<RunningPortalSimulator> {
  const host = options.host ?? '127.0.0.1';
  const seed = options.seed ?? DEFAULT_PORTAL_SEED;
  const populationSize = options.populationSize ?? DEFAULT_PORTAL_POPULATION_SIZE;
  const clientId = options.clientId ?? DEFAULT_CLIENT_ID;
  const clientSecret = options.clientSecret ?? DEFAULT_CLIENT_SECRET;
  const tokenTtlSeconds = options.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS;
  const maxReceived = options.maxReceived ?? DEFAULT_MAX_RECEIVED;
  const logger = options.logger ?? createLogger({ name: 'portal-simulator' });
  const random = options.random ?? Math.random;
  const clock = options.clock ?? systemClock;
  if (!(tokenTtlSeconds > 0)) throw new RangeError('tokenTtlSeconds must be positive.');
  if (!clientId || !clientSecret) throw new RangeError('The client id and secret must not be empty.');
  const openApiDocument = readFileSync(options.openApiPath ?? defaultOpenApiPath(), 'utf8');

  const catalogue = loadCatalogue(options.cataloguePath);
  const catalogueByCode = new Map(catalogue.map((procedure) => [procedure.code, procedure]));
  const population = createPopulation(seed, populationSize);
  const citizenAccount = (personalId: string): CitizenAccount | undefined => {
    const index = population.indexOf(personalId);
    const citizen = index === undefined ? undefined : population.get(personalId);
    return index === undefined || !citizen ? undefined : accountOfCitizen(seed, index, citizen);
  };

  const controls = createSimulatorControls({
    faults: options.faults,
    emptyStats: () => emptyStats(clock),
    random,
    logger,
    renderer: {
      outage: (res) => sendProblem(res, problemOf('SERVICE_UNAVAILABLE', 'The national portal is unavailable (simulated outage).')),
      error: (res) =>
        sendProblem(res, problemOf('SERVICE_UNAVAILABLE', 'The national portal is temporarily unavailable (simulated error).')),
      malformed: (res) => res.status(200).type('application/json').send('{"KetQua":"O'),
    },
    onInject: (res, kind) => {
      const entry = res.locals.received as ReceivedRequest | undefined;
      if (entry) entry.fault = kind;
    },
    rejectInvalid: (res, detail) => sendProblem(res, problemOf('INVALID_REQUEST', detail)),
  });
  const { stats, admin } = controls;
  const tokens = new Map<string, IssuedToken>();
  const dossiers = new Map<string, StoredDossier>();
  let received: ReceivedRequest[] = [];
  let receivedDropped = 0;
  let receivedSequence = 0;

  // Access log: route templates only; URLs carry dossier codes and personal ids, bodies names.
  const app = createSimulatorApp(logger, (req, res) => ({
    route: req.route ? `${req.baseUrl}${String(req.route.path)}` : '(no route)',
    operationId: res.locals.operationId,
  }));

  const operation =
    (operationId: OperationId): RequestHandler =>
    (_req, res, next) => {
      res.locals.operationId = operationId;
      stats.current.calls[operationId]++;
      next();
    };

  const injectFaults: RequestHandler = (_req, res, next) => controls.injectFaults(res, next);

  // ------------------------------------------------------------------ OAuth 2.0

  const oauthError = (res: Response, status: number, error: OAuthErrorResponse['error'], description: string): void => {
    if (status === 401) res.setHeader('WWW-Authenticate', `Basic realm="${REALM}"`);
    res.status(status).setHeader('Cache-Control', 'no-store').json({ error, error_description: description });
  };

  app.post('/oauth/token', operation('requestToken'), injectFaults, express.urlencoded({ extended: false, limit: '10kb' }), (req, res) => {
    if (!req.is('application/x-www-form-urlencoded') || typeof req.body !== 'object' || req.body === null) {
      oauthError(res, 400, 'invalid_request', 'The body must be application/x-www-form-urlencoded.');
      return;
    }
    const form = req.body as Record<string, unknown>;
    const field = (name: string): string | undefined => (typeof form[name] === 'string' ? (form[name] as string) : undefined);

    // Client authentication: HTTP Basic (RFC 6749 §2.3.1) or the body parameters, not both.
    let id = field('client_id');
    let secret = field('client_secret');
    const basic = /^Basic\s+(\S+)$/i.exec(req.get('authorization') ?? '');
    if (basic) {
      if (secret !== undefined) {
        oauthError(res, 400, 'invalid_request', 'Use one client authentication method, not both.');
        return;
      }
      const decoded = Buffer.from(basic[1] as string, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      try {
        id = decodeURIComponent(decoded.slice(0, Math.max(colon, 0)));
        secret = decodeURIComponent(decoded.slice(colon + 1));
      } catch {
        id = undefined; // a malformed escape: no credentials
      }
    }
    const grantType = field('grant_type');
    if (!grantType) {
      oauthError(res, 400, 'invalid_request', 'grant_type is required.');
      return;
    }
    if (grantType !== 'client_credentials') {
      oauthError(res, 400, 'unsupported_grant_type', 'Only the client_credentials grant is supported.');
      return;
    }
    if (!id || secret === undefined || !sameSecret(id, clientId) || !sameSecret(secret, clientSecret)) {
      stats.current.authRejected.invalidClient++;
      oauthError(res, 401, 'invalid_client', 'Unknown client or wrong secret.');
      return;
    }
    const requested = (field('scope') ?? '').split(' ').filter(Boolean);
    const unknown = requested.filter((scope) => !(PORTAL_SCOPES as readonly string[]).includes(scope));
    if (unknown.length > 0) {
      oauthError(res, 400, 'invalid_scope', `Unknown scope ${unknown.join(' ')}; available: ${PORTAL_SCOPES.join(' ')}.`);
      return;
    }
    const scopes = new Set<PortalScope>(requested.length > 0 ? (requested as PortalScope[]) : PORTAL_SCOPES);
    const now = clock.now().getTime();
    for (const [token, issued] of tokens) if (issued.expiresAt <= now) tokens.delete(token);
    const accessToken = randomBytes(32).toString('base64url');
    tokens.set(accessToken, { clientId: id, scopes, expiresAt: now + tokenTtlSeconds * 1000 });
    stats.current.tokensIssued++;
    const answer: TokenResponse = {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: Math.max(1, Math.round(tokenTtlSeconds)),
      scope: [...scopes].join(' '),
    };
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Pragma', 'no-cache');
    res.json(answer);
  });

  const authorize =
    (scope: PortalScope): RequestHandler =>
    (req, res, next) => {
      const challenge = (error?: string, description?: string, extra = '') =>
        res.setHeader(
          'WWW-Authenticate',
          `Bearer realm="${REALM}"${error ? `, error="${error}", error_description="${description}"` : ''}${extra}`,
        );
      const bearer = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
      if (!bearer) {
        stats.current.authRejected.missingToken++;
        challenge();
        sendProblem(res, problemOf('TOKEN_REQUIRED', 'Send an access token from /oauth/token as "Authorization: Bearer <token>".'));
        return;
      }
      const issued = tokens.get(bearer[1] as string);
      if (!issued || issued.expiresAt <= clock.now().getTime()) {
        const expired = Boolean(issued);
        if (issued) tokens.delete(bearer[1] as string);
        stats.current.authRejected[expired ? 'expiredToken' : 'invalidToken']++;
        const description = expired ? 'The access token has expired.' : 'The access token is not known.';
        challenge('invalid_token', description);
        sendProblem(res, problemOf('INVALID_TOKEN', `${description} Get a new one from /oauth/token.`));
        return;
      }
      if (!issued.scopes.has(scope)) {
        stats.current.authRejected.insufficientScope++;
        challenge('insufficient_scope', `This call needs the scope ${scope}.`, `, scope="${scope}"`);
        sendProblem(res, problemOf('INSUFFICIENT_SCOPE', `This call needs the scope ${scope}.`));
        return;
      }
      next();
    };

  // ------------------------------------------------------------------ API

  const api = express.Router();

  api.get('/procedures', operation('listProcedures'), injectFaults, authorize('catalogue.read'), (req, res) => {
    const problems: InvalidField[] = [];
    const known = ['updatedSince', 'page', 'pageSize'];
    for (const key of Object.keys(req.query)) if (!known.includes(key)) problems.push({ name: key, reason: 'Unknown parameter.' });
    const integer = (name: string, fallback: number, max: number): number => {
      const raw = req.query[name];
      if (raw === undefined) return fallback;
      const value = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
      if (!(value >= 1 && value <= max)) problems.push({ name, reason: `Must be an integer from 1 to ${max}.` });
      return value;
    };
    const page = integer('page', 1, 1_000_000);
    const pageSize = integer('pageSize', DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    const since = req.query.updatedSince;
    if (since !== undefined && !parsePortalTimestamp(since)) {
      problems.push({ name: 'updatedSince', reason: 'Must be a time as yyyyMMddHHmmss (Asia/Ho_Chi_Minh).' });
    }
    if (problems.length > 0) {
      invalidFields(res, problems);
      return;
    }
    // Oldest change first, so a client can resume from the last updatedAt it saw (inclusive).
    const matching = catalogue
      .filter((procedure) => since === undefined || procedure.updatedAt >= (since as string))
      .sort((a, b) => a.updatedAt.localeCompare(b.updatedAt) || a.code.localeCompare(b.code));
    const answer: ProcedurePage = {
      items: matching.slice((page - 1) * pageSize, page * pageSize),
      page,
      pageSize,
      totalItems: matching.length,
      totalPages: Math.ceil(matching.length / pageSize),
    };
    res.json(answer);
  });

  const dossierCodeParam = (req: Request, res: Response): string | undefined => {
    const code = String(req.params.code);
    if (!parseDossierCode(code)) {
      invalidFields(res, [{ name: 'MaHoSo', reason: 'Not a dossier code <agency code>-YYMMDD-XXXX.' }]);
      return undefined;
    }
    return code;
  };

  // Sync bodies are read as text first so the received log keeps even what is not JSON.
  const readSyncBody =
    (operationId: ReceivedRequest['operationId']): RequestHandler =>
    (req, res, next) => {
      const raw = typeof req.body === 'string' ? req.body : '';
      let body: unknown = raw;
      try {
        body = raw === '' ? null : JSON.parse(raw);
        res.locals.json = true;
      } catch {
        res.locals.json = false;
      }
      res.locals.body = body;
      const entry: ReceivedRequest = {
        sequence: ++receivedSequence,
        receivedAt: clock.now().toISOString(),
        operationId,
        method: req.method,
        path: `${req.baseUrl}${req.path}`,
        dossierCode: String(req.params.code),
        body,
        status: null,
      };
      received.push(entry);
      if (received.length > maxReceived) {
        received.shift();
        receivedDropped++;
      }
      res.locals.received = entry;
      res.on('finish', () => {
        entry.status = res.statusCode;
      });
      next();
    };

  const requireJson: RequestHandler = (req, res, next) => {
    if (!req.is('application/json')) {
      invalidFields(res, [{ name: '(body)', reason: 'Content-Type must be application/json.' }]);
    } else if (!res.locals.json) {
      sendProblem(res, problemOf('INVALID_REQUEST', 'The request body is not valid JSON.'));
    } else {
      next();
    }
  };

  const syncBody = express.text({ type: () => true, limit: '1mb' });
  const receipt = (code: string): PortalSyncReceipt => ({ MaHoSo: code, KetQua: 'OK', ThoiDiemNhan: formatPortalTimestamp(clock.now()) });

  api.put(
    '/dossiers/:code',
    operation('syncDossier'),
    syncBody,
    readSyncBody('syncDossier'),
    injectFaults,
    authorize('dossiers.write'),
    requireJson,
    (req, res) => {
      const code = dossierCodeParam(req, res);
      if (code === undefined) return;
      const checked = validateDossierRecord(res.locals.body, code, catalogueByCode);
      if (!checked.ok) {
        invalidFields(res, checked.invalidFields);
        return;
      }
      const record = checked.value;
      const existing = dossiers.get(code)?.synced;
      if (existing) {
        if (existing.MaTTHC !== record.MaTTHC) {
          sendProblem(
            res,
            problemOf('IMMUTABLE_FIELD', `The dossier was synchronised with procedure ${existing.MaTTHC}; MaTTHC cannot change.`),
          );
          return;
        }
        const from = existing.TrangThaiHoSo;
        const to = record.TrangThaiHoSo;
        if (!isPlausibleTransition(from, to)) {
          const allowed = plausibleNextStatuses(from);
          sendProblem(
            res,
            problemOf(
              'IMPLAUSIBLE_TRANSITION',
              `The portal holds this dossier with status ${from}; it cannot become ${to}. ${
                allowed.length > 1 ? `Plausible next: ${allowed.filter((s) => s !== from).join(', ')}.` : 'It is final.'
              }`,
              { currentStatus: from, requestedStatus: to as NationalStatusCode },
            ),
          );
          return;
        }
      }
      const answer = receipt(code);
      dossiers.set(code, {
        synced: {
          ...record,
          QuaTrinhXuLy: existing?.QuaTrinhXuLy ?? [],
          ThoiDiemNhan: existing?.ThoiDiemNhan ?? answer.ThoiDiemNhan,
          ThoiDiemCapNhat: answer.ThoiDiemNhan,
        },
      });
      res.json(answer);
    },
  );

  api.post(
    '/dossiers/:code/progress',
    operation('syncProgress'),
    syncBody,
    readSyncBody('syncProgress'),
    injectFaults,
    authorize('dossiers.write'),
    requireJson,
    (req, res) => {
      const code = dossierCodeParam(req, res);
      if (code === undefined) return;
      const checked = validateProgressEntry(res.locals.body);
      if (!checked.ok) {
        invalidFields(res, checked.invalidFields);
        return;
      }
      const stored = dossiers.get(code);
      if (!stored) {
        sendProblem(res, problemOf('DOSSIER_NOT_FOUND', 'The portal has no dossier with this code: synchronise the dossier first.'));
        return;
      }
      const entry: PortalProgressEntry = checked.value;
      const history = stored.synced.QuaTrinhXuLy;
      const same = (other: PortalProgressEntry) => JSON.stringify(other) === JSON.stringify(entry);
      // A repeated delivery of the same entry is taken once; the history stays in time order.
      if (!history.some(same)) {
        const at = history.findIndex((other) => other.ThoiDiemXuLy > entry.ThoiDiemXuLy);
        history.splice(at < 0 ? history.length : at, 0, entry);
      }
      const answer = receipt(code);
      stored.synced.ThoiDiemCapNhat = answer.ThoiDiemNhan;
      res.json(answer);
    },
  );

  api.get('/dossiers/:code', operation('getSyncedDossier'), injectFaults, authorize('dossiers.read'), (req, res) => {
    const code = dossierCodeParam(req, res);
    if (code === undefined) return;
    const stored = dossiers.get(code);
    if (!stored) {
      sendProblem(res, problemOf('DOSSIER_NOT_FOUND', 'The portal has no dossier with this code.'));
      return;
    }
    res.json(stored.synced);
  });

  api.get('/citizen-accounts/:personalId', operation('getCitizenAccount'), injectFaults, authorize('accounts.read'), (req, res) => {
    const parsed = parsePersonalId(req.params.personalId, { referenceYear: clock.now().getFullYear() });
    if (!parsed.ok) {
      sendProblem(res, problemOf('INVALID_PERSONAL_ID', parsed.reason));
      return;
    }
    const account = citizenAccount(parsed.value.personalId);
    if (!account) {
      sendProblem(res, problemOf('ACCOUNT_NOT_FOUND', 'No portal account is registered for this personal identification number.'));
      return;
    }
    res.json(account);
  });
  app.use('/v1', api);

  app.get('/openapi.yaml', (_req, res) => {
    res.type('application/yaml').send(openApiDocument);
  });

  let listeningUrl = '';
  const prefillDemo = createPrefillDemo({
    hub: options.hub,
    portalUrl: () => listeningUrl,
    procedureName: (code) => catalogueByCode.get(code)?.name,
    logger,
    clock,
  });
  app.use(PREFILL_BASE_PATH, prefillDemo.router);

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', procedures: catalogue.length, dossiers: dossiers.size, citizens: population.size, seed });
  });

  // ------------------------------------------------------------------ admin

  const revokeTokens = (): number => {
    const count = tokens.size;
    tokens.clear();
    return count;
  };

  admin.get('/received', (req, res) => {
    const dossier = req.query.dossier;
    const requests = typeof dossier === 'string' ? received.filter((entry) => entry.dossierCode === dossier) : received;
    res.json({ requests, dropped: receivedDropped });
  });
  admin.post('/received/reset', (_req, res) => {
    const cleared = received.length;
    received = [];
    receivedDropped = 0;
    res.json({ cleared });
  });
  admin.post('/tokens/reset', (_req, res) => {
    const revoked = revokeTokens();
    logger.warn({ revoked }, 'access tokens revoked');
    res.json({ revoked });
  });
  admin.get('/sample', (req, res) => {
    const count = parseSampleCount(req.query.count, MAX_SAMPLE_COUNT);
    if (typeof count === 'string') {
      sendProblem(res, problemOf('INVALID_REQUEST', count));
      return;
    }
    const withAccount: string[] = [];
    const withoutAccount: string[] = [];
    for (const personalId of population.keys()) {
      if (withAccount.length >= count && withoutAccount.length >= count) break;
      const list = citizenAccount(personalId) ? withAccount : withoutAccount;
      if (list.length < count) list.push(personalId);
    }
    res.json({ withAccount, withoutAccount });
  });
  admin.post('/catalogue/:code/touch', (req, res) => {
    const procedure = catalogueByCode.get(String(req.params.code));
    if (!procedure) {
      sendProblem(res, problemOf('NOT_FOUND', 'No procedure with this code in the catalogue.'));
      return;
    }
    procedure.updatedAt = formatPortalTimestamp(clock.now());
    res.json(procedure);
  });
  // What the demo last showed (without the consent token), for tests that drive it from a browser.
  admin.get('/prefill/last', (_req, res) => {
    res.json({ outcome: prefillDemo.last() ?? null });
  });
  app.use('/_sim', admin);

  const problemCodes = {
    NOT_FOUND: 'NOT_FOUND',
    INVALID_JSON: 'INVALID_REQUEST',
    TOO_LARGE: 'INVALID_REQUEST',
    INTERNAL: 'INTERNAL_ERROR',
  } as const;
  useFallbackHandlers(app, logger, (res, _req, failure) =>
    sendProblem(res, problemOf(problemCodes[failure.kind], failure.detail, { status: failure.status })),
  );

  const { url, port, close } = await listenSimulator(app, options.port ?? DEFAULT_PORTAL_PORT, host);
  listeningUrl = url;
  logger.info({ url, seed, populationSize, tokenTtlSeconds }, 'national portal simulator listening');

  return {
    url,
    port,
    population,
    citizenAccount,
    revokeTokens,
    received: () => received.map((entry) => ({ ...entry })),
    prefillDemo: { redirectUri: prefillDemo.redirectUri(), last: prefillDemo.last },
    close,
  };
}
