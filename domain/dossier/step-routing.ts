import type { ProcedureStep, StepAgency } from '../catalogue/procedure-definition';
import { ForbiddenError, InvalidInputError, InvalidTransitionError, NotFoundError } from '../errors';

/** An agency as routing sees it: where it sits, and the province it belongs to (found by the caller). */
export interface RoutingAgency {
  code: string;
  name: string;
  level: string;
  adminUnitCode: string | null;
  /** Two-digit province code, following its parents; null when it has none. */
  province: string | null;
}

/**
 * The agencies competent for a step of a dossier received at `desk`, the one the hub routes to
 * first. A step for the receiving agency goes back to the desk. A step for a role goes to the
 * agencies with that role in the desk's own commune (or, for a provincial desk, at its level); when
 * there is none there, to those of the desk's province, the provincial one first. `withRole` are
 * the agencies that hold the role, in any order.
 */
export function competentAgencies(step: StepAgency, desk: RoutingAgency, withRole: readonly RoutingAgency[]): RoutingAgency[] {
  if (step.kind === 'receiving-agency') return [desk];
  const byCode = [...withRole].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const sameUnit = byCode.filter((a) => desk.adminUnitCode !== null && a.adminUnitCode === desk.adminUnitCode);
  if (sameUnit.length) return sameUnit;
  const sameProvince = byCode.filter((a) => desk.province !== null && a.province === desk.province);
  return [...sameProvince.filter((a) => a.level === 'province'), ...sameProvince.filter((a) => a.level !== 'province')];
}

/** The procedure step a forward goes to: the one named, or the next after those already taken. */
export function nextStep(steps: readonly ProcedureStep[] | undefined, taken: number, stepCode: string | undefined): ProcedureStep {
  if (stepCode !== undefined) {
    const named = steps?.find((s) => s.code === stepCode);
    if (!named) {
      throw new InvalidInputError(`The procedure has no step "${stepCode.slice(0, 20)}".`, {
        reason: 'ROUTING.UNKNOWN_STEP',
        details: { steps: (steps ?? []).map((s) => s.code) },
      });
    }
    return named;
  }
  const upcoming = steps?.[taken];
  if (!upcoming) {
    throw new InvalidTransitionError('The procedure has no further step to forward the dossier to: record its result instead.', {
      reason: 'ROUTING.NO_NEXT_STEP',
    });
  }
  return upcoming;
}

/**
 * Where a forward goes: the agency asked for, if it is competent for the step; the first competent
 * one when none is named. A non-competent target is refused (FORBIDDEN, `ROUTING.NOT_COMPETENT`),
 * naming the competent agencies, so no desk hands a dossier to an agency that would then sign for it.
 */
export function forwardTarget(step: ProcedureStep, competent: readonly RoutingAgency[], requested: string | undefined): RoutingAgency {
  if (competent.length === 0) {
    const role = step.agency.kind === 'role' ? step.agency.role : 'receiving-agency';
    throw new NotFoundError(
      `No agency of this province has the role "${role}" that step ${step.code} needs: add it to the agency catalogue.`,
      { reason: 'ROUTING.NO_COMPETENT_AGENCY', details: { stepCode: step.code } },
    );
  }
  if (requested === undefined) return competent[0]!;
  const target = competent.find((a) => a.code === requested);
  if (target) return target;
  const list = competent.map((a) => `${a.name} (${a.code})`).join(', ');
  throw new ForbiddenError(
    `Agency ${requested.slice(0, 40)} is not competent for step ${step.code} of this procedure; forward it to ${list}.`,
    {
      reason: 'ROUTING.NOT_COMPETENT',
      details: { stepCode: step.code, competentAgencyCodes: competent.map((a) => a.code) },
    },
  );
}
