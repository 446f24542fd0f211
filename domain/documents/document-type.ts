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
  /** Counts for N days from its issue date (a confirmation of residence information: 30 days). */
  | { kind: 'expires-after-days'; days: number }
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
  /** What the source leaves open or what is not confirmed (a period read from a superseded circular, say). */
  note?: string | null;
}

const VIETNAM_OFFSET_MS = 7 * 3_600_000;

/**
 * Until when a document of this validity counts, given its issue date and the end date it states
 * (if any). null: it never expires, or it should state a date and does not (the desk checks it).
 */
export function validUntilOf(validity: DocumentValidity, issuedAt: Date, statedValidUntil: Date | null): Date | null {
  switch (validity.kind) {
    case 'never-expires':
      return null;
    case 'stated-on-document':
      return statedValidUntil;
    case 'expires-after-days':
      return new Date(issuedAt.getTime() + validity.days * 86_400_000);
    case 'expires-after-months': {
      // Calendar months on Vietnam's calendar (UTC+7, no daylight saving): issued 31 January,
      // 1 month -> 28/29 February, not 3 March.
      const end = new Date(issuedAt.getTime() + VIETNAM_OFFSET_MS);
      const day = end.getUTCDate();
      end.setUTCDate(1);
      end.setUTCMonth(end.getUTCMonth() + validity.months);
      const lastDay = new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth() + 1, 0)).getUTCDate();
      end.setUTCDate(Math.min(day, lastDay));
      return new Date(end.getTime() - VIETNAM_OFFSET_MS);
    }
  }
}

export const DOCUMENT_TYPE_CODE = /^[A-Z][A-Z0-9_]{2,47}$/;
