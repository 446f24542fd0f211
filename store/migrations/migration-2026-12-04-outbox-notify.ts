import { Migration } from '@mikro-orm/migrations';

/**
 * A commit that wrote outbox rows notifies the relays (channel `hub_outbox`, payload: the schema),
 * whichever replica or tool wrote them: the relay then waits for commits instead of polling.
 * NOTIFY is transactional: sent on commit, never for a rolled-back write, one per transaction.
 */
export class Migration20261204OutboxNotify extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create function "outbox_event_notify"() returns trigger language plpgsql as $$
      begin
        perform pg_notify('hub_outbox', tg_table_schema);
        return null;
      end
    $$;`);
    this.addSql(`create trigger "outbox_event_notify" after insert on "outbox_event"
      for each statement execute function "outbox_event_notify"();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists "outbox_event_notify" on "outbox_event";`);
    this.addSql(`drop function if exists "outbox_event_notify"();`);
  }
}
