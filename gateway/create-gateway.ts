import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin, type GraphQLResponse } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import DataLoader from 'dataloader';
import express from 'express';
import type { GraphQLSchema } from 'graphql';
import type { TokenKeyRing } from '../certs/token-key-ring';
import type { CertificateAuthority } from '../certs/pki/certificate-authority';
import type { BusinessRegistryClient } from '../connectors/business/business-registry.client';
import type { LandRegistryClient } from '../connectors/land/land-registry.client';
import type { PopulationRegistryClient } from '../connectors/population/population-registry.client';
import { isHubError, STORE_RETRY_AFTER_SECONDS, type HubError } from '../domain/errors';
import { PERSONAL_DATA_CACHE_CONTROL } from '../domain/consent/data-life';
import { formatLandParcelId, type LandParcelId } from '../domain/identifiers/land-parcel-id';
import type { ReadFreshness } from '../connectors/registry-batch-client';
import type { Logger } from '../platform/logger';
import { localFirstGateway } from './local-operations';
import { accessFor, type HubContext, type HubServices } from '../schema/context';
import { createErrorFormatter, toGraphQLError } from '../schema/error-mapping';
import { translateStoreError } from '../store/store-errors';
import type { TrustedDocuments } from '../store/trusted-documents';
import type { DeadlineRules } from '../domain/ports/deadline-rules.port';
import type { AuditCheckpoints } from '../store/audit-checkpoints';
import { auditRoutes } from './audit-routes';
import { formRoutes } from './forms-route';
import { healthRoutes, requireOperator, type ReadinessCheck } from './health';
import { pkiRoutes, timeStampRoutes } from './pki-routes';
import { webAssetRoutes } from './web-assets';
import type { TimeStampAuthority } from '../certs/signing/time-stamp';
import { documentRoutes } from './document-routes';
import { answerErrors, answerUnroutedRequests, statusOf } from './http-errors';
import { tokenRoutes } from './oauth/token-endpoint';
import { clientAuthentication } from './oauth/client-authentication';
import { consentRoutes, type CitizenSignIn } from './consent-routes';
import type { CitizenSessions } from '../store/services/citizen-session.service';
import type { ConsentAuthorizations } from '../store/services/consent-authorization.service';
import { Authenticator, useAuthentication } from './plugins/use-authentication';
import { legacyJsonStatusPlugin } from './plugins/use-legacy-json-status';
import { graphqlMetricsPlugin, useHttpMetrics, type HubMetrics } from './plugins/use-metrics';
import { queryLimits, type QueryLimits } from './plugins/use-query-limits';
import { RateLimiter, useAddressLimit, useRateLimit, type RateLimitOptions } from './plugins/use-rate-limit';
import { useRequestId } from './plugins/use-request-id';
import { useTrustedDocuments, type TrustedDocumentsMode } from './plugins/use-trusted-documents';

export interface GatewayOptions {
  schema: GraphQLSchema;
  /** The dossier schema the served graph stitches: operations on its fields alone execute on it directly. */
  localSchema?: GraphQLSchema;
  services: HubServices;
  population: PopulationRegistryClient;
  business: BusinessRegistryClient;
  land: LandRegistryClient;
  keys: TokenKeyRing;
  pki: CertificateAuthority;
  /** The CRL to serve (the shared CA reads the database's); the CA's own by default. */
  crlPem?: () => Promise<string>;
  /** Answers RFC 3161 requests at /tsa. */
  timeStampAuthority: TimeStampAuthority;
  /** For the forms' step results (early, on time, late). */
  deadlines: DeadlineRules;
  trustedDocuments: TrustedDocuments;
  /** Served at GET /audit/checkpoints. */
  auditCheckpoints?: AuditCheckpoints;
  readiness: readonly ReadinessCheck[];
  metrics: HubMetrics;
  /** Called before /metrics answers, to refresh gauges. */
  beforeMetrics?: () => Promise<void>;
  logger: Logger;
  production: boolean;
  /** Serve HTTPS with this server certificate, asking clients for theirs (mTLS); `ca` is what client certificates must chain to. */
  tls?: { key: string; cert: string; ca: string } | undefined;
  host: string;
  port: number;
  tokenIssuer: string;
  /** What client assertions must name as `aud`, and how long they may be valid (RFC 7523). */
  clientAssertions: { audience: string; maxLifetimeSeconds: number };
  /** The citizen's consent flow and "my data" (docs/API.md, "Consent flow"); off when absent. */
  consentFlow?: {
    authorizations: ConsentAuthorizations;
    sessions: CitizenSessions;
    signIn: CitizenSignIn;
    /** `${PUBLIC_URL}/auth/callback`. */
    callbackUri: string;
    secureCookies: boolean;
    sessionMinutes: number;
  };
  /** The operators' bearer token: /readyz details, and /metrics when set. */
  operatorToken?: string | undefined;
  security: {
    rateLimits: RateLimitOptions;
    queryLimits: QueryLimits;
    trustedDocuments: TrustedDocumentsMode;
    maxRequestBytes: number;
    /** Largest document uploaded to the vault. */
    maxDocumentBytes: number;
    requestTimeoutMs: number;
  };
}

