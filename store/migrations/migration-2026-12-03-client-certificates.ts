import { Migration } from '@mikro-orm/migrations';

/** mTLS: an API client so marked must present a certificate from the hub's CA naming it. */
export class Migration20261203ClientCertificates extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "api_client" add column "tls_certificate_required" boolean not null default false;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "api_client" drop column "tls_certificate_required";`);
  }
}
