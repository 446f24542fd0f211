import type { RegistrySource } from '../catalogue/procedure-definition';

/**
 * The kinds of state-issued papers citizens and businesses are asked for (birth certificate,
 * residence confirmation, land-use certificate, ...), kept as data in
 * reference/catalogue/document-types.json so an agency can add one without a release.
 */

/** How long a document of a type counts once issued. */
export type DocumentValidity =
  /** Never expires (a birth certificate). */
  | { kind: 'never-expires' }
  /** Counts for N months from its issue date (a marital-status confirmation: 6 months). */
  | { kind: 'expires-after-months'; months: number }
  /** The document states its own end date (an identity card, a permit): valid until that date. */
  | { kind: 'stated-on-document' };

export interface DocumentTypeDefinition {
  /** Stable code, upper-case words joined by underscores: `BIRTH_CERTIFICATE`. */
  code: string;
  /** Vietnamese name as the law words it: "Giấy khai sinh". */
  name: string;
  nameEn: string;
  /** Who such a document is issued to. */
  ownerKinds: ('CITIZEN' | 'BUSINESS')[];
  validity: DocumentValidity;
  /** A newer document of this type for the same owner replaces the older one. */
  supersededByNewer: boolean;
  /** The national database that holds the fact this paper proves, if any. */
  registrySource: RegistrySource | null;
  /** The legal text or public source that defines it. */
  source: string;
}

export const DOCUMENT_TYPE_CODE = /^[A-Z][A-Z0-9_]{2,47}$/;
