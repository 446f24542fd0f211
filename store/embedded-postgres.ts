import { mkdirSync } from 'node:fs';
import path from 'node:path';

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
}

/**
 * PostgreSQL compiled to WebAssembly (PGlite), served over the PostgreSQL wire protocol so the
 * hub uses the same driver and SQL as with a PostgreSQL server. One backend session serves every
 * connection: callers must use a pool of one.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const dataDir = path.resolve(options.dataDir, 'pg');
  mkdirSync(dataDir, { recursive: true });
  // Both packages are ESM-first; the dynamic import keeps this file loadable from CommonJS.
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  const db = await PGlite.create(dataDir);
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
