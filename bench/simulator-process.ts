/**
 * A registry simulator in a process of its own, so that a benchmark measuring the hub does not share
 * the hub's event loop with the registries' work. Run as a script, it starts one simulator and prints
 * its addresses as one JSON line; the benchmark stops it with SIGTERM.
 */
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { startBusinessSimulator } from '../connectors/business/simulator/business-simulator.server';
import { DEFAULT_BUSINESS_COUNT, DEFAULT_POPULATION_SIZE } from '../connectors/land/simulator/land-generator';
import { startLandSimulator } from '../connectors/land/simulator/land-simulator.server';
import { startPopulationSimulator } from '../connectors/population/simulator/population-simulator.server';
import type { SimulatorFaults } from '../connectors/simulator-kit';
import { createLogger } from '../platform/logger';

export type SimulatedRegistry = 'population' | 'business' | 'land';

export interface SimulatorProcess {
  url: string;
  /** The land registry's SOAP endpoint; the URL for the others. */
  endpoint: string;
  close(): Promise<void>;
}

interface Start {
  registry: SimulatedRegistry;
  seed: number;
  faults: Partial<SimulatorFaults>;
}

async function startInThisProcess({ registry, seed, faults }: Start): Promise<{ url: string; endpoint: string }> {
  const logger = createLogger({ level: 'silent' });
  switch (registry) {
    case 'population': {
      const running = await startPopulationSimulator({ port: 0, seed, logger, faults });
      return { url: running.url, endpoint: running.url };
    }
    case 'business': {
      const running = await startBusinessSimulator({ port: 0, seed, logger, faults });
      return { url: running.url, endpoint: running.url };
    }
    case 'land': {
      const running = await startLandSimulator({
        port: 0,
        seed,
        populationSize: DEFAULT_POPULATION_SIZE,
        businessCount: DEFAULT_BUSINESS_COUNT,
        logger,
        faults,
      });
      return { url: running.url, endpoint: running.endpoint };
    }
  }
}

/** Starts a simulator in a child process and waits for its addresses. */
export async function startSimulatorProcess(start: Start): Promise<SimulatorProcess> {
  // stdin stays open as long as this process lives: the child ends with it, even if this one crashes.
  const child = spawn(process.execPath, [__filename, JSON.stringify(start)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const addresses = await new Promise<{ url: string; endpoint: string }>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${start.registry} simulator exited (${code}) before listening`)));
    lines.once('line', (line) => resolve(JSON.parse(line) as { url: string; endpoint: string }));
  });
  child.removeAllListeners('exit');
  return {
    ...addresses,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

if (require.main === module) {
  startInThisProcess(JSON.parse(process.argv[2]!) as Start).then(
    (addresses) => process.stdout.write(`${JSON.stringify(addresses)}\n`),
    (error: unknown) => {
      process.stderr.write(`simulator: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
  process.on('SIGTERM', () => process.exit(0));
  process.stdin.on('end', () => process.exit(0)).resume();
}
