import type { EntityManager } from '@mikro-orm/postgresql';
import type { HeldDocument } from '../../domain/documents/held-document';
import type { HeldDocumentReader } from './held-documents';

interface Row {
  code: string;
  kind: 'DIGITIZED_COPY' | 'RESULT';
  owner_id: string;
  agency_code: string;
  created_at: string | Date;
}

/**
 * The vault's documents as held-document facts, from the `document` table as it stands. The table
 * records no document type yet, so every document is of no type and satisfies no paper
 * (WRONG_TYPE) until the vault's types, statuses and use links replace this reader.
 */
export class VaultHeldDocuments implements HeldDocumentReader {
  async read(em: EntityManager, query: { codes: readonly string[]; ownerId?: string | undefined }): Promise<HeldDocument[]> {
    if (query.codes.length === 0 && !query.ownerId) return [];
    const codes = query.codes.length ? `code in (${query.codes.map(() => '?').join(', ')})` : 'false';
    const rows = await em.execute<Row[]>(
      `select code, kind, owner_id, agency_code, created_at from "document" where ${codes} or owner_id = ?`,
      [...query.codes, query.ownerId ?? null],
    );
    return rows.map((row) => ({
      code: row.code,
      ownerId: row.owner_id,
      typeCode: null,
      issuingAgencyCode: row.agency_code,
      issuedAt: new Date(row.created_at),
      validUntil: null,
      status: 'VALID',
      source: row.kind === 'RESULT' ? 'DOSSIER_RESULT' : 'DESK_SCAN',
    }));
  }
}
