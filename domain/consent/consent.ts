/**
 * Consent as the basis of a read of citizen data (Decree 13/2023), modelled on India's DEPA consent
 * artefact and Singapore Myinfo's scopes: one scope per registry attribute, a purpose registered for
 * the requesting client, a procedure, a validity window and how long the portal may keep the data.
 * Pure rules: the service gathers the stored record and the verified token claims and asks here.
 */

/** One scope per attribute the registries expose (connectors/*-registry.types.ts). */
export const CONSENT_ATTRIBUTES = [
  'population.fullName',
  'population.dateOfBirth',
  'population.sex',
  'population.ethnicity',
  'population.nationality',
  'population.permanentResidence',
  'population.currentResidence',
  'population.householdId',
  'population.maritalStatus',
  'land.parcels',
  'business.enterprises',
] as const;
export type ConsentAttribute = (typeof CONSENT_ATTRIBUTES)[number];

export function isConsentAttribute(value: string): value is ConsentAttribute {
  return (CONSENT_ATTRIBUTES as readonly string[]).includes(value);
}

export type ConsentStatus = 'GRANTED' | 'REVOKED';

/** A stored consent record: the database is the truth for its status. */
export interface ConsentRecord {
  id: string;
  /** The data principal as a pseudonym (never the personal id in clear). */
  subjectPseudonym: string;
  clientId: string;
  attributes: readonly ConsentAttribute[];
  purpose: string;
  procedureCode: string;
  issuedAt: Date;
  notAfter: Date;
  /** How long the portal may keep the data it read, in seconds. */
  dataLifeSeconds: number;
  status: ConsentStatus;
  revokedAt: Date | null;
}

/** What a token presents, once its signature checked: the claims of the consent artefact. */
export interface ConsentClaims {
  consentId: string;
  subjectPseudonym: string;
  clientId: string;
  attributes: readonly string[];
  purpose: string;
  procedureCode: string;
  notAfter: Date;
}

export const CONSENT_REFUSALS = [
  'CONSENT.INVALID_TOKEN',
  'CONSENT.WRONG_CLIENT',
  'CONSENT.EXPIRED',
  'CONSENT.REVOKED',
  'CONSENT.WRONG_PROCEDURE',
  'CONSENT.WRONG_PURPOSE',
  'CONSENT.WRONG_SUBJECT',
  'CONSENT.ATTRIBUTE_NOT_CONSENTED',
] as const;
export type ConsentRefusal = (typeof CONSENT_REFUSALS)[number];

export type ConsentDecision = { allowed: true } | { allowed: false; reason: ConsentRefusal; message: string };

/** A read asked for under a consent: by whom, about whom, what, for which procedure and purpose. */
export interface ConsentedReadRequest {
  clientId: string;
  /** Whom the read is about; undefined when the caller checks it on the data (a parcel's holders). */
  subjectPseudonym?: string | undefined;
  attributes: readonly string[];
  /** The procedure named by the read (prefill); undefined for a plain registry read. */
  procedureCode?: string | undefined;
  /** The purpose the read serves; undefined accepts the consent's own purpose. */
  purpose?: string | undefined;
  now: Date;
}

function refuse(reason: ConsentRefusal, message: string): ConsentDecision {
  return { allowed: false, reason, message };
}

/**
 * May this client read these attributes of this subject now, under this consent? The token's claims
 * must agree with the stored record (an altered or stale token does not), and the record decides
 * status and validity.
 */
export function decideConsentedRead(
  claims: ConsentClaims | undefined,
  record: ConsentRecord | undefined,
  request: ConsentedReadRequest,
): ConsentDecision {
  if (!claims || !record || !claimsMatchRecord(claims, record)) {
    return refuse('CONSENT.INVALID_TOKEN', 'This consent token is not one the hub issued, or it was altered.');
  }
  if (record.clientId !== request.clientId) {
    return refuse('CONSENT.WRONG_CLIENT', 'This consent was given to another client: only that client may present it.');
  }
  if (record.status === 'REVOKED') return refuse('CONSENT.REVOKED', 'The citizen or the client withdrew this consent.');
  if (request.now.getTime() >= record.notAfter.getTime()) {
    return refuse('CONSENT.EXPIRED', `This consent ran until ${record.notAfter.toISOString()}; ask the citizen again.`);
  }
  if (request.subjectPseudonym !== undefined && record.subjectPseudonym !== request.subjectPseudonym) {
    return refuse('CONSENT.WRONG_SUBJECT', 'This consent was given by another person.');
  }
  if (request.procedureCode !== undefined && request.procedureCode !== record.procedureCode) {
    return refuse('CONSENT.WRONG_PROCEDURE', `This consent is for procedure ${record.procedureCode}, not ${request.procedureCode}.`);
  }
  if (request.purpose !== undefined && request.purpose !== record.purpose) {
    return refuse('CONSENT.WRONG_PURPOSE', `This consent is for the purpose ${record.purpose}, not ${request.purpose}.`);
  }
  const missing = request.attributes.filter((a) => !(record.attributes as readonly string[]).includes(a));
  if (missing.length > 0) {
    return refuse('CONSENT.ATTRIBUTE_NOT_CONSENTED', `The citizen did not consent to: ${missing.join(', ')}.`);
  }
  return { allowed: true };
}

