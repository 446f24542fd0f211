/** Wire types of the population registry API, as described in ./openapi.yaml. */

export type Sex = 'MALE' | 'FEMALE';

export const MARITAL_STATUSES = ['SINGLE', 'MARRIED', 'DIVORCED', 'WIDOWED'] as const;
export type MaritalStatus = (typeof MARITAL_STATUSES)[number];

export interface Residence {
  /** 2-digit province code since 1 July 2025. */
  provinceCode: string;
  /** 5-digit commune code since 1 July 2025. */
  communeCode: string;
  addressLine: string;
  fullAddress: string;
}

export interface AttributeUpdate {
  attribute: CitizenAttribute;
  /** RFC 3339 with the +07:00 offset. */
  updatedAt: string;
}

export const CITIZEN_ATTRIBUTES = [
  'fullName',
  'dateOfBirth',
  'sex',
  'ethnicity',
  'nationality',
  'permanentResidence',
  'currentResidence',
  'householdId',
  'maritalStatus',
] as const;
export type CitizenAttribute = (typeof CITIZEN_ATTRIBUTES)[number];

export interface Citizen {
  personalId: string;
  fullName: string;
  familyName: string;
  middleName: string;
  givenName: string;
  /** YYYY-MM-DD */
  dateOfBirth: string;
  sex: Sex;
  ethnicity: string;
  /** ISO 3166-1 alpha-2. */
  nationality: string;
  /** 3 digits, the first part of the personal id. */
  birthProvinceCode: string;
  permanentResidence: Residence;
  currentResidence: Residence;
  householdId: string;
  isHouseholdHead: boolean;
  maritalStatus: MaritalStatus;
  attributeUpdates: AttributeUpdate[];
}

export interface CitizenLookupRequest {
  personalIds: string[];
}

export interface CitizenLookupResult {
  citizens: Citizen[];
  notFound: string[];
  invalid: string[];
}

export const MAX_LOOKUP_BATCH = 500;

/** Quan hệ với chủ hộ: the head (chủ hộ), their spouse, a parent, a child. */
export const RELATIONSHIPS_TO_HEAD = ['HEAD', 'SPOUSE', 'PARENT', 'CHILD'] as const;
export type RelationshipToHead = (typeof RELATIONSHIPS_TO_HEAD)[number];

export interface HouseholdMember {
  personalId: string;
  fullName: string;
  dateOfBirth: string;
  sex: Sex;
  relationshipToHead: RelationshipToHead;
}

export interface Household {
  householdId: string;
  permanentResidence: Residence;
  /** The head first. */
  members: HouseholdMember[];
}

export const PROBLEM_CODES = [
  'INVALID_PERSONAL_ID',
  'CITIZEN_NOT_FOUND',
  'HOUSEHOLD_NOT_FOUND',
  'INVALID_REQUEST',
  'SERVICE_UNAVAILABLE',
  'INTERNAL_ERROR',
  'CLIENT_CERTIFICATE_REQUIRED',
  'CLIENT_CERTIFICATE_UNTRUSTED',
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
