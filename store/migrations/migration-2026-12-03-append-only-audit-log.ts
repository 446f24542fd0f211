import { Migration } from '@mikro-orm/migrations';

/**
 * The processing log becomes append-only and keyed: each entry gets its position (`seq`, inside the
 * MAC of keyed entries) and the scheme its link was computed with (`chain_scheme`: `sha256` for the
 * entries written before, unkeyed); a trigger refuses UPDATE, DELETE and TRUNCATE.
 */
export class Migration20261203AppendOnlyAuditLog extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "audit_log" add column "seq" bigint null;`);
    this.addSql(`alter table "audit_log" add column "chain_scheme" text not null default 'sha256';`);
    this.addSql(`update "audit_log" set "seq" = numbered."n"
      from (select "id", row_number() over (order by "id") as "n" from "audit_log") numbered
      where "audit_log"."id" = numbered."id";`);
    this.addSql(`alter table "audit_log" alter column "seq" set not null;`);
    // Every new entry names its scheme.
    this.addSql(`alter table "audit_log" alter column "chain_scheme" drop default;`);
    this.addSql(`alter table "audit_log" add constraint "audit_log_seq_unique" unique ("seq");`);
    this.addSql(`create function "audit_log_refuse_change"() returns trigger language plpgsql as $$
      begin
        raise exception 'audit_log is append-only: % refused', tg_op using hint = 'The processing log is never changed; hub audit verify checks it.';
      end
    $$;`);
    this.addSql(`create trigger "audit_log_append_only" before update or delete on "audit_log"
      for each row execute function "audit_log_refuse_change"();`);
    this.addSql(`create trigger "audit_log_no_truncate" before truncate on "audit_log"
      for each statement execute function "audit_log_refuse_change"();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists "audit_log_no_truncate" on "audit_log";`);
    this.addSql(`drop trigger if exists "audit_log_append_only" on "audit_log";`);
    this.addSql(`drop function if exists "audit_log_refuse_change"();`);
    this.addSql(`alter table "audit_log" drop constraint if exists "audit_log_seq_unique";`);
    this.addSql(`alter table "audit_log" drop column if exists "chain_scheme";`);
    this.addSql(`alter table "audit_log" drop column if exists "seq";`);
  }
}
