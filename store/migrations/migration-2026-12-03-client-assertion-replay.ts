import { Migration } from '@mikro-orm/migrations';

/**
 * RFC 7523 §3: a client assertion's `jti` is accepted once. Recorded here rather than in memory, so
 * every replica refuses a replay, and kept only until the assertion could no longer be valid.
 */
export class Migration20261203ClientAssertionReplay extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "client_assertion_use" (
      "client_id" text not null,
      "jti" text not null check (length("jti") between 1 and 256),
      "expires_at" timestamptz not null,
      "used_at" timestamptz not null default now(),
      primary key ("client_id", "jti")
    );`);
    this.addSql(`create index "client_assertion_use_expires_index" on "client_assertion_use" ("expires_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "client_assertion_use" cascade;`);
  }
}
