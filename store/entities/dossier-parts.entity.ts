import { Entity, Enum, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { AgencyEntity } from './agency.entity';
import { DossierEntity } from './dossier.entity';

export type ComponentSource = 'NEW_FILE' | 'DOCUMENT' | 'REGISTRY' | 'PRESENTED';

/** A paper of the dossier, and how it was satisfied. */
@Entity({ tableName: 'dossier_component' })
export class DossierComponentEntity {
  [OptionalProps]?: 'supplement' | 'takenFromVault';

  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @ManyToOne(() => DossierEntity, { fieldName: 'dossier_id', deleteRule: 'cascade' })
  dossier!: DossierEntity;

  @Property({ type: 'text' })
  requirementCode!: string;

  @Property({ type: 'text' })
  name!: string;

  @Enum({ items: ['NEW_FILE', 'DOCUMENT', 'REGISTRY', 'PRESENTED'] })
  source!: ComponentSource;

  @Property({ type: 'text', nullable: true })
  documentCode?: string | null;

  @Property({ type: 'text', nullable: true })
  fileName?: string | null;

  @Property({ type: 'text', nullable: true })
  fileSha256?: string | null;

  @Property({ type: 'text', nullable: true })
  registry?: string | null;

  /** The fact the registry confirmed for this paper, and when it last changed there. */
  @Property({ type: 'text', nullable: true })
  registryAttribute?: string | null;

  @Property({ type: 'timestamptz', nullable: true })
  registryUpdatedAt?: Date | null;

  /** The hub took the document from the applicant's vault (useHeldDocuments), not the caller naming it. */
  @Property({ type: 'boolean', default: false })
  takenFromVault: boolean = false;

  @Property({ type: 'timestamptz' })
  suppliedAt!: Date;

  /** Handed in later, answering a supplement request. */
  @Property({ type: 'boolean', default: false })
  supplement: boolean = false;
}

/** One line of the processing control sheet (form 05). */
@Entity({ tableName: 'dossier_step' })
export class DossierStepEntity {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @ManyToOne(() => DossierEntity, { fieldName: 'dossier_id', deleteRule: 'cascade' })
  dossier!: DossierEntity;

  @Property({ type: 'integer' })
  sequence!: number;

  @Property({ type: 'text' })
  stepCode!: string;

  @Property({ type: 'text' })
  name!: string;

  @ManyToOne(() => AgencyEntity, { fieldName: 'agency_code' })
  agency!: AgencyEntity;

  @ManyToOne(() => AgencyEntity, { fieldName: 'from_agency_code', nullable: true })
  fromAgency?: AgencyEntity | null;

  @Property({ type: 'text', nullable: true })
  handedOverBy?: string | null;

  @Property({ type: 'timestamptz' })
  handedOverAt!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  dueAt?: Date | null;

  @Property({ type: 'timestamptz', nullable: true })
  completedAt?: Date | null;

  @Property({ type: 'text', nullable: true })
  completedBy?: string | null;

  @Property({ type: 'text', nullable: true })
  result?: string | null;

  @Property({ type: 'text', nullable: true })
  note?: string | null;
}

/** The dossier's timeline: every change, who made it, and why. */
@Entity({ tableName: 'dossier_activity' })
export class DossierActivityEntity {
  [OptionalProps]?: 'details';

  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @ManyToOne(() => DossierEntity, { fieldName: 'dossier_id', deleteRule: 'cascade' })
  dossier!: DossierEntity;

  @Property({ type: 'timestamptz' })
  at!: Date;

  @Property({ type: 'text' })
  action!: string;

  @Property({ type: 'text' })
  actor!: string;

  @Property({ type: 'text', nullable: true })
  fromStatus?: string | null;

  @Property({ type: 'text', nullable: true })
  toStatus?: string | null;

  @Property({ type: 'text', nullable: true })
  note?: string | null;

  @Property({ type: 'jsonb', default: '{}' })
  details: Record<string, unknown> = {};
}
