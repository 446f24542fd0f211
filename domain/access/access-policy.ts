import { ConsentRequiredError, ForbiddenError, UnauthenticatedError, type HubError } from '../errors';
import { ACT_LABELS, WHO_ACTS, type DossierAct } from './dossier-acts';
import type { ClientPrincipal, Principal, Scope } from './principal';

/**
 * The one access policy of the hub, denied by default. Every resolver asks it before touching data;
 * the table test in access-policy.test.ts states who may do what.
 *
 * - The public sees the procedure catalogue and a dossier's status (no personal data).
 * - An agency (its systems and officers) sees the dossiers it received, handles or was routed; it
 *   reads personal data only on such a dossier (its legal basis). It ACTS on a dossier only as the
 *   table in dossier-acts.ts says: most actions belong to the agency holding the dossier now.
 * - A portal submits online dossiers, follows and acts for the applicant on the ones it submitted
 *   (`dossier:submit`); citizen data needs consent.
 * - The monitoring centre sees every dossier's status and the statistics, never personal data (no
 *   register, no search by applicant or parcel).
 */

/** The agencies involved in a dossier: the desk that received it and those it was routed to. */
export interface DossierScope {
  receivingAgencyCode: string;
  handlingAgencyCodes: readonly string[];
  /** The API client that submitted it, if any (a portal). */
  submittedByClientId: string | null;
}

/** A dossier as an action sees it: with the agency holding it now (the one whose step is open). */
export interface HeldDossierScope extends DossierScope {
  holder: { code: string; name: string };
}

/** A search that names a person or their land: personal data, never for the monitoring centre. */
export type PersonalFilter = 'applicantId' | 'landParcel';

export type AccessRequest =
  | { action: 'catalogue.read' }
  | { action: 'dossier.status' }
  | { action: 'dossier.list'; agencyCode: string | undefined; personalFilter?: PersonalFilter | undefined }
  | { action: 'dossier.read'; dossier: DossierScope }
  | { action: 'dossier.receive'; agencyCode: string; channel: 'DESK' | 'POST' | 'ONLINE' }
  /** An action on a dossier: who may do it is the table WHO_ACTS (dossier-acts.ts). */
  | { action: 'dossier.act'; act: DossierAct; dossier: HeldDossierScope }
  /** The agency's register of received dossiers (form 06): every applicant's name and address. */
  | { action: 'register.read'; agencyCode: string }
  | { action: 'personal-data.read'; basis: PersonalDataBasis }
  | { action: 'statistics.read'; agencyCode: string | undefined }
  /** Digitize a paper: an agency signs the copy with its own seal. */
  | { action: 'document.digitize'; agencyCode: string }
  /** Fetch a kept document or its signature: the agency that signed it, or one handling its dossier (personal data). */
  | { action: 'document.read'; agencyCode: string; dossier: DossierScope | null }
  /** `agencyCode`: the agency that issued (signed) the document. */
  | { action: 'document.revoke'; agencyCode: string }
  /** Record a citizen's consent (with their ID token) for the calling client itself, or withdraw one. */
  | { action: 'consent.grant' }
  | { action: 'consent.revoke' };

/** Why personal data may be processed (Decree 13/2023): a dossier in the agency's hands, or consent. */
export type PersonalDataBasis =
  | { kind: 'dossier'; dossier: DossierScope }
  /**
   * The citizen's consent, already checked against its stored record (consent.service.ts): only the
   * client it is bound to may read on it.
   */
  | { kind: 'consent'; boundClientId: string }
  /**
   * A desk about to receive a dossier of this applicant (what the state already holds for its papers):
   * the receiving agency's own legal basis for reception, for that agency's systems only.
   */
  | { kind: 'reception'; agencyCode: string }
  | { kind: 'none' };

export type Decision = { allowed: true } | { allowed: false; error: HubError };

const ALLOW: Decision = { allowed: true };

function deny(message: string, reason: string, details?: Record<string, unknown>): Decision {
  return { allowed: false, error: new ForbiddenError(message, details ? { reason, details } : { reason }) };
}

const MONITOR_NO_PERSONAL_DATA = 'The monitoring centre sees statuses and statistics, never personal data.';

function needsClient(): Decision {
  return {
    allowed: false,
    error: new UnauthenticatedError('Sign in first: this needs an access token from POST /oauth/token.', { reason: 'AUTH.TOKEN_REQUIRED' }),
  };
}

function missingScope(scope: Scope): Decision {
  return deny(`This client is not granted the "${scope}" scope.`, 'AUTH.SCOPE_MISSING');
}

function involves(principal: ClientPrincipal, dossier: DossierScope): boolean {
  if (principal.agencyCode === null) return false;
  return dossier.receivingAgencyCode === principal.agencyCode || dossier.handlingAgencyCodes.includes(principal.agencyCode);
}

function agencyBound(principal: ClientPrincipal): boolean {
  return principal.kind === 'AGENCY_SYSTEM' || principal.kind === 'OFFICER_APP';
}

