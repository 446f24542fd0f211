import type { SigningKeyRepository, StoredSigningKey } from './token-key-ring';

/** Token signing keys kept in memory: the key ring's port without a database (tools, unit tests). */
export class MemorySigningKeys implements SigningKeyRepository {
  readonly keys: StoredSigningKey[] = [];

  async list(): Promise<StoredSigningKey[]> {
    return this.keys.map((k) => ({ ...k }));
  }

  async insert(key: StoredSigningKey): Promise<void> {
    this.keys.push({ ...key });
  }

  async activate(kid: string, at: Date): Promise<void> {
    this.keys.find((k) => k.kid === kid)!.activatedAt = at;
  }

  async retire(kid: string, at: Date): Promise<void> {
    this.keys.find((k) => k.kid === kid)!.retiredAt = at;
  }
}