export interface Gateway {
  url: string;
  port: number;
  /** Serves new connections with another server certificate (a renewed one); open connections keep theirs. */
  replaceTls(tls: { key: string; cert: string; ca: string }): void;
  close(): Promise<void>;
}

/**
 * A loader for a registry with no batch form: one call per distinct key, in parallel, each failing
 * alone (a missing parcel does not fail its neighbours).
 */
function perKeyLoader<K, V>(read: (key: K) => Promise<V>, cacheKeyFn?: (key: K) => string): DataLoader<K, V, string> {
  return new DataLoader<K, V, string>(
    (keys) =>
      Promise.all(keys.map((key) => read(key).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error)))))),
    cacheKeyFn ? { cacheKeyFn } : {},
  );
}

/**
 * One request's registry loaders (batching and de-duplication within the request), each made when a
 * resolver first asks for it: most operations (a status look-up) call no registry at all.
 */
function registryLoaders(options: Pick<GatewayOptions, 'population' | 'business' | 'land'>): HubContext['loaders'] {
  const { population, business, land } = options;
  const citizens = (freshness: ReadFreshness = {}) =>
    new DataLoader<string, Record<string, unknown>>(
      async (ids) => (await population.lookup(ids, freshness)) as unknown as (Record<string, unknown> | Error)[],
      { maxBatchSize: 500 },
    );
  const landParcels = (freshness: ReadFreshness = {}) =>
    perKeyLoader(
      async (id: LandParcelId) => (await land.getParcel(id, freshness)) as unknown as Record<string, unknown>,
      formatLandParcelId,
    );
  const made: Partial<Omit<HubContext['loaders'], 'underConsent' | 'retrievedAt'>> = {};
  const once = <K extends keyof typeof made>(name: K, make: () => NonNullable<(typeof made)[K]>) => (made[name] ??= make());
  let underConsent: Map<number, ReturnType<HubContext['loaders']['underConsent']>> | undefined;
  return {
    get citizens() {
      return once('citizens', () => citizens());
    },
    get enterprises() {
      return once(
        'enterprises',
        () =>
          new DataLoader<string, Record<string, unknown>>(
            async (codes) => (await business.lookup(codes)) as unknown as (Record<string, unknown> | Error)[],
            { maxBatchSize: 500 },
          ),
      );
    },
    get enterprisesByRepresentative() {
      return once('enterprisesByRepresentative', () =>
        perKeyLoader(async (id: string) => (await business.findByRepresentative(id)) as unknown as Record<string, unknown>[]),
      );
    },
    get households() {
      return once('households', () =>
        perKeyLoader(async (householdId: string) => (await population.household(householdId)) as unknown as Record<string, unknown>),
      );
    },
    get landParcels() {
      return once('landParcels', () => landParcels());
    },
    get parcelsByOwner() {
      return once('parcelsByOwner', () =>
        perKeyLoader(async (ownerId: string) => (await land.findParcelsByOwner(ownerId)) as unknown as Record<string, unknown>[]),
      );
    },
    underConsent(dataLifeSeconds) {
      underConsent ??= new Map();
      let loaders = underConsent.get(dataLifeSeconds);
      if (!loaders) {
        loaders = { citizens: citizens({ dataLifeSeconds }), landParcels: landParcels({ dataLifeSeconds }) };
        underConsent.set(dataLifeSeconds, loaders);
      }
      return loaders;
    },
    retrievedAt: (record) => population.retrievedAt(record) ?? business.retrievedAt(record) ?? land.retrievedAt(record),
  };
}

