import type { ProcedureStep } from '../catalogue/procedure-definition';
import { ForbiddenError } from '../errors';
import { competentAgencies, forwardTarget, nextStep, type RoutingAgency } from './step-routing';

const agency = (code: string, level: string, adminUnitCode: string, province: string | null = '46'): RoutingAgency => ({
  code,
  name: `Agency ${code}`,
  level,
  adminUnitCode,
  province,
});

const PHU_XUAN = agency('000.19.31.H46', 'commune', '19753');
const KIM_LONG = agency('000.20.31.H46', 'commune', '19774');
const CENTRE = agency('000.01.01.H46', 'province', '46');
const POLICE_PHU_XUAN = agency('000.19.35.H46', 'commune', '19753');
const POLICE_KIM_LONG = agency('000.20.35.H46', 'commune', '19774');
const LAND_OFFICE = agency('000.01.15.H46', 'province', '46');
const LAND_OFFICE_ELSEWHERE = agency('000.01.15.H48', 'province', '48', '48');
const PROVINCE_POLICE = agency('000.00.35.H46', 'province', '46');

const role = (name: string) => ({ kind: 'role' as const, role: name });

/** Desk × step → the competent agencies, the default first. */
const TABLE: [string, RoutingAgency, ProcedureStep['agency'], RoutingAgency[], string[]][] = [
  ['back to the desk', PHU_XUAN, { kind: 'receiving-agency' }, [KIM_LONG], ['000.19.31.H46']],
  ['a role the ward itself holds', PHU_XUAN, role('civil-status'), [KIM_LONG, PHU_XUAN], ['000.19.31.H46']],
  ['the ward police of the desk’s ward only', PHU_XUAN, role('police-residence'), [POLICE_KIM_LONG, POLICE_PHU_XUAN], ['000.19.35.H46']],
  [
    'a provincial office for a ward desk',
    PHU_XUAN,
    role('land-registration-office'),
    [LAND_OFFICE, LAND_OFFICE_ELSEWHERE],
    ['000.01.15.H46'],
  ],
  [
    'a provincial office for the provincial centre',
    CENTRE,
    role('land-registration-office'),
    [LAND_OFFICE_ELSEWHERE, LAND_OFFICE],
    ['000.01.15.H46'],
  ],
  [
    'every ward police of the province for the provincial centre',
    CENTRE,
    role('police-residence'),
    [POLICE_PHU_XUAN, POLICE_KIM_LONG],
    ['000.19.35.H46', '000.20.35.H46'],
  ],
  [
    'the provincial one first when wards and the province hold it',
    KIM_LONG,
    role('province-police'),
    [POLICE_PHU_XUAN, PROVINCE_POLICE],
    ['000.00.35.H46', '000.19.35.H46'],
  ],
  ['nobody, when only another province holds it', PHU_XUAN, role('tax'), [LAND_OFFICE_ELSEWHERE], []],
];

describe('competent agencies for a step', () => {
  it.each(TABLE)('%s', (_label, desk, step, withRole, expected) => {
    expect(competentAgencies(step, desk, withRole).map((a) => a.code)).toEqual(expected);
  });
});

const S2: ProcedureStep = { code: 'S2', name: 'Xác minh', agency: role('police-residence'), workingDays: 2 };
const STEPS: ProcedureStep[] = [{ code: 'S1', name: 'Tiếp nhận', agency: { kind: 'receiving-agency' }, workingDays: 0 }, S2];

describe('the step a forward goes to', () => {
  it.each([
    ['the next one after those taken', 1, undefined, 'S2'],
    ['the one named', 2, 'S1', 'S1'],
  ] as const)('%s', (_label, taken, named, expected) => {
    expect(nextStep(STEPS, taken, named).code).toBe(expected);
  });

  it.each([
    ['no step left', 2, undefined, 'ROUTING.NO_NEXT_STEP'],
    ['a step the procedure does not have', 1, 'S9', 'ROUTING.UNKNOWN_STEP'],
  ] as const)('refuses %s', (_label, taken, named, reason) => {
    expect(() => nextStep(STEPS, taken, named)).toThrow(expect.objectContaining({ reason }));
  });
});

describe('the target of a forward', () => {
  const competent = [POLICE_PHU_XUAN];

  it('is the first competent agency when none is named', () => {
    expect(forwardTarget(S2, competent, undefined).code).toBe('000.19.35.H46');
  });

  it('is the agency named when it is competent', () => {
    expect(forwardTarget(S2, competent, '000.19.35.H46').code).toBe('000.19.35.H46');
  });

  it('forged-seal walk: refuses an agency that is not competent for the step, listing those that are', () => {
    expect.assertions(4);
    try {
      forwardTarget(S2, competent, LAND_OFFICE.code);
    } catch (error) {
      expect(error).toBeInstanceOf(ForbiddenError);
      const e = error as ForbiddenError;
      expect(e.reason).toBe('ROUTING.NOT_COMPETENT');
      expect(e.details).toEqual({ stepCode: 'S2', competentAgencyCodes: ['000.19.35.H46'] });
      expect(e.message).toBe(
        'Agency 000.01.15.H46 is not competent for step S2 of this procedure; forward it to Agency 000.19.35.H46 (000.19.35.H46).',
      );
    }
  });

  it('refuses when no agency is competent', () => {
    expect(() => forwardTarget(S2, [], undefined)).toThrow(expect.objectContaining({ reason: 'ROUTING.NO_COMPETENT_AGENCY' }));
  });
});
