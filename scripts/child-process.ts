import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface ManagedProcess {
  name: string;
  url: string;
  logFile: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export interface StartProcessOptions {
  name: string;
  /** Compiled entry point (a .js file under dist/). */
  script: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** Base URL; ready when `${url}${healthPath}` answers 200. */
  url: string;
  /** @default '/healthz' */
  healthPath?: string;
  logDir: string;
  /** @default 30000 */
  timeoutMs?: number;
  /** The HTTP client of the readiness check (a simulator behind mutual TLS needs the hub's). @default Node's fetch */
  fetch?: typeof fetch;
}

function tail(file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Starts a helper process (a registry simulator) with its output in a log file, and waits until it
 * answers its health endpoint. Fails with the end of its log if it dies or never becomes ready.
 */
export async function startProcess(options: StartProcessOptions): Promise<ManagedProcess> {
  mkdirSync(options.logDir, { recursive: true });
  const logFile = path.join(options.logDir, `${options.name}.log`);
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(process.execPath, [options.script, ...options.args], {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Two sources into one file: neither may end it (the other would then write after its end).
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  child.once('close', () => log.end());
  let exited: string | undefined;
  child.once('exit', (code, signal) => {
    exited = `exited with ${signal ?? `code ${code}`}`;
  });

  // A real process's start-up is waited for in real time: the monotonic timer, not the hub's clock.
  const deadline = performance.now() + (options.timeoutMs ?? 30_000);
  const health = `${options.url}${options.healthPath ?? '/healthz'}`;
  for (;;) {
    if (exited) throw new Error(`${options.name} ${exited} before it was ready; its log ${logFile} ends with:\n${tail(logFile)}`);
    try {
      const response = await (options.fetch ?? fetch)(health, { signal: AbortSignal.timeout(1000) });
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (performance.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${options.name} was not ready at ${health} in time; its log ${logFile} ends with:\n${tail(logFile)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  return {
    name: options.name,
    url: options.url,
    logFile,
    child,
    async stop() {
      if (exited) return;
      const done = new Promise<void>((resolve) => child.once('close', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await done;
      clearTimeout(timer);
    },
  };
}
