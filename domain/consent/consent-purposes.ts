import { CONSENT_ATTRIBUTES, isConsentAttribute, prefillPurpose, type ClientConsentPurpose, type ConsentAttribute } from './consent';
import type { PrefillFieldDefinition, PrefillFieldLists } from './prefill';

/**
 * The purposes a portal may ask citizens for consent for, as operators register them. A purpose is
 * what the citizen reads on the consent page (a description in Vietnamese and English) and the
 * attributes it covers; a `prefill:<procedureCode>` purpose covers at most the attributes its
 * procedure's declaration fields read (data minimisation, Decree 13/2023 art. 3): a portal cannot
 * gather, under the label of a prefill, more than the declaration needs.
 */

/** A registered purpose with both descriptions: what registration always produces. */
export type DescribedConsentPurpose = Required<Pick<ClientConsentPurpose, 'purpose' | 'attributes' | 'descriptionVi' | 'descriptionEn'>>;

export const MAX_PURPOSE_LENGTH = 100;
export const MAX_DESCRIPTION_LENGTH = 500;
/** `eligibility-check`, `prefill:1.001193`: a lower-case name, optionally `:` and a qualifier. */
const PURPOSE_NAME = /^[a-z][a-z0-9-]*(?::[A-Za-z0-9._-]+)?$/;
const PREFILL_PREFIX = 'prefill:';
const CONTROL_CHARACTERS = /\p{Cc}/u;

/** The procedure a `prefill:` purpose names, or undefined for any other purpose. */
export function prefillProcedureOf(purpose: string): string | undefined {
  return purpose.startsWith(PREFILL_PREFIX) ? purpose.slice(PREFILL_PREFIX.length) : undefined;
}

/** The attributes a procedure's declaration fields read, once each, in the order of CONSENT_ATTRIBUTES. */
export function prefillAttributes(fields: readonly PrefillFieldDefinition[]): ConsentAttribute[] {
  const read = new Set<string>(fields.map((f) => f.attribute));
  return CONSENT_ATTRIBUTES.filter((a) => read.has(a));
}

/** The catalogue's names mostly start with "Thủ tục"; the description says it once. */
function procedureTitle(name: string): string {
  const title = name.trim().replace(/^thủ tục\s+/iu, '');
  return title.charAt(0).toLocaleLowerCase('vi') + title.slice(1);
}

/**
 * The default purpose of a prefill procedure: `prefill:<code>`, covering exactly the attributes its
 * fields read, described from the procedure's name (the catalogue names procedures in Vietnamese
 * only, so the English description quotes the code and the Vietnamese name).
 */
export function defaultPrefillPurpose(
  procedure: { code: string; name: string },
  fields: readonly PrefillFieldDefinition[],
): DescribedConsentPurpose {
  const title = procedureTitle(procedure.name);
  return {
    purpose: prefillPurpose(procedure.code),
    attributes: prefillAttributes(fields),
    descriptionVi: `Điền sẵn tờ khai thủ tục ${title}`,
    descriptionEn: `Prefill the declaration of procedure ${procedure.code} (${title.charAt(0).toLocaleUpperCase('vi')}${title.slice(1)})`,
  };
}

/** What an operator asks to register. */
export interface PurposeRegistration {
  purpose: string;
  attributes: readonly string[];
  descriptionVi: string;
  descriptionEn: string;
}

export const PURPOSE_REGISTRATION_REFUSALS = [
  'CONSENT_PURPOSE.BAD_NAME',
  'CONSENT_PURPOSE.NO_ATTRIBUTES',
  'CONSENT_PURPOSE.UNKNOWN_ATTRIBUTE',
  'CONSENT_PURPOSE.NO_PREFILL_FIELDS',
  'CONSENT_PURPOSE.BEYOND_PREFILL_FIELDS',
  'CONSENT_PURPOSE.BAD_DESCRIPTION',
] as const;
export type PurposeRegistrationRefusal = (typeof PURPOSE_REGISTRATION_REFUSALS)[number];

export type PurposeRegistrationDecision =
  | { allowed: true; purpose: DescribedConsentPurpose }
  | { allowed: false; reason: PurposeRegistrationRefusal; message: string; details: Record<string, unknown> };

function refuse(reason: PurposeRegistrationRefusal, message: string, details: Record<string, unknown> = {}): PurposeRegistrationDecision {
  return { allowed: false, reason, message, details };
}

