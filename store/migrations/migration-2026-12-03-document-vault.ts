import { Migration } from '@mikro-orm/migrations';

/** The document vault: digitized copies (sao y) and results, each with the signing organisation's detached CMS signature. */
export class Migration20261203DocumentVault extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "document" (
      "code" text primary key check ("code" ~ '^[0-9A-Z.]{3,40}-(SY|KQ)-[0-9]{6}-[0-9A-Z]{8}$'),
      "kind" text not null check ("kind" in ('DIGITIZED_COPY', 'RESULT')),
      "title" text not null check (length("title") between 1 and 300),
      "media_type" text not null check ("media_type" in ('application/pdf', 'image/jpeg', 'image/png', 'image/tiff', 'application/json')),
      "owner_id" text not null,
      "dossier_code" text null references "dossier" ("code"),
      "agency_code" text not null references "agency" ("code"),
      "content" bytea not null,
      "sha256" text not null check ("sha256" ~ '^[0-9a-f]{64}$'),
      "signature" bytea not null,
      "signer_serial" text not null,
      "jws" text null,
      "signed_at" timestamptz not null,
      "access_key_hash" text not null,
      "created_by" text not null,
      "created_at" timestamptz not null default now()
    );`);
    this.addSql(`create index "document_sha256_index" on "document" ("sha256");`);
    this.addSql(`create index "document_owner_index" on "document" ("owner_id");`);
    this.addSql(`create index "document_dossier_index" on "document" ("dossier_code") where "dossier_code" is not null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "document" cascade;`);
  }
}
