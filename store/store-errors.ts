import {
  DriverException,
  OptimisticLockError,
  UniqueConstraintViolationException,
  ForeignKeyConstraintViolationException,
} from '@mikro-orm/core';
import { ConflictError, HubError, InvalidInputError } from '../domain/errors';

/**
 * The PostgreSQL backend's converter into the hub's neutral errors. MikroORM already maps SQLSTATE
 * codes (23505 unique, 23503 foreign key) to its exception classes; this maps those to codes a
 * caller can act on. Anything unknown passes through and becomes INTERNAL_SERVER_ERROR upstream.
 */
export function translateStoreError(error: unknown): unknown {
  if (error instanceof HubError) return error;
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
  if (error instanceof DriverException) return error;
  return error;
}
