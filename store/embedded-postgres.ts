import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { setFlagsFromString } from 'node:v8';

const run = promisify(execFile);

export interface EmbeddedPostgres {
  /** postgresql:// URL of the wire-protocol server on 127.0.0.1. */
  url: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Folder holding the database files; created when missing. */
  dataDir: string;
  /** @default 0 (any free port) */
  port?: number;
  /**
   * PostgreSQL's page cache inside the WebAssembly heap. PGlite's own default (160 MB) is sized for
   * a browser tab's database held in memory; a commune's hub reads its pages from the OS cache
   * just as fast. @default 16
   */
  sharedBuffersMb?: number;
  /**
   * How V8 compiles PostgreSQL's WebAssembly. `baseline` (Liftoff only): the optimizing tier's
   * recompilation of hot functions holds 60–65 MB more for a commune's handful of queries a
   * minute. @default 'baseline'
   */
  compiler?: 'baseline' | 'optimizing';
}

/**
 * Creates a new database folder in a child process: PGlite's initdb is a WebAssembly instance of
 * its own whose few hundred MB the hub process would otherwise keep for its lifetime.
 */
async function initializeDataDir(dataDir: string): Promise<void> {
  const script = `const { PGlite } = require(process.argv[1]);
    PGlite.create(process.argv[2]).then((db) => db.close()).then(() => process.exit(0), (error) => { console.error(error); process.exit(1); });`;
  await run(process.execPath, ['-e', script, require.resolve('@electric-sql/pglite'), dataDir], { timeout: 300_000 });
}

/**
 * PostgreSQL compiled to WebAssembly (PGlite), served over the PostgreSQL wire protocol so the
 * hub uses the same driver and SQL as with a PostgreSQL server. One backend session serves every
 * connection: callers must use a pool of one.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const dataDir = path.resolve(options.dataDir, 'pg');
  mkdirSync(dataDir, { recursive: true });
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) await initializeDataDir(dataDir);
  // Both packages are ESM-first; the dynamic import keeps this file loadable from CommonJS.
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  // Read by V8 when a WebAssembly module is compiled: PGlite's (in create), and any compiled after
  // it in this process (undici's small HTTP parser), which the server store never changes.
  setFlagsFromString((options.compiler ?? 'baseline') === 'baseline' ? '--liftoff-only' : '--no-liftoff-only');
  const db = await PGlite.create(dataDir, {
    startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${options.sharedBuffersMb ?? 16}MB`],
  });
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: options.port ?? 0, maxConnections: 8 });
  await server.start();
  const [host, port] = server.getServerConn().split(':');
  return {
    url: `postgresql://postgres@${host}:${port}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
