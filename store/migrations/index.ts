import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261123Initial } from './migration-2026-11-23-initial';

/** Every migration in order. Committed, reviewed SQL: the schema is never auto-updated from entities. */
export const MIGRATIONS: MigrationObject[] = [{ name: 'Migration20261123Initial', class: Migration20261123Initial }];
