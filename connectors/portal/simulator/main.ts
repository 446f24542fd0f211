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
import type { PrefillDemoHub } from './prefill-demo';

const MAX_TOKEN_TTL_SECONDS = 86_400;
/** The demo portal client of the hub's demo data (scripts/demo-data.ts). */
export const DEFAULT_HUB_CLIENT_ID = 'demo-portal';

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

The prefill demo (/prefill: the portal asks a citizen's consent at the hub and prefills a declaration):
  --hub-url <url>           the hub, as the browser and the portal reach it (env PORTAL_SIM_HUB_URL);
                            without it /prefill says the demo is not configured
  --hub-client-id <id>      the portal's client at the hub, a portal with the redirect URI
                            <this simulator>/prefill/callback (env PORTAL_SIM_HUB_CLIENT_ID, default ${DEFAULT_HUB_CLIENT_ID})
  --hub-client-secret <s>   its secret at the hub (env PORTAL_SIM_HUB_CLIENT_SECRET; required with --hub-url);
                            prefer the environment
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
  /** The portal's client at the hub, for the prefill demo. */
  hub?: PrefillDemoHub | undefined;
}

export { CliUsageError };

/** Options from the command line, then the environment, then the defaults; `help` when asked for. */
export function parseCliOptions(argv: string[], env: NodeJS.ProcessEnv): CliOptions | 'help' {
  const args = parseSimulatorArgs(argv, env, [
    'port',
    'seed',
    'population-size',
    'client-id',
    'client-secret',
    'token-ttl',
    'hub-url',
    'hub-client-id',
    'hub-client-secret',
  ] as const);
  if (args === 'help') return 'help';
  const { host, setting, text } = args;
  const [hubUrlName, hubUrl] = setting('hub-url', 'PORTAL_SIM_HUB_URL', '');
  let hub: PrefillDemoHub | undefined;
  if (hubUrl.trim() !== '') {
    let parsed: URL;
    try {
      parsed = new URL(hubUrl);
    } catch {
      throw new CliUsageError(`${hubUrlName} must be an http(s) URL, got "${hubUrl}"`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new CliUsageError(`${hubUrlName} must be an http(s) URL`);
    const [, secret] = setting('hub-client-secret', 'PORTAL_SIM_HUB_CLIENT_SECRET', '');
    if (secret === '') throw new CliUsageError(`--hub-client-secret (or PORTAL_SIM_HUB_CLIENT_SECRET) is required with ${hubUrlName}`);
    hub = {
      url: `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`,
      clientId: text('hub-client-id', 'PORTAL_SIM_HUB_CLIENT_ID', DEFAULT_HUB_CLIENT_ID),
      clientSecret: secret,
    };
  }
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
    hub,
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
      `national portal simulator listening on ${simulator.url} (client ${options.clientId}, tokens ${options.tokenTtlSeconds} s, ${options.populationSize} citizens, seed ${options.seed}); ` +
      (options.hub
        ? `prefill demo ${simulator.url}/prefill with hub ${options.hub.url} as ${options.hub.clientId}`
        : 'prefill demo not configured (--hub-url)'),
  });
}
