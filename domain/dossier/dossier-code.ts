import { InvalidInputError } from '../errors';
import { formatCodeDate } from '../time/vietnam-time';

/**
 * Dossier codes per Circular 01/2018/TT-VPCP art. 19: `<agency code>-YYMMDD-XXXX`, e.g.
 * `H15.50.05.13-261008-0975`. The sequence has at least 4 digits and grows where volume needs it.
 */
const AGENCY_CODE = /^[A-Z0-9]{1,4}(?:\.[A-Z0-9]{1,4}){0,5}$/;
const DOSSIER_CODE = /^([A-Z0-9]{1,4}(?:\.[A-Z0-9]{1,4}){0,5})-(\d{2})(\d{2})(\d{2})-(\d{4,7})$/;

export interface DossierCodeParts {
  agencyCode: string;
  /** YYMMDD of the reception day (Vietnam time). */
  receptionDate: string;
  sequence: number;
}

export function isAgencyCode(value: string): boolean {
  return AGENCY_CODE.test(value);
}

export function formatDossierCode(agencyCode: string, receivedAt: Date, sequence: number): string {
  if (!isAgencyCode(agencyCode)) {
    throw new InvalidInputError(`"${agencyCode}" is not an agency e-identifier code (e.g. 000.00.01.H22).`, {
      reason: 'AGENCY.INVALID_CODE',
    });
  }
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > 9_999_999) {
    throw new InvalidInputError(`Dossier sequence must be a whole number from 1 to 9999999, got ${sequence}.`, {
      reason: 'DOSSIER.INVALID_SEQUENCE',
    });
  }
  return `${agencyCode}-${formatCodeDate(receivedAt)}-${String(sequence).padStart(4, '0')}`;
}

export function parseDossierCode(value: string): DossierCodeParts | undefined {
  const match = DOSSIER_CODE.exec(value);
  if (!match) return undefined;
  const [, agencyCode, yy, mm, dd, sequence] = match as unknown as [string, string, string, string, string, string];
  const month = Number(mm);
  const day = Number(dd);
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  return { agencyCode, receptionDate: `${yy}${mm}${dd}`, sequence: Number(sequence) };
}

/** Validates a dossier code from a caller, with a message an officer understands. */
export function requireDossierCode(value: string): DossierCodeParts {
  const parts = parseDossierCode(value);
  if (!parts) {
    throw new InvalidInputError(
      `"${value.slice(0, 60)}" is not a dossier code. A dossier code looks like H15.50.05.13-261008-0975 (agency code, reception date YYMMDD, sequence).`,
      { reason: 'DOSSIER.INVALID_CODE' },
    );
  }
  return parts;
}
