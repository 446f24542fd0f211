import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { z } from 'zod';
import { systemClock, type Clock } from '../../domain/clock';
import { HubError, InvalidInputError, NotFoundError, UpstreamUnavailableError } from '../../domain/errors';
import { formatLandParcelId, type LandParcelId } from '../../domain/identifiers/land-parcel-id';
import { LAND_FRESHNESS, recordLifetimeSeconds } from '../../domain/registries/attribute-freshness';
import type { Logger } from '../../platform/logger';
import { mayServeCached } from '../../domain/consent/data-life';
import { RecordCache } from '../record-cache';
import type { ReadFreshness } from '../registry-batch-client';
import { UpstreamPolicy } from '../upstream-policy';
import { CERTIFICATE_STATUSES, ENCUMBRANCE_KINDS, LAND_REGISTRY_NAMESPACE, OWNER_KINDS, type Parcel } from './land-registry.types';
import type { UpstreamFetch } from '../upstream-tls';

export interface LandRegistryClientOptions {
  /** The SOAP endpoint (the WSDL's soap:address), e.g. http://127.0.0.1:4103/soap. */
  endpoint: string;
  /** WS-Security UsernameToken (PasswordText). */
  username: string;
  password: string;
  /** Time limit of one call. */
  timeoutMs: number;
  /** The HTTP client (mutual TLS for https upstreams). @default Node's fetch */
  fetch?: UpstreamFetch;
  /** The longest a parcel is reused before asking again (0: never). @default 60 */
  cacheTtlSeconds?: number;
  logger: Logger;
  /** @default the system clock */
  clock?: Clock;
  /** Calls in flight and waiting at most (the upstream policy's bulkhead). @default DEFAULT_CONCURRENCY */
  concurrency?: { maxConcurrent: number; maxQueued: number } | undefined;
}

const SOAP_ENVELOPE = 'http://schemas.xmlsoap.org/soap/envelope/';
const WSSE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
const PASSWORD_TEXT = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText';

const escapeXml = (value: string) =>
  value.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);

/** Repeated elements of the WSDL (maxOccurs="unbounded"): always lists, even with one element. */
const LIST_ELEMENTS = new Set(['owners', 'encumbrances', 'parcels']);

// Every value is read as text (parseTagValue: false): ids such as personal id 045164360237 keep their leading zeros.
const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: true,
  ignoreDeclaration: true,
  parseTagValue: false,
  processEntities: true,
  isArray: (name) => LIST_ELEMENTS.has(name),
});

const decimal = z
  .string()
  .regex(/^[+-]?\d+(\.\d+)?$/)
  .transform(Number);
const whole = z
  .string()
  .regex(/^\+?\d+$/)
  .transform(Number);
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** The WSDL's Parcel as the XML parser gives it back: checked, then typed. */
const parcelSchema = z.object({
  communeCode: z.string().regex(/^\d{5}$/),
  mapSheetNumber: whole,
  parcelNumber: whole,
  areaM2: decimal,
  landUsePurpose: z.object({ code: z.string().min(1), name: z.string().min(1) }),
  landUseTerm: z.union([
    z.object({ kind: z.literal('FIXED_TERM'), endDate: date }),
    z.object({ kind: z.literal('LONG_TERM') }).transform(() => ({ kind: 'LONG_TERM' as const })),
  ]),
  address: z.string().min(1),
  owners: z
    .array(
      z.object({
        ownerId: z.string().regex(/^(\d{12}|\d{10})$/),
        ownerKind: z.enum(OWNER_KINDS),
        fullName: z.string().min(1),
        share: decimal,
      }),
    )
    .min(1),
  certificate: z.object({ number: z.string().min(1), issuedOn: date, status: z.enum(CERTIFICATE_STATUSES) }),
  encumbrances: z
    .array(z.object({ kind: z.enum(ENCUMBRANCE_KINDS), holder: z.string().min(1), registeredOn: date }))
    .optional()
    .transform((list) => list ?? []),
  lastUpdated: z.string().min(1),
});

export type LandOperation = 'GetParcel' | 'FindParcelsByOwner';
type Operation = LandOperation;

/** The HTTP request of one SOAP call as the client sends it (also what the benchmarks send directly). */
export function landSoapRequest(
  operation: LandOperation,
  content: string,
  credentials: { username: string; password: string },
): { headers: Record<string, string>; body: string } {
  return {
    headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: `"${LAND_REGISTRY_NAMESPACE}#${operation}"` },
    body:
      `<?xml version="1.0" encoding="UTF-8"?>` +
      `<soap:Envelope xmlns:soap="${SOAP_ENVELOPE}" xmlns:land="${LAND_REGISTRY_NAMESPACE}">` +
      `<soap:Header><wsse:Security soap:mustUnderstand="1" xmlns:wsse="${WSSE}"><wsse:UsernameToken>` +
      `<wsse:Username>${escapeXml(credentials.username)}</wsse:Username>` +
      `<wsse:Password Type="${PASSWORD_TEXT}">${escapeXml(credentials.password)}</wsse:Password>` +
      `</wsse:UsernameToken></wsse:Security></soap:Header>` +
      `<soap:Body><land:${operation}>${content}</land:${operation}></soap:Body></soap:Envelope>`,
  };
}

