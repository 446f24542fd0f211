import { MAX_POPULATION_SIZE } from '../../population/simulator/citizen-generator';
import { CliUsageError, integerOption as integer, parseSimulatorArgs, runSimulatorCli } from '../../simulator-kit';
import {
  DEFAULT_CLIENT_ID,
  DEFAULT_CLIENT_SECRET,
  DEFAULT_PORTAL_POPULATION_SIZE,
  DEFAULT_PORTAL_PORT,
  DEFAULT_PORTAL_SEED,
  DEFAULT_TOKEN_TTL_SECONDS,
  startPortalSimulator,
  type RunningPortalSimulator,
} from './portal-simulator.server';

const MAX_TOKEN_TTL_SECONDS = 86_400;

const USAGE = `Usage: node dist/connectors/portal/simulator/main.js [options]

Serves a simulated national public-service portal (see connectors/portal/README.md).

Options:
  --host <host>             interface to listen on (default 127.0.0.1)
  --port <port>             port, 0 for any free port (env PORTAL_SIM_PORT, default ${DEFAULT_PORTAL_PORT})
  --seed <n>                seed of the synthetic population (env PORTAL_SIM_SEED, default ${DEFAULT_PORTAL_SEED})
  --population-size <n>     citizens who may have accounts, 1 to ${MAX_POPULATION_SIZE}
                            (env PORTAL_SIM_POPULATION_SIZE, default ${DEFAULT_PORTAL_POPULATION_SIZE})
  --client-id <id>          the OAuth client (env PORTAL_SIM_CLIENT_ID, default ${DEFAULT_CLIENT_ID})
  --client-secret <secret>  its secret (env PORTAL_SIM_CLIENT_SECRET, default ${DEFAULT_CLIENT_SECRET});
                            prefer the environment: arguments are visible to other users
  --token-ttl <seconds>     lifetime of an access token, 1 to ${MAX_TOKEN_TTL_SECONDS} (env PORTAL_SIM_TOKEN_TTL, default ${DEFAULT_TOKEN_TTL_SECONDS})
  -h, --help                show this help
`;

export interface CliOptions {
  host: string;
  port: number;
  seed: number;
  populationSize: number;
  clientId: string;
  clientSecret: string;
  tokenTtlSeconds: number;
}

export { CliUsageError };

/** Options from the command line, then the environment, then the defaults; `help` when asked for. */
export function parseCliOptions(argv: string[], env: NodeJS.ProcessEnv): CliOptions | 'help' {
  const args = parseSimulatorArgs(argv, env, ['port', 'seed', 'population-size', 'client-id', 'client-secret', 'token-ttl'] as const);
  if (args === 'help') return 'help';
  const { host, setting, text } = args;
  return {
    host,
    port: integer(...setting('port', 'PORTAL_SIM_PORT', DEFAULT_PORTAL_PORT), 0, 65_535),
    seed: integer(...setting('seed', 'PORTAL_SIM_SEED', DEFAULT_PORTAL_SEED), 0, Number.MAX_SAFE_INTEGER),
    populationSize: integer(
      ...setting('population-size', 'PORTAL_SIM_POPULATION_SIZE', DEFAULT_PORTAL_POPULATION_SIZE),
      1,
      MAX_POPULATION_SIZE,
    ),
    clientId: text('client-id', 'PORTAL_SIM_CLIENT_ID', DEFAULT_CLIENT_ID),
    clientSecret: text('client-secret', 'PORTAL_SIM_CLIENT_SECRET', DEFAULT_CLIENT_SECRET),
    tokenTtlSeconds: integer(...setting('token-ttl', 'PORTAL_SIM_TOKEN_TTL', DEFAULT_TOKEN_TTL_SECONDS), 1, MAX_TOKEN_TTL_SECONDS),
  };
}

if (require.main === module) {
  void runSimulatorCli<CliOptions, RunningPortalSimulator>({
    name: 'portal-simulator',
    usage: USAGE,
    parse: parseCliOptions,
    start: (options, logger) => startPortalSimulator({ ...options, logger }),
    // Never the secret: this line ends up in logs.
    listening: (simulator, options) =>
      `national portal simulator listening on ${simulator.url} (client ${options.clientId}, tokens ${options.tokenTtlSeconds} s, ${options.populationSize} citizens, seed ${options.seed})`,
  });
}
