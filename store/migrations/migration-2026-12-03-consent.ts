import { Migration } from '@mikro-orm/migrations';

/**
 * Consent records (a citizen's consent to a client reading some registry attributes for a purpose
 * and procedure) with their history, and the purposes each client may ask consent for.
 */
export class Migration20261203Consent extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "consent_purpose" (
      "client_id" text not null references "api_client" ("client_id") on delete cascade,
      "purpose" text not null check (length("purpose") between 1 and 100),
      "attributes" text[] not null check (cardinality("attributes") > 0),
      primary key ("client_id", "purpose")
    );`);
    this.addSql(`create table "consent" (
      "id" uuid primary key,
      "subject_pseudonym" text not null,
      -- The personal id sealed under the consent-subject key: the hub reads the registries for a prefill with it.
      "subject_sealed" text not null,
      "client_id" text not null references "api_client" ("client_id"),
      "attributes" text[] not null check (cardinality("attributes") > 0),
      "purpose" text not null,
      "procedure_code" text not null,
      "issued_at" timestamptz not null,
      "not_after" timestamptz not null check ("not_after" > "issued_at"),
      "data_life_seconds" integer not null check ("data_life_seconds" >= 0),
      "status" text not null check ("status" in ('GRANTED', 'REVOKED')),
      "revoked_at" timestamptz null,
      constraint "consent_revoked_when" check (("status" = 'REVOKED') = ("revoked_at" is not null))
    );`);
    // "My data": a citizen's consents, by pseudonym.
    this.addSql(`create index "consent_subject_index" on "consent" ("subject_pseudonym");`);
    this.addSql(`create table "consent_event" (
      "id" bigserial primary key,
      "consent_id" uuid not null references "consent" ("id"),
      "at" timestamptz not null,
      "kind" text not null check ("kind" in ('GRANTED', 'REVOKED')),
      "by" text not null
    );`);
    this.addSql(`create index "consent_event_consent_index" on "consent_event" ("consent_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "consent_event";`);
    this.addSql(`drop table if exists "consent";`);
    this.addSql(`drop table if exists "consent_purpose";`);
  }
}
