import { isAgencyCode } from '../dossier/dossier-code';
import { DOCUMENT_TYPE_CODE, type DocumentTypeDefinition, type DocumentValidity } from '../documents/document-type';
import { InvalidInputError } from '../errors';
import {
  PAPER_KINDS,
  REGISTRY_SOURCES,
  type ComponentRequirement,
  type Fee,
  type ProcedureDefinition,
  type ProcedureLevel,
  type ProcedureStep,
  type ResolutionRule,
  type StepAgency,
} from './procedure-definition';

/**
 * The roles an agency plays in a province. Steps are routed by role, so the catalogue does not name
 * agencies and one file serves every province. `body` is the organisation behind the role: a
 * procedure whose steps cross bodies is inter-agency (một cửa liên thông).
 */
export const AGENCY_ROLES = {
  reception: { body: 'one-stop desk', label: 'Tiếp nhận hồ sơ và trả kết quả (Bộ phận Một cửa, Trung tâm Phục vụ hành chính công)' },
  'civil-status': { body: "commune people's committee", label: 'Công chức tư pháp - hộ tịch cấp xã (hộ tịch, chứng thực)' },
  'people-committee': { body: "commune people's committee", label: 'Chủ tịch, Phó Chủ tịch Ủy ban nhân dân cấp xã (ký kết quả)' },
  'economy-infrastructure': {
    body: "commune people's committee",
    label: 'Phòng Kinh tế, Hạ tầng và Đô thị (phường) hoặc Phòng Kinh tế (xã): hộ kinh doanh, đất đai, xây dựng',
  },
  'police-residence': { body: 'police', label: 'Công an cấp xã (cư trú, thu nhận hồ sơ căn cước)' },
  'province-police': { body: 'police', label: 'Công an cấp tỉnh (lý lịch tư pháp, phê duyệt căn cước)' },
  'social-insurance': { body: 'social insurance', label: 'Cơ quan bảo hiểm xã hội (thẻ bảo hiểm y tế, mai táng phí, tử tuất)' },
  tax: { body: 'tax authority', label: 'Cơ quan thuế' },
  'land-registration-office': { body: 'agriculture and environment department', label: 'Văn phòng Đăng ký đất đai và các chi nhánh' },
  'business-registration-office': { body: 'finance department', label: 'Phòng Đăng ký kinh doanh thuộc Sở Tài chính' },
} as const satisfies Record<string, { body: string; label: string }>;

export type AgencyRole = keyof typeof AGENCY_ROLES;
export const AGENCY_ROLE_KEYS = Object.keys(AGENCY_ROLES) as AgencyRole[];
/** Reception and return are the receiving desk's own steps (`receiving-agency`), never a routed role. */
export const STEP_ROLE_KEYS = AGENCY_ROLE_KEYS.filter((role) => role !== 'reception');

export interface AgencyDefinition {
  /** Agency e-identifier, e.g. `000.19.31.H46`. */
  code: string;
  name: string;
  level: ProcedureLevel;
  parentCode: string | null;
  /** Province code (2 digits) or commune code (5 digits) of the 2025 administrative units. */
  adminUnitCode: string;
  roles: AgencyRole[];
}

export interface CatalogueProblem {
  /** Where, e.g. `[3].components[2].kind`. */
  path: string;
  message: string;
}

const LEVELS: readonly ProcedureLevel[] = ['commune', 'province'];
const APPLICANT_KINDS = ['CITIZEN', 'BUSINESS'] as const;
const PROCEDURE_CODE = /^\d\.\d{6}$/;
/** A national result code such as `KQ.G15.000031` (the component's `documentTypeCode`). */
const NATIONAL_DOCUMENT_CODE = /^[A-Z0-9]+(?:\.[A-Z0-9]+)+$/;
const CLOCK_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const MAX_RESOLUTION_DAYS = 365;

const PROCEDURE_FIELDS = [
  'code',
  'name',
  'field',
  'level',
  'resolution',
  'resolutionNote',
  'fees',
  'components',
  'steps',
  'interAgency',
  'boundaryFree',
  'results',
  'applicantKinds',
  'resultDocumentType',
] as const;
const COMPONENT_FIELDS = [
  'code',
  'name',
  'kind',
  'quantity',
  'required',
  'documentTypeCode',
  'registrySource',
  'acceptedDocumentTypes',
] as const;
const AGENCY_FIELDS = ['code', 'name', 'level', 'parentCode', 'adminUnitCode', 'roles'] as const;

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (isRecord(value)) return 'an object';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}..."` : text;
}

