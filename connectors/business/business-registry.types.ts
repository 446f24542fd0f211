/** Wire types of the business registry API, as described in ./openapi.yaml. */

export const ENTERPRISE_TYPES = ['SOLE_PROPRIETORSHIP', 'SINGLE_MEMBER_LLC', 'MULTI_MEMBER_LLC', 'JOINT_STOCK', 'PARTNERSHIP'] as const;
export type EnterpriseType = (typeof ENTERPRISE_TYPES)[number];

export const ENTERPRISE_STATUSES = ['ACTIVE', 'SUSPENDED', 'DISSOLVING', 'DISSOLVED', 'BANKRUPT'] as const;
export type EnterpriseStatus = (typeof ENTERPRISE_STATUSES)[number];

export interface Address {
  /** 2-digit province code since 1 July 2025. */
  provinceCode: string;
  /** 5-digit commune code since 1 July 2025. */
  communeCode: string;
  addressLine: string;
  fullAddress: string;
}

export interface LegalRepresentative {
  /** 12-digit personal id of a citizen of the population registry. */
  personalId: string;
  /** As in the population registry. */
  fullName: string;
  /** Title in the enterprise, in Vietnamese (Giám đốc, Chủ doanh nghiệp, ...). */
  position: string;
}

export interface BusinessLine {
  /** 4-digit VSIC 2018 code. */
  code: string;
  name: string;
  main: boolean;
}

export interface RegistrationEvent {
  /** RFC 3339 with the +07:00 offset. */
  at: string;
  /** In Vietnamese. */
  change: string;
  /** 1 for the first registration, then one more per event. */
  registrationNumber: number;
}

export const ENTERPRISE_ATTRIBUTES = [
  'name',
  'internationalName',
  'shortName',
  'type',
  'status',
  'legalRepresentative',
  'headOffice',
  'registeredCapitalVnd',
  'businessLines',
  'dependentUnits',
] as const;
export type EnterpriseAttribute = (typeof ENTERPRISE_ATTRIBUTES)[number];

export interface EnterpriseAttributeUpdate {
  attribute: EnterpriseAttribute;
  /** RFC 3339 with the +07:00 offset. */
  updatedAt: string;
}

export interface Enterprise {
  /** 10 digits, the last a check digit. */
  enterpriseCode: string;
  name: string;
  /** Absent when none was registered. */
  internationalName?: string;
  /** Absent when none was registered. */
  shortName?: string;
  type: EnterpriseType;
  status: EnterpriseStatus;
  /** YYYY-MM-DD */
  foundedOn: string;
  legalRepresentative: LegalRepresentative;
  headOffice: Address;
  /** Whole đồng (a safe integer; GraphQL gets it as BigInt). */
  registeredCapitalVnd: number;
  businessLines: BusinessLine[];
  history: RegistrationEvent[];
  /** `<enterprise code>-NNN`, in registration order. */
  dependentUnits: string[];
  attributeUpdates: EnterpriseAttributeUpdate[];
}

export interface EnterpriseLookupRequest {
  enterpriseCodes: string[];
}

export interface EnterpriseLookupResult {
  enterprises: Enterprise[];
  notFound: string[];
  invalid: string[];
}

export interface EnterpriseList {
  enterprises: Enterprise[];
}

export const MAX_LOOKUP_BATCH = 500;

/** The header that carries the caller's API key. */
export const API_KEY_HEADER = 'X-Api-Key';

export const PROBLEM_CODES = [
  'INVALID_ENTERPRISE_CODE',
  'ENTERPRISE_NOT_FOUND',
  'INVALID_PERSONAL_ID',
  'INVALID_REQUEST',
  'UNAUTHORIZED',
  'SERVICE_UNAVAILABLE',
  'INTERNAL_ERROR',
] as const;
export type ProblemCode = (typeof PROBLEM_CODES)[number];

/** RFC 9457 problem details, served as application/problem+json. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code: ProblemCode;
}
