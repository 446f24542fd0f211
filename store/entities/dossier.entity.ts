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
    'version' | 'createdAt' | 'updatedAt' | 'dueAt' | 'resolvedAt' | 'returnedAt' | 'idempotencyKey' | 'submittedByClientId';

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

  /** Caller-supplied key that makes a retried reception return the first result instead of a second dossier. */
  @Property({ type: 'text', nullable: true, unique: true })
  idempotencyKey?: string | null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  updatedAt: Date = new Date();

  /** Optimistic lock: two officers acting at once cannot both win silently. */
  @Property({ type: 'integer', version: true })
  version!: number;
}
