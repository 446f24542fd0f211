import { Migration } from '@mikro-orm/migrations';

/**
 * The one-stop process: papers handed in, the processing control sheet (steps across agencies),
 * the dossier's timeline, the yearly register, deadlines with their one extension, results, fees
 * and the citizen's rating.
 */
export class Migration20261123Process extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "agency" add column "roles" text[] not null default '{}';`);
    this.addSql(`alter table "dossier"
      add column "current_agency_code" text null references "agency" ("code"),
      add column "involved_agency_codes" text[] not null default '{}',
      add column "register_year" integer null,
      add column "register_number" integer null,
      add column "original_due_at" timestamptz null,
      add column "extended_at" timestamptz null,
      add column "extension_reason" text null,
      add column "supplement_requested_at" timestamptz null,
      add column "supplemented_at" timestamptz null,
      add column "stopped_at" timestamptz null,
      add column "completion" text null check ("completion" in ('EARLY', 'ON_TIME', 'LATE')),
      add column "result_document_code" text null,
      add column "result_summary" text null,
      add column "return_channel" text null check ("return_channel" in ('DESK', 'POST', 'ONLINE')),
      add column "fees_paid_vnd" bigint null check ("fees_paid_vnd" >= 0),
      add column "rating" smallint null check ("rating" between 1 and 5),
      add column "rating_comment" text null,
      add column "reused_components" integer not null default 0,
      add column "total_components" integer not null default 0;`);
    this.addSql(`create unique index "dossier_register_index" on "dossier" ("receiving_agency_code", "register_year", "register_number");`);
    this.addSql(`create index "dossier_due_at_index" on "dossier" ("due_at") where "resolved_at" is null;`);
    this.addSql(`create index "dossier_received_at_index" on "dossier" ("received_at");`);
    this.addSql(`create index "dossier_current_agency_index" on "dossier" ("current_agency_code");`);
    this.addSql(`create index "dossier_involved_agencies_index" on "dossier" using gin ("involved_agency_codes");`);
    // The yearly register (form 06): numbered per receiving agency and year.
    this.addSql(`create table "dossier_register_sequence" (
      "agency_code" text not null references "agency" ("code"),
      "year" integer not null,
      "last_value" integer not null,
      primary key ("agency_code", "year")
    );`);
    this.addSql(`create table "dossier_component" (
      "id" bigserial primary key,
      "dossier_id" bigint not null references "dossier" ("id") on delete cascade,
      "requirement_code" text not null,
      "name" text not null,
      "source" text not null check ("source" in ('NEW_FILE', 'DOCUMENT', 'REGISTRY', 'PRESENTED')),
      "document_code" text null,
      "file_name" text null,
      "file_sha256" text null check ("file_sha256" ~ '^[0-9a-f]{64}$'),
      "registry" text null,
      "supplied_at" timestamptz not null,
      "supplement" boolean not null default false
    );`);
    this.addSql(`create index "dossier_component_dossier_index" on "dossier_component" ("dossier_id");`);
    // The processing control sheet (form 05): who had the dossier, from when, until when.
    this.addSql(`create table "dossier_step" (
      "id" bigserial primary key,
      "dossier_id" bigint not null references "dossier" ("id") on delete cascade,
      "sequence" integer not null,
      "step_code" text not null,
      "name" text not null,
      "agency_code" text not null references "agency" ("code"),
      "from_agency_code" text null references "agency" ("code"),
      "handed_over_by" text null,
      "handed_over_at" timestamptz not null,
      "due_at" timestamptz null,
      "completed_at" timestamptz null,
      "completed_by" text null,
      "result" text null,
      "note" text null,
      unique ("dossier_id", "sequence")
    );`);
    this.addSql(`create index "dossier_step_agency_index" on "dossier_step" ("agency_code");`);
    // The timeline: every change to a dossier, who made it and why (its audit entry).
    this.addSql(`create table "dossier_activity" (
      "id" bigserial primary key,
      "dossier_id" bigint not null references "dossier" ("id") on delete cascade,
      "at" timestamptz not null,
      "action" text not null,
      "actor" text not null,
      "from_status" text null,
      "to_status" text null,
      "note" text null,
      "details" jsonb not null default '{}'
    );`);
    this.addSql(`create index "dossier_activity_dossier_index" on "dossier_activity" ("dossier_id", "at");`);
  }

  override async down(): Promise<void> {
    for (const table of ['dossier_activity', 'dossier_step', 'dossier_component', 'dossier_register_sequence'])
      this.addSql(`drop table if exists "${table}" cascade;`);
    this.addSql(
      `drop index if exists "dossier_register_index"; drop index if exists "dossier_due_at_index"; drop index if exists "dossier_received_at_index"; drop index if exists "dossier_current_agency_index"; drop index if exists "dossier_involved_agencies_index";`,
    );
    this.addSql(`alter table "dossier"
      drop column "current_agency_code", drop column "involved_agency_codes", drop column "register_year", drop column "register_number", drop column "original_due_at",
      drop column "extended_at", drop column "extension_reason", drop column "supplement_requested_at", drop column "supplemented_at",
      drop column "stopped_at", drop column "completion", drop column "result_document_code", drop column "result_summary",
      drop column "return_channel", drop column "fees_paid_vnd", drop column "rating", drop column "rating_comment",
      drop column "reused_components", drop column "total_components";`);
    this.addSql(`alter table "agency" drop column "roles";`);
  }
}
