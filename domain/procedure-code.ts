import { InvalidInputError } from './errors';

/** National procedure codes look like `1.001193` (a digit, a dot, six digits). */
const PROCEDURE_CODE = /^\d\.\d{6}$/;

export function requireProcedureCode(value: string, field = 'procedureCode'): string {
  if (!PROCEDURE_CODE.test(value)) {
    throw new InvalidInputError(`"${value.slice(0, 40)}" is not a national procedure code; they look like 1.001193.`, {
      reason: 'PROCEDURE.INVALID_CODE',
      details: { field },
    });
  }
  return value;
}
