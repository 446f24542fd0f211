import { z } from 'zod';
import { ConfigurationError } from '../domain/errors';

/**
 * The hub's one configuration schema. Every setting is an environment variable with a default,
 * a description and a sensitive flag; `loadConfig` validates them all at start-up and reports every
 * problem at once, one line per variable (name, what was expected, what it got).
 */
interface SettingSpec<T extends z.ZodTypeAny> {
  schema: T;
  description: string;
  group: 'server' | 'security' | 'store' | 'events' | 'connectors' | 'runtime';
  /** Never printed in clear. */
  sensitive?: boolean;
  /** The default as documented, when the schema's default is computed. */
  documentedDefault?: string;
}

const spec = <T extends z.ZodTypeAny>(s: SettingSpec<T>): SettingSpec<T> => s;

const booleanFlag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { errorMap: () => ({ message: 'expected true or false' }) })
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const postgresUrl = z
  .string()
  .url('expected a URL such as postgresql://user:password@host:5432/database')
  .refine((v) => /^postgres(ql)?:\/\//.test(v), 'expected a postgresql:// URL')
  .refine((v) => {
    try {
      const url = new URL(v);
      return url.hostname.length > 0 && url.pathname.length > 1;
    } catch {
      return false;
    }
  }, 'expected a host and a database name, e.g. postgresql://user:password@host:5432/database');

const httpUrl = z
  .string()
  .url('expected an http(s) URL')
  .refine((v) => /^https?:\/\//.test(v), 'expected an http:// or https:// URL');

const brokerList = z
  .string()
  .transform((v) =>
    v
      .split(',')
      .map((b) => b.trim())
      .filter(Boolean),
  )
  .refine((list) => list.length > 0 && list.every((b) => /^[A-Za-z0-9.-]+:\d{1,5}$/.test(b)), 'expected host:port[,host:port...]');

export const SETTINGS = {
  NODE_ENV: spec({
    schema: z.enum(['development', 'production', 'test']).default('development'),
    description: 'Run mode. `production` turns off demo data and introspection and masks unexpected error details.',
    group: 'runtime',
  }),
  HOST: spec({
    schema: z.string().min(1).default('127.0.0.1'),
    description: 'Interface the gateway binds to (0.0.0.0 for every interface).',
    group: 'server',
  }),
  PORT: spec({ schema: port(4000), description: 'Port of the gateway (GraphQL, health, metrics).', group: 'server' }),
  HUB_SECRET: spec({
    schema: z.string().min(32, 'expected at least 32 characters').default('development-only-secret-do-not-use-in-production'),
    description: 'Secret protecting key material at rest (token signing keys). Required in production.',
    group: 'security',
    sensitive: true,
    documentedDefault: '(a development value)',
  }),
  PKI_KEY_PASSPHRASE: spec({
    schema: z.string().min(12, 'expected at least 12 characters').default('development-only-pki-passphrase'),
    description:
      'Encrypts the private keys of the certificate authority and of the certificates it issued (PKCS#8, in DATA_DIR/pki). Required in production.',
    group: 'security',
    sensitive: true,
    documentedDefault: '(a development value)',
  }),
  PKI_ORGANISATION: spec({
    schema: z.string().min(1).default('Onestop Hub Development'),
    description: 'The organisation named in the certificate authority’s certificates (set when the CA is created).',
    group: 'security',
  }),
  TLS_ENABLED: spec({
    schema: booleanFlag(false),
    description:
      'Serve the gateway over HTTPS with a server certificate from the hub’s CA, and ask callers for a client certificate (required of clients registered with --mtls).',
    group: 'server',
  }),
  PUBLIC_URL: spec({
    schema: httpUrl.default('http://127.0.0.1:4000'),
    description: 'The hub’s address as others reach it: written into certificates (where the CRL is published) and into printed links.',
    group: 'server',
  }),
  TOKEN_ISSUER: spec({
    schema: z.string().min(1).default('urn:onestop-hub'),
    description: 'The `iss` of the access tokens the hub issues.',
    group: 'security',
  }),
  TOKEN_AUDIENCE: spec({
    schema: z.string().min(1).default('onestop-hub'),
    description: 'The `aud` the hub issues and requires in access tokens.',
    group: 'security',
  }),
  ACCESS_TOKEN_TTL_SECONDS: spec({
    schema: z.coerce.number().int().min(30).max(3600).default(300),
    description: 'Lifetime of an access token.',
    group: 'security',
  }),
  DEMO_CLIENT_SECRET: spec({
    schema: z.string().min(8, 'expected at least 8 characters').default('demo-secret'),
    description: 'Secret of the demo clients (demo-portal, demo-district, demo-officer, demo-monitor); they are refused in production.',
    group: 'security',
    sensitive: true,
  }),
  TRUSTED_DOCUMENTS: spec({
    schema: z.enum(['off', 'per-client', 'required']).default('per-client'),
    description: 'Trusted documents (registered operations only): off, per-client (clients flagged so), or required for every client.',
    group: 'security',
  }),
  RATE_LIMIT_PER_MINUTE: spec({
    schema: positiveInt(600),
    description: 'Requests per minute per API client (429 with Retry-After beyond).',
    group: 'security',
  }),
  RATE_LIMIT_PUBLIC_PER_MINUTE: spec({
    schema: positiveInt(120),
    description: 'Requests per minute per address for callers without a token (and for the token endpoint).',
    group: 'security',
  }),
  MAX_REQUEST_BYTES: spec({
    schema: positiveInt(102_400),
    description: 'Largest request body accepted (413 beyond).',
    group: 'security',
  }),
  MAX_DOCUMENT_BYTES: spec({
    schema: positiveInt(20 * 1024 * 1024),
    description: 'Largest file accepted by POST /documents (a scan to digitize) and POST /documents/verify, in bytes.',
    group: 'security',
  }),
  REQUEST_TIMEOUT_MS: spec({
    schema: positiveInt(30_000),
    description: 'Time limit of one HTTP request.',
    group: 'security',
  }),
  GRAPHQL_MAX_DEPTH: spec({ schema: positiveInt(10), description: 'Deepest selection a query may have.', group: 'security' }),
  GRAPHQL_MAX_COST: spec({ schema: positiveInt(5000), description: 'Highest estimated cost of a query.', group: 'security' }),
  GRAPHQL_MAX_ALIASES: spec({ schema: positiveInt(15), description: 'Most aliases in one query.', group: 'security' }),
  GRAPHQL_MAX_TOKENS: spec({ schema: positiveInt(2000), description: 'Most lexical tokens in one query document.', group: 'security' }),
  CLIENT_ASSERTION_AUDIENCE: spec({
    schema: httpUrl.optional(),
    description:
      'The `aud` a client assertion (private-key JWT, RFC 7523) must name: the token endpoint’s URL. Never taken from the request’s Host header; the `TOKEN_ISSUER` is accepted too.',
    group: 'security',
    documentedDefault: '(PUBLIC_URL + /oauth/token)',
  }),
  CLIENT_ASSERTION_MAX_LIFETIME_SECONDS: spec({
    schema: z.coerce.number().int().min(30).max(3600).default(300),
    description:
      'Longest a client assertion may be valid (its `exp` at most this far from now, and issued at most this long ago); its `jti` is remembered in the database that long, for every replica.',
    group: 'security',
  }),
  OPERATOR_TOKEN: spec({
    schema: z.string().min(32, 'expected at least 32 characters').optional(),
    description:
      'Bearer token of the operators: `/readyz` shows each dependency’s state only to it, and `/metrics` requires it when set. Unset: `/readyz` shows up/down only and `/metrics` is open.',
    group: 'security',
    sensitive: true,
    documentedDefault: '(none)',
  }),
  GRAPHQL_ASSUMED_LIST_SIZE: spec({
    schema: positiveInt(100),
    description:
      'Items a list is counted for in the query cost when its `first` is a variable (the largest page): the cost multiplies by each `first`, so aliases × pages × fields are counted.',
    group: 'security',
  }),
  UPSTREAM_MAX_CONCURRENT_CALLS: spec({
    schema: positiveInt(16),
    description: 'Calls in flight to one registry (population, business, land) at once; more wait in its queue.',
    group: 'connectors',
  }),
  UPSTREAM_MAX_QUEUED_CALLS: spec({
    schema: z.coerce.number().int().min(0).default(200),
    description:
      'Calls waiting for one registry beyond those in flight; more are refused at once with UPSTREAM_UNAVAILABLE (reason UPSTREAM.BUSY) and a retry hint.',
    group: 'connectors',
  }),
  LOG_LEVEL: spec({
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    description: 'pino log level.',
    group: 'runtime',
  }),
  DATA_DIR: spec({
    schema: z.string().min(1).default('./data'),
    description: 'Folder for the embedded database and other local state.',
    group: 'store',
  }),
  DATABASE_URL: spec({
    schema: postgresUrl.optional(),
    description: 'PostgreSQL server to use. Unset: the embedded PostgreSQL (PGlite) in DATA_DIR.',
    group: 'store',
    sensitive: true,
    documentedDefault: '(embedded)',
  }),
  DATABASE_SCHEMA: spec({
    schema: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'expected a lower-case PostgreSQL identifier (letters, digits, underscore)')
      .default('public'),
    description: 'PostgreSQL schema holding the hub’s tables (created when missing).',
    group: 'store',
  }),
  DATABASE_POOL_MAX: spec({
    schema: positiveInt(10),
    description: 'Connection pool size for a PostgreSQL server (the embedded store always uses 1).',
    group: 'store',
  }),
  EMBEDDED_DATABASE_PORT: spec({
    schema: port(0),
    description: 'Port on 127.0.0.1 where the embedded PostgreSQL is served (0: any free port).',
    group: 'store',
  }),
  KAFKA_BROKERS: spec({
    schema: brokerList.optional(),
    description: 'Kafka bootstrap brokers (host:port,...). Unset: events are dispatched in-process.',
    group: 'events',
    documentedDefault: '(in-process)',
  }),
  KAFKA_CLIENT_ID: spec({
    schema: z.string().min(1).default('onestop-hub'),
    description: 'Kafka client id.',
    group: 'events',
  }),
  KAFKA_TOPIC_PREFIX: spec({
    schema: z
      .string()
      .regex(/^[A-Za-z0-9._-]*$/, 'expected letters, digits, dot, dash or underscore')
      .default('onestop.'),
    description: 'Prefix of every topic name (topic = prefix + event type).',
    group: 'events',
  }),
  KAFKA_CONSUMER_GROUP: spec({
    schema: z.string().min(1).default('onestop-hub-workers'),
    description: 'Consumer group of the hub’s workers.',
    group: 'events',
  }),
  OUTBOX_POLL_INTERVAL_MS: spec({
    schema: positiveInt(250),
    description: 'How often the outbox relay looks for unpublished events.',
    group: 'events',
  }),
  OUTBOX_BATCH_SIZE: spec({
    schema: positiveInt(100),
    description: 'Events the relay publishes per round.',
    group: 'events',
  }),
  WORKING_CALENDAR_FILE: spec({
    schema: z.string().min(1).optional(),
    description: 'A working-calendar file (holidays and make-up working days per year) replacing the shipped one (docs/DEADLINES.md).',
    group: 'runtime',
    documentedDefault: '(shipped 2024-2027)',
  }),
  POPULATION_REGISTRY_URL: spec({
    schema: httpUrl.default('https://127.0.0.1:4101'),
    description:
      'Base URL of the national population registry (the simulator by default, which requires a client certificate: see CONNECTOR_TLS_CERT_FILE).',
    group: 'connectors',
  }),
  POPULATION_REGISTRY_TIMEOUT_MS: spec({
    schema: positiveInt(3000),
    description: 'Time limit of one population-registry call.',
    group: 'connectors',
  }),
  CONNECTOR_TLS_CERT_FILE: spec({
    schema: z.string().min(1).optional(),
    description:
      'PEM file with the client certificate (and its chain) the hub presents to registries reached over https. Unset: a certificate from the hub’s own CA, issued on first need.',
    group: 'connectors',
    documentedDefault: '(from the hub’s CA)',
  }),
  CONNECTOR_TLS_KEY_FILE: spec({
    schema: z.string().min(1).optional(),
    description: 'PEM file with the private key of CONNECTOR_TLS_CERT_FILE (unencrypted; keep it readable by the hub only).',
    group: 'connectors',
    documentedDefault: '(with the certificate)',
  }),
  CONNECTOR_TLS_CA_FILE: spec({
    schema: z.string().min(1).optional(),
    description: 'PEM file of the CAs trusted for registries’ server certificates. Unset: Node’s trust store and the hub’s own root.',
    group: 'connectors',
    documentedDefault: '(Node’s + the hub’s root)',
  }),
  REGISTRY_CACHE_TTL_SECONDS: spec({
    schema: z.coerce.number().int().min(0).default(60),
    description:
      'The longest a registry record is reused (0: always ask the registry). A citizen record whose attributes changed recently is reused for less: a tenth of their age, within per-attribute caps.',
    group: 'connectors',
  }),
  BUSINESS_REGISTRY_URL: spec({
    schema: httpUrl.default('http://127.0.0.1:4102'),
    description: 'Base URL of the national business registry (the simulator by default).',
    group: 'connectors',
  }),
  BUSINESS_REGISTRY_API_KEY: spec({
    schema: z.string().min(1).default('business-sim-key'),
    description: 'The hub’s API key at the business registry (sent as X-Api-Key).',
    group: 'connectors',
    sensitive: true,
  }),
  BUSINESS_REGISTRY_TIMEOUT_MS: spec({
    schema: positiveInt(3000),
    description: 'Time limit of one business-registry call.',
    group: 'connectors',
  }),
  LAND_REGISTRY_URL: spec({
    schema: httpUrl.default('http://127.0.0.1:4103/soap'),
    description: 'SOAP endpoint of the land registry (the soap:address of its WSDL; the simulator by default).',
    group: 'connectors',
  }),
  LAND_REGISTRY_USERNAME: spec({
    schema: z.string().min(1).default('hub'),
    description: 'The hub’s WS-Security user name at the land registry.',
    group: 'connectors',
  }),
  LAND_REGISTRY_PASSWORD: spec({
    schema: z.string().min(1).default('land-sim-password'),
    description: 'The hub’s WS-Security password at the land registry (sent as PasswordText: use HTTPS to a real registry).',
    group: 'connectors',
    sensitive: true,
  }),
  LAND_REGISTRY_TIMEOUT_MS: spec({
    schema: positiveInt(3000),
    description: 'Time limit of one land-registry call.',
    group: 'connectors',
  }),
  PORTAL_URL: spec({
    schema: httpUrl.default('http://127.0.0.1:4104'),
    description: 'Base URL of the national public-service portal (the simulator by default).',
    group: 'connectors',
  }),
  PORTAL_CLIENT_ID: spec({
    schema: z.string().min(1).default('onestop-hub'),
    description: 'The hub’s OAuth client id at the national portal.',
    group: 'connectors',
  }),
  PORTAL_CLIENT_SECRET: spec({
    schema: z.string().min(1).default('portal-sim-secret'),
    description: 'The hub’s OAuth client secret at the national portal.',
    group: 'connectors',
    sensitive: true,
  }),
  PORTAL_SYNC: spec({
    schema: booleanFlag(true),
    description: 'Synchronise every dossier change to the national portal (a worker consuming the events).',
    group: 'connectors',
  }),
  START_SIMULATORS: spec({
    schema: booleanFlag(true),
    description: '`npm start` also starts the registry simulators (set false when the registries are real).',
    group: 'connectors',
  }),
  SIMULATOR_SEED: spec({
    schema: z.coerce.number().int().nonnegative().default(20250701),
    description: 'Seed of the simulators’ synthetic data.',
    group: 'connectors',
  }),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: spec({
    schema: httpUrl.optional(),
    description:
      'Where `npm start` sends OpenTelemetry traces (OTLP over HTTP, JSON), e.g. http://collector:4318/v1/traces: each request from the gateway into the store and every upstream call. Unset: tracing off.',
    group: 'runtime',
  }),
  OTEL_SERVICE_NAME: spec({
    schema: z.string().min(1).default('onestop-hub'),
    description: 'The service name on the traces (service.name).',
    group: 'runtime',
  }),
  DEMO_DATA: spec({
    schema: booleanFlag(true),
    description: 'Seed demo agencies, procedures and dossiers at start (never in production).',
    group: 'runtime',
  }),
} as const;

type Settings = typeof SETTINGS;
export type HubConfig = { [K in keyof Settings]: z.output<Settings[K]['schema']> };
export type SettingName = keyof Settings;

function describeGot(raw: string | undefined, sensitive: boolean | undefined): string {
  if (raw === undefined) return 'nothing';
  if (sensitive) return maskSecret(raw);
  return JSON.stringify(raw.length > 80 ? `${raw.slice(0, 80)}…` : raw);
}

/** Hides passwords inside URLs and whole values of other secrets. */
export function maskSecret(value: string): string {
  try {
    const url = new URL(value);
    if (url.password) url.password = '***';
    return JSON.stringify(url.toString());
  } catch {
    return '"***"';
  }
}

/**
 * Reads every setting from `env`. Throws one ConfigurationError whose message has one line per
 * wrong variable: `DATABASE_URL: expected a postgresql:// URL, got "mysql://..."`.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): HubConfig {
  const problems: string[] = [];
  const config: Record<string, unknown> = {};
  for (const [name, setting] of Object.entries(SETTINGS) as [SettingName, SettingSpec<z.ZodTypeAny>][]) {
    const raw = env[name] === '' ? undefined : env[name];
    const result = setting.schema.safeParse(raw);
    if (result.success) {
      config[name] = result.data;
    } else {
      const expected = result.error.issues.map((issue) => issue.message).join('; ');
      problems.push(`${name}: ${expected}, got ${describeGot(raw, setting.sensitive)}`);
    }
  }
  const parsed = config as HubConfig;
  if (problems.length === 0 && parsed.NODE_ENV === 'production') {
    if (env.DEMO_DATA === 'true') problems.push('DEMO_DATA: demo data is refused in production, got "true"');
    if (!env.HUB_SECRET) problems.push('HUB_SECRET: required in production (at least 32 characters), got nothing');
    if (!env.PKI_KEY_PASSPHRASE) problems.push('PKI_KEY_PASSPHRASE: required in production (at least 12 characters), got nothing');
  }
  if (problems.length === 0 && Boolean(parsed.CONNECTOR_TLS_CERT_FILE) !== Boolean(parsed.CONNECTOR_TLS_KEY_FILE)) {
    problems.push(
      parsed.CONNECTOR_TLS_CERT_FILE
        ? 'CONNECTOR_TLS_KEY_FILE: required with CONNECTOR_TLS_CERT_FILE, got nothing'
        : 'CONNECTOR_TLS_CERT_FILE: required with CONNECTOR_TLS_KEY_FILE, got nothing',
    );
  }
  if (problems.length > 0) {
    throw new ConfigurationError(problems.join('\n'), { reason: 'CONFIG.INVALID', details: { problems } });
  }
  return parsed.NODE_ENV === 'production' ? { ...parsed, DEMO_DATA: false } : parsed;
}

/** The configuration as it may be printed or logged: secrets masked. */
export function describeConfig(config: HubConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, setting] of Object.entries(SETTINGS) as [SettingName, SettingSpec<z.ZodTypeAny>][]) {
    const value = config[name];
    out[name] = setting.sensitive && typeof value === 'string' ? JSON.parse(maskSecret(value)) : value;
  }
  return out;
}

/** Markdown table of every variable, for the README (`npm run hub -- config --markdown`). */
export function configReferenceMarkdown(): string {
  const rows = (Object.entries(SETTINGS) as [SettingName, SettingSpec<z.ZodTypeAny>][]).map(([name, setting]) => {
    const parsed = setting.schema.safeParse(undefined);
    const fallback = setting.documentedDefault ?? (parsed.success && parsed.data !== undefined ? String(parsed.data) : '(none)');
    return `| \`${name}\` | ${setting.group} | \`${fallback}\` | ${setting.description}${setting.sensitive ? ' *(secret)*' : ''} |`;
  });
  return ['| variable | group | default | meaning |', '|---|---|---|---|', ...rows].join('\n');
}
