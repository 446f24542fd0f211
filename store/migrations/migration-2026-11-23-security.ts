import { Migration } from '@mikro-orm/migrations';

/** API clients, token signing keys, trusted documents, the tamper-evident audit log, and who submitted a dossier. */
export class Migration20261123Security extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "api_client" (
      "client_id" text primary key check ("client_id" ~ '^[a-z0-9][a-z0-9._-]{2,62}$'),
      "name" text not null,
      "kind" text not null check ("kind" in ('AGENCY_SYSTEM', 'OFFICER_APP', 'PORTAL', 'MONITOR')),
      "agency_code" text null references "agency" ("code"),
      "scopes" text[] not null,
      "grant_types" text[] not null,
      "secret_hash" text null,
      "public_jwk" jsonb null,
      "trusted_documents_only" boolean not null default false,
      "is_demo" boolean not null default false,
      "status" text not null default 'ACTIVE' check ("status" in ('ACTIVE', 'DISABLED')),
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now()
    );`);
    this.addSql(`create table "token_signing_key" (
      "kid" text primary key,
      "alg" text not null,
      "public_jwk" jsonb not null,
      "encrypted_private_key" text not null,
      "created_at" timestamptz not null default now(),
      "activated_at" timestamptz null,
      "retired_at" timestamptz null
    );`);
    this.addSql(`create table "trusted_document" (
      "document_id" text primary key,
      "operation_name" text null,
      "body" text not null,
      "created_at" timestamptz not null default now()
    );`);
    // Each entry hashes the previous one: removing or editing a row breaks the chain (hub audit verify).
    this.addSql(`create table "audit_log" (
      "id" bigserial primary key,
      "at" timestamptz not null default now(),
      "actor" text not null,
      "action" text not null,
      "subject" text null,
      "basis" text null,
      "request_id" text null,
      "details" jsonb not null default '{}',
      "previous_hash" text not null,
      "hash" text not null unique
    );`);
    this.addSql(`alter table "dossier" add column "submitted_by_client" text null references "api_client" ("client_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "dossier" drop column if exists "submitted_by_client";`);
    for (const table of ['audit_log', 'trusted_document', 'token_signing_key', 'api_client'])
      this.addSql(`drop table if exists "${table}" cascade;`);
  }
}
