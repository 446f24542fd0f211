import type { DeadlineRules } from '../ports/deadline-rules.port';
import { classifyCompletion, computeDueAt, handOverDeadline, planExtension, restartAfterSupplement } from './deadline-rules';
import type { WorkingCalendar } from './working-calendar';

/** The deadline rules with a working calendar bound in: what the use cases call. */
export function deadlineRulesFor(calendar: WorkingCalendar): DeadlineRules {
  return {
    dueAt: (receivedAt, rule) => computeDueAt(receivedAt, rule, calendar),
    // A step of 0 days must be passed on the same working day (or the next one after 15:00).
    stepDueAt: (handedOverAt, workingDays) =>
      workingDays <= 0
        ? handOverDeadline(handedOverAt, calendar)
        : computeDueAt(handedOverAt, { kind: 'working-days', days: workingDays }, calendar),
    restartAfterSupplement: (supplementedAt, rule) => restartAfterSupplement(supplementedAt, rule, calendar),
    classify: classifyCompletion,
    checkExtension: (input) => {
      planExtension({ ...input, calendar });
    },
  };
}
