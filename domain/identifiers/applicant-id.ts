import { InvalidInputError } from '../errors';
import { parseEnterpriseCode } from './enterprise-code';
import { parsePersonalId } from './personal-id';

export type ApplicantKind = 'CITIZEN' | 'BUSINESS';

/**
 * An applicant is a citizen (12-digit personal id; household businesses too) or an organisation
 * (10-digit enterprise code, 10+3 for dependent units). Throws an officer-readable error otherwise.
 */
export function classifyApplicantId(value: string): ApplicantKind {
  if (/^\d{12}$/.test(value)) {
    const parsed = parsePersonalId(value);
    if (!parsed.ok)
      throw new InvalidInputError(parsed.reason, { reason: `PERSONAL_ID.${parsed.issue}`, details: { field: 'applicantId' } });
    return 'CITIZEN';
  }
  if (/^\d{10}(-\d{3})?$/.test(value)) {
    const parsed = parseEnterpriseCode(value);
    if (!parsed.ok)
      throw new InvalidInputError(parsed.reason, { reason: `ENTERPRISE_CODE.${parsed.issue}`, details: { field: 'applicantId' } });
    return 'BUSINESS';
  }
  throw new InvalidInputError(
    'The applicant id must be a 12-digit personal identification number or a 10-digit enterprise code (13 characters with a -NNN branch suffix).',
    { reason: 'APPLICANT.INVALID_ID', details: { field: 'applicantId' } },
  );
}
