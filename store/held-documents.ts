import type { EntityManager } from '@mikro-orm/postgresql';
import type { HeldDocument, HeldDocumentSource, HeldDocumentStatus } from '../domain/documents/held-document';

/**
 * The vault's facts as reception decides with them (domain/documents/held-document.ts). Each reader
 * takes the caller's EntityManager: inside a use case, its transaction (the embedded store has one
 * connection, so a second one opened here would wait on the first forever).
 */

interface HeldRow {
  code: string;
  owner_id: string;
  type_code: string | null;
  agency_code: string;
  issued_at: Date | string;
  valid_until: Date | string | null;
  status: HeldDocumentStatus;
  source: HeldDocumentSource;
}

const HELD_COLUMNS = 'code, owner_id, type_code, agency_code, issued_at, valid_until, status, source';

function toHeld(row: HeldRow): HeldDocument {
  return {
    code: row.code,
    ownerId: row.owner_id,
    typeCode: row.type_code,
    issuingAgencyCode: row.agency_code,
    issuedAt: new Date(row.issued_at),
    validUntil: row.valid_until === null ? null : new Date(row.valid_until),
    status: row.status,
    source: row.source,
  };
}

const placeholders = (count: number) => Array.from({ length: count }, () => '?').join(', ');

/** The held documents with these codes; codes the vault does not keep are absent from the map. */
export async function heldDocumentsByCode(em: EntityManager, codes: readonly string[]): Promise<Map<string, HeldDocument>> {
  const unique = [...new Set(codes)];
  if (unique.length === 0) return new Map();
  const rows = await em.execute<HeldRow[]>(`select ${HELD_COLUMNS} from document where code in (${placeholders(unique.length)})`, unique);
  return new Map(rows.map((row) => [row.code, toHeld(row)]));
}

/**
 * Everything the vault holds for an owner (any status: the caller decides with documentUsability),
 * optionally only of some types; the newest issued first, so the first usable one is the best.
 */
export async function heldDocumentsOf(em: EntityManager, ownerId: string, typeCodes?: readonly string[]): Promise<HeldDocument[]> {
  if (typeCodes && typeCodes.length === 0) return [];
  const typed = typeCodes ? ` and type_code in (${placeholders(typeCodes.length)})` : '';
  const rows = await em.execute<HeldRow[]>(
    `select ${HELD_COLUMNS} from document where owner_id = ?${typed} order by issued_at desc, code desc limit 500`,
    [ownerId, ...(typeCodes ?? [])],
  );
  return rows.map(toHeld);
}

export interface DocumentUse {
  documentCode: string;
  dossierCode: string;
  /** The paper of the procedure (ComponentRequirement.code) the document satisfied. */
  requirementCode: string;
  at: Date;
}

/** Records that a dossier used a held document for one of its papers (in the reception's transaction). */
export async function recordDocumentUse(em: EntityManager, uses: DocumentUse | readonly DocumentUse[]): Promise<void> {
  const list = Array.isArray(uses) ? (uses as readonly DocumentUse[]) : [uses as DocumentUse];
  if (list.length === 0) return;
  await em.execute(
    `insert into document_use (document_code, dossier_code, requirement_code, used_at) values ${list.map(() => '(?, ?, ?, ?)').join(', ')}
     on conflict do nothing`,
    list.flatMap((use) => [use.documentCode, use.dossierCode, use.requirementCode, use.at]),
  );
}

/** The dossiers that used a document, oldest first. */
export async function usesOfDocument(em: EntityManager, documentCode: string): Promise<DocumentUse[]> {
  const rows = await em.execute<{ document_code: string; dossier_code: string; requirement_code: string; used_at: Date | string }[]>(
    `select document_code, dossier_code, requirement_code, used_at from document_use where document_code = ? order by used_at, dossier_code`,
    [documentCode],
  );
  return rows.map((row) => ({
    documentCode: row.document_code,
    dossierCode: row.dossier_code,
    requirementCode: row.requirement_code,
    at: new Date(row.used_at),
  }));
}