export function decide(principal: Principal, request: AccessRequest): Decision {
  // Public information first: open to everyone.
  if (request.action === 'dossier.status') return ALLOW;
  if (request.action === 'catalogue.read') return ALLOW;
  if (principal.kind === 'PUBLIC') return needsClient();
  const has = (scope: Scope) => principal.scopes.has(scope);

  switch (request.action) {
    case 'dossier.list':
      if (!has('dossier:read')) return missingScope('dossier:read');
      if (principal.kind === 'MONITOR') {
        return request.personalFilter
          ? deny(`${MONITOR_NO_PERSONAL_DATA} It cannot search dossiers by applicant or land parcel.`, 'PERSONAL_DATA.MONITOR', {
              filter: request.personalFilter,
            })
          : ALLOW;
      }
      if (!agencyBound(principal)) return deny('Only agencies and the monitoring centre list dossiers.', 'DOSSIER.LIST_FORBIDDEN');
      if (request.agencyCode !== undefined && request.agencyCode !== principal.agencyCode) {
        return deny(
          `This client acts for agency ${principal.agencyCode} and cannot list the dossiers of another agency.`,
          'DOSSIER.OTHER_AGENCY',
        );
      }
      // A search by a person's id or land is a search of personal data: it needs that scope (and is logged).
      if (request.personalFilter && !has('personal-data:read')) return missingScope('personal-data:read');
      return ALLOW;
    case 'dossier.read':
      if (principal.kind === 'PORTAL') {
        if (!has('dossier:submit')) return missingScope('dossier:submit');
        return request.dossier.submittedByClientId === principal.clientId
          ? ALLOW
          : deny(
              'A portal can follow only the dossiers it submitted; use dossierStatus for the public status.',
              'DOSSIER.NOT_SUBMITTED_BY_CLIENT',
            );
      }
      if (!has('dossier:read')) return missingScope('dossier:read');
      if (principal.kind === 'MONITOR' || involves(principal, request.dossier)) return ALLOW;
      return deny(
        'This dossier belongs to another agency: only the agencies that received or handle it can open it.',
        'DOSSIER.OTHER_AGENCY',
      );
    case 'dossier.receive':
      if (principal.kind === 'PORTAL') {
        if (!has('dossier:submit')) return missingScope('dossier:submit');
        return request.channel === 'ONLINE'
          ? ALLOW
          : deny('A portal submits dossiers through the ONLINE channel only.', 'DOSSIER.PORTAL_CHANNEL');
      }
      if (!agencyBound(principal)) return deny('Only agencies and portals receive dossiers.', 'DOSSIER.RECEIVE_FORBIDDEN');
      if (!has('dossier:write')) return missingScope('dossier:write');
      return request.agencyCode === principal.agencyCode
        ? ALLOW
        : deny(
            `This client acts for agency ${principal.agencyCode} and cannot receive dossiers for another agency.`,
            'DOSSIER.OTHER_AGENCY',
          );
    case 'dossier.act':
      return decideAct(principal, request.act, request.dossier);
    case 'register.read':
      if (principal.kind === 'MONITOR') {
        return deny(`The register (form 06) names every applicant. ${MONITOR_NO_PERSONAL_DATA}`, 'PERSONAL_DATA.MONITOR');
      }
      if (!agencyBound(principal)) return deny('Only the receiving agency prints its register (form 06).', 'REGISTER.FORBIDDEN');
      if (!has('personal-data:read')) return missingScope('personal-data:read');
      return request.agencyCode === principal.agencyCode
        ? ALLOW
        : deny(`This client acts for agency ${principal.agencyCode} and prints only its own register.`, 'REGISTER.OTHER_AGENCY');
    case 'personal-data.read':
      if (principal.kind === 'MONITOR') return deny(MONITOR_NO_PERSONAL_DATA, 'PERSONAL_DATA.MONITOR');
      if (!has('personal-data:read')) return missingScope('personal-data:read');
      return decidePersonalData(principal, request.basis);
    case 'document.digitize':
      if (!agencyBound(principal)) return deny('Only agencies digitize papers, with their own seal.', 'DOCUMENT.DIGITIZE_FORBIDDEN');
      if (!has('dossier:write')) return missingScope('dossier:write');
      return request.agencyCode === principal.agencyCode
        ? ALLOW
        : deny(`This client acts for agency ${principal.agencyCode} and signs only with its seal.`, 'DOCUMENT.OTHER_AGENCY');
    case 'document.read':
      if (!agencyBound(principal)) {
        return deny(
          'A kept document is shown to the agencies handling it, or to whoever has the access key printed on it.',
          'DOCUMENT.READ_FORBIDDEN',
        );
      }
      // A kept document is a scan of someone's papers, or their result: personal data.
      if (!has('personal-data:read')) return missingScope('personal-data:read');
      if (principal.agencyCode === request.agencyCode || (request.dossier && involves(principal, request.dossier))) return ALLOW;
      return deny('This document belongs to another agency’s dossier.', 'DOCUMENT.OTHER_AGENCY');
    case 'document.revoke':
      if (!agencyBound(principal)) return deny('Only the agency that issued a document revokes it.', 'DOCUMENT.REVOKE_FORBIDDEN');
      if (!has('dossier:write')) return missingScope('dossier:write');
      return request.agencyCode === principal.agencyCode
        ? ALLOW
        : deny(`Document issued by agency ${request.agencyCode}: only that agency revokes it.`, 'DOCUMENT.NOT_ISSUER');
    case 'consent.grant':
    case 'consent.revoke':
      // Portals ask citizens for consent to prefill their forms; agencies read on their dossiers.
      if (principal.kind !== 'PORTAL') return deny('Only portals ask citizens for consent.', 'CONSENT.PORTALS_ONLY');
      return has('dossier:submit') ? ALLOW : missingScope('dossier:submit');
    case 'statistics.read':
      if (!has('statistics:read')) return missingScope('statistics:read');
      if (principal.kind === 'MONITOR') return ALLOW;
      return request.agencyCode === principal.agencyCode
        ? ALLOW
        : deny(`This client acts for agency ${principal.agencyCode} and sees only its own statistics.`, 'STATISTICS.OTHER_AGENCY');
  }
}

