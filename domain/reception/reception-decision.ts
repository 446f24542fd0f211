import type { ComponentRequirement, ProcedureDefinition } from '../catalogue/procedure-definition';
import { concernsLandParcel } from '../catalogue/procedure-definition';
import { documentUsability, type DocumentRefusal, type HeldDocument } from '../documents/held-document';
import { InvalidInputError } from '../errors';
import type { ApplicantKind } from '../identifiers/applicant-id';
import type { LandParcelId } from '../identifiers/land-parcel-id';
import type { RegistryConfirmation } from '../ports/registry-confirmation.port';
import { validateSubmitted, type SubmittedComponent } from './completeness';
import type { RegistryFact } from './registry-facts';

/**
 * The reception decision (Decision 468's once-only rule at the desk), in one place and without I/O:
 * is the procedure for this applicant and this land, which papers are satisfied and how, which are
 * missing and exactly why, which papers were asked for although the state already held them, and
 * where the dossier goes first. The store service gathers the facts (held documents, registry
 * confirmations), calls this, and saves the outcome.
 */

/** How a paper was satisfied. */
export type SatisfiedBy =
  | { source: 'NEW_FILE'; fileName: string; sha256: string }
  /** A held document: named by the caller (`GIVEN`) or taken from the vault on request (`HELD`). */
  | { source: 'DOCUMENT'; documentCode: string; typeCode: string | null; chosen: 'GIVEN' | 'HELD' }
  | { source: 'REGISTRY'; registry: RegistryFact['registry']; attribute: string; lastUpdatedAt: Date | null }
  | { source: 'PRESENTED' };

export interface SatisfiedComponent {
  requirement: ComponentRequirement;
  by: SatisfiedBy;
}

/** Why a paper is missing: the document refusals, the registry's answers, or simply not handed in. */
export type MissingReason = DocumentRefusal | 'REGISTRY_UNAVAILABLE' | 'NOT_IN_REGISTRY' | 'NOT_HANDED_IN' | 'MUST_BE_HANDED_IN';

export interface MissingComponent {
  requirement: ComponentRequirement;
  reasonCode: MissingReason;
  /** Officer-readable, Vietnamese first, for the supplement request (form 02). */
  reason: string;
}

/** A paper handed in anew although the state held it at reception: what could have been reused. */
export interface MissedReuse {
  requirement: ComponentRequirement;
  could: { source: 'DOCUMENT'; documentCode: string } | { source: 'REGISTRY'; registry: RegistryFact['registry']; attribute: string };
}

export interface FirstStep {
  code: string;
  name: string;
  workingDays: number;
}

export interface ReceptionFacts {
  procedure: ProcedureDefinition;
  applicantId: string;
  applicantKind: ApplicantKind;
  landParcel?: LandParcelId | undefined;
  submitted: readonly SubmittedComponent[];
  /** The held documents the caller named and, for `useHeldDocuments` and missed reuse, the owner's own. */
  heldDocuments: readonly HeldDocument[];
  /** The registry fact each registry-backed paper relies on, by requirement code. */
  registryFacts: ReadonlyMap<string, RegistryFact>;
  /** The registries' answers, by requirement code (absent: not asked). */
  confirmations: ReadonlyMap<string, RegistryConfirmation>;
  /** For papers not listed, take the best usable held document. */
  useHeldDocuments?: boolean | undefined;
  /** A supplement: only the listed papers are decided, and each must be satisfied. */
  supplement?: boolean | undefined;
  now: Date;
}

export interface ReceptionDecision {
  complete: boolean;
  satisfied: SatisfiedComponent[];
  missing: MissingComponent[];
  missedReuse: MissedReuse[];
  /** Papers satisfied by a held document or a registry confirmation: the once-only count. */
  reused: number;
  firstStep: FirstStep;
}

/** Whose documents satisfy the applicant's papers: the person, or the enterprise (a dependent unit's first 10 digits). */
export function documentOwnerOf(applicantId: string, kind: ApplicantKind): string {
  return kind === 'BUSINESS' ? applicantId.slice(0, 10) : applicantId;
}

