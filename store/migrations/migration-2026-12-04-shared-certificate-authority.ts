import { Migration } from '@mikro-orm/migrations';

/**
 * The hub's certificate authority in the database, so that every gateway replica issues, revokes
 * and publishes CRLs from one state: the authority (one row: CA certificates, their keys encrypted
 * by certs/, the CRL counters and the last CRL), the certificates it issued (serial numbers unique,
 * keys encrypted) and each agency's current seal (one per agency: the primary key settles a race).
 */
export class Migration20261204SharedCertificateAuthority extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "ca_authority" (
      "id" smallint primary key default 1 check ("id" = 1),
      "root_certificate_pem" text not null,
      "encrypted_root_key_pem" text not null check ("encrypted_root_key_pem" like '-----BEGIN ENCRYPTED PRIVATE KEY-----%'),
      "issuing_certificate_pem" text not null,
      "encrypted_issuing_key_pem" text not null check ("encrypted_issuing_key_pem" like '-----BEGIN ENCRYPTED PRIVATE KEY-----%'),
      "crl_number" bigint not null default 0,
      "root_crl_number" bigint not null default 0,
      "crl_pem" text null,
      "crl_published_at" timestamptz null,
      "revision" bigint not null default 0,
      "created_at" timestamptz not null default now());`);
    this.addSql(`create table "ca_certificate" (
      "serial_number" text primary key check ("serial_number" ~ '^[0-9a-f]+$'),
      "seq" bigserial not null unique,
      "profile" text not null,
      "subject" text not null,
      "subject_alt_names" jsonb not null default '[]',
      "agency_code" text null,
      "not_before" timestamptz not null,
      "not_after" timestamptz not null,
      "issued_at" timestamptz not null,
      "revoked_at" timestamptz null,
      "revocation_reason" text null,
      "certificate_pem" text not null,
      "encrypted_key_pem" text null check ("encrypted_key_pem" like '-----BEGIN ENCRYPTED PRIVATE KEY-----%'),
      "changed_revision" bigint not null);`);
    this.addSql(`create index "ca_certificate_changed_revision_index" on "ca_certificate" ("changed_revision");`);
    this.addSql(`create index "ca_certificate_agency_code_index" on "ca_certificate" ("agency_code") where "agency_code" is not null;`);
    this.addSql(`create table "ca_agency_seal" (
      "agency_code" text primary key,
      "serial_number" text not null references "ca_certificate" ("serial_number"),
      "updated_at" timestamptz not null default now());`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "ca_agency_seal";`);
    this.addSql(`drop table if exists "ca_certificate";`);
    this.addSql(`drop table if exists "ca_authority";`);
  }
}
