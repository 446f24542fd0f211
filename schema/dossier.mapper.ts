import { DOSSIER_STATUSES } from '../domain/dossier/dossier-status';
import { scopeOf } from '../store/dossier-scope';
import type { AgencySummary, DossierView, ProcedureSummary } from '../store/dossier-view';
import type { Agency, Procedure } from './types/catalogue.type';
import { ApplicantKind, ReceptionChannel, type Dossier, type DossierStatusView } from './types/dossier.type';

export function toProcedure(entity: ProcedureSummary): Procedure {
  return {
    code: entity.code,
    name: entity.name,
    field: entity.field,
    level: entity.level,
    resolutionWorkingDays: entity.resolutionWorkingDays ?? null,
    sameDay: entity.sameDay,
  };
}

export function toAgency(entity: AgencySummary): Agency {
  return { code: entity.code, name: entity.name, level: entity.level, adminUnitCode: entity.adminUnitCode ?? null };
}

/** The fields every view of a dossier shares: code and status in its three forms. */
function statusFields(entity: DossierView) {
  const status = DOSSIER_STATUSES[entity.status];
  return { code: entity.code, status: entity.status, nationalStatusCode: status.nationalCode, statusLabel: status.label };
}

export function toDossier(entity: DossierView, overdue: boolean): Dossier {
  return {
    ...statusFields(entity),
    scope: scopeOf(entity),
    procedure: toProcedure(entity.procedure),
    receivingAgency: toAgency(entity.receivingAgency),
    applicantId: entity.applicantId,
    applicantKind: ApplicantKind[entity.applicantKind],
    landParcelId:
      entity.landCommuneCode && entity.landMapSheetNumber && entity.landParcelNumber
        ? { communeCode: entity.landCommuneCode, mapSheetNumber: entity.landMapSheetNumber, parcelNumber: entity.landParcelNumber }
        : null,
    channel: ReceptionChannel[entity.channel],
    receivedAt: entity.receivedAt,
    dueAt: entity.dueAt ?? null,
    resolvedAt: entity.resolvedAt ?? null,
    returnedAt: entity.returnedAt ?? null,
    overdue,
    updatedAt: entity.updatedAt,
    version: entity.version,
    entity,
    currentAgency: entity.currentAgency ? toAgency(entity.currentAgency) : null,
    handlingAgencyCodes: [...(entity.involvedAgencyCodes ?? [])],
    registerNumber: entity.registerNumber ?? null,
    originalDueAt: entity.originalDueAt ?? null,
    extensionReason: entity.extensionReason ?? null,
    completion: entity.completion ?? null,
    resultSummary: entity.resultSummary ?? null,
    resultDocumentCode: entity.resultDocumentCode ?? null,
    returnChannel: entity.returnChannel ? ReceptionChannel[entity.returnChannel] : null,
    feesPaidVnd: entity.feesPaidVnd === null || entity.feesPaidVnd === undefined ? null : Number(entity.feesPaidVnd),
    rating: entity.rating ?? null,
    reusedPapers: entity.reusedComponents,
    totalPapers: entity.totalComponents,
  };
}

/** The public view: status and dates only, nothing about the applicant. */
export function toDossierStatusView(entity: DossierView, overdue: boolean): DossierStatusView {
  return {
    ...statusFields(entity),
    procedureName: entity.procedure.name,
    receivingAgencyName: entity.receivingAgency.name,
    receivedAt: entity.receivedAt,
    dueAt: entity.dueAt ?? null,
    overdue,
    currentAgencyName: entity.currentAgency?.name ?? null,
    currentStepName: null,
  };
}