function claimsMatchRecord(claims: ConsentClaims, record: ConsentRecord): boolean {
  const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().join() === [...b].sort().join();
  return (
    claims.consentId === record.id &&
    claims.subjectPseudonym === record.subjectPseudonym &&
    claims.clientId === record.clientId &&
    claims.purpose === record.purpose &&
    claims.procedureCode === record.procedureCode &&
    claims.notAfter.getTime() === record.notAfter.getTime() &&
    same(claims.attributes, record.attributes)
  );
}

/** The attributes of a request that a consent covers, and those it does not (partial data). */
export function splitByConsent(
  record: Pick<ConsentRecord, 'attributes'>,
  wanted: readonly string[],
): { consented: string[]; notConsented: string[] } {
  const granted = new Set<string>(record.attributes);
  return { consented: wanted.filter((a) => granted.has(a)), notConsented: wanted.filter((a) => !granted.has(a)) };
}

/** What a portal may ask a citizen for: its registered purposes and, for each, the attributes. */
export interface ClientConsentPurpose {
  purpose: string;
  attributes: readonly ConsentAttribute[];
  /** What the citizen reads on the consent page (both or neither; purposes registered before descriptions have none). */
  descriptionVi?: string | undefined;
  descriptionEn?: string | undefined;
}

export interface ConsentRequest {
  clientId: string;
  attributes: readonly string[];
  purpose: string;
  procedureCode: string;
  issuedAt: Date;
  notAfter: Date;
  dataLifeSeconds: number;
}

export type ConsentRequestDecision = { allowed: true } | { allowed: false; reason: ConsentRequestRefusal; message: string };
export const CONSENT_REQUEST_REFUSALS = [
  'CONSENT.UNKNOWN_ATTRIBUTE',
  'CONSENT.NO_ATTRIBUTES',
  'CONSENT.PURPOSE_NOT_REGISTERED',
  'CONSENT.ATTRIBUTE_NOT_REGISTERED',
  'CONSENT.PURPOSE_PROCEDURE_MISMATCH',
  'CONSENT.BAD_VALIDITY',
] as const;
export type ConsentRequestRefusal = (typeof CONSENT_REQUEST_REFUSALS)[number];

/** A consent may last at most this long: a year, as DEPA artefacts usually do. */
export const MAX_CONSENT_SECONDS = 366 * 86_400;

/** The purpose of a prefill consent names its procedure: `prefill:<procedureCode>`. */
export function prefillPurpose(procedureCode: string): string {
  return `prefill:${procedureCode}`;
}

/**
 * May this client ask a citizen for this consent? Only attributes the hub knows, for a purpose
 * registered for this client, within that purpose's attributes; a `prefill:` purpose names the
 * procedure of the consent.
 */
export function decideConsentRequest(registered: readonly ClientConsentPurpose[], request: ConsentRequest): ConsentRequestDecision {
  const unknown = request.attributes.filter((a) => !isConsentAttribute(a));
  if (unknown.length > 0) {
    return { allowed: false, reason: 'CONSENT.UNKNOWN_ATTRIBUTE', message: `Unknown attributes: ${unknown.join(', ')}.` };
  }
  if (request.attributes.length === 0) {
    return { allowed: false, reason: 'CONSENT.NO_ATTRIBUTES', message: 'Name at least one attribute to consent to.' };
  }
  const purpose = registered.find((p) => p.purpose === request.purpose);
  if (!purpose) {
    return {
      allowed: false,
      reason: 'CONSENT.PURPOSE_NOT_REGISTERED',
      message: `The purpose "${request.purpose}" is not registered for client ${request.clientId}.`,
    };
  }
  const beyond = request.attributes.filter((a) => !(purpose.attributes as readonly string[]).includes(a));
  if (beyond.length > 0) {
    return {
      allowed: false,
      reason: 'CONSENT.ATTRIBUTE_NOT_REGISTERED',
      message: `The purpose "${purpose.purpose}" does not cover: ${beyond.join(', ')}.`,
    };
  }
  if (request.purpose.startsWith('prefill:') && request.purpose !== prefillPurpose(request.procedureCode)) {
    return {
      allowed: false,
      reason: 'CONSENT.PURPOSE_PROCEDURE_MISMATCH',
      message: `The purpose "${request.purpose}" is for another procedure than ${request.procedureCode}.`,
    };
  }
  const seconds = (request.notAfter.getTime() - request.issuedAt.getTime()) / 1000;
  if (seconds <= 0 || seconds > MAX_CONSENT_SECONDS || request.dataLifeSeconds < 0 || request.dataLifeSeconds > MAX_CONSENT_SECONDS) {
    return {
      allowed: false,
      reason: 'CONSENT.BAD_VALIDITY',
      message: `A consent runs for more than nothing and at most ${MAX_CONSENT_SECONDS / 86_400} days; so does its data life.`,
    };
  }
  return { allowed: true };
}

/** Signs and checks consent artefacts (certs/consent-tokens.ts): the store never holds the key. */
export interface ConsentTokenPort {
  sign(record: ConsentRecord): Promise<string>;
  /** The claims of a token the hub signed (expired ones too), or undefined. */
  verify(token: string): Promise<ConsentClaims | undefined>;
}

/** Seals the personal id kept with a consent record (certs/): the store holds only the sealed box. */
export interface SubjectSealer {
  seal(personalId: string): string;
  open(sealed: string): string;
}
