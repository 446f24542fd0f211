import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** An administrative procedure of the national catalogue (e.g. 1.001193, birth registration). */
@Entity({ tableName: 'procedure' })
export class ProcedureEntity {
  @PrimaryKey({ type: 'text' })
  code!: string;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text' })
  field!: string;

  /** commune | province */
  @Property({ type: 'text' })
  level!: string;

  /** Resolution time in working days; null for same-day procedures or where the catalogue gives none. */
  @Property({ type: 'integer', nullable: true })
  resolutionWorkingDays?: number | null;

  @Property({ type: 'boolean' })
  sameDay: boolean = false;

  /** The rest of the catalogue record (fees, components, agencies, results), kept as data. */
  @Property({ type: 'jsonb', default: '{}' })
  definition: Record<string, unknown> = {};

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  // Set by the catalogue service from the hub's clock.
  updatedAt!: Date;
}
