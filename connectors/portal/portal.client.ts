import { systemClock, type Clock } from '../../domain/clock';
import type { UpstreamFetch } from '../upstream-tls';
import {
  ConfigurationError,
  ConflictError,
  InvalidInputError,
  NotFoundError,
  UpstreamUnavailableError,
  type HubError,
} from '../../domain/errors';
import { formatPortalTimestamp } from '../../domain/time/vietnam-time';
import type { Logger } from '../../platform/logger';
import type {
  CatalogueProcedure,
  CitizenAccount,
  OAuthErrorResponse,
  PortalDossierRecord,
  PortalProgressEntry,
  PortalSyncedDossier,
  PortalSyncReceipt,
  Problem,
  ProcedurePage,
  TokenResponse,
} from './portal.types';

export interface PortalClientOptions {
  /** Base URL of the portal (the simulator: http://127.0.0.1:4104). */
  url: string;
  clientId: string;
  clientSecret: string;
  /** Time limit of one HTTP call, the token request included. @default 10000 */
  timeoutMs?: number;
  logger: Logger;
  /** The HTTP client (mutual TLS for https upstreams). @default Node's fetch */
  fetch?: UpstreamFetch;
  /** Scopes to ask for, space-separated; by default all the client may have. */
  scope?: string;
  /** Renew the token this long before it expires (at most half its lifetime). @default 30 */
  refreshMarginSeconds?: number;
  /** The hub's clock: the token's age is judged by it. @default the system clock */
  clock?: Clock;
}

export interface ProcedureQuery {
  /** Only procedures changed at or after this time. */
  updatedSince?: Date;
  /** 1-based. @default 1 */
  page?: number;
  /** 1–100. @default 20 */
  pageSize?: number;
}

interface CachedToken {
  value: string;
  /** When to get a new one (expiry minus the margin), by `now()`. */
  renewAt: number;
}

interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

type Operation = 'requestToken' | 'syncDossier' | 'syncProgress' | 'getSyncedDossier' | 'getCitizenAccount' | 'listProcedures';

const UNAVAILABLE = 'The national public-service portal is not available right now; the synchronisation will be retried.';

/**
 * The hub's client of the national public-service portal: a write API driven by the hub's dossier
 * events, so plain fetch rather than the Mesh graph. It gets an OAuth 2.0 client-credentials token,
 * reuses it until shortly before it expires, and gets a new one once if the portal refuses it.
 *
 * Errors: 5xx, 429, time-outs, unreachable or unreadable answers → UPSTREAM_UNAVAILABLE (retry
 * later); 400 → BAD_USER_INPUT with the portal's message and `details.invalidFields`; 409 →
 * CONFLICT; credentials or scopes the portal refuses → CONFIGURATION_INVALID (retrying will not help).
 * It does not retry by itself: the sync worker owns retries and their pacing.
 */
export class PortalClient {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly now: () => number;
  private readonly fetch: UpstreamFetch;
  private token: CachedToken | undefined;
  private pendingToken: Promise<CachedToken> | undefined;
  /** Token requests made (for metrics and tests). */
  tokenRequests = 0;

  constructor(private readonly options: PortalClientOptions) {
    this.baseUrl = options.url.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.fetch = options.fetch ?? fetch;
    const clock = options.clock ?? systemClock;
    this.now = () => clock.now().getTime();
  }

  /** Creates or replaces the portal's record of a dossier (idempotent: the same record twice is one change). */
  async syncDossier(record: PortalDossierRecord): Promise<PortalSyncReceipt> {
    const answer = await this.call('syncDossier', 'PUT', `/v1/dossiers/${encodeURIComponent(record.MaHoSo)}`, record);
    return this.success<PortalSyncReceipt>('syncDossier', answer);
  }

  /** Adds one line to a dossier's processing history; the portal takes a repeated line once. */
  async syncProgress(code: string, entry: PortalProgressEntry): Promise<PortalSyncReceipt> {
    const answer = await this.call('syncProgress', 'POST', `/v1/dossiers/${encodeURIComponent(code)}/progress`, entry);
    return this.success<PortalSyncReceipt>('syncProgress', answer);
  }

  /** What the portal holds for a dossier, or null when it has never been synchronised. */
  async getSyncedDossier(code: string): Promise<PortalSyncedDossier | null> {
    const answer = await this.call('getSyncedDossier', 'GET', `/v1/dossiers/${encodeURIComponent(code)}`);
    return answer.status === 404 ? null : this.success<PortalSyncedDossier>('getSyncedDossier', answer);
  }