function oneOf(values: readonly string[]): string {
  return values.length === 1 ? values[0]! : `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}`;
}

/** Collects every problem with its path, so one run reports all of them. */
class Problems {
  readonly list: CatalogueProblem[] = [];

  add(path: string, message: string): void {
    this.list.push({ path, message });
  }

  expected(path: string, what: string, got: unknown): void {
    this.add(path, `expected ${what}, got ${describe(got)}`);
  }

  fields(path: string, value: Json, allowed: readonly string[]): void {
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) this.add(`${path}.${key}`, `unknown field (the fields are ${oneOf(allowed)})`);
    }
  }

  /** A one-line text without surrounding spaces: names end up on printed forms and in CSV cells. */
  text(path: string, value: unknown, { nullable = false, multiline = false } = {}): string | null {
    if (value === null && nullable) return null;
    if (typeof value !== 'string' || value.trim() === '') {
      this.expected(path, nullable ? 'a non-empty text or null' : 'a non-empty text', value);
      return null;
    }
    if (value !== value.trim()) this.add(path, 'expected text without leading or trailing spaces');
    if (!multiline && /[\r\n]/.test(value)) this.add(path, 'expected one line of text, got line breaks');
    return value;
  }

  choice<T extends string>(path: string, value: unknown, allowed: readonly T[], { nullable = false } = {}): T | null {
    if (value === null && nullable) return null;
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    this.expected(path, nullable ? `${oneOf(allowed)} or null` : oneOf(allowed), value);
    return null;
  }

  wholeNumber(path: string, value: unknown, min: number, max: number, { nullable = false } = {}): number | null {
    if (value === null && nullable) return null;
    if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
    const range = max === Number.MAX_SAFE_INTEGER ? `${min} or more` : `from ${min} to ${max}`;
    this.expected(path, `a whole number ${range}${nullable ? ' or null' : ''}`, value);
    return null;
  }

  bool(path: string, value: unknown): boolean | null {
    if (typeof value === 'boolean') return value;
    this.expected(path, 'true or false', value);
    return null;
  }

  array(path: string, value: unknown, { nonEmpty = false } = {}): unknown[] | null {
    if (Array.isArray(value) && (!nonEmpty || value.length > 0)) return value;
    this.expected(path, nonEmpty ? 'a non-empty list' : 'a list', value);
    return null;
  }

  /** A document-type code (`BIRTH_CERTIFICATE`); whether the type exists is checked against the type list. */
  typeCode(path: string, value: unknown, { nullable = false } = {}): string | null {
    if (value === null && nullable) return null;
    if (typeof value === 'string' && DOCUMENT_TYPE_CODE.test(value)) return value;
    this.expected(path, `a document-type code such as BIRTH_CERTIFICATE${nullable ? ' or null' : ''}`, value);
    return null;
  }

  object(path: string, value: unknown): Json | null {
    if (isRecord(value)) return value;
    this.expected(path, 'an object', value);
    return null;
  }

  fail(what: string, reason: string): never {
    const count = this.list.length;
    throw new InvalidInputError(
      `${what} has ${count} problem${count === 1 ? '' : 's'}:\n${this.list.map((p) => `  ${p.path}: ${p.message}`).join('\n')}`,
      { reason, details: { problems: this.list } },
    );
  }
}

function sequenceCode(prefix: string, index: number, width: number): string {
  return `${prefix}${String(index + 1).padStart(width, '0')}`;
}

function parseResolution(problems: Problems, path: string, value: unknown): ResolutionRule | null {
  const rule = problems.object(path, value);
  if (!rule) return null;
  if (rule.kind === 'working-days') {
    problems.fields(path, rule, ['kind', 'days']);
    const days = problems.wholeNumber(`${path}.days`, rule.days, 1, MAX_RESOLUTION_DAYS);
    return days === null ? null : { kind: 'working-days', days };
  }
  if (rule.kind === 'same-day') {
    problems.fields(path, rule, ['kind', 'cutoff', 'dueSameDay', 'dueNextDay']);
    const time = (key: 'cutoff' | 'dueSameDay' | 'dueNextDay'): string | null => {
      const v = rule[key];
      if (typeof v === 'string' && CLOCK_TIME.test(v)) return v;
      problems.expected(`${path}.${key}`, 'a time HH:MM (24-hour)', v);
      return null;
    };
    const cutoff = time('cutoff');
    const dueSameDay = time('dueSameDay');
    const dueNextDay = time('dueNextDay');
    if (cutoff && dueSameDay && dueSameDay < cutoff) {
      problems.add(`${path}.dueSameDay`, `expected a time not before the cutoff ${cutoff}, got "${dueSameDay}"`);
    }
    return cutoff && dueSameDay && dueNextDay ? { kind: 'same-day', cutoff, dueSameDay, dueNextDay } : null;
  }
  problems.expected(`${path}.kind`, 'working-days or same-day', rule.kind);
  return null;
}