/** An action on a dossier, by the table WHO_ACTS: the receiving desk, the holder, or the applicant. */
function decideAct(principal: ClientPrincipal, act: DossierAct, dossier: HeldDossierScope): Decision {
  const parties = WHO_ACTS[act];
  const label = ACT_LABELS[act];
  if (principal.kind === 'PORTAL') {
    if (!parties.includes('applicant')) {
      return deny(
        `A portal acts only for the applicant; it cannot ${label}: the agency handling the dossier does.`,
        'DOSSIER.ACT_FORBIDDEN',
      );
    }
    if (!principal.scopes.has('dossier:submit')) return missingScope('dossier:submit');
    return dossier.submittedByClientId === principal.clientId
      ? ALLOW
      : deny('A portal acts only for the applicants of the dossiers it submitted.', 'DOSSIER.NOT_SUBMITTED_BY_CLIENT');
  }
  if (!agencyBound(principal)) return deny('Only the agencies handling a dossier act on it.', 'DOSSIER.ACT_FORBIDDEN');
  if (!principal.scopes.has('dossier:write')) return missingScope('dossier:write');
  const own = principal.agencyCode;
  const atDesk = dossier.receivingAgencyCode === own;
  const holds = dossier.holder.code === own;
  if (parties.includes('holder') && holds) return ALLOW;
  // The applicant acts in person at the desk that received the dossier.
  if ((parties.includes('receiving-desk') || parties.includes('applicant')) && atDesk) return ALLOW;
  if (!involves(principal, dossier)) return deny('This dossier belongs to another agency.', 'DOSSIER.OTHER_AGENCY');
  if (parties.includes('holder')) {
    return deny(
      `Dossier is now held by ${dossier.holder.name} (${dossier.holder.code}): only the agency holding it can ${label}.`,
      'DOSSIER.NOT_HOLDER',
      { holderAgencyCode: dossier.holder.code },
    );
  }
  return deny(
    `Only the desk that received the dossier (${dossier.receivingAgencyCode})${parties.includes('applicant') ? ', or the portal that submitted it,' : ''} can ${label}.`,
    'DOSSIER.NOT_RECEIVING_DESK',
    { receivingAgencyCode: dossier.receivingAgencyCode },
  );
}

function decidePersonalData(principal: ClientPrincipal, basis: PersonalDataBasis): Decision {
  if (basis.kind === 'consent') {
    return basis.boundClientId === principal.clientId
      ? ALLOW
      : deny('This consent was given to another client: only that client may present it.', 'CONSENT.WRONG_CLIENT');
  }
  if (basis.kind === 'dossier' && agencyBound(principal) && involves(principal, basis.dossier)) return ALLOW;
  if (basis.kind === 'reception' && agencyBound(principal) && principal.agencyCode === basis.agencyCode) return ALLOW;
  // A portal needs the citizen's consent, even on a dossier it submitted.
  if (principal.kind === 'PORTAL') return consentRequired();
  return deny(
    'Personal data is shown only for a dossier your agency received or handles (name it with dossierCode), or with the citizen’s consent.',
    'PERSONAL_DATA.NO_LEGAL_BASIS',
  );
}

/** A distinct code so a portal knows to ask the citizen. */
function consentRequired(): Decision {
  return {
    allowed: false,
    error: new ConsentRequiredError(
      'Citizen data needs the citizen’s consent for this purpose. Ask the citizen to grant it, then pass the consent token.',
      {
        reason: 'CONSENT.REQUIRED',
      },
    ),
  };
}

/** Throws UNAUTHENTICATED for the public: for operations that are never public, before any look-up. */
export function requireClient(principal: Principal): asserts principal is ClientPrincipal {
  if (principal.kind === 'PUBLIC') throw (needsClient() as { allowed: false; error: HubError }).error;
}

/** Throws the denial; returns when allowed. */
export function authorize(principal: Principal, request: AccessRequest): void {
  const decision = decide(principal, request);
  if (!decision.allowed) throw decision.error;
}
