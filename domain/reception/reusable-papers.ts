import type { ComponentRequirement, ProcedureDefinition } from '../catalogue/procedure-definition';
import { documentUsability, type HeldDocument } from '../documents/held-document';
import type { RegistryConfirmation } from '../ports/registry-confirmation.port';
import type { RegistryFact } from './registry-facts';

/** Per paper of a procedure: what the state already holds that satisfies it, and whether it is still needed. */
export interface ReusablePaper {
  requirement: ComponentRequirement;
  /** The applicant's usable held documents of an accepted type, newest first (the first is what useHeldDocuments takes). */
  documents: HeldDocument[];
  /** The registry fact it relies on and the registry's answer now (absent: no registry backs it, or it was not asked). */
  registry?: { fact: RegistryFact; confirmation: RegistryConfirmation } | undefined;
  /** Nothing held satisfies it: the applicant must bring it (a required paper), or it is needed only in its situation. */
  stillNeeded: boolean;
}

/** What already satisfies each paper of a procedure, for a desk page or a portal before reception. */
export function reusablePapers(facts: {
  procedure: ProcedureDefinition;
  ownerId: string;
  heldDocuments: readonly HeldDocument[];
  registryFacts: ReadonlyMap<string, RegistryFact>;
  confirmations: ReadonlyMap<string, RegistryConfirmation>;
  now: Date;
}): ReusablePaper[] {
  return facts.procedure.components.map((requirement) => {
    const acceptedTypes = requirement.acceptedDocumentTypes ?? [];
    const documents = acceptedTypes.length
      ? facts.heldDocuments
          .filter((document) => documentUsability(document, { ownerId: facts.ownerId, acceptedTypes, now: facts.now }).usable)
          .sort((a, b) => b.issuedAt.getTime() - a.issuedAt.getTime() || (a.code < b.code ? -1 : 1))
      : [];
    const fact = facts.registryFacts.get(requirement.code);
    const confirmation = facts.confirmations.get(requirement.code);
    const registry = fact && confirmation ? { fact, confirmation } : undefined;
    return {
      requirement,
      documents,
      registry,
      stillNeeded: documents.length === 0 && confirmation?.outcome !== 'CONFIRMED',
    };
  });
}
