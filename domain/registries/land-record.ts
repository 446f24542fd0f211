/** The vocabulary of land records (Land Law 2024), shared by the land connector and the hub's graph. */

/** A holder of a land use right is a citizen (personal id) or an organisation (enterprise code). */
export const OWNER_KINDS = ['CITIZEN', 'ORGANISATION'] as const;
export type OwnerKind = (typeof OWNER_KINDS)[number];

/** A land use right certificate is valid, revoked (thu hồi) or replaced by a newer one (cấp đổi). */
export const CERTIFICATE_STATUSES = ['VALID', 'REVOKED', 'REPLACED'] as const;
export type CertificateStatus = (typeof CERTIFICATE_STATUSES)[number];

/** Registered restrictions: mortgage (thế chấp), lease (cho thuê), dispute (tranh chấp), seizure (kê biên). */
export const ENCUMBRANCE_KINDS = ['MORTGAGE', 'LEASE', 'DISPUTE', 'SEIZURE'] as const;
export type EncumbranceKind = (typeof ENCUMBRANCE_KINDS)[number];

/** Long-term use (lâu dài) or for a fixed term (có thời hạn). */
export const LAND_USE_TERM_KINDS = ['LONG_TERM', 'FIXED_TERM'] as const;
export type LandUseTermKind = (typeof LAND_USE_TERM_KINDS)[number];