/** An owner id as the FindParcelsByOwner request carries it. */
export const ownerIdElement = (ownerId: string) => `<land:ownerId>${escapeXml(ownerId)}</land:ownerId>`;

/** The SOAP fault a call answered with: its code (without the `soap:` prefix) and text. */
export interface LandFault {
  code: string;
  message: string;
}

/** Parses a SOAP 1.1 response: the operation's response element, or the fault. Throws on anything malformed. */
export function readSoapResponse(xml: string): { fault: LandFault } | { body: Record<string, unknown> } {
  // A document type declaration could expand entities; a registry has no reason to send one.
  if (/<!DOCTYPE/i.test(xml)) throw new Error('the answer has a document type declaration');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Error(`the answer is not well-formed XML (${valid.err.msg})`);
  const document = parser.parse(xml) as { Envelope?: { Body?: Record<string, unknown> } };
  const body = document.Envelope?.Body;
  if (!body || typeof body !== 'object') throw new Error('the answer is not a SOAP envelope with a body');
  const fault = body.Fault as { faultcode?: unknown; faultstring?: unknown } | undefined;
  if (fault) {
    const code = typeof fault.faultcode === 'string' ? fault.faultcode.replace(/^[^:]*:/, '') : 'Unknown';
    return { fault: { code, message: typeof fault.faultstring === 'string' ? fault.faultstring : '' } };
  }
  return { body };
}

/** Reads the WSDL's Parcel, or throws when the registry sent something that is not one. */
export function readParcel(node: unknown): Parcel {
  const parsed = parcelSchema.safeParse(node);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`the parcel in the answer is malformed at ${issue?.path.join('.') || 'its root'}`);
  }
  return parsed.data;
}

/**
 * The land registry (SOAP 1.1 with WS-Security, ./land-registry.wsdl). Each call runs under the
 * upstream policy (time limit, retries, circuit breaker); parcels are cached for as long as their
 * last update allows. Faults become the hub's errors: an unknown parcel is NOT_FOUND, a malformed
 * id BAD_USER_INPUT, anything else UPSTREAM_UNAVAILABLE. The password never reaches a log or an error.
 */
export class LandRegistryClient {
  readonly policy: UpstreamPolicy;
  private readonly cache: RecordCache<Parcel>;
  /** When each parcel was read from the registry (a cached parcel keeps its first read). */
  private readonly fetchedAt = new WeakMap<object, Date>();
  /** Calls made to the registry, for metrics and tests. */
  calls = 0;

  constructor(private readonly options: LandRegistryClientOptions) {
    this.policy = new UpstreamPolicy({ name: 'land registry', timeoutMs: options.timeoutMs, ...options.concurrency });
    this.cache = new RecordCache<Parcel>({
      limitSeconds: options.cacheTtlSeconds ?? 60,
      lifetimeSeconds: (parcel, fetchedAt, limit) =>
        recordLifetimeSeconds([{ attribute: 'parcel', updatedAt: parcel.lastUpdated }], fetchedAt, LAND_FRESHNESS, limit),
    });
  }

  /** A parcel by commune, map sheet and parcel number; under a consent (`dataLifeSeconds`) no cached parcel older than its data life. */
  async getParcel(id: LandParcelId, { dataLifeSeconds }: ReadFreshness = {}): Promise<Parcel> {
    const key = formatLandParcelId(id);
    const now = this.now();
    const cached = this.cache.get(
      key,
      dataLifeSeconds === undefined ? undefined : (fetchedAt) => mayServeCached(fetchedAt, now, dataLifeSeconds),
    );
    if (cached) return cached;
    const body = await this.call(
      'GetParcel',
      `<land:communeCode>${escapeXml(id.communeCode)}</land:communeCode><land:mapSheetNumber>${id.mapSheetNumber}</land:mapSheetNumber><land:parcelNumber>${id.parcelNumber}</land:parcelNumber>`,
    );
    const parcel = this.parcelFrom(() => readParcel((body.GetParcelResponse as { parcel?: unknown } | undefined)?.parcel));
    const fetchedAt = this.now();
    this.fetchedAt.set(parcel, fetchedAt);
    this.cache.remember(key, parcel, fetchedAt);
    return parcel;
  }

