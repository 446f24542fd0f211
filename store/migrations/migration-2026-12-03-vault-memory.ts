import { Migration } from '@mikro-orm/migrations';

/**
 * The vault as the state's memory: each document's type, issue date, validity, status with its
 * history, where it came from, and the dossiers that used it. Files move behind the storage port:
 * new rows carry a `storage_key` and no `content`; rows written before keep their bytes here.
 */
export class Migration20261203VaultMemory extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "document"
      add column "type_code" text null check ("type_code" ~ '^[A-Z][A-Z0-9_]{2,47}$'),
      add column "issued_at" timestamptz null,
      add column "valid_until" timestamptz null,
      add column "status" text not null default 'VALID' check ("status" in ('VALID', 'REVOKED', 'SUPERSEDED')),
      add column "source" text null check ("source" in ('DESK_SCAN', 'DOSSIER_RESULT', 'REGISTRY_EXTRACT')),
      add column "storage_key" text null,
      add column "size_bytes" bigint null,
      alter column "content" drop not null;`);
    // Documents kept before this: issued when signed, a scan at the desk or a dossier's result.
    this.addSql(`update "document" set "issued_at" = "signed_at",
      "source" = case when "kind" = 'RESULT' then 'DOSSIER_RESULT' else 'DESK_SCAN' end,
      "size_bytes" = octet_length("content");`);
    this.addSql(`alter table "document"
      alter column "issued_at" set not null,
      alter column "source" set not null,
      alter column "size_bytes" set not null,
      add constraint "document_content_somewhere" check ("content" is not null or "storage_key" is not null),
      add constraint "document_result_has_dossier" check ("source" <> 'DOSSIER_RESULT' or "dossier_code" is not null);`);
    this.addSql(`create index "document_owner_type_index" on "document" ("owner_id", "type_code") where "status" = 'VALID';`);

    this.addSql(`create table "document_status_change" (
      "id" bigserial primary key,
      "document_code" text not null references "document" ("code"),
      "from_status" text not null check ("from_status" in ('VALID', 'REVOKED', 'SUPERSEDED')),
      "to_status" text not null check ("to_status" in ('VALID', 'REVOKED', 'SUPERSEDED')),
      "changed_at" timestamptz not null,
      "changed_by" text not null,
      "reason" text not null check (length("reason") between 1 and 1000),
      "superseded_by" text null references "document" ("code"),
      check ("from_status" <> "to_status"),
      check (("to_status" = 'SUPERSEDED') = ("superseded_by" is not null))
    );`);
    this.addSql(`create index "document_status_change_document_index" on "document_status_change" ("document_code", "id");`);

    this.addSql(`create table "document_use" (
      "document_code" text not null references "document" ("code"),
      "dossier_code" text not null references "dossier" ("code"),
      "requirement_code" text not null,
      "used_at" timestamptz not null,
      primary key ("document_code", "dossier_code", "requirement_code")
    );`);
    this.addSql(`create index "document_use_dossier_index" on "document_use" ("dossier_code");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "document_use";`);
    this.addSql(`drop table if exists "document_status_change";`);
    this.addSql(`alter table "document" drop constraint if exists "document_content_somewhere",
      drop constraint if exists "document_result_has_dossier",
      drop column "type_code", drop column "issued_at", drop column "valid_until", drop column "status",
      drop column "source", drop column "storage_key", drop column "size_bytes";`);
  }
}