  /** The citizen's portal account, or null when they have none. */
  async getCitizenAccount(personalId: string): Promise<CitizenAccount | null> {
    const answer = await this.call('getCitizenAccount', 'GET', `/v1/citizen-accounts/${encodeURIComponent(personalId)}`);
    return answer.status === 404 ? null : this.success<CitizenAccount>('getCitizenAccount', answer);
  }

  /** One page of the national procedure catalogue, oldest change first. */
  async listProcedures(query: ProcedureQuery = {}): Promise<ProcedurePage> {
    const params = new URLSearchParams();
    if (query.updatedSince) params.set('updatedSince', formatPortalTimestamp(query.updatedSince));
    if (query.page !== undefined) params.set('page', String(query.page));
    if (query.pageSize !== undefined) params.set('pageSize', String(query.pageSize));
    const search = params.toString() ? `?${params.toString()}` : '';
    const answer = await this.call('listProcedures', 'GET', `/v1/procedures${search}`);
    return this.success<ProcedurePage>('listProcedures', answer);
  }

  /** Every procedure (changed since a time, if given), walking the pages. */
  async listAllProcedures(updatedSince?: Date): Promise<CatalogueProcedure[]> {
    const all: CatalogueProcedure[] = [];
    for (let page = 1; ; page++) {
      const result = await this.listProcedures({ ...(updatedSince ? { updatedSince } : {}), page, pageSize: 100 });
      all.push(...result.items);
      if (page >= result.totalPages || result.items.length === 0) return all;
    }
  }

  /** Forgets the cached token: the next call gets a new one. */
  invalidateToken(): void {
    this.token = undefined;
  }

  /** Readiness: the portal answers its health endpoint within the time limit. */
  async checkHealth(): Promise<void> {
    const response = await this.fetch(`${this.baseUrl}/healthz`, { signal: AbortSignal.timeout(this.timeoutMs) });
    if (!response.ok) throw new Error(`national portal health answered HTTP ${response.status}`);
  }

  // ---------------------------------------------------------------- HTTP

  /** Sends an authorised request; on 401 gets a new token and tries once more. */
  private async call(operation: Operation, method: string, path: string, body?: unknown): Promise<Answer> {
    let token = await this.accessToken();
    let answer = await this.send(operation, method, path, token.value, body);
    if (answer.status === 401) {
      this.options.logger.info({ operation }, 'national portal refused the access token; getting a new one');
      if (this.token === token) this.token = undefined;
      token = await this.accessToken();
      answer = await this.send(operation, method, path, token.value, body);
      if (answer.status === 401) {
        throw new UpstreamUnavailableError('The national public-service portal refuses the access tokens it issues.', {
          reason: 'PORTAL.TOKEN_REJECTED',
          details: { status: 401 },
        });
      }
    }
    return answer;
  }

