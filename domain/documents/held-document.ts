/**
 * A document the state already holds for a person or an organisation (the vault, Decision 468's
 * "kho quản lý dữ liệu điện tử"), as the rules see it: whose it is, what type, whether it still
 * counts. The vault (store/) produces these facts; reception and `reusableDocuments` decide with them.
 */
export const HELD_DOCUMENT_STATUSES = ['VALID', 'REVOKED', 'SUPERSEDED'] as const;
export type HeldDocumentStatus = (typeof HELD_DOCUMENT_STATUSES)[number];

/** Where a held document came from. */
export const HELD_DOCUMENT_SOURCES = ['DESK_SCAN', 'DOSSIER_RESULT', 'REGISTRY_EXTRACT'] as const;
export type HeldDocumentSource = (typeof HELD_DOCUMENT_SOURCES)[number];

export interface HeldDocument {
  code: string;
  /** 12-digit personal id or 10-digit enterprise code of the owner; null for an ownerless copy. */
  ownerId: string | null;
  /** A document type of reference/catalogue/document-types.json; null when nobody said what it is. */
  typeCode: string | null;
  issuingAgencyCode: string;
  issuedAt: Date;
  /** Past this instant it no longer counts (from the type's validity rule or the document itself). */
  validUntil: Date | null;
  status: HeldDocumentStatus;
  source: HeldDocumentSource;
}

/** Why a held document cannot satisfy a paper: each has its own words on form 02. */
export const DOCUMENT_REFUSALS = ['UNKNOWN', 'NOT_OWNER', 'WRONG_TYPE', 'REVOKED', 'EXPIRED', 'SUPERSEDED'] as const;
export type DocumentRefusal = (typeof DOCUMENT_REFUSALS)[number];

export type DocumentUsability = { usable: true } | { usable: false; refusal: DocumentRefusal };

/**
 * Whether a held document satisfies a paper that accepts `acceptedTypes`, for this owner, now.
 * The order matters: a stranger learns nothing about another person's document beyond "not yours".
 */
export function documentUsability(
  document: HeldDocument | undefined,
  request: { ownerId: string; acceptedTypes: readonly string[]; now: Date },
): DocumentUsability {
  if (!document) return { usable: false, refusal: 'UNKNOWN' };
  if (document.ownerId !== request.ownerId) return { usable: false, refusal: 'NOT_OWNER' };
  if (document.status === 'REVOKED') return { usable: false, refusal: 'REVOKED' };
  if (document.status === 'SUPERSEDED') return { usable: false, refusal: 'SUPERSEDED' };
  if (document.typeCode === null || !request.acceptedTypes.includes(document.typeCode)) return { usable: false, refusal: 'WRONG_TYPE' };
  if (document.validUntil && document.validUntil.getTime() <= request.now.getTime()) return { usable: false, refusal: 'EXPIRED' };
  return { usable: true };
}
