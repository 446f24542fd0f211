import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261123Initial } from './migration-2026-11-23-initial';
import { Migration20261123Process } from './migration-2026-11-23-process';
import { Migration20261123Security } from './migration-2026-11-23-security';
import { Migration20261203LandParcel } from './migration-2026-12-03-land-parcel';
import { Migration20261203DocumentVault } from './migration-2026-12-03-document-vault';
import { Migration20261203ClientCertificates } from './migration-2026-12-03-client-certificates';
import { Migration20261203AppendOnlyAuditLog } from './migration-2026-12-03-append-only-audit-log';
import { Migration20261203ClientAssertionReplay } from './migration-2026-12-03-client-assertion-replay';
import { Migration20261203IdempotencyPerClient } from './migration-2026-12-03-idempotency-per-client';
import { Migration20261203VaultMemory } from './migration-2026-12-03-vault-memory';
import { Migration20261203ReceptionReuse } from './migration-2026-12-03-reception-reuse';
import { Migration20261203Consent } from './migration-2026-12-03-consent';
import { Migration20261204ConsentPurposeDescriptions } from './migration-2026-12-04-consent-purpose-descriptions';
import { Migration20261204ConsentFlow } from './migration-2026-12-04-consent-flow';
import { Migration20261204DossierStatistics } from './migration-2026-12-04-dossier-statistics';
import { Migration20261204OutboxNotify } from './migration-2026-12-04-outbox-notify';
import { Migration20261204SharedCertificateAuthority } from './migration-2026-12-04-shared-certificate-authority';

/** Every migration in order. Committed, reviewed SQL: the schema is never auto-updated from entities. */
export const MIGRATIONS: MigrationObject[] = [
  { name: 'Migration20261123Initial', class: Migration20261123Initial },
  { name: 'Migration20261123Security', class: Migration20261123Security },
  { name: 'Migration20261123Process', class: Migration20261123Process },
  { name: 'Migration20261203LandParcel', class: Migration20261203LandParcel },
  { name: 'Migration20261203DocumentVault', class: Migration20261203DocumentVault },
  { name: 'Migration20261203ClientCertificates', class: Migration20261203ClientCertificates },
  { name: 'Migration20261203AppendOnlyAuditLog', class: Migration20261203AppendOnlyAuditLog },
  { name: 'Migration20261203ClientAssertionReplay', class: Migration20261203ClientAssertionReplay },
  { name: 'Migration20261203IdempotencyPerClient', class: Migration20261203IdempotencyPerClient },
  { name: 'Migration20261203VaultMemory', class: Migration20261203VaultMemory },
  { name: 'Migration20261203ReceptionReuse', class: Migration20261203ReceptionReuse },
  { name: 'Migration20261203Consent', class: Migration20261203Consent },
  { name: 'Migration20261204ConsentPurposeDescriptions', class: Migration20261204ConsentPurposeDescriptions },
  { name: 'Migration20261204ConsentFlow', class: Migration20261204ConsentFlow },
  { name: 'Migration20261204DossierStatistics', class: Migration20261204DossierStatistics },
  { name: 'Migration20261204OutboxNotify', class: Migration20261204OutboxNotify },
  { name: 'Migration20261204SharedCertificateAuthority', class: Migration20261204SharedCertificateAuthority },
];
