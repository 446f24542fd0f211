import { InvalidInputError } from '../errors';
import type { ProcedureDefinition } from '../catalogue/procedure-definition';

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

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * Refuses a malformed list of papers before anything is decided: papers the procedure does not ask
 * for, a paper listed twice, a paper given several ways, a new file without a name or digest. What
 * is missing is decided by `decideReception` (reception-decision.ts), all at once.
 */
export function validateSubmitted(procedure: ProcedureDefinition, submitted: readonly SubmittedComponent[]): void {
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
        { reason: 'RECEPTION.AMBIGUOUS_COMPONENT' },
      );
    }
    if (s.file && (!SHA256.test(s.file.sha256) || s.file.name.trim() === '' || s.file.name.length > 200)) {
      throw new InvalidInputError(
        `Paper ${s.requirementCode}: a new file needs a name (up to 200 characters) and the SHA-256 of its content (64 lower-case hex digits).`,
        { reason: 'RECEPTION.INVALID_FILE' },
      );
    }
  }
}
