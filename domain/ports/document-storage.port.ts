/**
 * Where the vault keeps document files (the database keeps their metadata and signatures). The
 * default adapter writes to DATA_DIR/documents; an object store (S3, MinIO, Swift) implements the
 * same three calls, with the key as the object name (docs/ARCHITECTURE.md).
 *
 * Keys are the vault's own (a document code): letters, digits, `.`, `-`, `/`, never `..`.
 * Files are bounded by MAX_DOCUMENT_BYTES, so whole Buffers are fine; `put` must be atomic (a
 * reader sees the whole file or none) and idempotent for the same key and content.
 */
export interface DocumentStorage {
  put(key: string, content: Buffer): Promise<void>;
  /** The file, or a NotFoundError (`DOCUMENT.FILE_MISSING`) when the store has none under this key. */
  get(key: string): Promise<Buffer>;
  /** Removes the file; a missing one is not an error. */
  delete(key: string): Promise<void>;
}

export const STORAGE_KEY = /^(?!.*\.\.)[A-Za-z0-9][A-Za-z0-9.\-/]{0,199}$/;
