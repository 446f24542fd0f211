import { MAX_POPULATION_SIZE } from '../../population/simulator/citizen-generator';
import { CliUsageError, integerOption as integer, parseSimulatorArgs, runSimulatorCli } from '../../simulator-kit';
import {
  DEFAULT_BUSINESS_COUNT,
  DEFAULT_LAND_SEED,
  DEFAULT_LAND_SIZE,
  DEFAULT_POPULATION_SIZE,
  MAX_BUSINESS_COUNT,
  MAX_LAND_SIZE,
} from './land-generator';
import {
  DEFAULT_LAND_PASSWORD,
  DEFAULT_LAND_SIMULATOR_PORT,
  DEFAULT_LAND_USERNAME,
  startLandSimulator,
  type RunningLandSimulator,
} from './land-simulator.server';

const USAGE = `Usage: node dist/connectors/land/simulator/main.js [options]

Serves a simulated land registry over SOAP 1.1 (see connectors/land/README.md).

Options:
  --host <host>             interface to listen on (default 127.0.0.1)
  --port <port>             port, 0 for any free port (env LAND_SIM_PORT, default ${DEFAULT_LAND_SIMULATOR_PORT})
  --seed <n>                seed, the population simulator's (env LAND_SIM_SEED, default ${DEFAULT_LAND_SEED})
  --size <n>                number of parcels, 1 to ${MAX_LAND_SIZE} (env LAND_SIM_SIZE, default ${DEFAULT_LAND_SIZE})
  --population-size <n>     citizens of the population simulator, 1 to ${MAX_POPULATION_SIZE}
                            (env LAND_SIM_POPULATION_SIZE, default ${DEFAULT_POPULATION_SIZE})
  --business-size <n>       enterprises of the business simulator, 0 to ${MAX_BUSINESS_COUNT}
                            (env LAND_SIM_BUSINESS_SIZE, default ${DEFAULT_BUSINESS_COUNT})
  --username <name>         WS-Security username (env LAND_SIM_USERNAME, default ${DEFAULT_LAND_USERNAME})
  --password <password>     WS-Security password (env LAND_SIM_PASSWORD, default ${DEFAULT_LAND_PASSWORD})
  -h, --help                show this help
`;

export interface CliOptions {
  host: string;
  port: number;
  seed: number;
  size: number;
  populationSize: number;
  businessCount: number;
  username: string;
  password: string;
}

export { CliUsageError };

/** Options from the command line, then the environment, then the defaults; `help` when asked for. */
export function parseCliOptions(argv: string[], env: NodeJS.ProcessEnv): CliOptions | 'help' {
  const args = parseSimulatorArgs(argv, env, ['port', 'seed', 'size', 'population-size', 'business-size', 'username', 'password'] as const);
  if (args === 'help') return 'help';
  const { host, setting } = args;
  // Credentials may be white space, only not empty.
  const text = (option: 'username' | 'password', variable: string, fallback: string): string =>
    args.text(option, variable, fallback, { allowWhitespace: true });
  return {
    host,
    port: integer(...setting('port', 'LAND_SIM_PORT', DEFAULT_LAND_SIMULATOR_PORT), 0, 65_535),
    seed: integer(...setting('seed', 'LAND_SIM_SEED', DEFAULT_LAND_SEED), 0, Number.MAX_SAFE_INTEGER),
    size: integer(...setting('size', 'LAND_SIM_SIZE', DEFAULT_LAND_SIZE), 1, MAX_LAND_SIZE),
    populationSize: integer(...setting('population-size', 'LAND_SIM_POPULATION_SIZE', DEFAULT_POPULATION_SIZE), 1, MAX_POPULATION_SIZE),
    businessCount: integer(...setting('business-size', 'LAND_SIM_BUSINESS_SIZE', DEFAULT_BUSINESS_COUNT), 0, MAX_BUSINESS_COUNT),
    username: text('username', 'LAND_SIM_USERNAME', DEFAULT_LAND_USERNAME),
    password: text('password', 'LAND_SIM_PASSWORD', DEFAULT_LAND_PASSWORD),
  };
}

if (require.main === module) {
  void runSimulatorCli<CliOptions, RunningLandSimulator>({
    name: 'land-simulator',
    usage: USAGE,
    parse: parseCliOptions,
    start: (options, logger) => startLandSimulator({ ...options, logger }),
    listening: (simulator, options) =>
      `land registry simulator listening on ${simulator.url} (SOAP endpoint ${simulator.endpoint}, ${options.size} parcels, seed ${options.seed})`,
  });
}