const DOCUMENT_REASONS: Record<DocumentRefusal, (code: string) => string> = {
  UNKNOWN: (code) => `Không có giấy tờ ${code} trong kho dữ liệu (no document ${code} is held).`,
  NOT_OWNER: (code) => `Giấy tờ ${code} không phải của người nộp hồ sơ (document ${code} is not the applicant's).`,
  WRONG_TYPE: (code) =>
    `Giấy tờ ${code} không thuộc loại giấy tờ mà thành phần này chấp nhận (document ${code} is not of a type this paper accepts).`,
  REVOKED: (code) => `Giấy tờ ${code} đã bị thu hồi (document ${code} was revoked).`,
  EXPIRED: (code) => `Giấy tờ ${code} đã hết hiệu lực (document ${code} has expired).`,
  SUPERSEDED: (code) => `Giấy tờ ${code} đã được thay thế bằng giấy tờ mới hơn (document ${code} was superseded by a newer one).`,
};

const REGISTRY_NAMES = {
  population: 'Cơ sở dữ liệu quốc gia về dân cư',
  business: 'Cơ sở dữ liệu quốc gia về đăng ký doanh nghiệp',
  land: 'Cơ sở dữ liệu đất đai',
};

function registryReason(fact: RegistryFact, outcome: 'REGISTRY_UNAVAILABLE' | 'NOT_IN_REGISTRY', detail?: string): string {
  const name = REGISTRY_NAMES[fact.registry];
  return outcome === 'REGISTRY_UNAVAILABLE'
    ? `${name} hiện không trả lời; nhận giấy tờ bản giấy thay thế (the ${fact.registry} registry is not answering: take the paper instead).`
    : `${name} không có thông tin "${fact.attribute}" của người nộp (the ${fact.registry} registry does not hold "${fact.attribute}" for the applicant${detail ? `: ${detail}` : ''}: take the paper instead).`;
}

/** The newest usable held document for a paper (the one `useHeldDocuments` takes). */
export function bestHeldDocument(
  requirement: ComponentRequirement,
  held: readonly HeldDocument[],
  ownerId: string,
  now: Date,
): HeldDocument | undefined {
  const acceptedTypes = requirement.acceptedDocumentTypes ?? [];
  if (acceptedTypes.length === 0) return undefined;
  return held
    .filter((document) => documentUsability(document, { ownerId, acceptedTypes, now }).usable)
    .sort((a, b) => b.issuedAt.getTime() - a.issuedAt.getTime() || (a.code < b.code ? -1 : 1))[0];
}

/** Refuses what the procedure does not allow for this applicant: wrong applicant kind, a land parcel on a procedure not about land. */
export function checkApplicability(
  procedure: ProcedureDefinition,
  applicantKind: ApplicantKind,
  landParcel: LandParcelId | undefined,
): void {
  if (procedure.applicantKinds && !procedure.applicantKinds.includes(applicantKind)) {
    throw new InvalidInputError(
      `Procedure ${procedure.code} is for ${procedure.applicantKinds.join(' or ').toLowerCase()} applicants, not a ${applicantKind.toLowerCase()}.`,
      { reason: 'RECEPTION.WRONG_APPLICANT_KIND' },
    );
  }
  if (landParcel && !concernsLandParcel(procedure)) {
    throw new InvalidInputError(`Procedure ${procedure.code} is not about a piece of land, so a dossier of it names no land parcel.`, {
      reason: 'RECEPTION.LAND_PARCEL_NOT_APPLICABLE',
      details: { field: 'landParcel' },
    });
  }
}

