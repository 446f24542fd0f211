import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './ports';

const run = promisify(execFile);

/** A PostgreSQL server of one test's own: stopping it disturbs no other test. */
export interface PrivatePostgres {
  url: string;
  port: number;
  /** `fast` ends every session (57P01) and stops; `immediate` kills the server as a crash would. */
  stop(mode: 'fast' | 'immediate'): Promise<void>;
  start(): Promise<void>;
  /** The server's log, to explain a failure. */
  log(): string;
  /** Stops it and deletes its files. */
  destroy(): Promise<void>;
}

/** The newest PostgreSQL server binaries of the machine (Debian's layout, or pg_config's). */
async function binaries(): Promise<string> {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((version) => existsSync(path.join(root, version, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return path.join(root, versions[0], 'bin');
  }
  try {
    const { stdout } = await run('pg_config', ['--bindir']);
    if (existsSync(path.join(stdout.trim(), 'initdb'))) return stdout.trim();
  } catch {
    // not installed this way either
  }
  throw new Error('No PostgreSQL server binaries (initdb, pg_ctl) found under /usr/lib/postgresql/*/bin or pg_config --bindir.');
}

/**
 * PostgreSQL refuses to run as root: as root (CI), the server runs as the `postgres` user, which
 * owns the temporary folder.
 */
async function asServerUser(): Promise<{ wrap(command: string, args: string[]): [string, string[]]; own(folder: string): void }> {
  if (process.getuid?.() !== 0) return { wrap: (command, args) => [command, args], own: () => undefined };
  const { stdout } = await run('id', ['-u', 'postgres']);
  const uid = Number(stdout.trim());
  const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
  const runuser = ['/usr/sbin/runuser', '/sbin/runuser', '/usr/bin/runuser'].find((candidate) => existsSync(candidate));
  return {
    wrap: (command, args) =>
      runuser
        ? [runuser, ['-u', 'postgres', '--', command, ...args]]
        : ['su', ['postgres', '-s', '/bin/sh', '-c', [command, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ')]],
    own: (folder) => chownSync(folder, uid, gid),
  };
}

/** initdb + pg_ctl in a temporary folder, on a free port of 127.0.0.1, trust authentication. */
export async function startPrivatePostgres(label: string): Promise<PrivatePostgres> {
  const bin = await binaries();
  const user = await asServerUser();
  const folder = mkdtempSync(path.join(tmpdir(), `hub-pg-${label}-`));
  const data = path.join(folder, 'data');
  const logFile = path.join(folder, 'server.log');
  mkdirSync(data, { mode: 0o700 });
  user.own(folder);
  user.own(data);
  const port = await freePort();
  const exec = async (command: string, args: string[]) => {
    const [file, argv] = user.wrap(path.join(bin, command), args);
    await run(file, argv, { cwd: folder, timeout: 120_000 });
  };
  await exec('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync', '--no-instructions']);
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -k ${folder} -c fsync=off -c max_connections=40`;
  const server: PrivatePostgres = {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    port,
    async start() {
      await exec('pg_ctl', ['-D', data, '-l', logFile, '-o', options, '-w', '-t', '60', 'start']);
    },
    async stop(mode) {
      await exec('pg_ctl', ['-D', data, '-m', mode, '-w', '-t', '60', 'stop']);
    },
    log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
    async destroy() {
      await exec('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
      rmSync(folder, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}
