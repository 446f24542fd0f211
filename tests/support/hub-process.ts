import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../../platform/paths';

export interface HubProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<number | string>;
}

export const HUB_SCRIPT = path.join(projectRoot(), 'dist', 'scripts', 'hub.js');

/** Runs `hub start` as a real child process with only the given environment (plus PATH and HOME). */
export function spawnHub(env: Record<string, string>, args: string[] = ['start']): HubProcess {
  const child = spawn(process.execPath, [HUB_SCRIPT, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code ?? -1)));
  return { url: `http://${env.HOST ?? '127.0.0.1'}:${env.PORT}`, child, output: () => output, exited };
}

export async function waitUntilHealthy(hub: HubProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let ended = false;
  void hub.exited.then(() => (ended = true));
  for (;;) {
    if (ended) throw new Error(`hub exited before it was healthy:\n${hub.output()}`);
    try {
      const response = await fetch(`${hub.url}/healthz`, { signal: AbortSignal.timeout(1000) });
      // /healthz answers once the gateway listens, which is after migrations and demo data setup began.
      if (response.ok && hub.output().includes('Press Ctrl-C to stop')) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`hub not healthy in time:\n${hub.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
