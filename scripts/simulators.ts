import path from 'node:path';
import { projectRoot } from '../platform/paths';
import { startProcess, type ManagedProcess } from './child-process';

export interface SimulatorSettings {
  /** URL the simulator must listen on (its port is taken from it). */
  populationUrl: string;
  seed: number;
  /** @default 10000 */
  populationSize?: number;
  logDir: string;
}

/** The compiled entry point of a simulator. */
function distScript(relative: string): string {
  return path.join(projectRoot(), 'dist', relative);
}

/** Starts every registry simulator as its own process (they are separate services, as the real registries are). */
export async function startSimulators(settings: SimulatorSettings): Promise<ManagedProcess[]> {
  const url = new URL(settings.populationUrl);
  const population = await startProcess({
    name: 'population-simulator',
    script: distScript('connectors/population/simulator/main.js'),
    args: [
      '--host',
      url.hostname,
      '--port',
      url.port || '80',
      '--seed',
      String(settings.seed),
      '--size',
      String(settings.populationSize ?? 10_000),
    ],
    url: `${url.protocol}//${url.host}`,
    logDir: settings.logDir,
  });
  return [population];
}
