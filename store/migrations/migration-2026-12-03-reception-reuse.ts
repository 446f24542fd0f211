import { Migration } from '@mikro-orm/migrations';

/**
 * The once-only figure measured at reception: papers asked for anew although the state held them
 * (count and list per dossier), and for a paper a registry confirmed, the fact and when it last changed there.
 */
export class Migration20261203ReceptionReuse extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "dossier"
      add column "missed_reuse" integer not null default 0 check ("missed_reuse" >= 0),
      add column "missed_reuse_papers" jsonb not null default '[]';`);
    this.addSql(`alter table "dossier_component"
      add column "registry_attribute" text null,
      add column "registry_updated_at" timestamptz null,
      add column "taken_from_vault" boolean not null default false;`);
  }

  override async down(): Promise<void> {
    this.addSql(
      `alter table "dossier_component" drop column "registry_attribute", drop column "registry_updated_at", drop column "taken_from_vault";`,
    );
    this.addSql(`alter table "dossier" drop column "missed_reuse", drop column "missed_reuse_papers";`);
  }
}
