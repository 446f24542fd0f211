import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createLogger } from '../../platform/logger';
import { openStore, type Store } from '../../store/database';
import { testEnv } from './environment';

/** A schema name unique to this test file and run. */
export function freshSchemaName(label: string): string {
  return `t_${label
    .replace(/[^a-z0-9]/gi, '_')
    .toLowerCase()
    .slice(0, 30)}_${randomBytes(4).toString('hex')}`;
}

export const quietLogger = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent', name: 'test' });

/** A migrated store in its own schema of the test PostgreSQL; drop it with `dropSchema`. */
export async function openTestStore(schema: string): Promise<Store> {
  return openStore({ databaseUrl: testEnv('databaseUrl'), dataDir: 'data/unused', poolMax: 4, embeddedPort: 0, schema }, quietLogger);
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new Client({ connectionString: testEnv('databaseUrl') });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}
