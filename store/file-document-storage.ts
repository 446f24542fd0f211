import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InvalidInputError, NotFoundError } from '../domain/errors';
import { STORAGE_KEY, type DocumentStorage } from '../domain/ports/document-storage.port';

function requireKey(key: string): string {
  if (!STORAGE_KEY.test(key)) throw new InvalidInputError(`Not a storage key: ${JSON.stringify(key)}.`, { reason: 'DOCUMENT.STORAGE_KEY' });
  return key;
}

/** Document files on the local disk (DATA_DIR/documents): written to a temporary file, then renamed into place. */
export class FileDocumentStorage implements DocumentStorage {
  constructor(private readonly root: string) {}

  private file(key: string): string {
    return path.join(this.root, ...requireKey(key).split('/'));
  }

  async put(key: string, content: Buffer): Promise<void> {
    const target = this.file(key);
    await mkdir(path.dirname(target), { recursive: true });
    const temporary = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(temporary, content, { mode: 0o600 });
    await rename(temporary, target);
  }

  async get(name: string): Promise<Buffer> {
    const key = name;
    try {
      return await readFile(this.file(name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      throw new NotFoundError(`The vault’s file ${key} is missing from document storage: restore it from the backup.`, {
        reason: 'DOCUMENT.FILE_MISSING',
        cause: error,
      });
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.file(key), { force: true });
  }
}

/** Files in memory, for processes that keep nothing (tests of the store, one-off commands). */
export class MemoryDocumentStorage implements DocumentStorage {
  readonly files = new Map<string, Buffer>();
  async put(key: string, content: Buffer): Promise<void> {
    this.files.set(requireKey(key), Buffer.from(content));
  }
  async get(key: string): Promise<Buffer> {
    const file = this.files.get(requireKey(key));
    if (!file) throw new NotFoundError(`No file ${key} in document storage.`, { reason: 'DOCUMENT.FILE_MISSING' });
    return Buffer.from(file);
  }
  async delete(key: string): Promise<void> {
    this.files.delete(requireKey(key));
  }
}
