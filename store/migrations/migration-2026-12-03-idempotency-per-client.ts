import { Migration } from '@mikro-orm/migrations';

/**
 * An idempotency key belongs to the client that used it: unique per (client, key), no longer across
 * the hub, so one client replaying another's key gets a dossier of its own, never the other's.
 * Existing keys are given to the client that received them (the actor of the RECEIVE line).
 */
export class Migration20261203IdempotencyPerClient extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "dossier" add column "idempotency_client_id" text null;`);
    this.addSql(`update "dossier" d set "idempotency_client_id" = coalesce(
        (select a."actor" from "dossier_activity" a where a."dossier_id" = d."id" and a."action" = 'RECEIVE' order by a."id" limit 1),
        d."submitted_by_client",
        'unknown')
      where d."idempotency_key" is not null;`);
    this.addSql(`alter table "dossier" drop constraint "dossier_idempotency_key_key";`);
    this.addSql(
      `alter table "dossier" add constraint "dossier_idempotency_key_owner_check" check ("idempotency_key" is null or "idempotency_client_id" is not null);`,
    );
    this.addSql(
      `create unique index "dossier_idempotency_client_key_unique" on "dossier" ("idempotency_client_id", "idempotency_key") where "idempotency_key" is not null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "dossier_idempotency_client_key_unique";`);
    this.addSql(`alter table "dossier" drop constraint if exists "dossier_idempotency_key_owner_check";`);
    this.addSql(`alter table "dossier" add constraint "dossier_idempotency_key_key" unique ("idempotency_key");`);
    this.addSql(`alter table "dossier" drop column "idempotency_client_id";`);
  }
}