  /** The parcels a citizen (12-digit personal id) or an organisation (10-digit enterprise code) holds; possibly none. */
  async findParcelsByOwner(ownerId: string): Promise<Parcel[]> {
    const body = await this.call('FindParcelsByOwner', ownerIdElement(ownerId));
    const response = body.FindParcelsByOwnerResponse;
    // An empty response element parses as "" : no parcels.
    const nodes = typeof response === 'object' && response !== null ? ((response as { parcels?: unknown[] }).parcels ?? []) : [];
    const parcels = nodes.map((node) => this.parcelFrom(() => readParcel(node)));
    const fetchedAt = this.now();
    for (const parcel of parcels) {
      this.fetchedAt.set(parcel, fetchedAt);
      this.cache.remember(formatLandParcelId(parcel), parcel, fetchedAt);
    }
    return parcels;
  }

  /** When the hub read this parcel from the registry (undefined for an object it did not return). */
  retrievedAt(record: object): Date | undefined {
    return this.fetchedAt.get(record);
  }

  /** Seconds a cached parcel has left (0 when not cached). */
  cachedSecondsLeft(id: LandParcelId): number {
    return this.cache.secondsLeft(formatLandParcelId(id));
  }

  clearCache(): void {
    this.cache.clear();
  }

  /** Readiness: the circuit is not open and the service gives its WSDL in time. */
  checkHealth(): Promise<void> {
    return this.policy.probe(`${this.options.endpoint}?wsdl`, this.options.fetch);
  }

  private now(): Date {
    return (this.options.clock ?? systemClock).now();
  }

  private parcelFrom(read: () => Parcel): Parcel {
    try {
      return read();
    } catch (error) {
      this.options.logger.warn({ problem: (error as Error).message }, 'land registry answer unreadable');
      throw this.unavailable('MALFORMED_ANSWER', error);
    }
  }

  private unavailable(reason: string, cause?: unknown): UpstreamUnavailableError {
    return new UpstreamUnavailableError('The land registry is not available right now. Try again in a moment.', {
      reason: `LAND_REGISTRY.${reason}`,
      cause,
    });
  }

  /** One SOAP call under the policy: the body of a successful answer, or the fault as a hub error. */
  private async call(operation: Operation, content: string): Promise<Record<string, unknown>> {
    return this.policy.execute(
      async (signal) => {
        this.calls += 1;
        // An elapsed duration for the log, not a time of day: the monotonic timer, not the hub's clock.
        const started = performance.now();
        let response: Response;
        try {
          response = await (this.options.fetch ?? fetch)(this.options.endpoint, {
            method: 'POST',
            ...landSoapRequest(operation, content, this.options),
            signal,
          });
        } catch (error) {
          if (signal.aborted) throw error;
          this.options.logger.warn({ operation, problem: (error as Error).message }, 'land registry unreachable');
          throw this.unavailable('UNREACHABLE', error);
        }
        const text = await response.text();
        let answer: ReturnType<typeof readSoapResponse>;
        try {
          answer = readSoapResponse(text);
        } catch (error) {
          this.options.logger.warn(
            { operation, status: response.status, problem: (error as Error).message },
            'land registry answer unreadable',
          );
          throw this.unavailable('MALFORMED_ANSWER', error);
        }
        this.options.logger.debug(
          { operation, status: response.status, ms: Math.round(performance.now() - started) },
          'land registry call',
        );
        if ('fault' in answer) throw this.faultError(operation, answer.fault);
        if (!response.ok) throw this.unavailable(`HTTP_${response.status}`);
        return answer.body;
      },
      { idempotent: true },
    );
  }

  private faultError(operation: Operation, fault: LandFault): HubError {
    switch (fault.code) {
      case 'Client.ParcelNotFound':
        return new NotFoundError('No parcel with this commune code, map sheet number and parcel number is recorded in the land registry.', {
          reason: 'LAND_REGISTRY.NOT_FOUND',
        });
      case 'Client.InvalidParcelId':
        return new InvalidInputError('The land registry does not accept this parcel id (commune code, map sheet number, parcel number).', {
          reason: 'LAND_REGISTRY.INVALID_KEY',
        });
      case 'Client.InvalidOwnerId':
        return new InvalidInputError(
          'The land registry does not accept this owner id (12-digit personal id or 10-digit enterprise code).',
          {
            reason: 'LAND_REGISTRY.INVALID_KEY',
          },
        );
      case 'Client.Authentication':
        // The hub's own credentials: an operator's problem, not the caller's.
        this.options.logger.error(
          { operation },
          'land registry refused the hub’s credentials (LAND_REGISTRY_USERNAME, LAND_REGISTRY_PASSWORD)',
        );
        return this.unavailable('AUTHENTICATION');
      default:
        this.options.logger.warn({ operation, fault: fault.code }, 'land registry answered with a fault');
        return this.unavailable(fault.code.startsWith('Server.') ? 'UNAVAILABLE' : 'FAULT');
    }
  }
}
