import type { EntityManager } from '@mikro-orm/postgresql';
import type { HeldDocument } from '../../domain/documents/held-document';
import { heldDocumentsByCode, heldDocumentsOf, recordDocumentUse } from '../held-documents';
import type { HeldDocumentReader } from './held-documents';

/** The vault's held documents as reception reads them, in the reception's transaction. */
export class VaultHeldDocuments implements HeldDocumentReader {
  async read(em: EntityManager, query: { codes: readonly string[]; ownerId?: string | undefined }): Promise<HeldDocument[]> {
    const named = await heldDocumentsByCode(em, query.codes);
    const own = query.ownerId ? await heldDocumentsOf(em, query.ownerId) : [];
    const byCode = new Map([...named.values(), ...own].map((document) => [document.code, document]));
    return [...byCode.values()];
  }

  recordUse(em: EntityManager, use: { documentCode: string; dossierCode: string; requirementCode: string; at: Date }): Promise<void> {
    return recordDocumentUse(em, use);
  }
}
