import { Client } from 'pg';
import { ServiceUnreachableError } from '../domain/errors';
import { maskSecret } from '../platform/config';
import type { Logger } from '../platform/logger';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres';
import { migrate, openOrm, type HubOrm } from './orm';

export interface StoreSettings {
  /** A PostgreSQL server; absent: the embedded store in `dataDir`. */
  databaseUrl?: string | undefined;
  dataDir: string;
  poolMax: number;
  embeddedPort: number;
  /** @default 16 */
  embeddedSharedBuffersMb?: number;
  /** @default 'baseline' */
  embeddedCompiler?: 'baseline' | 'optimizing';
  /** PostgreSQL schema holding the tables. @default 'public' */
  schema?: string;
}

export interface Store {
  orm: HubOrm;
  kind: 'postgresql' | 'embedded';
  /** Connection URL, password masked: for logs and start-up output. */
  displayUrl: string;
  /** Unmasked URL (to hand to child processes in tests). */
  url: string;
  close(): Promise<void>;
}

/** Fails fast, with the variable's name, when the server cannot be reached. */
async function assertReachable(url: string, schema: string | undefined): Promise<void> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('select 1');
    if (schema && schema !== 'public') await client.query(`create schema if not exists "${schema.replace(/"/g, '')}"`);
  } catch (error) {
    const detail = error instanceof Error ? ((error as NodeJS.ErrnoException).code ?? error.message) : String(error);
    throw new ServiceUnreachableError(`DATABASE_URL: cannot connect to ${maskSecret(url)}: ${detail}`, {
      reason: 'STORE.UNREACHABLE',
      cause: error,
    });
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Opens the store (server or embedded) and brings its schema up to date. */
export async function openStore(settings: StoreSettings, logger: Logger): Promise<Store> {
  let embedded: EmbeddedPostgres | undefined;
  let url = settings.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedPostgres({
      dataDir: settings.dataDir,
      port: settings.embeddedPort,
      ...(settings.embeddedSharedBuffersMb ? { sharedBuffersMb: settings.embeddedSharedBuffersMb } : {}),
      ...(settings.embeddedCompiler ? { compiler: settings.embeddedCompiler } : {}),
    });
    url = embedded.url;
  }
  await assertReachable(url, settings.schema);
  const orm = await openOrm({
    clientUrl: url,
    poolMax: embedded ? 1 : settings.poolMax,
    logger,
    ...(settings.schema ? { schema: settings.schema } : {}),
  });
  const applied = await migrate(orm);
  if (applied.length > 0) logger.info({ migrations: applied }, 'database migrations applied');
  return {
    orm,
    kind: embedded ? 'embedded' : 'postgresql',
    displayUrl: JSON.parse(maskSecret(url)) as string,
    url,
    async close() {
      await orm.close(true);
      await embedded?.stop();
    },
  };
}
