import {
  ConnectionException,
  DriverException,
  OptimisticLockError,
  UniqueConstraintViolationException,
  ForeignKeyConstraintViolationException,
} from '@mikro-orm/core';
import { ConflictError, HubError, InvalidInputError, storeUnavailable } from '../domain/errors';

/**
 * SQLSTATEs that mean "the server cannot serve you now", not "your statement is wrong": the
 * connection exception class (08), admin shutdown, crash shutdown and "cannot connect now" (57P01,
 * 57P02, 57P03: the server is stopping or starting), too many connections (53300).
 */
const UNAVAILABLE_SQLSTATE = /^(08[0-9A-Z]{3}|57P0[123]|53300)$/;

/** Socket errors on the way to the server (refused while it is down, reset when it stops). */
const UNAVAILABLE_ERRNO = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * What node-postgres and the pool say without a code: a connection that ended under a query, a
 * client that already failed, no connection free in time (knex/tarn's acquire timeout), and a
 * transaction knex closed because its connection was lost (the next statement is refused).
 */
const UNAVAILABLE_MESSAGE =
  /Connection terminated|Connection ended unexpectedly|Transaction query already complete|Client has encountered a connection error|Client was closed and is not queryable|Timeout acquiring a connection|connection timeout|the database system is (shutting down|starting up|in recovery mode)|terminating connection due to administrator command|server closed the connection unexpectedly/i;

/** Failures of other clients, whose socket errors say nothing about the database: an HTTP call, the broker. */
function fromAnotherClient(error: object): boolean {
  const { name, message } = error as { name?: unknown; message?: unknown };
  return (name === 'TypeError' && message === 'fetch failed') || (typeof name === 'string' && name.startsWith('KafkaJS'));
}

/** The errors an error was built from: its cause, GraphQL's originalError, an AggregateError's errors. */
function* chain(error: unknown): Generator<unknown> {
  const seen = new Set<unknown>();
  const pending: unknown[] = [error];
  while (pending.length > 0 && seen.size < 16) {
    const current = pending.shift();
    if (!current || typeof current !== 'object' || seen.has(current) || fromAnotherClient(current)) continue;
    seen.add(current);
    yield current;
    const { cause, originalError, errors } = current as { cause?: unknown; originalError?: unknown; errors?: unknown };
    pending.push(cause, originalError, ...(Array.isArray(errors) ? errors : []));
  }
}

/** Whether the error (or one it was built from) says the database cannot be reached right now. */
export function isStoreUnavailable(error: unknown): boolean {
  for (const current of chain(error)) {
    if (current instanceof HubError) return current.code === 'STORE_UNAVAILABLE';
    if (current instanceof ConnectionException) return true;
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && (UNAVAILABLE_SQLSTATE.test(code) || UNAVAILABLE_ERRNO.has(code))) return true;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGE.test(message)) return true;
  }
  return false;
}

/**
 * Whether the error comes from the database driver: its message may quote SQL, table names or the
 * server's address, so it is never shown to a caller, in any mode.
 */
export function isDriverError(error: unknown): boolean {
  for (const current of chain(error)) {
    if (current instanceof DriverException) return true;
    const { sql, sqlState, severity, routine } = current as Record<string, unknown>;
    if (typeof sql === 'string' || typeof sqlState === 'string') return true;
    // node-postgres' DatabaseError: the server's own fields.
    if (typeof severity === 'string' && typeof routine === 'string') return true;
  }
  return false;
}

/**
 * The PostgreSQL backend's converter into the hub's neutral errors. MikroORM already maps SQLSTATE
 * codes (23505 unique, 23503 foreign key) to its exception classes; this maps those to codes a
 * caller can act on, and every sign of an unreachable server to one retryable STORE_UNAVAILABLE.
 * Anything unknown passes through and becomes INTERNAL_SERVER_ERROR upstream.
 */
export function translateStoreError(error: unknown): unknown {
  if (error instanceof HubError) return error;
  if (isStoreUnavailable(error)) return storeUnavailable(error);
  if (error instanceof OptimisticLockError) {
    return new ConflictError('Someone else changed this dossier a moment ago. Reload it and try again.', {
      reason: 'STORE.CONCURRENT_UPDATE',
      cause: error,
    });
  }
  if (error instanceof UniqueConstraintViolationException) {
    return new ConflictError('This record already exists.', { reason: 'STORE.DUPLICATE', cause: error });
  }
  if (error instanceof ForeignKeyConstraintViolationException) {
    return new InvalidInputError('A referenced record (agency or procedure) does not exist.', {
      reason: 'STORE.MISSING_REFERENCE',
      cause: error,
    });
  }
  return error;
}
