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

/** Each upstream by the name ALLOW_PLAIN_HTTP_UPSTREAMS uses, and the setting of its address. */
const UPSTREAM_URL_SETTINGS = {
  population: 'POPULATION_REGISTRY_URL',
  business: 'BUSINESS_REGISTRY_URL',
  land: 'LAND_REGISTRY_URL',
  portal: 'PORTAL_URL',
  identity: 'IDENTITY_ISSUER_URL',
} as const;

/**
 * A comma-separated list of names, each one of `allowed`; `none` is the empty list (an empty value
 * means the default, as for every variable).
 */
function nameList(fallback: string, allowed: readonly string[]) {
  return z
    .string()
    .default(fallback)
    .transform((v) =>
      v.trim() === 'none'
        ? []
        : v
            .split(',')
            .map((name) => name.trim())
            .filter(Boolean),
    )
    .refine((names) => names.every((name) => allowed.includes(name)), `expected a comma-separated list of ${allowed.join(', ')}, or none`);
}

export const SETTINGS = {
  NODE_ENV: spec({
    schema: z.enum(['development', 'production', 'test']).default('development'),
    description:
      'Run mode. `production` turns off demo data, the simulators and introspection, masks unexpected error details and holds the production floors (docs/SECURITY.md): no development secrets, no simulator credentials, https upstreams.',
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
    description:
      'Secret the hub derives its keys from (HKDF, one per purpose): sealing token signing keys at rest, pseudonyms and the chain of the processing log. Required in production.',
    group: 'security',
    sensitive: true,
    documentedDefault: '(a development value)',
  }),
  PKI_KEY_PASSPHRASE: spec({
    schema: z.string().min(12, 'expected at least 12 characters').default('development-only-pki-passphrase'),
    description:
      'Encrypts the private keys of the certificate authority and of the certificates it issued (PKCS#8, kept in the database; DATA_DIR/pki is imported once). Required in production.',
    group: 'security',
    sensitive: true,
    documentedDefault: '(a development value)',
  }),
  PKI_SYNC_INTERVAL_SECONDS: spec({
    schema: positiveInt(10),
    description:
      'How often each replica reloads the certificate authority’s changes from the database (revocations made on another replica reach its mTLS checks); CRLs and seals always read the database. Not used with the embedded store, which has no other replica.',
    group: 'security',
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
  // Bounds of signature verification: POST /documents/verify takes files from anyone.
  VERIFY_MAX_SIGNATURES: spec({
    schema: positiveInt(20),
    description:
      'Most signatures (document time-stamps included) one PDF may carry to be verified (422 DOCUMENT.TOO_MANY_SIGNATURES beyond).',
    group: 'security',
  }),
  VERIFY_MAX_SIGNATURE_BYTES: spec({
    schema: positiveInt(512 * 1024),
    description: 'Largest signature (DER bytes of one /Contents) a PDF may carry to be verified (400 DOCUMENT.MALFORMED_PDF beyond).',
    group: 'security',
  }),
  VERIFY_WORKERS: spec({
    schema: positiveInt(2),
    description: 'Worker threads verifying signatures at once.',
    group: 'security',
  }),
  VERIFY_QUEUE_LENGTH: spec({
    schema: z.coerce.number().int().min(0).default(8),
    description: 'Files waiting for a verification worker; beyond, 503 DOCUMENT.VERIFICATION_BUSY with Retry-After.',
    group: 'security',
  }),
  VERIFY_TIMEOUT_MS: spec({
    schema: positiveInt(10_000),
    description: 'Longest one file’s verification may take (422 DOCUMENT.VERIFICATION_LIMIT beyond; its worker is replaced).',
    group: 'security',
  }),
  VERIFY_WORKER_MEMORY_MB: spec({
    schema: z.coerce.number().int().min(16).default(64),
    description: 'Heap of each verification worker, in MB (422 DOCUMENT.VERIFICATION_LIMIT beyond; its worker is replaced).',
    group: 'security',
  }),
  TRUSTED_ROOTS_FILE: spec({
    schema: z.string().min(1).optional(),
    description:
      'JSON trust list of roots trusted for signatures besides the hub’s own (the national root CA for public digital signatures, other provinces’ hubs): each with its name, certificate and CRL sources (docs/SECURITY.md). Unset: only the hub’s own root.',
    group: 'security',
    documentedDefault: '(only the hub’s root)',
  }),
  TRUSTED_ROOTS_CRL_REFRESH_MINUTES: spec({
    schema: positiveInt(60),
    description: 'How often the CRLs of the trust list are fetched again (a failed fetch keeps the last good CRL).',
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
  AUDIT_CHECKPOINT_FILE: spec({
    schema: z.string().min(1).optional(),
    description:
      'File the signed checkpoints of the processing log are appended to (JSON lines): keep it where the database’s operator cannot rewrite it.',
    group: 'security',
    documentedDefault: 'DATA_DIR/audit-checkpoints.jsonl',
  }),
  AUDIT_CHECKPOINT_INTERVAL_SECONDS: spec({
    schema: z.coerce.number().int().min(10).max(86_400).default(900),
    description:
      'How often the hub signs a checkpoint of the processing log when it grew (also at shutdown and by `hub audit checkpoint`).',
    group: 'security',
  }),
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
    description:
      'Calls in flight to one upstream (population, business, land registry; identity provider) at once; more wait in its queue.',
    group: 'connectors',
  }),
  UPSTREAM_MAX_QUEUED_CALLS: spec({
    schema: z.coerce.number().int().min(0).default(200),
    description:
      'Calls waiting for one upstream beyond those in flight; more are refused at once with UPSTREAM_UNAVAILABLE (reason UPSTREAM.BUSY) and a retry hint.',
    group: 'connectors',
  }),
  LOG_LEVEL: spec({
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    description: 'pino log level.',
    group: 'runtime',
  }),
  DATA_DIR: spec({
    schema: z.string().min(1).default('./data'),
    description:
      'Folder for the embedded database, the document vault’s files (documents/, the default document storage) and other local state.',
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
  EMBEDDED_DATABASE_SHARED_BUFFERS_MB: spec({
    schema: positiveInt(16),
    description:
      "The embedded PostgreSQL's page cache, in MB (PostgreSQL's shared_buffers, inside the hub process). Pages beyond it are read from the operating system's file cache.",
    group: 'store',
  }),
  EMBEDDED_DATABASE_COMPILER: spec({
    schema: z.enum(['baseline', 'optimizing']).default('baseline'),
    description:
      "How Node compiles the embedded PostgreSQL (WebAssembly): `baseline` (V8's Liftoff only) holds 60–65 MB less memory and starts faster; `optimizing` also recompiles hot code with TurboFan, for a busier desk's queries.",
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
  // Kafka TLS and SASL: plaintext brokers are refused in production unless allowed.
  KAFKA_SSL: spec({
    schema: booleanFlag(false),
    description:
      'Connect to the brokers over TLS, trusting KAFKA_SSL_CA_FILE (or Node’s trust store). Required in production with KAFKA_BROKERS unless KAFKA_ALLOW_PLAINTEXT.',
    group: 'events',
  }),
  KAFKA_SSL_CA_FILE: spec({
    schema: z.string().min(1).optional(),
    description: 'PEM file of the CAs trusted for the brokers’ certificates (with KAFKA_SSL). Unset: Node’s trust store.',
    group: 'events',
    documentedDefault: '(Node’s trust store)',
  }),
  KAFKA_SSL_CERT_FILE: spec({
    schema: z.string().min(1).optional(),
    description:
      'PEM file with the client certificate the hub presents to brokers that require one (with KAFKA_SSL and KAFKA_SSL_KEY_FILE).',
    group: 'events',
    documentedDefault: '(none)',
  }),
  KAFKA_SSL_KEY_FILE: spec({
    schema: z.string().min(1).optional(),
    description: 'PEM file with the unencrypted private key of KAFKA_SSL_CERT_FILE (keep it readable by the hub only).',
    group: 'events',
    documentedDefault: '(none)',
  }),
  KAFKA_SASL_MECHANISM: spec({
    schema: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']).optional(),
    description:
      'SASL mechanism towards the brokers: plain, scram-sha-256 or scram-sha-512 (with KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD). Unset: no SASL.',
    group: 'events',
    documentedDefault: '(none)',
  }),
  KAFKA_SASL_USERNAME: spec({
    schema: z.string().min(1).optional(),
    description: 'The hub’s SASL user name at the brokers.',
    group: 'events',
    documentedDefault: '(none)',
  }),
  KAFKA_SASL_PASSWORD: spec({
    schema: z.string().min(1).optional(),
    description: 'The hub’s SASL password at the brokers (PLAIN sends it as is: use it with KAFKA_SSL).',
    group: 'events',
    sensitive: true,
    documentedDefault: '(none)',
  }),
  KAFKA_ALLOW_PLAINTEXT: spec({
    schema: booleanFlag(false),
    description: 'Let a production hub reach KAFKA_BROKERS without TLS (a network you trust for events and SASL credentials).',
    group: 'events',
  }),
  OUTBOX_SAFETY_POLL_SECONDS: spec({
    schema: positiveInt(30),
    description:
      'How often the outbox relay looks for unpublished events nobody woke it for (a lost notification). Commits wake it at once: in-process, and from other replicas by PostgreSQL LISTEN/NOTIFY. Not used with the embedded store, whose one process wakes its relay itself.',
    group: 'events',
  }),
  OUTBOX_LEASE_SECONDS: spec({
    schema: positiveInt(10),
    description:
      'Lifetime of the lease that lets one replica publish the outbox; renewed every third of it, and taken over by another replica this long after its holder died. The embedded store takes it once.',
    group: 'events',
  }),
  OUTBOX_BATCH_SIZE: spec({
    schema: positiveInt(500),
    description:
      'Most events the relay reads and publishes per round (one send to the brokers). Rounds are smaller when fewer are waiting; a large one lets the relay catch up with a backlog, since a round costs much less than five rounds of a fifth of its size.',
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
  RECEPTION_CONFIRMING_REGISTRIES: spec({
    schema: nameList('population,business,land', ['population', 'business', 'land']),
    description:
      'Registries asked at reception to confirm the facts registry-backed papers rely on (comma-separated: population, business, land; `none` for no registry). A paper backed by a registry not listed must be handed in (REGISTRY_UNAVAILABLE).',
    group: 'connectors',
  }),
  BUSINESS_REGISTRY_URL: spec({
    schema: httpUrl.default('http://127.0.0.1:4102'),
    description: 'Base URL of the national business registry (the simulator by default).',
    group: 'connectors',
  }),
  BUSINESS_REGISTRY_API_KEY: spec({
    schema: z.string().min(1).default('business-sim-key'),
    description: 'The hub’s API key at the business registry (sent as X-Api-Key). Required in production (the default is the simulator’s).',
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
    description:
      'The hub’s WS-Security password at the land registry (sent as PasswordText: use HTTPS to a real registry). Required in production (the default is the simulator’s).',
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
    description: 'The hub’s OAuth client secret at the national portal. Required in production (the default is the simulator’s).',
    group: 'connectors',
    sensitive: true,
  }),
  PORTAL_SYNC: spec({
    schema: booleanFlag(true),
    description: 'Synchronise every dossier change to the national portal (a worker consuming the events).',
    group: 'connectors',
  }),
  IDENTITY_ISSUER_URL: spec({
    schema: httpUrl.default('http://127.0.0.1:4105'),
    description:
      'Issuer URL of the national identity provider (OpenID Connect; its discovery document is at `<issuer>/.well-known/openid-configuration`; the simulator by default). ID tokens must name exactly this issuer.',
    group: 'connectors',
  }),
  IDENTITY_CLIENT_ID: spec({
    schema: z.string().min(1).default('onestop-hub'),
    description: 'The hub’s client id at the national identity provider: the audience its ID tokens must name.',
    group: 'connectors',
  }),
  IDENTITY_CLIENT_SECRET: spec({
    schema: z.string().min(1).default('identity-sim-secret'),
    description: 'The hub’s client secret at the national identity provider. Required in production (the default is the simulator’s).',
    group: 'connectors',
    sensitive: true,
  }),
  IDENTITY_REQUIRED_ACR: spec({
    schema: z
      .string()
      .regex(/^urn:vneid:loa:[1-9]$/, 'expected a level of assurance like urn:vneid:loa:2')
      .default('urn:vneid:loa:2'),
    description: 'The lowest level of assurance (`acr`) of a national sign-in the hub accepts, `urn:vneid:loa:1` to `:3`.',
    group: 'connectors',
  }),
  IDENTITY_TIMEOUT_MS: spec({
    schema: positiveInt(3000),
    description: 'Time limit of one call to the national identity provider (discovery, keys, token exchange).',
    group: 'connectors',
  }),
  CITIZEN_SESSION_MINUTES: spec({
    schema: z.coerce.number().int().min(1).max(720).default(30),
    description:
      'How long a citizen stays signed in at the hub’s own pages (consent page, my data) after signing in with the national identity provider.',
    group: 'security',
  }),
  CONSENT_REQUEST_MINUTES: spec({
    schema: z.coerce.number().int().min(1).max(60).default(10),
    description: 'How long a portal’s consent request (GET /consent/authorize) waits for the citizen to sign in and decide.',
    group: 'security',
  }),
  CONSENT_CODE_SECONDS: spec({
    schema: z.coerce.number().int().min(10).max(600).default(60),
    description: 'How long the one-time authorization code of an approved consent may be exchanged at POST /consent/token.',
    group: 'security',
  }),
  START_SIMULATORS: spec({
    schema: booleanFlag(true),
    description:
      '`npm start` also starts the registry simulators (set false when the registries are real; off, and refused, in production).',
    group: 'connectors',
  }),
  SIMULATOR_SEED: spec({
    schema: z.coerce.number().int().nonnegative().default(20250701),
    description: 'Seed of the simulators’ synthetic data.',
    group: 'connectors',
  }),
  // Production floors: plain http to an upstream only where allowed by name.
  ALLOW_PLAIN_HTTP_UPSTREAMS: spec({
    schema: nameList('', Object.keys(UPSTREAM_URL_SETTINGS)),
    description:
      'Upstreams a production hub may reach over plain http, by name (population, business, land, portal, identity; e.g. `land,portal`). Every other upstream must be https in production.',
    group: 'connectors',
    documentedDefault: '(none)',
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
  const wellFormed = problems.length === 0;
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
  if (wellFormed) problems.push(...kafkaSecurityProblems(parsed), ...productionFloorProblems(env, parsed));
  if (problems.length > 0) {
    throw new ConfigurationError(problems.join('\n'), { reason: 'CONFIG.INVALID', details: { problems } });
  }
  return parsed.NODE_ENV === 'production' ? { ...parsed, DEMO_DATA: false, START_SIMULATORS: false } : parsed;
}

// ---- Kafka TLS and SASL: settings that only make sense together ----

function kafkaSecurityProblems(config: HubConfig): string[] {
  const problems: string[] = [];
  if (!config.KAFKA_SSL) {
    for (const name of ['KAFKA_SSL_CA_FILE', 'KAFKA_SSL_CERT_FILE', 'KAFKA_SSL_KEY_FILE'] as const) {
      if (config[name]) problems.push(`${name}: used only with KAFKA_SSL=true, got ${JSON.stringify(config[name])} with KAFKA_SSL=false`);
    }
  } else if (Boolean(config.KAFKA_SSL_CERT_FILE) !== Boolean(config.KAFKA_SSL_KEY_FILE)) {
    problems.push(
      config.KAFKA_SSL_CERT_FILE
        ? 'KAFKA_SSL_KEY_FILE: required with KAFKA_SSL_CERT_FILE, got nothing'
        : 'KAFKA_SSL_CERT_FILE: required with KAFKA_SSL_KEY_FILE, got nothing',
    );
  }
  if (config.KAFKA_SASL_MECHANISM) {
    for (const name of ['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD'] as const) {
      if (!config[name]) problems.push(`${name}: required with KAFKA_SASL_MECHANISM=${config.KAFKA_SASL_MECHANISM}, got nothing`);
    }
  } else if (config.KAFKA_SASL_USERNAME || config.KAFKA_SASL_PASSWORD) {
    problems.push('KAFKA_SASL_MECHANISM: expected plain, scram-sha-256 or scram-sha-512 with KAFKA_SASL_USERNAME/PASSWORD, got nothing');
  }
  return problems;
}

// ---- Production floors: nothing of development or of the simulators reaches production ----

/** Upstream secrets whose defaults are the simulators': a production hub must be given its own. */
const UPSTREAM_SECRET_SETTINGS = [
  'BUSINESS_REGISTRY_API_KEY',
  'LAND_REGISTRY_PASSWORD',
  'PORTAL_CLIENT_SECRET',
  'IDENTITY_CLIENT_SECRET',
] as const;

function productionFloorProblems(env: NodeJS.ProcessEnv, config: HubConfig): string[] {
  if (config.NODE_ENV !== 'production') return [];
  const given = (name: SettingName) => (env[name] === '' ? undefined : env[name]);
  const problems: string[] = [];
  // Every secret's default is a development value published with the code: refused even when set explicitly.
  for (const [name, setting] of Object.entries(SETTINGS) as [SettingName, SettingSpec<z.ZodTypeAny>][]) {
    const raw = given(name);
    if (!setting.sensitive || raw === undefined) continue;
    const fallback = setting.schema.safeParse(undefined);
    if (fallback.success && fallback.data === raw) {
      problems.push(`${name}: expected a secret of this deployment in production, got the published development value ${maskSecret(raw)}`);
    }
  }
  for (const name of UPSTREAM_SECRET_SETTINGS) {
    if (given(name) === undefined) problems.push(`${name}: required in production (the default is the simulator’s), got nothing`);
  }
  if (given('START_SIMULATORS') !== undefined && config.START_SIMULATORS) {
    problems.push(`START_SIMULATORS: the registry simulators are refused in production, got ${JSON.stringify(given('START_SIMULATORS'))}`);
  }
  const allowed = new Set(config.ALLOW_PLAIN_HTTP_UPSTREAMS);
  for (const [upstream, name] of Object.entries(UPSTREAM_URL_SETTINGS)) {
    const raw = given(name);
    if (raw === undefined) {
      problems.push(`${name}: required in production (the default is the simulator’s address), got nothing`);
    } else if (config[name].startsWith('http:') && !allowed.has(upstream)) {
      problems.push(`${name}: expected an https:// URL in production (or ${upstream} in ALLOW_PLAIN_HTTP_UPSTREAMS), got ${maskUrl(raw)}`);
    }
  }
  if (config.KAFKA_BROKERS && !config.KAFKA_SSL && !config.KAFKA_ALLOW_PLAINTEXT) {
    problems.push(
      `KAFKA_SSL: expected true in production with KAFKA_BROKERS (or KAFKA_ALLOW_PLAINTEXT=true), got ${describeGot(given('KAFKA_SSL'), false)}`,
    );
  }
  return problems;
}

/** A URL as given, its password (if any) masked. */
function maskUrl(raw: string): string {
  return new URL(raw).password ? maskSecret(raw) : JSON.stringify(raw);
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

/** The hub's own redirect URI at the national identity provider: where the citizen's sign-in returns. */
export function identityRedirectUri(config: Pick<HubConfig, 'PUBLIC_URL'>): string {
  return `${config.PUBLIC_URL.replace(/\/+$/, '')}/auth/callback`;
}
