import { Migration } from '@mikro-orm/migrations';

/** The land parcel a dossier concerns (land and building procedures): commune, map sheet, parcel number. */
export class Migration20261203LandParcel extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "dossier"
      add column "land_commune_code" text null check ("land_commune_code" ~ '^[0-9]{5}$'),
      add column "land_map_sheet_number" integer null check ("land_map_sheet_number" between 1 and 9999),
      add column "land_parcel_number" integer null check ("land_parcel_number" between 1 and 99999),
      add constraint "dossier_land_parcel_complete" check (
        ("land_commune_code" is null) = ("land_map_sheet_number" is null)
        and ("land_commune_code" is null) = ("land_parcel_number" is null)
      );`);
    // "Other dossiers about this parcel" (disputes, changes in progress) is an officer's question.
    this.addSql(
      `create index "dossier_land_parcel_index" on "dossier" ("land_commune_code", "land_map_sheet_number", "land_parcel_number") where "land_commune_code" is not null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "dossier_land_parcel_index";`);
    this.addSql(`alter table "dossier" drop constraint "dossier_land_parcel_complete",
      drop column "land_commune_code", drop column "land_map_sheet_number", drop column "land_parcel_number";`);
  }
}