/** A description as stored: NFC (terminals may hand Vietnamese decomposed), trimmed; undefined when unfit. */
function description(text: string): string | undefined {
  const value = text.normalize('NFC').trim();
  if (value.length === 0 || value.length > MAX_DESCRIPTION_LENGTH || CONTROL_CHARACTERS.test(value)) return undefined;
  return value;
}

/**
 * May this purpose be registered? Its name well formed; its attributes known (the refusal lists the
 * valid ones), at least one; a prefill purpose names a procedure with a field list and covers only
 * attributes those fields read (more is refused, listing those allowed); both descriptions given.
 * Attributes are kept once each, in the order of CONSENT_ATTRIBUTES.
 */
export function decidePurposeRegistration(input: PurposeRegistration, fieldLists: PrefillFieldLists): PurposeRegistrationDecision {
  const name = input.purpose.trim();
  if (name.length > MAX_PURPOSE_LENGTH || !PURPOSE_NAME.test(name)) {
    return refuse(
      'CONSENT_PURPOSE.BAD_NAME',
      `Tên mục đích "${name.slice(0, 40)}" không hợp lệ: chữ thường, số, "-", tùy chọn ":" và mã (vd. eligibility-check, prefill:1.001193), tối đa ${MAX_PURPOSE_LENGTH} ký tự. / ` +
        `The purpose "${name.slice(0, 40)}" is not a valid name: lower-case letters, digits and "-", optionally ":" and a qualifier (e.g. eligibility-check, prefill:1.001193), at most ${MAX_PURPOSE_LENGTH} characters.`,
    );
  }
  const asked = input.attributes.map((a) => a.trim()).filter((a) => a.length > 0);
  const unknown = asked.filter((a) => !isConsentAttribute(a));
  if (unknown.length > 0) {
    return refuse(
      'CONSENT_PURPOSE.UNKNOWN_ATTRIBUTE',
      `Thuộc tính không xác định / Unknown attributes: ${unknown.map((a) => a.slice(0, 60)).join(', ')}. Hợp lệ / Valid: ${CONSENT_ATTRIBUTES.join(', ')}.`,
      { unknown, valid: [...CONSENT_ATTRIBUTES] },
    );
  }
  const attributes = CONSENT_ATTRIBUTES.filter((a) => asked.includes(a));
  if (attributes.length === 0) {
    return refuse(
      'CONSENT_PURPOSE.NO_ATTRIBUTES',
      `Hãy nêu ít nhất một thuộc tính / Name at least one attribute. Hợp lệ / Valid: ${CONSENT_ATTRIBUTES.join(', ')}.`,
      { valid: [...CONSENT_ATTRIBUTES] },
    );
  }
  const procedureCode = prefillProcedureOf(name);
  if (procedureCode !== undefined) {
    const fields = fieldLists.get(procedureCode);
    if (!fields) {
      const prefillable = [...fieldLists.keys()];
      return refuse(
        'CONSENT_PURPOSE.NO_PREFILL_FIELDS',
        `Thủ tục ${procedureCode} không có danh sách trường điền sẵn / Procedure ${procedureCode} has no prefill field list (reference/catalogue/prefill-fields.json). ` +
          `Có / Those with one: ${prefillable.join(', ')}.`,
        { procedureCode, prefillable },
      );
    }
    const allowed = prefillAttributes(fields);
    const beyond = attributes.filter((a) => !allowed.includes(a));
    if (beyond.length > 0) {
      return refuse(
        'CONSENT_PURPOSE.BEYOND_PREFILL_FIELDS',
        `Tờ khai thủ tục ${procedureCode} không dùng / The declaration of procedure ${procedureCode} reads none of: ${beyond.join(', ')}. ` +
          `Mục đích ${name} chỉ được gồm / The purpose may cover only: ${allowed.join(', ')}.`,
        { procedureCode, beyond, allowed },
      );
    }
  }
  const descriptionVi = description(input.descriptionVi);
  const descriptionEn = description(input.descriptionEn);
  if (descriptionVi === undefined || descriptionEn === undefined) {
    return refuse(
      'CONSENT_PURPOSE.BAD_DESCRIPTION',
      `Cần mô tả tiếng Việt và tiếng Anh, mỗi mô tả 1–${MAX_DESCRIPTION_LENGTH} ký tự, không có ký tự điều khiển / ` +
        `Both descriptions (Vietnamese and English) are needed, each 1–${MAX_DESCRIPTION_LENGTH} characters without control characters.`,
      { field: descriptionVi === undefined ? 'descriptionVi' : 'descriptionEn' },
    );
  }
  return { allowed: true, purpose: { purpose: name, attributes, descriptionVi, descriptionEn } };
}
