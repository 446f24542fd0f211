import type { EntityManager } from '@mikro-orm/postgresql';
import type { HeldDocument } from '../../domain/documents/held-document';

/**
 * Reads held documents as the reception decides with them, inside the reception's transaction, and
 * records which dossier used which document.
 */
export interface HeldDocumentReader {
  /** The documents with these codes (whoever owns them) and, when `ownerId` is given, every document of that owner. */
  read(em: EntityManager, query: { codes: readonly string[]; ownerId?: string | undefined }): Promise<HeldDocument[]>;
  /** The document was used by this dossier (the vault's link from document to dossiers). */
  recordUse?(em: EntityManager, use: { documentCode: string; dossierCode: string; requirementCode: string; at: Date }): Promise<void>;
}
