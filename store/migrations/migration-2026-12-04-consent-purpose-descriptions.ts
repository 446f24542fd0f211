import { Migration } from '@mikro-orm/migrations';

/**
 * What the citizen reads on the consent page for each registered purpose: a description in
 * Vietnamese and in English (both or neither: purposes registered before this have none until an
 * operator registers them again), and when the purpose was registered and last changed.
 */
export class Migration20261204ConsentPurposeDescriptions extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "consent_purpose"
      add column "description_vi" text null check (length("description_vi") between 1 and 500),
      add column "description_en" text null check (length("description_en") between 1 and 500),
      add column "created_at" timestamptz not null default now(),
      add column "updated_at" timestamptz not null default now(),
      add constraint "consent_purpose_described_in_both" check (("description_vi" is null) = ("description_en" is null));`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "consent_purpose" drop constraint if exists "consent_purpose_described_in_both",
      drop column "description_vi", drop column "description_en", drop column "created_at", drop column "updated_at";`);
  }
}