/** A GraphQL response naming STORE_UNAVAILABLE carries `Retry-After`, as REST routes do. */
function retryableStorePlugin(): ApolloServerPlugin<HubContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const retry = response.body.singleResult.errors
            ?.map((error) => error.extensions as { code?: unknown; details?: { retryAfterSeconds?: unknown } } | undefined)
            .find((extensions) => extensions?.code === 'STORE_UNAVAILABLE');
          if (retry) response.http.headers.set('retry-after', String(retry.details?.retryAfterSeconds ?? STORE_RETRY_AFTER_SECONDS));
        },
      };
    },
  };
}

/**
 * The processing log could not be written after the resolvers ran: the answer is withheld (its
 * reads would go unrecorded) and replaced by the store's error, with its HTTP status (503) and
 * `Retry-After`. Thrown instead, Apollo would answer a bare 500.
 */
function answerInstead(response: GraphQLResponse, error: HubError): void {
  const { extensions } = toGraphQLError(error);
  response.body = { kind: 'single', singleResult: { errors: [{ message: error.message, extensions }] } };
  response.http.status = statusOf(error);
  const retryAfter = error.details?.retryAfterSeconds;
  if (typeof retryAfter === 'number') response.http.headers.set('retry-after', String(retryAfter));
}

function expressApp(): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  return app;
}

