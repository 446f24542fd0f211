import type { ResolutionRule } from '../catalogue/procedure-definition';

/** The deadline engine as the use cases see it: the working calendar is bound in. */
export interface DeadlineRules {
  /** Due time of a dossier received (or accepted) at `receivedAt`. */
  dueAt(receivedAt: Date, rule: ResolutionRule): Date;
  /** Due time of a step handed over at `handedOverAt` that may take `workingDays`. */
  stepDueAt(handedOverAt: Date, workingDays: number): Date;
  /** After a supplement, the resolution time starts again. */
  restartAfterSupplement(supplementedAt: Date, rule: ResolutionRule): Date;
  classify(completedAt: Date, dueAt: Date): 'EARLY' | 'ON_TIME' | 'LATE';
  /** Throws when the one extension is not allowed (already used, too late, not later). */
  checkExtension(input: { currentDueAt: Date; previouslyExtended: boolean; requestedNewDueAt: Date; now: Date }): void;
}
