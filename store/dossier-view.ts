import type { AgencyEntity } from './entities/agency.entity';
import type { DossierEntity } from './entities/dossier.entity';
import type { ProcedureEntity } from './entities/procedure.entity';

/** What a view of a procedure shows: everything but its definition (the rules reception applies). */
export type ProcedureSummary = Pick<ProcedureEntity, 'code' | 'name' | 'field' | 'level' | 'resolutionWorkingDays' | 'sameDay'>;
export type AgencySummary = Pick<AgencyEntity, 'code' | 'name' | 'level' | 'adminUnitCode'>;

/**
 * A dossier as the read API shows it: its own columns, with the procedure and agencies summarised. A
 * loaded DossierEntity is one; `readDossierView` reads one in a single prepared statement without the ORM’s
 * hydration (the status look-up is the hub's hottest read).
 */
export type DossierView = Omit<DossierEntity, 'procedure' | 'receivingAgency' | 'currentAgency'> & {
  procedure: ProcedureSummary;
  receivingAgency: AgencySummary;
  currentAgency?: AgencySummary | null;
};

interface ViewRow {
  id: string;
  code: string;
  applicant_id: string;
  applicant_kind: DossierEntity['applicantKind'];
  channel: DossierEntity['channel'];
  land_commune_code: string | null;
  land_map_sheet_number: number | null;
  land_parcel_number: number | null;
  status: DossierEntity['status'];
  received_at: Date | string;
  due_at: Date | string | null;
  resolved_at: Date | string | null;
  returned_at: Date | string | null;
  submitted_by_client: string | null;
  involved_agency_codes: string[];
  register_year: number | null;
  register_number: number | null;
  original_due_at: Date | string | null;
  extended_at: Date | string | null;
  extension_reason: string | null;
  supplement_requested_at: Date | string | null;
  supplemented_at: Date | string | null;
  stopped_at: Date | string | null;
  completion: DossierEntity['completion'];
  result_document_code: string | null;
  result_summary: string | null;
  return_channel: DossierEntity['returnChannel'];
  fees_paid_vnd: string | null;
  rating: number | null;
  rating_comment: string | null;
  reused_components: number;
  total_components: number;
  missed_reuse: number;
  missed_reuse_papers: DossierEntity['missedReusePapers'];
  idempotency_key: string | null;
  idempotency_client_id: string | null;
  created_at: Date | string;
  updated_at: Date | string;
  version: number;
  p_code: string;
  p_name: string;
  p_field: string;
  p_level: ProcedureEntity['level'];
  p_resolution_working_days: number | null;
  p_same_day: boolean;
  ra_code: string;
  ra_name: string;
  ra_level: AgencyEntity['level'];
  ra_admin_unit_code: string | null;
  ca_code: string | null;
  ca_name: string | null;
  ca_level: AgencyEntity['level'] | null;
  ca_admin_unit_code: string | null;
}

/** Both sides of every join are primary keys: one index probe for the dossier, one per related row. */
const VIEW_SQL = `select d.id, d.code, d.applicant_id, d.applicant_kind, d.channel, d.land_commune_code, d.land_map_sheet_number,
    d.land_parcel_number, d.status, d.received_at, d.due_at, d.resolved_at, d.returned_at, d.submitted_by_client,
    d.involved_agency_codes, d.register_year, d.register_number, d.original_due_at, d.extended_at, d.extension_reason,
    d.supplement_requested_at, d.supplemented_at, d.stopped_at, d.completion, d.result_document_code, d.result_summary,
    d.return_channel, d.fees_paid_vnd, d.rating, d.rating_comment, d.reused_components, d.total_components, d.missed_reuse,
    d.missed_reuse_papers, d.idempotency_key, d.idempotency_client_id, d.created_at, d.updated_at, d.version,
    p.code as p_code, p.name as p_name, p.field as p_field, p.level as p_level,
    p.resolution_working_days as p_resolution_working_days, p.same_day as p_same_day,
    ra.code as ra_code, ra.name as ra_name, ra.level as ra_level, ra.admin_unit_code as ra_admin_unit_code,
    ca.code as ca_code, ca.name as ca_name, ca.level as ca_level, ca.admin_unit_code as ca_admin_unit_code
  from dossier d
  join procedure p on p.code = d.procedure_code
  join agency ra on ra.code = d.receiving_agency_code
  left join agency ca on ca.code = d.current_agency_code
  where d.code = $1`;