  private async send(operation: Operation, method: string, path: string, token: string, body?: unknown): Promise<Answer> {
    return this.fetchAnswer(operation, `${this.baseUrl}${path}`, {
      method,
      headers: {
        accept: 'application/json',
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  }

  /** One HTTP exchange, body included, within the time limit; transport failures become UPSTREAM_UNAVAILABLE. */
  private async fetchAnswer(operation: Operation, url: string, init: RequestInit): Promise<Answer> {
    const started = performance.now();
    try {
      const response = await this.fetch(url, { ...init, signal: AbortSignal.timeout(this.timeoutMs) });
      const text = await response.text();
      this.options.logger.debug({ operation, status: response.status, durationMs: Math.round(performance.now() - started) }, 'portal call');
      return { status: response.status, headers: response.headers, text };
    } catch (error) {
      const timedOut = (error as Error).name === 'TimeoutError' || (error as Error).name === 'AbortError';
      this.options.logger.warn(
        { operation, timedOut, durationMs: Math.round(performance.now() - started), err: error },
        'national portal call failed',
      );
      throw new UpstreamUnavailableError(
        timedOut ? `The national public-service portal did not answer within ${this.timeoutMs} ms.` : UNAVAILABLE,
        { reason: timedOut ? 'PORTAL.TIMEOUT' : 'PORTAL.UNREACHABLE', cause: error },
      );
    }
  }

  // ---------------------------------------------------------------- token

  private async accessToken(): Promise<CachedToken> {
    if (this.token && this.now() < this.token.renewAt) return this.token;
    // Concurrent calls share one token request.
    this.pendingToken ??= this.requestToken().finally(() => {
      this.pendingToken = undefined;
    });
    return this.pendingToken;
  }

  private async requestToken(): Promise<CachedToken> {
    this.tokenRequests++;
    const requestedAt = this.now();
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: this.options.clientId,
      client_secret: this.options.clientSecret,
    });
    if (this.options.scope) form.set('scope', this.options.scope);
    const answer = await this.fetchAnswer('requestToken', `${this.baseUrl}/oauth/token`, {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    if (answer.status === 200) {
      const token = parseJson(answer.text) as Partial<TokenResponse> | undefined;
      if (!token || typeof token.access_token !== 'string' || !token.access_token || !(Number(token.expires_in) > 0)) {
        throw this.malformed('requestToken', answer);
      }
      const lifetimeMs = Number(token.expires_in) * 1000;
      const marginMs = Math.min((this.options.refreshMarginSeconds ?? 30) * 1000, lifetimeMs / 2);
      this.token = { value: token.access_token, renewAt: requestedAt + lifetimeMs - marginMs };
      return this.token;
    }
    if (answer.status === 400 || answer.status === 401) {
      const error = (parseJson(answer.text) as Partial<OAuthErrorResponse> | undefined)?.error ?? 'invalid_request';
      this.options.logger.error({ status: answer.status, error }, 'national portal refused the client credentials');
      throw new ConfigurationError(
        error === 'invalid_client'
          ? "The national public-service portal refused the hub's client credentials: check the portal client id and secret."
          : `The national public-service portal refused the token request (${error}): check the portal client settings.`,
        { reason: error === 'invalid_client' ? 'PORTAL.INVALID_CLIENT' : 'PORTAL.TOKEN_REQUEST_REFUSED', details: { error } },
      );
    }
    throw this.failure('requestToken', answer);
  }

  // ---------------------------------------------------------------- answers

  private success<T>(operation: Operation, answer: Answer): T {
    if (answer.status < 200 || answer.status > 299) throw this.failure(operation, answer);
    const value = parseJson(answer.text);
    if (value === undefined || typeof value !== 'object' || value === null) throw this.malformed(operation, answer);
    return value as T;
  }

  private malformed(operation: Operation, answer: Answer): UpstreamUnavailableError {
    this.options.logger.warn({ operation, status: answer.status }, 'national portal answered with an unreadable body');
    return new UpstreamUnavailableError(UNAVAILABLE, { reason: 'PORTAL.MALFORMED_RESPONSE', details: { status: answer.status } });
  }

  /** The hub error for a non-2xx answer. */
  private failure(operation: Operation, answer: Answer): HubError {
    const problem = parseJson(answer.text) as Partial<Problem> | undefined;
    const code = typeof problem?.code === 'string' ? problem.code : undefined;
    const detail = typeof problem?.detail === 'string' ? problem.detail : `HTTP ${answer.status}`;
    const reason = `PORTAL.${code ?? `HTTP_${answer.status}`}`;
    const { status } = answer;
    if (status >= 500 || status === 429 || status === 408) {
      const retryAfter = Number(answer.headers.get('retry-after'));
      this.options.logger.warn({ operation, status, code }, 'national portal unavailable');
      return new UpstreamUnavailableError(UNAVAILABLE, {
        reason,
        details: { status, ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterSeconds: retryAfter } : {}) },
      });
    }
    this.options.logger.warn({ operation, status, code }, 'national portal refused the request');
    if (status === 409) {
      return new ConflictError(`The national public-service portal refused the change: ${detail}`, {
        reason,
        details: {
          ...(problem?.currentStatus !== undefined ? { currentStatus: problem.currentStatus } : {}),
          ...(problem?.requestedStatus !== undefined ? { requestedStatus: problem.requestedStatus } : {}),
        },
      });
    }
    if (status === 404) return new NotFoundError(`The national public-service portal: ${detail}`, { reason });
    if (status === 403) {
      return new ConfigurationError(`The hub's portal client may not do this: ${detail}`, { reason });
    }
    if (status >= 400 && status < 500) {
      return new InvalidInputError(`The national public-service portal refused the data: ${detail}`, {
        reason,
        details: { status, ...(Array.isArray(problem?.invalidFields) ? { invalidFields: problem.invalidFields } : {}) },
      });
    }
    return new UpstreamUnavailableError(UNAVAILABLE, { reason: 'PORTAL.UNEXPECTED_STATUS', details: { status } });
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
