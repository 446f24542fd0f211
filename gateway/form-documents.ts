import type { ProcedureDefinition } from '../domain/catalogue/procedure-definition';
import type { DeadlineRules } from '../domain/ports/deadline-rules.port';
import type { ApologyData, ControlSheetData, ReceiptData, RefusalData, RegisterData, SupplementRequestData } from '../forms/form-data';
import type { AgencyEntity } from '../store/entities/agency.entity';
import type { DossierActivityEntity, DossierComponentEntity, DossierStepEntity } from '../store/entities/dossier-parts.entity';
import type { DossierEntity } from '../store/entities/dossier.entity';

/** What the forms of one dossier are drawn from. */
export interface DossierRecord {
  dossier: DossierEntity;
  steps: DossierStepEntity[];
  timeline: DossierActivityEntity[];
  papers: DossierComponentEntity[];
  applicant: { name: string; address?: string };
  /** The province's People's Committee, for the heading. */
  province: AgencyEntity | null;
}

const DESK = 'Bộ phận Tiếp nhận và Trả kết quả';

function definitionOf(dossier: DossierEntity): ProcedureDefinition {
  return dossier.procedure.definition as unknown as ProcedureDefinition;
}

/** "Ủy ban nhân dân Thành phố Huế" → "Huế": the place line of the forms. */
export function placeOf(province: AgencyEntity | null, fallback: string): string {
  const name = province?.name.replace(/^Ủy ban nhân dân\s+/i, '').replace(/^(Thành phố|Tỉnh)\s+/i, '') ?? '';
  return name || fallback;
}

function heading(record: DossierRecord) {
  const agency = record.dossier.receivingAgency;
  return {
    agency: {
      ...(record.province && record.province.code !== agency.code ? { parentName: record.province.name } : {}),
      name: agency.name,
      deskName: DESK,
    },
    place: placeOf(record.province, agency.name),
  };
}

/** What every letter about a dossier starts with: heading, dossier, applicant, procedure, reception time. */
function letter(record: DossierRecord, issuedAt: Date) {
  return {
    ...heading(record),
    issuedAt,
    dossier: { code: record.dossier.code },
    applicant: record.applicant,
    procedure: procedureOf(record.dossier),
    receivedAt: record.dossier.receivedAt,
  };
}

function procedureOf(dossier: DossierEntity) {
  const definition = definitionOf(dossier);
  const time = definition.resolution.kind === 'working-days' ? `${definition.resolution.days} ngày làm việc` : 'Trong ngày';
  return { code: dossier.procedure.code, name: dossier.procedure.name, resolutionTime: time };
}

function actorOf(record: DossierRecord, action: string): string {
  return [...record.timeline].reverse().find((a) => a.action === action)?.actor ?? 'Cán bộ tiếp nhận';
}

const KIND: Record<string, 'original' | 'copy' | 'certified copy'> = {
  original: 'original',
  copy: 'copy',
  'certified-copy': 'certified copy',
  present: 'original',
};

/** Form 01: the receipt and appointment. */
export function receiptData(record: DossierRecord): ReceiptData {
  const { dossier } = record;
  const definition = definitionOf(dossier);
  const requirements = new Map(definition.components.map((c) => [c.code, c]));
  const handedIn = record.papers.filter((p) => p.source === 'NEW_FILE' || p.source === 'DOCUMENT');
  const papers = handedIn.map((p) => ({
    name: p.name,
    kind: KIND[requirements.get(p.requirementCode)?.kind ?? 'original']!,
    quantity: requirements.get(p.requirementCode)?.quantity ?? 1,
  }));
  for (const fromRegistry of record.papers.filter((p) => p.source === 'REGISTRY')) {
    papers.push({ name: `${fromRegistry.name} (khai thác từ cơ sở dữ liệu quốc gia, không phải nộp)`, kind: 'copy', quantity: 1 });
  }
  return {
    ...heading(record),
    issuedAt: dossier.receivedAt,
    documentNumber: String(dossier.registerNumber ?? ''),
    dossier: { code: dossier.code },
    applicant: record.applicant,
    procedure: procedureOf(dossier),
    papers: papers.length
      ? papers
      : [{ name: 'Không phải nộp giấy tờ (dữ liệu khai thác từ cơ sở dữ liệu quốc gia)', kind: 'copy', quantity: 1 }],
    sets: 1,
    receivedAt: dossier.receivedAt,
    dueAt: dossier.originalDueAt ?? dossier.dueAt!,
    returnPlace: `${DESK}, ${dossier.receivingAgency.name}`,
    fees: definition.fees.filter((f) => f.amountVnd !== null).map((f) => ({ name: f.name, amountVnd: f.amountVnd! })),
    register: { book: `Sổ theo dõi hồ sơ năm ${dossier.registerYear}`, sequence: dossier.registerNumber ?? 1 },
    receivingOfficer: { name: actorOf(record, 'RECEIVE') },
  };
}

