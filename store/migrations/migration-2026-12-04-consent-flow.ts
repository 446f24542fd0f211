import { Migration } from '@mikro-orm/migrations';

/**
 * The citizen's consent flow: a portal's registered redirect URIs and its own client id at the
 * national identity provider; pending authorization requests (bound to one browser, their one-time
 * code kept as a hash); the hub's own sign-ins at the identity provider in progress; citizen
 * sessions (the id kept as a hash, the personal id sealed).
 */
export class Migration20261204ConsentFlow extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "api_client" add column "redirect_uris" text[] not null default '{}';`);
    this.addSql(`alter table "api_client" add column "identity_client_id" text null;`);
    // "My data": a citizen's entries in the processing log, newest first.
    this.addSql(`create index "audit_log_subject_seq_index" on "audit_log" ("subject", "seq");`);
    this.addSql(`create table "consent_authorization" (
      "id" uuid primary key,
      "client_id" text not null references "api_client" ("client_id") on delete cascade,
      "redirect_uri" text not null,
      "state" text not null check (length("state") between 1 and 512),
      "code_challenge" text not null,
      "attributes" text[] not null check (cardinality("attributes") > 0),
      "purpose" text not null,
      "procedure_code" text not null,
      "valid_for_seconds" integer not null check ("valid_for_seconds" > 0),
      "data_life_seconds" integer not null check ("data_life_seconds" >= 0),
      "lang" text not null check ("lang" in ('vi', 'en')),
      -- SHA-256 of the browser-binding cookie: only the browser that started the request continues it.
      "browser_hash" text not null,
      "status" text not null check ("status" in ('PENDING', 'CODE_ISSUED', 'CODE_USED', 'DECLINED')),
      "code_hash" text null unique,
      "code_expires_at" timestamptz null,
      "consent_id" uuid null references "consent" ("id"),
      "created_at" timestamptz not null,
      "expires_at" timestamptz not null
    );`);
    this.addSql(`create index "consent_authorization_expires_index" on "consent_authorization" ("expires_at");`);
    this.addSql(`create table "identity_sign_in" (
      -- SHA-256 of the OIDC state sent to the identity provider.
      "state_hash" text primary key,
      "nonce" text not null,
      "code_verifier_sealed" text not null,
      "browser_hash" text not null,
      "return_to" text not null,
      "expires_at" timestamptz not null
    );`);
    this.addSql(`create index "identity_sign_in_expires_index" on "identity_sign_in" ("expires_at");`);
    this.addSql(`create table "citizen_session" (
      "id_hash" text primary key,
      "subject_sealed" text not null,
      "subject_pseudonym" text not null,
      "name_sealed" text null,
      "acr" text not null,
      "csrf_token" text not null,
      "created_at" timestamptz not null,
      "expires_at" timestamptz not null
    );`);
    this.addSql(`create index "citizen_session_expires_index" on "citizen_session" ("expires_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "citizen_session";`);
    this.addSql(`drop table if exists "identity_sign_in";`);
    this.addSql(`drop table if exists "consent_authorization";`);
    this.addSql(`drop index if exists "audit_log_subject_seq_index";`);
    this.addSql(`alter table "api_client" drop column if exists "identity_client_id";`);
    this.addSql(`alter table "api_client" drop column if exists "redirect_uris";`);
  }
}
