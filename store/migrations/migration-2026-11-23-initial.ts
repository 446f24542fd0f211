import { Migration } from '@mikro-orm/migrations';

/** The first slice: catalogue (agencies, procedures), dossiers, outbox and consumer bookkeeping. */
export class Migration20261123Initial extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "agency" (
      "code" text primary key,
      "name" text not null,
      "level" text not null,
      "parent_code" text null references "agency" ("code"),
      "admin_unit_code" text null,
      "created_at" timestamptz not null default now()
    );`);
    this.addSql(`create table "procedure" (
      "code" text primary key,
      "name" text not null,
      "field" text not null,
      "level" text not null,
      "resolution_working_days" integer null check ("resolution_working_days" >= 0),
      "same_day" boolean not null default false,
      "definition" jsonb not null default '{}',
      "updated_at" timestamptz not null default now()
    );`);
    this.addSql(`create table "dossier" (
      "id" bigserial primary key,
      "code" text not null unique,
      "procedure_code" text not null references "procedure" ("code"),
      "receiving_agency_code" text not null references "agency" ("code"),
      "applicant_id" text not null,
      "applicant_kind" text not null check ("applicant_kind" in ('CITIZEN', 'BUSINESS')),
      "channel" text not null check ("channel" in ('DESK', 'POST', 'ONLINE')),
      "status" text not null,
      "received_at" timestamptz not null,
      "due_at" timestamptz null,
      "resolved_at" timestamptz null,
      "returned_at" timestamptz null,
      "idempotency_key" text null unique,
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now(),
      "version" integer not null default 1
    );`);
    this.addSql(`create index "dossier_receiving_agency_code_received_at_index" on "dossier" ("receiving_agency_code", "received_at");`);
    this.addSql(`create index "dossier_status_index" on "dossier" ("status");`);
    this.addSql(`create index "dossier_applicant_id_index" on "dossier" ("applicant_id");`);
    // Per agency and reception day: the XXXX of the dossier code, allocated atomically.
    this.addSql(`create table "dossier_sequence" (
      "agency_code" text not null references "agency" ("code"),
      "reception_date" text not null,
      "last_value" integer not null,
      primary key ("agency_code", "reception_date")
    );`);
    this.addSql(`create table "outbox_event" (
      "id" bigserial primary key,
      "event_id" uuid not null unique,
      "type" text not null,
      "subject" text not null,
      "data" jsonb not null,
      "occurred_at" timestamptz not null,
      "published_at" timestamptz null,
      "attempts" integer not null default 0,
      "last_error" text null
    );`);
    this.addSql(`create index "outbox_event_unpublished_idx" on "outbox_event" ("id") where "published_at" is null;`);
    // One relay publishes at a time (keeps per-dossier order across gateway replicas); the lease expires if it dies.
    this.addSql(`create table "outbox_relay_lease" (
      "name" text primary key,
      "holder" text not null,
      "expires_at" timestamptz not null
    );`);
    this.addSql(`create table "consumed_event" (
      "consumer" text not null,
      "event_id" uuid not null,
      "type" text not null,
      "subject" text not null,
      "consumed_at" timestamptz not null default now(),
      primary key ("consumer", "event_id")
    );`);
  }

  override async down(): Promise<void> {
    for (const table of ['consumed_event', 'outbox_relay_lease', 'outbox_event', 'dossier_sequence', 'dossier', 'procedure', 'agency']) {
      this.addSql(`drop table if exists "${table}" cascade;`);
    }
  }
}
