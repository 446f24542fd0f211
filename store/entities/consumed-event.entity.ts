import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/** Which consumer has applied which event: makes at-least-once delivery take effect once. */
@Entity({ tableName: 'consumed_event' })
export class ConsumedEventEntity {
  [OptionalProps]?: 'consumedAt';

  @PrimaryKey({ type: 'text' })
  consumer!: string;

  @PrimaryKey({ type: 'uuid' })
  eventId!: string;

  @Property({ type: 'text' })
  type!: string;

  @Property({ type: 'text' })
  subject!: string;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  // Rows are written in SQL by store/outbox.ts: the time is the database's, when the consumer applied the event.
  consumedAt!: Date;
}
