import { createHash } from 'node:crypto';
import { parse, type OperationDefinitionNode } from 'graphql';
import { LRUCache } from 'lru-cache';
import { InvalidInputError } from '../domain/errors';
import type { HubOrm } from './orm';

/** The id of a document: `sha256:<hex of its exact text>` (the GraphQL-over-HTTP persisted documents convention). */
export function documentIdOf(body: string): string {
  return `sha256:${createHash('sha256').update(body, 'utf8').digest('hex')}`;
}

export interface TrustedDocumentsCacheOptions {
  /** Documents (and misses) kept in memory at most: ids come from anyone, so the cache is bounded. @default 5000 */
  maxEntries?: number;
  /** How long an id with no document is remembered as missing (one registered on another replica shows within). @default 30000 */
  missMs?: number;
}

/** Registered operations: clients in trusted-documents mode may run only these. */
export class TrustedDocuments {
  /** A document's text never changes (its id is its hash); a miss is kept briefly. `null` = no such document. */
  private readonly cache: LRUCache<string, { body: string | null }>;
  private readonly missMs: number;

  constructor(
    private readonly orm: HubOrm,
    options: TrustedDocumentsCacheOptions = {},
  ) {
    this.cache = new LRUCache({ maxSize: options.maxEntries ?? 5000, sizeCalculation: () => 1 });
    this.missMs = options.missMs ?? 30_000;
  }

  /** Entries held in memory now (for tests and operators). */
  get cachedEntries(): number {
    return this.cache.size;
  }

  /** Registers each operation of a GraphQL file as its own document; returns their ids. */
  async add(source: string): Promise<{ documentId: string; operationName: string | null }[]> {
    let operations: OperationDefinitionNode[];
    try {
      operations = parse(source).definitions.filter((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition');
    } catch (error) {
      throw new InvalidInputError(`The document is not valid GraphQL: ${(error as Error).message}`, {
        reason: 'TRUSTED_DOCUMENTS.INVALID',
      });
    }
    if (operations.length === 0) throw new InvalidInputError('The document has no operation.', { reason: 'TRUSTED_DOCUMENTS.EMPTY' });
    const added = [];
    for (const operation of operations) {
      const body = source.slice(operation.loc!.start, operation.loc!.end);
      const documentId = documentIdOf(body);
      await this.orm.em
        .fork()
        .execute('insert into trusted_document (document_id, operation_name, body) values (?, ?, ?) on conflict do nothing', [
          documentId,
          operation.name?.value ?? null,
          body,
        ]);
      this.cache.delete(documentId);
      added.push({ documentId, operationName: operation.name?.value ?? null });
    }
    return added;
  }

  async get(documentId: string): Promise<string | undefined> {
    const normalized = documentId.startsWith('sha256:') ? documentId : `sha256:${documentId}`;
    const cached = this.cache.get(normalized);
    if (cached) return cached.body ?? undefined;
    const rows = await this.orm.em
      .fork()
      .execute<{ body: string }[]>('select body from trusted_document where document_id = ?', [normalized]);
    const body = rows[0]?.body ?? null;
    this.cache.set(normalized, { body }, body === null ? { ttl: this.missMs } : {});
    return body ?? undefined;
  }

  async list(): Promise<{ documentId: string; operationName: string | null }[]> {
    const rows = await this.orm.em
      .fork()
      .execute<{ document_id: string; operation_name: string | null }[]>(
        'select document_id, operation_name from trusted_document order by created_at',
      );
    return rows.map((r) => ({ documentId: r.document_id, operationName: r.operation_name }));
  }
}
