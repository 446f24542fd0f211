import { CliUsageError, integerOption as integer, parseSimulatorArgs, runSimulatorCli } from '../../simulator-kit';
import { MAX_POPULATION_SIZE } from '../../population/simulator/citizen-generator';
import {
  DEFAULT_HUB_CLIENT_ID,
  DEFAULT_HUB_CLIENT_SECRET,
  DEFAULT_ID_TOKEN_TTL_SECONDS,
  DEFAULT_IDENTITY_POPULATION_SIZE,
  DEFAULT_IDENTITY_PORT,
  DEFAULT_IDENTITY_SEED,
  type RegisteredClient,
} from './identity-simulator.defaults';
import type { RunningIdentitySimulator } from './identity-simulator.server';

const USAGE = `Usage: node dist/connectors/identity/simulator/main.js [options]

Serves a simulated national identity provider (OpenID Connect; see connectors/identity/README.md).
Test users are the population simulator's people (same seed); their password is vneid-test.

Options:
  --host <host>             interface to listen on (default 127.0.0.1)
  --port <port>             port, 0 for any free port (env IDENTITY_SIM_PORT, default ${DEFAULT_IDENTITY_PORT})
  --seed <n>                seed of the population (env IDENTITY_SIM_SEED, default ${DEFAULT_IDENTITY_SEED})
  --population-size <n>     people who may sign in (env IDENTITY_SIM_POPULATION_SIZE, default ${DEFAULT_IDENTITY_POPULATION_SIZE})
  --id-token-ttl <seconds>  lifetime of an ID token (env IDENTITY_SIM_ID_TOKEN_TTL, default ${DEFAULT_ID_TOKEN_TTL_SECONDS})
  --client <spec>           registered clients, "id=redirect,redirect;id2=redirect" (env IDENTITY_SIM_CLIENTS),
                            each secret in IDENTITY_SIM_SECRET_<ID> (upper case, other characters as _);
                            default ${DEFAULT_HUB_CLIENT_ID}=http://127.0.0.1:4000/auth/callback, secret ${DEFAULT_HUB_CLIENT_SECRET}
  -h, --help                show this help
`;

export interface CliOptions {
  host: string;
  port: number;
  seed: number;
  populationSize: number;
  idTokenTtlSeconds: number;
  clients: RegisteredClient[];
}

export { CliUsageError };

function secretVariable(clientId: string): string {
  return `IDENTITY_SIM_SECRET_${clientId.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/** `id=uri,uri;id=uri` with each secret from the environment. */
export function parseClients(spec: string, env: NodeJS.ProcessEnv): RegisteredClient[] {
  return spec
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const [clientId, uris] = part.split('=', 2) as [string, string | undefined];
      const redirectUris = (uris ?? '').split(',').filter((uri) => uri !== '');
      if (!clientId || redirectUris.length === 0) throw new CliUsageError(`--client: "${part}" is not <id>=<redirect URI,...>`);
      for (const uri of redirectUris) {
        if (!URL.canParse(uri)) throw new CliUsageError(`--client: "${uri}" is not a URL`);
      }
      const clientSecret = env[secretVariable(clientId)] ?? (clientId === DEFAULT_HUB_CLIENT_ID ? DEFAULT_HUB_CLIENT_SECRET : '');
      if (!clientSecret) throw new CliUsageError(`client ${clientId}: set its secret in ${secretVariable(clientId)}`);
      return { clientId, clientSecret, redirectUris };
    });
}

export function parseCliOptions(argv: string[], env: NodeJS.ProcessEnv): CliOptions | 'help' {
  const args = parseSimulatorArgs(argv, env, ['port', 'seed', 'population-size', 'id-token-ttl', 'client'] as const);
  if (args === 'help') return 'help';
  const { host, setting } = args;
  const [, clientSpec] = setting('client', 'IDENTITY_SIM_CLIENTS', `${DEFAULT_HUB_CLIENT_ID}=http://127.0.0.1:4000/auth/callback`);
  return {
    host,
    port: integer(...setting('port', 'IDENTITY_SIM_PORT', DEFAULT_IDENTITY_PORT), 0, 65_535),
    seed: integer(...setting('seed', 'IDENTITY_SIM_SEED', DEFAULT_IDENTITY_SEED), 0, Number.MAX_SAFE_INTEGER),
    populationSize: integer(
      ...setting('population-size', 'IDENTITY_SIM_POPULATION_SIZE', DEFAULT_IDENTITY_POPULATION_SIZE),
      1,
      MAX_POPULATION_SIZE,
    ),
    idTokenTtlSeconds: integer(...setting('id-token-ttl', 'IDENTITY_SIM_ID_TOKEN_TTL', DEFAULT_ID_TOKEN_TTL_SECONDS), 1, 86_400),
    clients: parseClients(clientSpec, env),
  };
}

if (require.main === module) {
  void runSimulatorCli<CliOptions, RunningIdentitySimulator>({
    name: 'identity-simulator',
    usage: USAGE,
    parse: parseCliOptions,
    // Loaded when started: oidc-provider is ESM, which the command line's own tests need not load.
    start: async (options, logger) => (await import('./identity-simulator.server')).startIdentitySimulator({ ...options, logger }),
    listening: (simulator, options) =>
      `national identity simulator listening on ${simulator.url} (issuer ${simulator.issuer}, clients ${options.clients.map((c) => c.clientId).join(', ')})`,
  });
}
