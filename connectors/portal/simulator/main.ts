import { parseArgs } from 'node:util';
import { createLogger } from '../../../platform/logger';
import { MAX_POPULATION_SIZE } from '../../population/simulator/citizen-generator';
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

export class CliUsageError extends Error {}

function integer(name: string, raw: string, min: number, max: number): number {
  const value = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new CliUsageError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

type StringOption = 'host' | 'port' | 'seed' | 'population-size' | 'client-id' | 'client-secret' | 'token-ttl';

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
        'population-size': { type: 'string' },
        'client-id': { type: 'string' },
        'client-secret': { type: 'string' },
        'token-ttl': { type: 'string' },
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
    values[option] !== undefined ? [`--${option}`, values[option] as string] : [variable, env[variable] ?? String(fallback)];
  const text = (option: StringOption, variable: string, fallback: string): string => {
    const [name, value] = setting(option, variable, fallback);
    if (value.trim() === '') throw new CliUsageError(`${name} must not be empty`);
    return value;
  };
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

async function main(): Promise<void> {
  let options: CliOptions | 'help';
  try {
    options = parseCliOptions(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof CliUsageError)) throw error;
    process.stderr.write(`portal-simulator: ${error.message} (see --help)\n`);
    process.exit(2);
  }
  if (options === 'help') {
    process.stdout.write(USAGE);
    return;
  }

  const logger = createLogger({ name: 'portal-simulator' });
  let simulator: RunningPortalSimulator;
  try {
    simulator = await startPortalSimulator({ ...options, logger });
  } catch (error) {
    process.stderr.write(`portal-simulator: cannot start: ${(error as Error).message}\n`);
    process.exit(1);
  }
  // Never the secret: this line ends up in logs.
  process.stdout.write(
    `national portal simulator listening on ${simulator.url} (client ${options.clientId}, tokens ${options.tokenTtlSeconds} s, ${options.populationSize} citizens, seed ${options.seed})\n`,
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
