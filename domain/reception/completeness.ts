import { InvalidInputError } from '../errors';
import type { ComponentRequirement, ProcedureDefinition, RegistrySource } from '../catalogue/procedure-definition';

/** A paper as the desk or the portal hands it in. */
export interface SubmittedComponent {
  requirementCode: string;
  /** An already digitized document of the applicant (once-only reuse). */
  documentCode?: string | null | undefined;
  /** A newly scanned file, identified by name and SHA-256. */
  file?: { name: string; sha256: string } | null | undefined;
  /** For papers to be shown: the officer saw it. */
  presented?: boolean | null | undefined;
}

export type SatisfiedBy =
  | { source: 'NEW_FILE'; fileName: string; sha256: string }
  | { source: 'DOCUMENT'; documentCode: string }
  | { source: 'REGISTRY'; registry: RegistrySource }
  | { source: 'PRESENTED' };

export interface SatisfiedComponent {
  requirement: ComponentRequirement;
  by: SatisfiedBy;
}

export interface MissingComponent {
  requirement: ComponentRequirement;
  /** Why it counts as missing, for the supplement request (form 02). */
  reason: string;
}

export type CompletenessResult =
  { complete: true; satisfied: SatisfiedComponent[] } | { complete: false; satisfied: SatisfiedComponent[]; missing: MissingComponent[] };

export interface CompletenessContext {
  /** Registries the hub can read for this applicant now (consent or legal basis, and the registry up). */
  availableRegistries: ReadonlySet<RegistrySource>;
  /** Document codes the applicant has in the vault and that are valid. */
  validDocumentCodes: ReadonlySet<string>;
}

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * Checks a dossier against its procedure: every required paper must be handed in, be a valid
 * document the state already holds, or be readable from a registry. Reports **everything** missing
 * at once (the one supplement request the rules allow); refuses papers the procedure does not ask for.
 */
export function checkCompleteness(
  procedure: ProcedureDefinition,
  submitted: readonly SubmittedComponent[],
  context: CompletenessContext,
): CompletenessResult {
  const byCode = new Map(procedure.components.map((c) => [c.code, c]));
  const unknown = submitted.filter((s) => !byCode.has(s.requirementCode)).map((s) => s.requirementCode);
  if (unknown.length) {
    throw new InvalidInputError(
      `Procedure ${procedure.code} does not ask for ${unknown.map((c) => `"${c.slice(0, 20)}"`).join(', ')}. Its papers are ${procedure.components.map((c) => c.code).join(', ')}.`,
      { reason: 'RECEPTION.UNKNOWN_COMPONENT', details: { unknown: unknown.map((c) => c.slice(0, 20)) } },
    );
  }
  const seen = new Set<string>();
  for (const s of submitted) {
    if (seen.has(s.requirementCode)) {
      throw new InvalidInputError(`Paper ${s.requirementCode} is listed twice; list each paper once.`, {
        reason: 'RECEPTION.DUPLICATE_COMPONENT',
      });
    }
    seen.add(s.requirementCode);
    const ways = [s.documentCode ? 1 : 0, s.file ? 1 : 0, s.presented ? 1 : 0].reduce((a, b) => a + b, 0);
    if (ways > 1) {
      throw new InvalidInputError(
        `Paper ${s.requirementCode}: give either a document code, a new file, or mark it presented, not several.`,
        {
          reason: 'RECEPTION.AMBIGUOUS_COMPONENT',
        },
      );
    }
    if (s.file && (!SHA256.test(s.file.sha256) || s.file.name.trim() === '' || s.file.name.length > 200)) {
      throw new InvalidInputError(
        `Paper ${s.requirementCode}: a new file needs a name (up to 200 characters) and the SHA-256 of its content (64 lower-case hex digits).`,
        {
          reason: 'RECEPTION.INVALID_FILE',
        },
      );
    }
  }

  const satisfied: SatisfiedComponent[] = [];
  const missing: MissingComponent[] = [];
  for (const requirement of procedure.components) {
    const given = submitted.find((s) => s.requirementCode === requirement.code);
    if (given?.file) {
      satisfied.push({ requirement, by: { source: 'NEW_FILE', fileName: given.file.name, sha256: given.file.sha256 } });
    } else if (given?.documentCode) {
      if (context.validDocumentCodes.has(given.documentCode))
        satisfied.push({ requirement, by: { source: 'DOCUMENT', documentCode: given.documentCode } });
      else
        missing.push({
          requirement,
          reason: `The document ${given.documentCode.slice(0, 40)} is unknown, not the applicant's, or no longer valid.`,
        });
    } else if (given?.presented) {
      if (requirement.kind === 'present') satisfied.push({ requirement, by: { source: 'PRESENTED' } });
      else missing.push({ requirement, reason: 'This paper must be handed in, not only shown.' });
    } else if (requirement.registrySource && context.availableRegistries.has(requirement.registrySource)) {
      satisfied.push({ requirement, by: { source: 'REGISTRY', registry: requirement.registrySource } });
    } else if (requirement.required) {
      missing.push({ requirement, reason: 'Not handed in.' });
    }
  }
  return missing.length === 0 ? { complete: true, satisfied } : { complete: false, satisfied, missing };
}

/** How many papers came from what the state already held (documents and registries): the once-only share. */
export function reusedCount(satisfied: readonly SatisfiedComponent[]): number {
  return satisfied.filter((s) => s.by.source === 'DOCUMENT' || s.by.source === 'REGISTRY').length;
}
