import { readFileSync } from 'node:fs';
import { CliUsageError, integerOption as integer, parseSimulatorArgs, runSimulatorCli, type SimulatorTls } from '../../simulator-kit';
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
  --tls-cert <file>   serve HTTPS with this server certificate, PEM with its chain (env POPULATION_SIM_TLS_CERT)
  --tls-key <file>    its private key, PEM (env POPULATION_SIM_TLS_KEY)
  --client-ca <file>  require client certificates issued by these CAs, PEM (env POPULATION_SIM_CLIENT_CA)
                      The three go together: with them every request needs a client certificate.
  -h, --help     show this help
`;

export interface CliOptions {
  host: string;
  port: number;
  seed: number;
  size: number;
  tls?: SimulatorTls;
}

function readPem(name: string, file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliUsageError(`${name}: cannot read "${file}" (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

export { CliUsageError };

/** Options from the command line, then the environment, then the defaults; `help` when asked for. */
export function parseCliOptions(argv: string[], env: NodeJS.ProcessEnv): CliOptions | 'help' {
  const args = parseSimulatorArgs(argv, env, ['port', 'seed', 'size', 'tls-cert', 'tls-key', 'client-ca'] as const);
  if (args === 'help') return 'help';
  const { host, setting } = args;
  const files = [
    setting('tls-cert', 'POPULATION_SIM_TLS_CERT', ''),
    setting('tls-key', 'POPULATION_SIM_TLS_KEY', ''),
    setting('client-ca', 'POPULATION_SIM_CLIENT_CA', ''),
  ];
  const given = files.filter(([, file]) => file !== '');
  if (given.length > 0 && given.length < files.length) {
    throw new CliUsageError('--tls-cert, --tls-key and --client-ca go together');
  }
  const [cert, key, clientCa] = files.map(([name, file]) => (file ? readPem(name, file) : ''));
  return {
    ...(given.length ? { tls: { certificatePem: cert!, keyPem: key!, clientCaPem: clientCa! } } : {}),
    host,
    port: integer(...setting('port', 'POPULATION_SIM_PORT', DEFAULT_SIMULATOR_PORT), 0, 65_535),
    seed: integer(...setting('seed', 'POPULATION_SIM_SEED', DEFAULT_SIMULATOR_SEED), 0, Number.MAX_SAFE_INTEGER),
    size: integer(...setting('size', 'POPULATION_SIM_SIZE', DEFAULT_SIMULATOR_SIZE), 1, MAX_POPULATION_SIZE),
  };
}

if (require.main === module) {
  void runSimulatorCli<CliOptions, RunningPopulationSimulator>({
    name: 'population-simulator',
    usage: USAGE,
    parse: parseCliOptions,
    start: (options, logger) => startPopulationSimulator({ ...options, logger }),
    listening: (simulator, options) =>
      `population registry simulator listening on ${simulator.url} (${options.size} citizens, seed ${options.seed}${options.tls ? ', client certificates required' : ''})`,
  });
}
