import { parseArgs } from 'node:util';
import { createLogger } from '../../../platform/logger';
import { MAX_POPULATION_SIZE } from './citizen-generator';
import {
  DEFAULT_SIMULATOR_PORT,
  DEFAULT_SIMULATOR_SEED,
  DEFAULT_SIMULATOR_SIZE,
  startPopulationSimulator,
  type RunningPopulationSimulator,
} from './population-simulator.server';

const USAGE = `Usage: node dist/connectors/population/simulator/main.js [options]

Serves a simulated national population registry (see connectors/population/README.md).

Options:
  --host <host>  interface to listen on (default 127.0.0.1)
  --port <port>  port, 0 for any free port (env POPULATION_SIM_PORT, default ${DEFAULT_SIMULATOR_PORT})
  --seed <n>     seed of the synthetic population (env POPULATION_SIM_SEED, default ${DEFAULT_SIMULATOR_SEED})
  --size <n>     number of citizens, 1 to ${MAX_POPULATION_SIZE} (env POPULATION_SIM_SIZE, default ${DEFAULT_SIMULATOR_SIZE})
  -h, --help     show this help
`;

export interface CliOptions {
  host: string;
  port: number;
  seed: number;
  size: number;
}

export class CliUsageError extends Error {}

function integer(name: string, raw: string, min: number, max: number): number {
  const value = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new CliUsageError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

/** Options from the command line, then the environment, then the defaults; `help` when asked for. */
export function parseCliOptions(argv: string[], env: NodeJS.ProcessEnv): CliOptions | 'help' {
  let values: { host?: string; port?: string; seed?: string; size?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        seed: { type: 'string' },
        size: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    // Node's messages run on with advice over several lines; keep the first sentence.
    throw new CliUsageError(String((error as Error).message).split(/\.\s/)[0] as string);
  }
  if (values.help) return 'help';
  const host = values.host ?? '127.0.0.1';
  if (host.trim() === '') throw new CliUsageError('--host must not be empty');
  const setting = (option: 'port' | 'seed' | 'size', variable: string, fallback: number): [string, string] =>
    values[option] !== undefined ? [`--${option}`, values[option]] : [variable, env[variable] ?? String(fallback)];
  return {
    host,
    port: integer(...setting('port', 'POPULATION_SIM_PORT', DEFAULT_SIMULATOR_PORT), 0, 65_535),
    seed: integer(...setting('seed', 'POPULATION_SIM_SEED', DEFAULT_SIMULATOR_SEED), 0, Number.MAX_SAFE_INTEGER),
    size: integer(...setting('size', 'POPULATION_SIM_SIZE', DEFAULT_SIMULATOR_SIZE), 1, MAX_POPULATION_SIZE),
  };
}

async function main(): Promise<void> {
  let options: CliOptions | 'help';
  try {
    options = parseCliOptions(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof CliUsageError)) throw error;
    process.stderr.write(`population-simulator: ${error.message} (see --help)\n`);
    process.exit(2);
  }
  if (options === 'help') {
    process.stdout.write(USAGE);
    return;
  }

  const logger = createLogger({ name: 'population-simulator' });
  let simulator: RunningPopulationSimulator;
  try {
    simulator = await startPopulationSimulator({ ...options, logger });
  } catch (error) {
    process.stderr.write(`population-simulator: cannot start: ${(error as Error).message}\n`);
    process.exit(1);
  }
  process.stdout.write(`population registry simulator listening on ${simulator.url} (${options.size} citizens, seed ${options.seed})\n`);

  const stop = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'stopping');
    // Give up on a clean close after 5 s rather than hang the caller.
    setTimeout(() => process.exit(1), 5_000).unref();
    simulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (require.main === module) {
  void main();
}
