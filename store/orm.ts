import { MikroORM, type Options } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import type { Logger } from '../platform/logger';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

export type HubOrm = MikroORM<PostgreSqlDriver>;

export interface OrmOptions {
  clientUrl: string;
  /** The embedded store has one backend session: its pool must be 1. */
  poolMax: number;
  logger: Logger;
  /** PostgreSQL schema to work in (tests give each file its own). @default 'public' */
  schema?: string;
}

export function ormOptions(options: OrmOptions): Options<PostgreSqlDriver> {
  const searchPath = options.schema ?? 'public';
  return {
    driver: PostgreSqlDriver,
    clientUrl: options.clientUrl,
    entities: ENTITIES,
    extensions: [Migrator],
    migrations: {
      migrationsList: MIGRATIONS,
      tableName: 'schema_migration',
      transactional: true,
      allOrNothing: true,
      snapshot: false,
    },
    schema: searchPath,
    pool: {
      min: 0,
      max: options.poolMax,
      // Set per connection rather than as a startup option: the embedded server ignores startup options.
      afterCreate: (connection: { query: (sql: string, done: (error?: Error) => void) => void }, done: (error?: Error) => void) =>
        connection.query(`set search_path to "${searchPath}"`, done),
    },
    // Every request and job forks its own EntityManager; the global one must never be used by accident.
    allowGlobalContext: false,
    forceUtcTimezone: true,
    debug: false,
    logger: (message) => options.logger.debug({ orm: true }, message),
  };
}

export async function openOrm(options: OrmOptions): Promise<HubOrm> {
  return MikroORM.init<PostgreSqlDriver>(ormOptions(options));
}

/** Applies every pending migration; returns the names applied. */
export async function migrate(orm: HubOrm): Promise<string[]> {
  // The migrator lists the tables of every schema of the database; when another tenant drops its
  // schema at that moment, PostgreSQL answers "schema … does not exist" (3F000). Ask again.
  for (let attempt = 1; ; attempt += 1) {
    try {
      const applied = await orm.getMigrator().up();
      return applied.map((m) => m.name);
    } catch (error) {
      const { code, message } = error as { code?: string; message?: string };
      const schemaVanished = code === '3F000' || /schema "[^"]*" does not exist/.test(message ?? '');
      if (!schemaVanished || attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}
