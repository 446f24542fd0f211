/**
 * The processes of the status benchmark, each its own Node process so that the hub, the bare server and
 * the load generator do not share an event loop: run as a script with a role and a JSON argument, each
 * prints one JSON line when ready (the load generator: its figures when done) and ends with its stdin.
 *
 *   hub    the hub on a PostgreSQL schema, with the catalogue, agencies and one monitoring client;
 *          on stdin `profile start` / `profile stop FILE` drive the V8 profiler (as `node --cpu-prof`)
 *   bare   a bare `http` + `pg` server: GET /status?code=… → the same indexed select, as JSON
 *   apollo a minimal Apollo Server (its standalone HTTP server, no plugins) with one resolver doing
 *          that select: the framework's own floor, measured beside the hub
 *   load   an undici Pool with N connections, N requests in flight for a fixed duration
 */
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { Session } from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { Pool as PgPool } from 'pg';
import { Pool } from 'undici';

export interface HubStart {
  role: 'hub';
  databaseUrl: string;
  schema: string;
  dataDir: string;
  clientId: string;
  secret: string;
}
export interface BareStart {
  role: 'bare';
  databaseUrl: string;
  schema: string;
  poolMax: number;
}
/** A request template: `{code}` in the path or body is replaced by a dossier code picked at random. */
export interface LoadStart {
  role: 'load';
  origin: string;
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
  codes: CodeSpace;
  /** A file of dossier codes, one a line, picked from instead of `codes` (a schema loaded elsewhere). */
  codesFile?: string;
  connections: number;
  seconds: number;
  /** Checked on each answer: the request counts as an error when the text lacks it. */
  expect: string;
}
export interface LoadFigures {
  requests: number;
  errors: number;
  firstError: string | null;
  seconds: number;
  p50Ms: number;
  p99Ms: number;
}
/** The same select behind a minimal Apollo Server. */
export interface ApolloStart extends Omit<BareStart, 'role'> {
  role: 'apollo';
}
type Start = HubStart | BareStart | ApolloStart | LoadStart;

/** The dossier codes the benchmark loads: dossier g (1…count) is received by agencies[g % n] on `date`. */
export interface CodeSpace {
  agencies: string[];
  /** YYMMDD */
  date: string;
  count: number;
}

export function dossierCode(space: CodeSpace, g: number): string {
  return `${space.agencies[g % space.agencies.length]}-${space.date}-${String(g).padStart(7, '0')}`;
}

export interface ChildProcess {
  /** The child's ready line. */
  ready: Record<string, unknown>;
  pid: number;
  send(line: string): void;
  /** The next line the child prints. */
  next(): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

/** Starts one role in a child process (extra Node flags first, e.g. `--max-old-space-size`). */
export async function startChild(start: Start, nodeFlags: string[] = []): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...nodeFlags, __filename, JSON.stringify(start)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const waiting: ((line: Record<string, unknown>) => void)[] = [];
  const queued: Record<string, unknown>[] = [];
  let exited: Error | undefined;
  const failAll = () => {
    exited = new Error(`${start.role} process exited (${child.exitCode})`);
    for (const w of waiting.splice(0)) w({ error: exited.message });
  };
  lines.on('line', (line) => {
    const parsed = JSON.parse(line) as Record<string, unknown>;
    const w = waiting.shift();
    if (w) w(parsed);
    else queued.push(parsed);
  });
  child.once('exit', failAll);
  const next = () =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const q = queued.shift();
      if (q) return resolve(q);
      if (exited) return reject(exited);
      waiting.push((line) => (line.error ? reject(new Error(String(line.error))) : resolve(line)));
    });
  const ready = await next();
  return {
    ready,
    pid: child.pid!,
    send: (line) => child.stdin.write(`${line}\n`),
    next,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.stdin.end();
        child.kill('SIGTERM');
      }),
  };
}

/** The peak resident set of a process since the last reset (Linux: VmHWM), in MB; undefined elsewhere. */
export function peakRssMb(pid: number): number | undefined {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** CPU time (user + system) a process has used so far, in ms (Linux: /proc/PID/stat); undefined elsewhere. */
export function cpuMs(pid: number): number | undefined {
  try {
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime (fields 14 and 15) in clock ticks, 100 a second on Linux.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

/** Resets the peak resident set (Linux: writing 5 to clear_refs), so the next reading covers one scenario. */
export function resetPeakRss(pid: number): void {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    // Not Linux, or not permitted: the peak then covers the process's whole life.
  }
}

async function runHub(start: HubStart): Promise<void> {
  const { startHub } = await import('../gateway/hub');
  const { loadConfig } = await import('../platform/config');
  const { createLogger } = await import('../platform/logger');
  const { DEMO_AGENCIES, loadReferenceProcedures } = await import('../scripts/demo-data');
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    LOG_LEVEL: 'silent',
    START_SIMULATORS: 'false',
    PORTAL_SYNC: 'false',
    DATABASE_URL: start.databaseUrl,
    DATABASE_SCHEMA: start.schema,
    DATA_DIR: start.dataDir,
    RATE_LIMIT_PER_MINUTE: '100000000',
    RATE_LIMIT_PUBLIC_PER_MINUTE: '100000000',
  });
  const hub = await startHub({ config, logger: createLogger({ level: 'silent' }) });
  await hub.services.catalogue.importProcedures(loadReferenceProcedures());
  await hub.services.catalogue.importAgencies(DEMO_AGENCIES);
  await hub.services.clients.ensure({ clientId: start.clientId, name: 'Benchmark monitor', kind: 'MONITOR', secret: start.secret });
  let session: Session | undefined;
  createInterface({ input: process.stdin }).on('line', (line) => {
    void (async () => {
      const [command, arg, file] = line.split(' ');
      if (command === 'profile' && arg === 'start') {
        session = new Session();
        session.connect();
        await session.post('Profiler.enable');
        await session.post('Profiler.start');
        process.stdout.write(`${JSON.stringify({ profiling: true })}\n`);
      } else if (command === 'profile' && arg === 'stop' && session && file) {
        const { profile } = await session.post('Profiler.stop');
        writeFileSync(file, JSON.stringify(profile));
        session.disconnect();
        session = undefined;
        process.stdout.write(`${JSON.stringify({ profile: file })}\n`);
      }
    })();
  });
  process.stdin.on('end', () => void hub.stop().finally(() => process.exit(0)));
  process.stdout.write(`${JSON.stringify({ url: hub.url })}\n`);
}