/** The HTTP surface of the hub (docs/API.md). */
export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const app = expressApp();
  // The GraphQL endpoint is the hottest route: an app of its own, so its requests do not walk every
  // other route of the hub first. It gets the same middleware, guards and error answers as the rest.
  const graphqlApp = expressApp();
  const timeouts = { requestTimeout: options.security.requestTimeoutMs, headersTimeout: 10_000 };
  const dispatch: http.RequestListener = (req, res) => {
    const url = req.url ?? '';
    if (url === '/graphql' || url.startsWith('/graphql?')) graphqlApp(req, res);
    else app(req, res);
  };
  // With TLS, a client certificate is asked for but not demanded: only clients registered for mTLS need one.
  const httpServer = options.tls
    ? https.createServer({ ...timeouts, ...options.tls, requestCert: true, rejectUnauthorized: false }, dispatch)
    : http.createServer(timeouts, dispatch);
  httpServer.keepAliveTimeout = 5_000;

  const limits = queryLimits(options.security.queryLimits);
  const apollo = new ApolloServer<HubContext>({
    ...(options.localSchema ? { gateway: localFirstGateway(options.schema, options.localSchema) } : { schema: options.schema }),
    introspection: !options.production,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    // The hub stops in its own order (gateway, relay, bus, store) on SIGTERM/SIGINT: Apollo must not race it.
    stopOnTerminationSignals: false,
    csrfPrevention: true,
    validationRules: limits.validationRules,
    parseOptions: limits.parseOptions,
    formatError: createErrorFormatter({ production: options.production, logger: options.logger }),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      graphqlMetricsPlugin(options.metrics),
      legacyJsonStatusPlugin(),
      retryableStorePlugin(),
      ...limits.plugins,
      {
        // The processing log is written before the answer leaves: what the resolvers collected, once
        // per request after they ran, and the entries they started writing alongside their reads.
        async requestDidStart() {
          return {
            async willSendResponse({ contextValue, response }) {
              // Personal data read (under a consent or on a dossier): no HTTP cache may keep the answer.
              if (contextValue.processing.length > 0 || contextValue.processingWrites.length > 0)
                response.http.headers.set('cache-control', PERSONAL_DATA_CACHE_CONTROL);
              try {
                await Promise.all([...contextValue.processingWrites, options.services.audit.append(contextValue.processing)]);
              } catch (error) {
                const translated = translateStoreError(error);
                if (!isHubError(translated)) throw error;
                answerInstead(response, translated);
              }
            },
          };
        },
      },
    ],
    logger: {
      debug: (m) => options.logger.debug(m),
      info: (m) => options.logger.info(m),
      warn: (m) => options.logger.warn(m),
      error: (m) => options.logger.error(m),
    },
  });
  await apollo.start();

  const authenticator = new Authenticator(options.keys, options.services.clients, {
    production: options.production,
    clock: options.services.clock,
    isRevoked: (serialNumber) => {
      try {
        return options.pki.record(serialNumber).status === 'REVOKED';
      } catch {
        // Not issued here (the TLS layer would not have accepted it): treat as revoked.
        return true;
      }
    },
  });
  const limiter = new RateLimiter({ clock: options.services.clock });
  // Rate limits come before authentication work (a signature check, a client look-up): see useAddressLimit.
  const guards = (scope?: string) => [
    useAddressLimit(limiter, options.security.rateLimits, scope),
    useAuthentication(authenticator),
    useRateLimit(limiter, options.security.rateLimits, scope),
  ];

  const everyRequest: express.RequestHandler[] = [
    useRequestId(options.logger),
    useHttpMetrics(options.metrics),
    (_req, res, next) => {
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Referrer-Policy', 'no-referrer');
      next();
    },
  ];
  app.use(...everyRequest);
  graphqlApp.use(...everyRequest);
  app.use(healthRoutes(options.readiness, { operatorToken: options.operatorToken, clock: options.services.clock }));
  app.use(pkiRoutes(options.pki, options.crlPem));
  app.use(webAssetRoutes());
  app.use(
    timeStampRoutes(options.timeStampAuthority, guards('tsa'), (granted) =>
      options.metrics.timeStamps.inc({ outcome: granted ? 'granted' : 'rejected' }),
    ),
  );
  if (options.auditCheckpoints) app.use(auditRoutes(options.auditCheckpoints, guards('audit')));
  app.get('/metrics', requireOperator(options.operatorToken), async (_req, res) => {
    await options.beforeMetrics?.();
    res.type(options.metrics.registry.contentType).send(await options.metrics.registry.metrics());
  });
  const clientAuthenticationOptions = {
    clients: options.services.clients,
    authenticator,
    issuer: options.tokenIssuer,
    assertionAudience: options.clientAssertions.audience,
    assertionMaxLifetimeSeconds: options.clientAssertions.maxLifetimeSeconds,
    clock: options.services.clock,
  };
  app.use(tokenRoutes({ ...clientAuthenticationOptions, keys: options.keys, rateLimits: options.security.rateLimits, limiter }));
  if (options.consentFlow) {
    const publicLimits = {
      clientPerMinute: options.security.rateLimits.publicPerMinute,
      publicPerMinute: options.security.rateLimits.publicPerMinute,
    };
    app.use(
      consentRoutes({
        ...options.consentFlow,
        consents: options.services.consents,
        clients: options.services.clients,
        catalogue: options.services.catalogue,
        audit: options.services.audit,
        clock: options.services.clock,
        authenticateClient: clientAuthentication(clientAuthenticationOptions),
        publicGuard: useAddressLimit(limiter, options.security.rateLimits, 'citizen'),
        // The same allowance as /oauth/token: one bucket for both token endpoints.
        tokenGuards: [
          (req, _res, next) => {
            req.principal = { kind: 'PUBLIC' };
            next();
          },
          useRateLimit(limiter, publicLimits, 'token'),
        ],
      }),
    );
  }
  app.use(
    formRoutes({
      services: options.services,
      population: options.population,
      deadlines: options.deadlines,
      guards: guards(),
      logger: options.logger,
    }),
  );
  app.use(
    documentRoutes({
      services: options.services,
      guards: guards(),
      maxDocumentBytes: options.security.maxDocumentBytes,
    }),
  );
  const graphqlRoute: express.RequestHandler[] = [
    ...guards(),
    express.json({ limit: options.security.maxRequestBytes }),
    useTrustedDocuments(options.trustedDocuments, {
      mode: options.security.trustedDocuments,
      clientRequires: async (clientId) => Boolean((await authenticator.client(clientId))?.trustedDocumentsOnly),
    }),
    expressMiddleware(apollo, {
      context: async ({ req }) => ({
        requestId: req.requestId,
        logger: req.log,
        services: options.services,
        ...accessFor(req.principal, req.requestId, options.services.audit),
        loaders: registryLoaders(options),
      }),
    }),
  ];
  app.use('/graphql', ...graphqlRoute);
  graphqlApp.use('/graphql', ...graphqlRoute);
  app.use(answerUnroutedRequests(app));
  app.use(answerErrors(options.logger));
  graphqlApp.use(answerUnroutedRequests(graphqlApp));
  graphqlApp.use(answerErrors(options.logger));

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, options.host, () => resolve());
  });
  const { port } = httpServer.address() as AddressInfo;
  const shownHost = options.host.includes(':') ? `[${options.host}]` : options.host === '0.0.0.0' ? '127.0.0.1' : options.host;
  return {
    url: `${options.tls ? 'https' : 'http'}://${shownHost}:${port}`,
    port,
    replaceTls(tls) {
      if (!(httpServer instanceof https.Server)) throw new Error('the gateway serves plain HTTP');
      httpServer.setSecureContext({ ...tls });
    },
    async close() {
      await apollo.stop();
    },
  };
}
