import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** An event written in the same transaction as the change it describes; the relay publishes it later. */
@Entity({ tableName: 'outbox_event' })
export class OutboxEventEntity {
  /** Monotonic: the relay publishes in this order, so one dossier's events keep their order. */
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  /** CloudEvents id. */
  @Property({ type: 'uuid', unique: true })
  eventId!: string;

  @Property({ type: 'text' })
  type!: string;

  /** Dossier or document code: the Kafka key. */
  @Property({ type: 'text' })
  subject!: string;

  @Property({ type: 'jsonb' })
  data!: Record<string, unknown>;

  @Property({ type: 'timestamptz' })
  occurredAt!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  publishedAt?: Date | null;

  @Property({ type: 'integer' })
  attempts: number = 0;

  @Property({ type: 'text', nullable: true })
  lastError?: string | null;
}
