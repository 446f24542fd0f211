/** Wire types of the land registry service, as described in ./land-registry.wsdl. */

export const LAND_REGISTRY_NAMESPACE = 'urn:vn:gov:land-registry:v1';

import type { CertificateStatus, EncumbranceKind, OwnerKind } from '../../domain/registries/land-record';

export {
  CERTIFICATE_STATUSES,
  ENCUMBRANCE_KINDS,
  OWNER_KINDS,
  type CertificateStatus,
  type EncumbranceKind,
  type OwnerKind,
} from '../../domain/registries/land-record';

/** A parcel's identity: commune code + map sheet number (tờ bản đồ số) + parcel number (thửa đất số). */
export interface ParcelId {
  /** 5-digit commune code since 1 July 2025. */
  communeCode: string;
  mapSheetNumber: number;
  parcelNumber: number;
}

export interface LandUsePurpose {
  /** Land category code, e.g. ODT. */
  code: string;
  /** Its Vietnamese name, e.g. Đất ở tại đô thị. */
  name: string;
}

export type LandUseTerm = { kind: 'LONG_TERM' } | { kind: 'FIXED_TERM'; /** YYYY-MM-DD */ endDate: string };

export interface ParcelOwner {
  /** 12-digit personal id (CITIZEN) or 10-digit enterprise code (ORGANISATION). */
  ownerId: string;
  ownerKind: OwnerKind;
  fullName: string;
  /** Share of the land use right, 0 < share ≤ 1; a parcel's shares add up to 1. */
  share: number;
}

export interface Certificate {
  /** Series and serial number, e.g. "CS 123456". */
  number: string;
  /** YYYY-MM-DD */
  issuedOn: string;
  status: CertificateStatus;
}

export interface Encumbrance {
  kind: EncumbranceKind;
  holder: string;
  /** YYYY-MM-DD */
  registeredOn: string;
}

export interface Parcel extends ParcelId {
  /** Area in square metres, to 0.1 m². */
  areaM2: number;
  landUsePurpose: LandUsePurpose;
  landUseTerm: LandUseTerm;
  address: string;
  owners: ParcelOwner[];
  certificate: Certificate;
  encumbrances: Encumbrance[];
  /** RFC 3339 with the +07:00 offset. */
  lastUpdated: string;
}

/** SOAP fault codes, written `soap:<code>` in faultcode and without the prefix in the fault detail. */
export const LAND_FAULT_CODES = [
  'Client.InvalidParcelId',
  'Client.ParcelNotFound',
  'Client.InvalidOwnerId',
  'Client.Authentication',
  'Client.InvalidRequest',
  'Client.UnknownOperation',
  'Server.Unavailable',
  'Server.Internal',
  'VersionMismatch',
  'MustUnderstand',
] as const;
export type LandFaultCode = (typeof LAND_FAULT_CODES)[number];
