/**
 * The one error hierarchy of the hub. Every error a caller can see carries a stable public `code`
 * (the GraphQL `extensions.code`, listed in docs/API.md) and a message an officer can act on.
 * `reason` is a finer, namespaced code (e.g. `DOSSIER.NOT_FOUND`) for logs, clients and tests.
 */
export const ERROR_CODES = [
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'INVALID_TRANSITION',
  'CONFLICT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'CONSENT_REQUIRED',
  'UPSTREAM_UNAVAILABLE',
  'QUERY_TOO_COMPLEX',
  'RATE_LIMITED',
  'STORE_UNAVAILABLE',
  'CONFIGURATION_INVALID',
  'SERVICE_UNREACHABLE',
  'INTERNAL_SERVER_ERROR',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface HubErrorOptions {
  /** Namespaced detail code, e.g. `PERSONAL_ID.WRONG_LENGTH`. */
  reason?: string;
  /** Safe, non-personal details for the caller (field names, allowed values). */
  details?: Record<string, unknown>;
  cause?: unknown;
}

export abstract class HubError extends Error {
  abstract readonly code: ErrorCode;
  readonly reason: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(message: string, options: HubErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.reason = options.reason;
    this.details = options.details;
  }
}

/** The caller sent something malformed: an identifier, a date, a missing field. */
export class InvalidInputError extends HubError {
  readonly code = 'BAD_USER_INPUT' as const;
}

export class NotFoundError extends HubError {
  readonly code = 'NOT_FOUND' as const;
}

/** The dossier is not in a status where the requested action is allowed. */
export class InvalidTransitionError extends HubError {
  readonly code = 'INVALID_TRANSITION' as const;
}

/** Someone else changed the record first, or the same request was already applied differently. */
export class ConflictError extends HubError {
  readonly code = 'CONFLICT' as const;
}

/** A registry or other upstream could not answer in time; the rest of a response still succeeds. */
export class UpstreamUnavailableError extends HubError {
  readonly code = 'UPSTREAM_UNAVAILABLE' as const;
}

/** A setting is missing or wrong; raised at start-up, never to GraphQL clients. */
export class ConfigurationError extends HubError {
  readonly code = 'CONFIGURATION_INVALID' as const;
}

/** A service the hub depends on (database, broker) cannot be reached at start-up. */
export class ServiceUnreachableError extends HubError {
  readonly code = 'SERVICE_UNREACHABLE' as const;
}

export function isHubError(error: unknown): error is HubError {
  return error instanceof HubError;
}

/** No credentials, or credentials the hub does not accept (expired, forged, for another audience). */
export class UnauthenticatedError extends HubError {
  readonly code = 'UNAUTHENTICATED' as const;
}

/** The caller is known but may not see or do this. */
export class ForbiddenError extends HubError {
  readonly code = 'FORBIDDEN' as const;
}

/** Citizen data needs the citizen's consent (or an officer's legal basis), which is missing. */
export class ConsentRequiredError extends HubError {
  readonly code = 'CONSENT_REQUIRED' as const;
}

/** Too many requests from this client; `details.retryAfterSeconds` says when to come back. */
export class RateLimitedError extends HubError {
  readonly code = 'RATE_LIMITED' as const;
}

/** A failure the hub did not expect: answered with the request id to quote, the details only in the log. */
export class UnexpectedError extends HubError {
  readonly code = 'INTERNAL_SERVER_ERROR' as const;
}

/** How long a caller is told to wait before retrying while the database is unavailable. */
export const STORE_RETRY_AFTER_SECONDS = 5;

/**
 * The hub's database cannot be reached for a moment (restarting, failing over, out of connections).
 * Retryable: `details.retryAfterSeconds` says when; never carries the driver's text or SQL.
 */
export class StoreUnavailableError extends HubError {
  readonly code = 'STORE_UNAVAILABLE' as const;

  get retryAfterSeconds(): number {
    return Number(this.details?.retryAfterSeconds ?? STORE_RETRY_AFTER_SECONDS);
  }
}

/**
 * A request the store could not serve because it was unreachable. Whether a write sent just
 * before the outage was applied is unknown, so the message says how to retry safely.
 */
export function storeUnavailable(cause?: unknown, retryAfterSeconds = STORE_RETRY_AFTER_SECONDS): StoreUnavailableError {
  return new StoreUnavailableError(
    `The hub's database is not answering at the moment. Try again in ${retryAfterSeconds} s; a reception retried with the same idempotency key is recorded only once.`,
    { reason: 'STORE.UNAVAILABLE', details: { retryAfterSeconds }, ...(cause === undefined ? {} : { cause }) },
  );
}