/** The ORM's driver leaves timestamps as PostgreSQL prints them (`2026-01-15 08:00:00.123+07`), which Date reads. */
function instant<T extends Date | string | null>(value: T): T extends null ? null : Date;
function instant(value: Date | string | null): Date | null {
  return value === null || value instanceof Date ? value : new Date(value);
}

/** Runs one read-only statement prepared once per connection under `name` (UnitOfWork.prepared), `$1` placeholders. */
export type PreparedQuery = <T extends object>(name: string, sql: string, params: readonly unknown[]) => Promise<T[]>;

export async function readDossierView(query: PreparedQuery, code: string): Promise<DossierView | undefined> {
  const [row] = await query<ViewRow>('dossier_view', VIEW_SQL, [code]);
  if (!row) return undefined;
  return {
    id: String(row.id),
    code: row.code,
    procedure: {
      code: row.p_code,
      name: row.p_name,
      field: row.p_field,
      level: row.p_level,
      resolutionWorkingDays: row.p_resolution_working_days,
      sameDay: row.p_same_day,
    },
    receivingAgency: { code: row.ra_code, name: row.ra_name, level: row.ra_level, adminUnitCode: row.ra_admin_unit_code },
    currentAgency:
      row.ca_code === null ? null : { code: row.ca_code, name: row.ca_name!, level: row.ca_level!, adminUnitCode: row.ca_admin_unit_code },
    applicantId: row.applicant_id,
    applicantKind: row.applicant_kind,
    channel: row.channel,
    landCommuneCode: row.land_commune_code,
    landMapSheetNumber: row.land_map_sheet_number,
    landParcelNumber: row.land_parcel_number,
    status: row.status,
    receivedAt: instant(row.received_at),
    dueAt: instant(row.due_at),
    resolvedAt: instant(row.resolved_at),
    returnedAt: instant(row.returned_at),
    submittedByClientId: row.submitted_by_client,
    involvedAgencyCodes: row.involved_agency_codes,
    registerYear: row.register_year,
    registerNumber: row.register_number,
    originalDueAt: instant(row.original_due_at),
    extendedAt: instant(row.extended_at),
    extensionReason: row.extension_reason,
    supplementRequestedAt: instant(row.supplement_requested_at),
    supplementedAt: instant(row.supplemented_at),
    stoppedAt: instant(row.stopped_at),
    completion: row.completion,
    resultDocumentCode: row.result_document_code,
    resultSummary: row.result_summary,
    returnChannel: row.return_channel,
    feesPaidVnd: row.fees_paid_vnd === null ? null : String(row.fees_paid_vnd),
    rating: row.rating,
    ratingComment: row.rating_comment,
    reusedComponents: row.reused_components,
    totalComponents: row.total_components,
    missedReuse: row.missed_reuse,
    missedReusePapers: row.missed_reuse_papers,
    idempotencyKey: row.idempotency_key,
    idempotencyClientId: row.idempotency_client_id,
    createdAt: instant(row.created_at),
    updatedAt: instant(row.updated_at),
    version: row.version,
  } as DossierView;
}

/** The name of the step a dossier is in: the open step with the highest sequence, or undefined. */
export async function readOpenStepName(query: PreparedQuery, dossierId: string): Promise<string | undefined> {
  const [row] = await query<{ name: string }>(
    'dossier_open_step',
    `select name from dossier_step where dossier_id = $1 and completed_at is null order by sequence desc limit 1`,
    [dossierId],
  );
  return row?.name;
}