export function decideReception(facts: ReceptionFacts): ReceptionDecision {
  const { procedure, submitted, now } = facts;
  checkApplicability(procedure, facts.applicantKind, facts.landParcel);
  validateSubmitted(procedure, submitted);
  const ownerId = documentOwnerOf(facts.applicantId, facts.applicantKind);
  const heldByCode = new Map(facts.heldDocuments.map((d) => [d.code, d]));
  const requirements = facts.supplement
    ? procedure.components.filter((c) => submitted.some((s) => s.requirementCode === c.code))
    : procedure.components;

  const satisfied: SatisfiedComponent[] = [];
  const missing: MissingComponent[] = [];
  const missedReuse: MissedReuse[] = [];
  for (const requirement of requirements) {
    const given = submitted.find((s) => s.requirementCode === requirement.code);
    const fact = facts.registryFacts.get(requirement.code);
    const confirmation = facts.confirmations.get(requirement.code);
    const confirmed = fact && confirmation?.outcome === 'CONFIRMED' ? confirmation : undefined;
    const held = bestHeldDocument(requirement, facts.heldDocuments, ownerId, now);
    /** Asked anew for something the state held: counted, so the reuse figure is honest. */
    const askedAnew = () => {
      if (confirmed && fact)
        missedReuse.push({ requirement, could: { source: 'REGISTRY', registry: fact.registry, attribute: fact.attribute } });
      else if (held) missedReuse.push({ requirement, could: { source: 'DOCUMENT', documentCode: held.code } });
    };

    if (given?.file) {
      satisfied.push({ requirement, by: { source: 'NEW_FILE', fileName: given.file.name, sha256: given.file.sha256 } });
      askedAnew();
    } else if (given?.documentCode) {
      const document = heldByCode.get(given.documentCode);
      const usability = documentUsability(document, { ownerId, acceptedTypes: requirement.acceptedDocumentTypes ?? [], now });
      if (usability.usable)
        satisfied.push({
          requirement,
          by: { source: 'DOCUMENT', documentCode: given.documentCode, typeCode: document!.typeCode, chosen: 'GIVEN' },
        });
      else
        missing.push({
          requirement,
          reasonCode: usability.refusal,
          reason: DOCUMENT_REASONS[usability.refusal](given.documentCode.slice(0, 40)),
        });
    } else if (given?.presented) {
      if (requirement.kind === 'present') {
        satisfied.push({ requirement, by: { source: 'PRESENTED' } });
        askedAnew();
      } else
        missing.push({
          requirement,
          reasonCode: 'MUST_BE_HANDED_IN',
          reason: 'Giấy tờ này phải nộp, không chỉ xuất trình (this paper must be handed in, not only shown).',
        });
    } else if (!requirement.required && !facts.supplement) {
      // Needed only in the situation its name describes, which the hub cannot tell: not asked, not missing;
      // but when the caller asks for held documents, one of exactly the accepted type is attached.
      if (facts.useHeldDocuments && held)
        satisfied.push({ requirement, by: { source: 'DOCUMENT', documentCode: held.code, typeCode: held.typeCode, chosen: 'HELD' } });
    } else if (confirmed && fact) {
      satisfied.push({
        requirement,
        by: { source: 'REGISTRY', registry: fact.registry, attribute: confirmed.attribute, lastUpdatedAt: confirmed.lastUpdatedAt },
      });
    } else if (facts.useHeldDocuments && held) {
      satisfied.push({ requirement, by: { source: 'DOCUMENT', documentCode: held.code, typeCode: held.typeCode, chosen: 'HELD' } });
    } else if (fact && confirmation && confirmation.outcome !== 'CONFIRMED') {
      missing.push({
        requirement,
        reasonCode: confirmation.outcome,
        reason: registryReason(fact, confirmation.outcome, confirmation.outcome === 'NOT_IN_REGISTRY' ? confirmation.detail : undefined),
      });
    } else {
      missing.push({
        requirement,
        reasonCode: 'NOT_HANDED_IN',
        reason:
          fact?.registry === 'land' && !facts.landParcel
            ? 'Chưa nộp; hoặc nêu thửa đất để tra cứu Cơ sở dữ liệu đất đai (not handed in; or name the land parcel so the land registry can confirm it).'
            : 'Chưa nộp (not handed in).',
      });
    }
  }
  const first = procedure.steps?.[0];
  return {
    complete: missing.length === 0,
    satisfied,
    missing,
    missedReuse,
    reused: satisfied.filter((s) => s.by.source === 'DOCUMENT' || s.by.source === 'REGISTRY').length,
    firstStep: { code: first?.code ?? 'S1', name: first?.name ?? 'Tiếp nhận, kiểm tra hồ sơ', workingDays: first?.workingDays ?? 0 },
  };
}