function parseFee(problems: Problems, path: string, value: unknown): Fee | null {
  const fee = problems.object(path, value);
  if (!fee) return null;
  problems.fields(path, fee, ['name', 'amountVnd', 'note']);
  const name = problems.text(`${path}.name`, fee.name);
  const amountVnd = problems.wholeNumber(`${path}.amountVnd`, fee.amountVnd, 0, Number.MAX_SAFE_INTEGER, { nullable: true });
  const note = problems.text(`${path}.note`, fee.note, { nullable: true, multiline: true });
  return name === null ? null : { name, amountVnd, note };
}

function parseComponent(problems: Problems, path: string, value: unknown, index: number): ComponentRequirement | null {
  const c = problems.object(path, value);
  if (!c) return null;
  problems.fields(path, c, COMPONENT_FIELDS);
  const expectedCode = sequenceCode('C', index, 2);
  if (c.code !== expectedCode) problems.expected(`${path}.code`, `${expectedCode} (codes run C01, C02, ... in order)`, c.code);
  const name = problems.text(`${path}.name`, c.name);
  const kind = problems.choice(`${path}.kind`, c.kind, PAPER_KINDS);
  const quantity = problems.wholeNumber(`${path}.quantity`, c.quantity, 1, 99);
  const required = problems.bool(`${path}.required`, c.required);
  let documentTypeCode: string | null = null;
  if (c.documentTypeCode !== null) {
    if (typeof c.documentTypeCode === 'string' && NATIONAL_DOCUMENT_CODE.test(c.documentTypeCode)) documentTypeCode = c.documentTypeCode;
    else problems.expected(`${path}.documentTypeCode`, 'a document-type code such as KQ.G15.000031, or null', c.documentTypeCode);
  }
  const registrySource = problems.choice(`${path}.registrySource`, c.registrySource, REGISTRY_SOURCES, { nullable: true });
  const accepted = problems.array(`${path}.acceptedDocumentTypes`, c.acceptedDocumentTypes);
  const acceptedDocumentTypes = (accepted ?? []).map((t, i) => problems.typeCode(`${path}.acceptedDocumentTypes[${i}]`, t));
  if (new Set(acceptedDocumentTypes).size !== acceptedDocumentTypes.length) {
    problems.add(`${path}.acceptedDocumentTypes`, 'expected each document type once');
  }
  if (name === null || kind === null || quantity === null || required === null || accepted === null) return null;
  if (acceptedDocumentTypes.includes(null)) return null;
  return {
    code: expectedCode,
    name,
    kind,
    quantity,
    required,
    documentTypeCode,
    registrySource,
    acceptedDocumentTypes: acceptedDocumentTypes as string[],
  };
}

function parseStep(problems: Problems, path: string, value: unknown, index: number): ProcedureStep | null {
  const s = problems.object(path, value);
  if (!s) return null;
  problems.fields(path, s, ['code', 'name', 'agency', 'workingDays']);
  const expectedCode = sequenceCode('S', index, 1);
  if (s.code !== expectedCode) problems.expected(`${path}.code`, `${expectedCode} (codes run S1, S2, ... in order)`, s.code);
  const name = problems.text(`${path}.name`, s.name);
  let agency: StepAgency | null = null;
  const a = problems.object(`${path}.agency`, s.agency);
  if (a?.kind === 'receiving-agency') {
    problems.fields(`${path}.agency`, a, ['kind']);
    agency = { kind: 'receiving-agency' };
  } else if (a?.kind === 'role') {
    problems.fields(`${path}.agency`, a, ['kind', 'role']);
    const role = problems.choice(`${path}.agency.role`, a.role, STEP_ROLE_KEYS);
    if (role) agency = { kind: 'role', role };
  } else if (a) {
    problems.expected(`${path}.agency.kind`, 'receiving-agency or role', a.kind);
  }
  const workingDays = problems.wholeNumber(`${path}.workingDays`, s.workingDays, 0, MAX_RESOLUTION_DAYS);
  if (name === null || agency === null || workingDays === null) return null;
  return { code: expectedCode, name, agency, workingDays };
}

