import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** Which consumer has applied which event: makes at-least-once delivery take effect once. */
@Entity({ tableName: 'consumed_event' })
export class ConsumedEventEntity {
  @PrimaryKey({ type: 'text' })
  consumer!: string;

  @PrimaryKey({ type: 'uuid' })
  eventId!: string;

  @Property({ type: 'text' })
  type!: string;

  @Property({ type: 'text' })
  subject!: string;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  consumedAt: Date = new Date();
}
