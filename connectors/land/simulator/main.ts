import { parseArgs } from 'node:util';
import { MAX_POPULATION_SIZE } from '../../population/simulator/citizen-generator';
import { createLogger } from '../../../platform/logger';
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

export class CliUsageError extends Error {}

function integer(name: string, raw: string, min: number, max: number): number {
  const value = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new CliUsageError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

type StringOption = 'host' | 'port' | 'seed' | 'size' | 'population-size' | 'business-size' | 'username' | 'password';

/** Options from the command line, then the environment, then the defaults; `help` when asked for. */
export function parseCliOptions(argv: string[], env: NodeJS.ProcessEnv): CliOptions | 'help' {
  let values: Partial<Record<StringOption, string>> & { help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        seed: { type: 'string' },
        size: { type: 'string' },
        'population-size': { type: 'string' },
        'business-size': { type: 'string' },
        username: { type: 'string' },
        password: { type: 'string' },
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
  const setting = (option: StringOption, variable: string, fallback: string | number): [string, string] =>
    values[option] !== undefined ? [`--${option}`, values[option]] : [variable, env[variable] ?? String(fallback)];
  const text = (option: StringOption, variable: string, fallback: string): string => {
    const [name, value] = setting(option, variable, fallback);
    if (value === '') throw new CliUsageError(`${name} must not be empty`);
    return value;
  };
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

async function main(): Promise<void> {
  let options: CliOptions | 'help';
  try {
    options = parseCliOptions(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof CliUsageError)) throw error;
    process.stderr.write(`land-simulator: ${error.message} (see --help)\n`);
    process.exit(2);
  }
  if (options === 'help') {
    process.stdout.write(USAGE);
    return;
  }

  const logger = createLogger({ name: 'land-simulator' });
  let simulator: RunningLandSimulator;
  try {
    simulator = await startLandSimulator({ ...options, logger });
  } catch (error) {
    process.stderr.write(`land-simulator: cannot start: ${(error as Error).message}\n`);
    process.exit(1);
  }
  process.stdout.write(
    `land registry simulator listening on ${simulator.url} (SOAP endpoint ${simulator.endpoint}, ${options.size} parcels, seed ${options.seed})\n`,
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
