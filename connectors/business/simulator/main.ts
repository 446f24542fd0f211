import { parseArgs } from 'node:util';
import { createLogger } from '../../../platform/logger';
import { MAX_POPULATION_SIZE } from '../../population/simulator/citizen-generator';
import { MAX_REGISTRY_SIZE } from './business-generator';
import {
  DEFAULT_API_KEY,
  DEFAULT_POPULATION_SIZE,
  DEFAULT_SIMULATOR_PORT,
  DEFAULT_SIMULATOR_SEED,
  DEFAULT_SIMULATOR_SIZE,
  startBusinessSimulator,
  type RunningBusinessSimulator,
} from './business-simulator.server';

const USAGE = `Usage: node dist/connectors/business/simulator/main.js [options]

Serves a simulated national business registry (see connectors/business/README.md). Its legal
representatives are citizens of the population simulator: give both the same seed and population size.

Options:
  --host <host>             interface to listen on (default 127.0.0.1)
  --port <port>             port, 0 for any free port (env BUSINESS_SIM_PORT, default ${DEFAULT_SIMULATOR_PORT})
  --seed <n>                seed, the population simulator's (env BUSINESS_SIM_SEED, default ${DEFAULT_SIMULATOR_SEED})
  --size <n>                number of enterprises, 1 to ${MAX_REGISTRY_SIZE} (env BUSINESS_SIM_SIZE, default ${DEFAULT_SIMULATOR_SIZE})
  --population-size <n>     the population simulator's size, 1 to ${MAX_POPULATION_SIZE} (env BUSINESS_SIM_POPULATION_SIZE, default ${DEFAULT_POPULATION_SIZE})
  --api-key <key>           key callers must send in X-Api-Key (env BUSINESS_SIM_API_KEY, default ${DEFAULT_API_KEY})
  -h, --help                show this help
`;

export interface CliOptions {
  host: string;
  port: number;
  seed: number;
  size: number;
  populationSize: number;
  apiKey: string;
}

export class CliUsageError extends Error {}

function integer(name: string, raw: string, min: number, max: number): number {
  const value = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new CliUsageError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

type Values = {
  host?: string;
  port?: string;
  seed?: string;
  size?: string;
  'population-size'?: string;
  'api-key'?: string;
  help?: boolean;
};

/** Options from the command line, then the environment, then the defaults; `help` when asked for. */
export function parseCliOptions(argv: string[], env: NodeJS.ProcessEnv): CliOptions | 'help' {
  let values: Values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        seed: { type: 'string' },
        size: { type: 'string' },
        'population-size': { type: 'string' },
        'api-key': { type: 'string' },
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
  const setting = (option: Exclude<keyof Values, 'help' | 'host'>, variable: string, fallback: string): [string, string] =>
    values[option] !== undefined ? [`--${option}`, values[option]] : [variable, env[variable] ?? fallback];
  const [apiKeySource, apiKey] = setting('api-key', 'BUSINESS_SIM_API_KEY', DEFAULT_API_KEY);
  if (apiKey.trim() === '') throw new CliUsageError(`${apiKeySource} must not be empty`);
  return {
    host,
    port: integer(...setting('port', 'BUSINESS_SIM_PORT', String(DEFAULT_SIMULATOR_PORT)), 0, 65_535),
    seed: integer(...setting('seed', 'BUSINESS_SIM_SEED', String(DEFAULT_SIMULATOR_SEED)), 0, Number.MAX_SAFE_INTEGER),
    size: integer(...setting('size', 'BUSINESS_SIM_SIZE', String(DEFAULT_SIMULATOR_SIZE)), 1, MAX_REGISTRY_SIZE),
    populationSize: integer(
      ...setting('population-size', 'BUSINESS_SIM_POPULATION_SIZE', String(DEFAULT_POPULATION_SIZE)),
      1,
      MAX_POPULATION_SIZE,
    ),
    apiKey,
  };
}

async function main(): Promise<void> {
  let options: CliOptions | 'help';
  try {
    options = parseCliOptions(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof CliUsageError)) throw error;
    process.stderr.write(`business-simulator: ${error.message} (see --help)\n`);
    process.exit(2);
  }
  if (options === 'help') {
    process.stdout.write(USAGE);
    return;
  }

  const logger = createLogger({ name: 'business-simulator' });
  let simulator: RunningBusinessSimulator;
  try {
    simulator = await startBusinessSimulator({ ...options, logger });
  } catch (error) {
    process.stderr.write(`business-simulator: cannot start: ${(error as Error).message}\n`);
    process.exit(1);
  }
  process.stdout.write(
    `business registry simulator listening on ${simulator.url} (${options.size} enterprises, population ${options.populationSize}, seed ${options.seed})\n`,
  );

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