function bodiesOf(steps: readonly ProcedureStep[]): string[] {
  const bodies = new Set<string>();
  for (const step of steps) if (step.agency.kind === 'role') bodies.add(AGENCY_ROLES[step.agency.role as AgencyRole].body);
  return [...bodies];
}

function parseProcedure(problems: Problems, path: string, value: unknown): ProcedureDefinition | null {
  const p = problems.object(path, value);
  if (!p) return null;
  problems.fields(path, p, PROCEDURE_FIELDS);
  let code: string | null = null;
  if (typeof p.code === 'string' && PROCEDURE_CODE.test(p.code)) code = p.code;
  else problems.expected(`${path}.code`, 'a national procedure code such as 1.001193', p.code);
  const name = problems.text(`${path}.name`, p.name);
  const field = problems.text(`${path}.field`, p.field);
  const level = problems.choice(`${path}.level`, p.level, LEVELS);
  const resolution = parseResolution(problems, `${path}.resolution`, p.resolution);
  const resolutionNote = problems.text(`${path}.resolutionNote`, p.resolutionNote, { nullable: true, multiline: true });
  const fees = (problems.array(`${path}.fees`, p.fees) ?? []).map((f, i) => parseFee(problems, `${path}.fees[${i}]`, f));
  const components = (problems.array(`${path}.components`, p.components) ?? []).map((c, i) =>
    parseComponent(problems, `${path}.components[${i}]`, c, i),
  );
  const steps = (problems.array(`${path}.steps`, p.steps, { nonEmpty: true }) ?? []).map((s, i) =>
    parseStep(problems, `${path}.steps[${i}]`, s, i),
  );
  const interAgency = problems.bool(`${path}.interAgency`, p.interAgency);
  const boundaryFree = problems.bool(`${path}.boundaryFree`, p.boundaryFree);
  const results = (problems.array(`${path}.results`, p.results, { nonEmpty: true }) ?? []).map((r, i) =>
    problems.text(`${path}.results[${i}]`, r),
  );
  const applicantKinds = (problems.array(`${path}.applicantKinds`, p.applicantKinds, { nonEmpty: true }) ?? []).map((k, i) =>
    problems.choice(`${path}.applicantKinds[${i}]`, k, APPLICANT_KINDS),
  );
  if (new Set(applicantKinds).size !== applicantKinds.length) problems.add(`${path}.applicantKinds`, 'expected each kind once');
  const resultDocumentType = problems.typeCode(`${path}.resultDocumentType`, p.resultDocumentType, { nullable: true });
  const resultTypeValid = p.resultDocumentType === null || resultDocumentType !== null;

  const validSteps = steps.filter((s): s is ProcedureStep => s !== null);
  if (validSteps.length === steps.length && steps.length > 0) {
    if (validSteps[0]!.agency.kind !== 'receiving-agency') {
      problems.add(`${path}.steps[0].agency`, 'expected the receiving agency: the desk that received the dossier takes the first step');
    }
    if (validSteps[validSteps.length - 1]!.agency.kind !== 'receiving-agency') {
      problems.add(
        `${path}.steps[${steps.length - 1}].agency`,
        'expected the receiving agency: the result goes back to the desk that received the dossier',
      );
    }
    const total = validSteps.reduce((sum, s) => sum + s.workingDays, 0);
    if (resolution?.kind === 'working-days' && total !== resolution.days) {
      problems.add(`${path}.steps`, `expected working days adding up to the resolution time (${resolution.days}), got ${total}`);
    }
    if (isRecord(p.resolution) && p.resolution.kind === 'same-day' && total !== 0) {
      problems.add(`${path}.steps`, `expected 0 working days on every step of a same-day procedure, got ${total} in all`);
    }
    const bodies = bodiesOf(validSteps);
    if (name?.startsWith('Liên thông') && bodies.length < 2) {
      problems.add(`${path}.steps`, 'expected steps through at least two bodies for a "Liên thông" (inter-agency) procedure');
    }
    if (interAgency !== null) {
      if (interAgency !== bodies.length > 1) {
        problems.add(
          `${path}.interAgency`,
          bodies.length > 1
            ? `expected true, since the steps go through ${oneOf(bodies)}, got false`
            : `expected false, since the steps stay within ${bodies[0] ?? 'the receiving desk'}, got true`,
        );
      }
    }
  }

  if (
    code === null ||
    name === null ||
    field === null ||
    level === null ||
    resolution === null ||
    interAgency === null ||
    boundaryFree === null ||
    fees.includes(null) ||
    components.includes(null) ||
    steps.includes(null) ||
    results.includes(null) ||
    applicantKinds.includes(null) ||
    !resultTypeValid
  ) {
    return null;
  }
  return {
    code,
    name,
    field,
    level,
    resolution,
    resolutionNote,
    fees: fees as Fee[],
    components: components as ComponentRequirement[],
    steps: validSteps,
    interAgency,
    boundaryFree,
    results: results as string[],
    applicantKinds: applicantKinds as ('CITIZEN' | 'BUSINESS')[],
    resultDocumentType,
  };
}