async function runBare(start: BareStart): Promise<void> {
  const pool = new PgPool({ connectionString: start.databaseUrl, max: start.poolMax });
  const sql = `select code, status, due_at from "${start.schema}".dossier where code = $1`;
  const server = createServer((req, res) => {
    const code = new URL(req.url ?? '/', 'http://x').searchParams.get('code') ?? '';
    pool.query<{ code: string; status: string; due_at: Date | null }>({ name: 'status', text: sql, values: [code] }).then(
      ({ rows }) => {
        const row = rows[0];
        res.writeHead(row ? 200 : 404, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify(row ? { code: row.code, status: row.status, dueAt: row.due_at?.toISOString() ?? null } : { error: 'not found' }),
        );
      },
      (error: unknown) => {
        res.writeHead(500).end(String(error));
      },
    );
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.stdin.on('end', () => process.exit(0)).resume();
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })}\n`);
}

/** The same select behind a minimal Apollo Server 5: its own standalone HTTP server, no plugins, one resolver. */
async function runApollo(start: ApolloStart): Promise<void> {
  const { ApolloServer } = await import('@apollo/server');
  const { startStandaloneServer } = await import('@apollo/server/standalone');
  const pool = new PgPool({ connectionString: start.databaseUrl, max: start.poolMax });
  const sql = `select code, status, due_at from "${start.schema}".dossier where code = $1`;
  const server = new ApolloServer({
    typeDefs: `type Query { dossier(code: String!): DossierStatus }
      type DossierStatus { code: String! status: String! dueAt: String }`,
    resolvers: {
      Query: {
        dossier: async (_: unknown, { code }: { code: string }) => {
          const { rows } = await pool.query<{ code: string; status: string; due_at: Date | null }>({
            name: 'status',
            text: sql,
            values: [code],
          });
          const row = rows[0];
          return row ? { code: row.code, status: row.status, dueAt: row.due_at?.toISOString() ?? null } : null;
        },
      },
    },
  });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  process.stdin.on('end', () => process.exit(0)).resume();
  process.stdout.write(`${JSON.stringify({ url: url.replace(/\/$/, '') })}\n`);
}

async function runLoad(start: LoadStart): Promise<void> {
  const pool = new Pool(start.origin, { connections: start.connections, pipelining: 1, keepAliveTimeout: 60_000 });
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | null = null;
  const t0 = performance.now();
  const end = t0 + start.seconds * 1000;
  const listed = start.codesFile ? readFileSync(start.codesFile, 'utf8').split('\n').filter(Boolean) : undefined;
  const pick = listed
    ? () => listed[Math.floor(Math.random() * listed.length)]!
    : () => dossierCode(start.codes, 1 + Math.floor(Math.random() * start.codes.count));
  const worker = async () => {
    while (performance.now() < end) {
      const code = pick();
      const t = performance.now();
      try {
        const { statusCode, body } = await pool.request({
          method: start.method,
          path: start.path.replace('{code}', encodeURIComponent(code)),
          headers: start.headers,
          body: start.body?.replace('{code}', code),
        });
        const text = await body.text();
        if (statusCode !== 200 || !text.includes(start.expect.replace('{code}', code))) {
          errors += 1;
          firstError ??= `${statusCode} ${text.slice(0, 300)}`;
        }
      } catch (error) {
        errors += 1;
        firstError ??= String(error);
      }
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: start.connections }, worker));
  const seconds = (performance.now() - t0) / 1000;
  await pool.close();
  latencies.sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
  const figures: LoadFigures = { requests: latencies.length, errors, firstError, seconds, p50Ms: at(0.5), p99Ms: at(0.99) };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

if (require.main === module) {
  const start = JSON.parse(process.argv[2]!) as Start;
  const run =
    start.role === 'hub'
      ? runHub(start)
      : start.role === 'bare'
        ? runBare(start)
        : start.role === 'apollo'
          ? runApollo(start)
          : runLoad(start);
  run.then(
    () => (start.role === 'load' ? process.exit(0) : undefined),
    (error: unknown) => {
      process.stderr.write(`${start.role}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
  process.on('SIGTERM', () => process.exit(0));
}