/** Form 02: the one supplement request, listing everything missing. */
export function supplementRequestData(record: DossierRecord): SupplementRequestData | undefined {
  const request = [...record.timeline].reverse().find((a) => a.action === 'REQUEST_SUPPLEMENT');
  if (!request) return undefined;
  const names = new Map(definitionOf(record.dossier).components.map((c) => [c.code, c.name]));
  const missing = (request.details.missing as { requirementCode: string; reason: string }[] | undefined) ?? [];
  return {
    ...letter(record, request.at),
    missingItems: missing.map((m) => ({ item: names.get(m.requirementCode) ?? m.requirementCode, reason: m.reason })),
    contact: { name: `${DESK}, ${record.dossier.receivingAgency.name}` },
    guidingOfficer: { name: request.actor },
  };
}

/** Form 03: the refusal, with its reason. */
export function refusalData(record: DossierRecord): RefusalData | undefined {
  const refusal = [...record.timeline].reverse().find((a) => a.action === 'REJECT');
  if (!refusal) return undefined;
  return {
    ...letter(record, refusal.at),
    legalBasis: [`Quy định của thủ tục hành chính ${record.dossier.procedure.code} (${record.dossier.procedure.name})`],
    reasons: [refusal.note ?? 'Hồ sơ không đủ điều kiện giải quyết'],
    receivingOfficer: { name: refusal.actor },
  };
}

/** Form 04: the apology and new date, when the one extension was made. */
export function apologyData(record: DossierRecord): ApologyData | undefined {
  const { dossier } = record;
  if (!dossier.extendedAt || !dossier.originalDueAt || !dossier.dueAt) return undefined;
  return {
    ...letter(record, dossier.extendedAt),
    originalDueAt: dossier.originalDueAt,
    newDueAt: dossier.dueAt,
    reason: dossier.extensionReason ?? 'Cần thêm thời gian xác minh',
    signer: { position: 'Thủ trưởng cơ quan', name: dossier.receivingAgency.name },
  };
}

/** Form 05: the processing control sheet, one line per hand-over. */
export function controlSheetData(record: DossierRecord, deadlines: DeadlineRules): ControlSheetData | undefined {
  const { dossier } = record;
  if (record.steps.length === 0 || !dossier.dueAt) return undefined;
  const agencies = [...new Set(record.steps.map((s) => s.agency.name))];
  const result = { EARLY: 'early', ON_TIME: 'on-time', LATE: 'late' } as const;
  return {
    ...heading(record),
    dossier: { code: dossier.code },
    applicant: record.applicant,
    procedure: procedureOf(dossier),
    receivedAt: dossier.receivedAt,
    dueAt: dossier.dueAt,
    leadAgency: dossier.receivingAgency.name,
    coordinatingAgencies: agencies.filter((a) => a !== dossier.receivingAgency.name),
    steps: record.steps.map((step) => ({
      from: { agency: (step.fromAgency ?? dossier.receivingAgency).name, ...(step.handedOverBy ? { officer: step.handedOverBy } : {}) },
      to: { agency: step.agency.name, ...(step.completedBy ? { officer: step.completedBy } : {}) },
      handedOverAt: step.handedOverAt,
      ...(step.dueAt ? { dueAt: step.dueAt } : {}),
      ...(step.completedAt ? { completedAt: step.completedAt } : {}),
      ...(step.completedAt && step.dueAt ? { result: result[deadlines.classify(step.completedAt, step.dueAt)] } : {}),
      ...(step.result || step.note ? { note: [step.result, step.note].filter(Boolean).join('. ') } : {}),
    })),
  };
}

/** Form 06: the register of an agency for a period. */
export function registerData(
  agency: AgencyEntity,
  province: AgencyEntity | null,
  period: { from: Date; to: Date },
  rows: { dossier: DossierEntity; applicant: { name: string; address?: string } }[],
): RegisterData {
  return {
    agency: { ...(province && province.code !== agency.code ? { parentName: province.name } : {}), name: agency.name, deskName: DESK },
    place: placeOf(province, agency.name),
    book: `Sổ theo dõi hồ sơ năm ${period.from.getUTCFullYear()}`,
    period,
    rows: rows.map(({ dossier, applicant }, index) => ({
      sequence: dossier.registerNumber ?? index + 1,
      dossierCode: dossier.code,
      procedureName: dossier.procedure.name,
      sets: 1,
      applicantName: applicant.name,
      ...(applicant.address ? { applicantAddress: applicant.address } : {}),
      leadAgency: (dossier.currentAgency ?? dossier.receivingAgency).name,
      receivedAt: dossier.receivedAt,
      dueAt: dossier.dueAt ?? dossier.receivedAt,
      ...(dossier.resolvedAt ? { resultReceivedAt: dossier.resolvedAt } : {}),
      ...(dossier.returnedAt ? { returnedAt: dossier.returnedAt } : {}),
    })),
  };
}