/**
 * Checks a procedure catalogue (the JSON of reference/catalogue/procedures.json) and returns it typed.
 * Throws InvalidInputError listing every problem with its path, e.g.
 * `[3].components[2].kind: expected original, copy, certified-copy or present, got "scan"`.
 */
export function parseProcedureDefinitions(json: unknown): ProcedureDefinition[] {
  const problems = new Problems();
  const items = Array.isArray(json) ? json : null;
  if (!items) problems.expected('(top)', 'a list of procedures', json);
  const procedures = (items ?? []).map((item, i) => parseProcedure(problems, `[${i}]`, item));
  const firstIndex = new Map<string, number>();
  (items ?? []).forEach((item, i) => {
    const code = isRecord(item) && typeof item.code === 'string' ? item.code : undefined;
    if (code === undefined) return;
    const first = firstIndex.get(code);
    if (first === undefined) firstIndex.set(code, i);
    else problems.add(`[${i}].code`, `"${code}" is also the code of [${first}]; each procedure appears once`);
  });
  if (problems.list.length) problems.fail('The procedure catalogue', 'CATALOGUE.INVALID_PROCEDURES');
  return procedures as ProcedureDefinition[];
}

/**
 * Checks an agency list: either a list of agencies or `{ note, agencies: [...] }` as in
 * reference/catalogue/agencies.json. Throws InvalidInputError listing every problem with its path.
 */
