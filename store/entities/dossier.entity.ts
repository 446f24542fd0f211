import { Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import type { DossierStatus } from '../../domain/dossier/dossier-status';
import { AgencyEntity } from './agency.entity';
import { ProcedureEntity } from './procedure.entity';

export type ReceptionChannel = 'DESK' | 'POST' | 'ONLINE';
export type ApplicantKind = 'CITIZEN' | 'BUSINESS';

@Entity({ tableName: 'dossier' })
@Index({ properties: ['receivingAgency', 'receivedAt'] })
@Index({ properties: ['status'] })
export class DossierEntity {
  [OptionalProps]?:
    | 'version'
    | 'dueAt'
    | 'resolvedAt'
    | 'returnedAt'
    | 'idempotencyKey'
    | 'idempotencyClientId'
    | 'submittedByClientId'
    | 'reusedComponents'
    | 'totalComponents'
    | 'missedReuse'
    | 'missedReusePapers'
    | 'involvedAgencyCodes'
    | 'landCommuneCode'
    | 'landMapSheetNumber'
    | 'landParcelNumber';

  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  /** `<agency code>-YYMMDD-XXXX` (Circular 01/2018/TT-VPCP). */
  @Property({ type: 'text', unique: true })
  code!: string;

  @ManyToOne(() => ProcedureEntity, { fieldName: 'procedure_code' })
  procedure!: ProcedureEntity;

  @ManyToOne(() => AgencyEntity, { fieldName: 'receiving_agency_code' })
  receivingAgency!: AgencyEntity;

  /** 12-digit personal id or enterprise code. */
  @Property({ type: 'text' })
  applicantId!: string;

  @Enum({ items: ['CITIZEN', 'BUSINESS'] })
  applicantKind!: ApplicantKind;

  @Enum({ items: ['DESK', 'POST', 'ONLINE'] })
  channel!: ReceptionChannel;

  /** The land parcel the dossier concerns (land and building procedures): all three or none. */
  @Property({ type: 'text', nullable: true })
  landCommuneCode?: string | null;

  @Property({ type: 'integer', nullable: true })
  landMapSheetNumber?: number | null;

  @Property({ type: 'integer', nullable: true })
  landParcelNumber?: number | null;

  @Property({ type: 'text' })
  status!: DossierStatus;

  @Property({ type: 'timestamptz' })
  receivedAt!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  dueAt?: Date | null;

  @Property({ type: 'timestamptz', nullable: true })
  resolvedAt?: Date | null;

  @Property({ type: 'timestamptz', nullable: true })
  returnedAt?: Date | null;

  /** The API client that submitted it (a portal's online submission), for object-level access. */
  @Property({ type: 'text', nullable: true, fieldName: 'submitted_by_client' })
  submittedByClientId?: string | null;

  /** The agency that has the dossier now (the processing control sheet's current holder). */
  @ManyToOne(() => AgencyEntity, { fieldName: 'current_agency_code', nullable: true })
  currentAgency?: AgencyEntity | null;

  /** Every agency the dossier was routed to (they may see and act on it). */
  @Property({ type: 'text[]', default: '{}' })
  involvedAgencyCodes: string[] = [];

  /** Entry in the receiving agency's yearly register (form 06). */
  @Property({ type: 'integer', nullable: true })
  registerYear?: number | null;

  @Property({ type: 'integer', nullable: true })
  registerNumber?: number | null;

  /** The due time before the one extension, if any. */
  @Property({ type: 'timestamptz', nullable: true })
  originalDueAt?: Date | null;

  @Property({ type: 'timestamptz', nullable: true })
  extendedAt?: Date | null;

  @Property({ type: 'text', nullable: true })
  extensionReason?: string | null;

  @Property({ type: 'timestamptz', nullable: true })
  supplementRequestedAt?: Date | null;

  @Property({ type: 'timestamptz', nullable: true })
  supplementedAt?: Date | null;

  @Property({ type: 'timestamptz', nullable: true })
  stoppedAt?: Date | null;

  /** Early, on time or late, set when the result is recorded. */
  @Enum({ items: ['EARLY', 'ON_TIME', 'LATE'], nullable: true })
  completion?: 'EARLY' | 'ON_TIME' | 'LATE' | null;

  @Property({ type: 'text', nullable: true })
  resultDocumentCode?: string | null;

  @Property({ type: 'text', nullable: true })
  resultSummary?: string | null;

  @Enum({ items: ['DESK', 'POST', 'ONLINE'], nullable: true })
  returnChannel?: ReceptionChannel | null;

  @Property({ type: 'bigint', nullable: true })
  feesPaidVnd?: string | null;

  /** The citizen's satisfaction, 1 to 5. */
  @Property({ type: 'smallint', nullable: true })
  rating?: number | null;

  @Property({ type: 'text', nullable: true })
  ratingComment?: string | null;

  /** Papers satisfied from documents or registries the state already holds (once-only), of all papers. */
  @Property({ type: 'integer', default: 0 })
  reusedComponents: number = 0;

  @Property({ type: 'integer', default: 0 })
  totalComponents: number = 0;

  /** Papers handed in anew at reception although a usable held document or a registry confirmation existed. */
  @Property({ type: 'integer', default: 0 })
  missedReuse: number = 0;

  /** Which papers those were, and what could have been reused for each. */
  @Property({ type: 'jsonb', default: '[]' })
  missedReusePapers: MissedReusePaper[] = [];

  /** Caller-supplied key that makes a retried reception return the first result instead of a second dossier. */
  @Property({ type: 'text', nullable: true })
  idempotencyKey?: string | null;

  /** The client whose key it is: unique per (client, key), so one client's key never finds another's dossier. */
  @Property({ type: 'text', nullable: true })
  idempotencyClientId?: string | null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  // Both set by the dossier service from the hub's clock.
  createdAt!: Date;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  updatedAt!: Date;

  /** Optimistic lock: two officers acting at once cannot both win silently. */
  @Property({ type: 'integer', version: true })
  version!: number;
}

/** A paper handed in anew although the state held it at reception. */
export interface MissedReusePaper {
  requirementCode: string;
  source: 'DOCUMENT' | 'REGISTRY';
  documentCode?: string | undefined;
  registry?: string | undefined;
  attribute?: string | undefined;
}
