import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/** A one-stop desk or competent agency, identified by its e-identifier code (e.g. 000.00.01.H22). */
@Entity({ tableName: 'agency' })
export class AgencyEntity {
  [OptionalProps]?: 'roles';

  @PrimaryKey({ type: 'text' })
  code!: string;

  @Property({ type: 'text' })
  name!: string;

  /** commune | province | ministry | central */
  @Property({ type: 'text' })
  level!: string;

  @Property({ type: 'text', nullable: true })
  parentCode?: string | null;

  /** Administrative unit code (2-digit province or 5-digit commune, 2025 codes). */
  @Property({ type: 'text', nullable: true })
  adminUnitCode?: string | null;

  /** What the agency does in procedures' steps (civil-status, police-residence, ...). */
  @Property({ type: 'text[]', default: '{}' })
  roles: string[] = [];

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  // Set by the service from the hub's clock, like every time the hub records.
  createdAt!: Date;
}