export function parseAgencies(json: unknown): AgencyDefinition[] {
  const problems = new Problems();
  let items: unknown[] | null = null;
  let prefix = '';
  if (Array.isArray(json)) {
    items = json;
  } else if (isRecord(json) && Array.isArray(json.agencies)) {
    problems.fields('(top)', json, ['note', 'agencies']);
    if (json.note !== undefined) problems.text('note', json.note, { multiline: true });
    items = json.agencies;
    prefix = 'agencies';
  } else {
    problems.expected('(top)', 'a list of agencies or an object with "agencies"', json);
  }

  // Codes and parents as far as they are valid, so the list-wide checks run even when other fields are wrong.
  const links: { code: string | null; parentCode: string | null }[] = [];
  const agencies = (items ?? []).map((item, i): AgencyDefinition | null => {
    const path = `${prefix}[${i}]`;
    links[i] = { code: null, parentCode: null };
    const a = problems.object(path, item);
    if (!a) return null;
    problems.fields(path, a, AGENCY_FIELDS);
    let code: string | null = null;
    if (typeof a.code === 'string' && isAgencyCode(a.code)) code = a.code;
    else problems.expected(`${path}.code`, 'an agency e-identifier code such as 000.19.31.H46', a.code);
    const name = problems.text(`${path}.name`, a.name);
    const level = problems.choice(`${path}.level`, a.level, LEVELS);
    let parentCode: string | null = null;
    if (a.parentCode !== null) {
      if (typeof a.parentCode === 'string' && isAgencyCode(a.parentCode)) parentCode = a.parentCode;
      else problems.expected(`${path}.parentCode`, 'an agency code or null', a.parentCode);
    }
    let adminUnitCode: string | null = null;
    const unitPattern = level === 'commune' ? /^\d{5}$/ : /^\d{2}$/;
    if (typeof a.adminUnitCode === 'string' && unitPattern.test(a.adminUnitCode)) adminUnitCode = a.adminUnitCode;
    else if (level) {
      problems.expected(
        `${path}.adminUnitCode`,
        level === 'commune' ? 'a 5-digit commune code' : 'a 2-digit province code',
        a.adminUnitCode,
      );
    }
    const roles = (problems.array(`${path}.roles`, a.roles) ?? []).map((r, j) =>
      problems.choice(`${path}.roles[${j}]`, r, AGENCY_ROLE_KEYS),
    );
    if (new Set(roles).size !== roles.length) problems.add(`${path}.roles`, 'expected each role once');
    links[i] = { code, parentCode };
    if (code === null || name === null || level === null || adminUnitCode === null || roles.includes(null)) return null;
    return { code, name, level, parentCode, adminUnitCode, roles: roles as AgencyRole[] };
  });

  const byCode = new Map<string, number>();
  links.forEach(({ code }, i) => {
    if (!code) return;
    const first = byCode.get(code);
    if (first === undefined) byCode.set(code, i);
    else problems.add(`${prefix}[${i}].code`, `"${code}" is also the code of ${prefix}[${first}]; each agency appears once`);
  });
  links.forEach(({ code, parentCode }, i) => {
    if (!code || !parentCode) return;
    if (!byCode.has(parentCode)) {
      problems.add(`${prefix}[${i}].parentCode`, `expected the code of an agency in this list, got "${parentCode}"`);
      return;
    }
    // Walk up: a parent chain must end, or an import that writes parents first never finishes.
    const seen = new Set([code]);
    for (let up: string | null = parentCode; up; up = links[byCode.get(up) ?? -1]?.parentCode ?? null) {
      if (seen.has(up)) {
        problems.add(`${prefix}[${i}].parentCode`, `expected a parent chain that ends, got a cycle through "${up}"`);
        break;
      }
      seen.add(up);
    }
  });

  if (problems.list.length) problems.fail('The agency list', 'CATALOGUE.INVALID_AGENCIES');
  return agencies as AgencyDefinition[];
}

/** Every role a step is routed to must be played by some agency, or the dossier has nowhere to go. */
export function checkRoleCoverage(procedures: readonly ProcedureDefinition[], agencies: readonly AgencyDefinition[]): void {
  const played = new Set<string>(agencies.flatMap((a) => a.roles));
  const problems = new Problems();
  procedures.forEach((procedure, i) =>
    procedure.steps.forEach((step, j) => {
      if (step.agency.kind === 'role' && !played.has(step.agency.role)) {
        problems.add(`[${i}].steps[${j}].agency.role`, `no agency plays "${step.agency.role}" (procedure ${procedure.code})`);
      }
    }),
  );
  if (problems.list.length) problems.fail('The catalogue and the agency list', 'CATALOGUE.ROLE_NOT_COVERED');
}

const DOCUMENT_TYPE_FIELDS = [
  'code',
  'name',
  'nameEn',
  'ownerKinds',
  'validity',
  'supersededByNewer',
  'registrySource',
  'source',
  'note',
] as const;
/** Longest validity period the data may state: 50 years, far beyond any confirmation the law limits. */
const MAX_VALIDITY_MONTHS = 600;
const MAX_VALIDITY_DAYS = 3660;

function parseValidity(problems: Problems, path: string, value: unknown): DocumentValidity | null {
  const v = problems.object(path, value);
  if (!v) return null;
  switch (v.kind) {
    case 'never-expires':
    case 'stated-on-document':
      problems.fields(path, v, ['kind']);
      return { kind: v.kind };
    case 'expires-after-months': {
      problems.fields(path, v, ['kind', 'months']);
      const months = problems.wholeNumber(`${path}.months`, v.months, 1, MAX_VALIDITY_MONTHS);
      return months === null ? null : { kind: 'expires-after-months', months };
    }
    case 'expires-after-days': {
      problems.fields(path, v, ['kind', 'days']);
      const days = problems.wholeNumber(`${path}.days`, v.days, 1, MAX_VALIDITY_DAYS);
      return days === null ? null : { kind: 'expires-after-days', days };
    }
    default:
      problems.expected(`${path}.kind`, 'never-expires, expires-after-months, expires-after-days or stated-on-document', v.kind);
      return null;
  }
}

