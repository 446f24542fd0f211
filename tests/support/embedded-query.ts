/**
 * Runs one SQL query against an embedded store's data folder and prints the rows as JSON.
 * A separate process: PGlite cannot load inside jest's module sandbox, and only one process may
 * open a data folder at a time (run it after the hub has stopped).
 * Usage: node dist/tests/support/embedded-query.js <data dir> <sql>
 */
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../../store/embedded-postgres';

async function main(): Promise<void> {
  const [dataDir, sql] = process.argv.slice(2);
  if (!dataDir || !sql) throw new Error('usage: embedded-query <data dir> <sql>');
  const pg = await startEmbeddedPostgres({ dataDir });
  const client = new Client({ connectionString: pg.url });
  await client.connect();
  try {
    const result = await client.query(sql);
    process.stdout.write(JSON.stringify(result.rows));
  } finally {
    await client.end();
    await pg.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
