import { MAX_POPULATION_SIZE } from '../../population/simulator/citizen-generator';
import { CliUsageError, integerOption as integer, parseSimulatorArgs, runSimulatorCli } from '../../simulator-kit';
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

export { CliUsageError };

/** Options from the command line, then the environment, then the defaults; `help` when asked for. */
export function parseCliOptions(argv: string[], env: NodeJS.ProcessEnv): CliOptions | 'help' {
  const args = parseSimulatorArgs(argv, env, ['port', 'seed', 'size', 'population-size', 'api-key'] as const);
  if (args === 'help') return 'help';
  const { host, setting } = args;
  const apiKey = args.text('api-key', 'BUSINESS_SIM_API_KEY', DEFAULT_API_KEY);
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

if (require.main === module) {
  void runSimulatorCli<CliOptions, RunningBusinessSimulator>({
    name: 'business-simulator',
    usage: USAGE,
    parse: parseCliOptions,
    start: (options, logger) => startBusinessSimulator({ ...options, logger }),
    listening: (simulator, options) =>
      `business registry simulator listening on ${simulator.url} (${options.size} enterprises, population ${options.populationSize}, seed ${options.seed})`,
  });
}