/**
 * Checks the document types (reference/catalogue/document-types.json: a list, or `{ note, documentTypes }`)
 * and returns them typed. Throws InvalidInputError listing every problem with its path.
 */
export function parseDocumentTypes(json: unknown): DocumentTypeDefinition[] {
  const problems = new Problems();
  let items: unknown[] | null = null;
  let prefix = '';
  if (Array.isArray(json)) {
    items = json;
  } else if (isRecord(json) && Array.isArray(json.documentTypes)) {
    problems.fields('(top)', json, ['note', 'documentTypes']);
    if (json.note !== undefined) problems.text('note', json.note, { multiline: true });
    items = json.documentTypes;
    prefix = 'documentTypes';
  } else {
    problems.expected('(top)', 'a list of document types or an object with "documentTypes"', json);
  }
  const firstIndex = new Map<string, number>();
  const types = (items ?? []).map((item, i): DocumentTypeDefinition | null => {
    const path = `${prefix}[${i}]`;
    const t = problems.object(path, item);
    if (!t) return null;
    problems.fields(path, t, DOCUMENT_TYPE_FIELDS);
    const code = problems.typeCode(`${path}.code`, t.code);
    if (code !== null) {
      const first = firstIndex.get(code);
      if (first === undefined) firstIndex.set(code, i);
      else problems.add(`${path}.code`, `"${code}" is also the code of ${prefix}[${first}]; each document type appears once`);
    }
    const name = problems.text(`${path}.name`, t.name);
    const nameEn = problems.text(`${path}.nameEn`, t.nameEn);
    const ownerKinds = (problems.array(`${path}.ownerKinds`, t.ownerKinds, { nonEmpty: true }) ?? []).map((k, j) =>
      problems.choice(`${path}.ownerKinds[${j}]`, k, APPLICANT_KINDS),
    );
    if (new Set(ownerKinds).size !== ownerKinds.length) problems.add(`${path}.ownerKinds`, 'expected each kind once');
    const validity = parseValidity(problems, `${path}.validity`, t.validity);
    const supersededByNewer = problems.bool(`${path}.supersededByNewer`, t.supersededByNewer);
    const registrySource = problems.choice(`${path}.registrySource`, t.registrySource, REGISTRY_SOURCES, { nullable: true });
    const source = problems.text(`${path}.source`, t.source, { multiline: true });
    const note = problems.text(`${path}.note`, t.note, { nullable: true, multiline: true });
    if (
      code === null ||
      name === null ||
      nameEn === null ||
      validity === null ||
      supersededByNewer === null ||
      source === null ||
      ownerKinds.length === 0 ||
      ownerKinds.includes(null) ||
      (t.registrySource !== null && registrySource === null) ||
      (t.note !== null && note === null)
    ) {
      return null;
    }
    return {
      code,
      name,
      nameEn,
      ownerKinds: ownerKinds as ('CITIZEN' | 'BUSINESS')[],
      validity,
      supersededByNewer,
      registrySource,
      source,
      note,
    };
  });
  if (problems.list.length) problems.fail('The document types', 'CATALOGUE.INVALID_DOCUMENT_TYPES');
  return types as DocumentTypeDefinition[];
}

/**
 * Every document type a paper accepts or a procedure issues must be one of the list: otherwise no
 * held document can ever match the paper, and a result would enter the vault with a type nobody knows.
 */
export function checkDocumentTypeReferences(
  procedures: readonly ProcedureDefinition[],
  documentTypes: readonly Pick<DocumentTypeDefinition, 'code'>[],
): void {
  const known = new Set(documentTypes.map((t) => t.code));
  const problems = new Problems();
  const unknown = (code: string) => `unknown document type "${code}" (not in the document types)`;
  procedures.forEach((procedure, i) => {
    procedure.components.forEach((component, j) =>
      (component.acceptedDocumentTypes ?? []).forEach((code, k) => {
        if (!known.has(code))
          problems.add(`[${i}].components[${j}].acceptedDocumentTypes[${k}]`, `${unknown(code)}, procedure ${procedure.code}`);
      }),
    );
    const result = procedure.resultDocumentType;
    if (result && !known.has(result)) problems.add(`[${i}].resultDocumentType`, `${unknown(result)}, procedure ${procedure.code}`);
  });
  if (problems.list.length) problems.fail('The catalogue and the document types', 'CATALOGUE.UNKNOWN_DOCUMENT_TYPE');
}
