import 'reflect-metadata';
import path from 'node:path';
import { createUpstreamHttp, type UpstreamTlsSettings } from '../connectors/upstream-tls';
import { certificateFacts, defaultTrustedCas, ownTlsKeyPair, readCaFile, readKeyPairFiles, serverTlsOptions } from '../certs/tls-material';
import { systemClock, type Clock } from '../domain/clock';
import type { EventBus } from '../domain/events/event-bus.port';
import { loadRegistryGraph, type RegistryEndpoints, type RegistryGraph } from '../connectors/registry-graph';
import { BusinessRegistryClient } from '../connectors/business/business-registry.client';
import { LandRegistryClient } from '../connectors/land/land-registry.client';
import { PopulationRegistryClient } from '../connectors/population/population-registry.client';
import { identityRedirectUri, type HubConfig } from '../platform/config';
import { createLogger, type Logger } from '../platform/logger';
import { startIdleCollection } from '../platform/idle-memory';
import { buildDossierSchema } from '../schema/build-dossier-schema';
import type { HubServices } from '../schema/context';
import { PAGE_SIZE } from '../schema/types/connection.type';
import { openStore, type Store } from '../store/database';
import { OutboxStore } from '../store/outbox';
import { OutboxListener } from '../store/outbox-notifications';
import { TokenKeyRing } from '../certs/token-key-ring';
import { authoritySettingsFor, type CertificateAuthority } from '../certs/pki/certificate-authority';
import { SharedCertificateAuthority } from '../certs/pki/shared-authority';
import { DatabaseCertificateStore } from '../store/certificate-store';
import { normaliseSerial } from '../certs/pki/asn1';
import { AgencySealSigner } from '../certs/signing/agency-seal-signer';
import { BoundedSignatureVerifier, hubTrustMaterial } from '../certs/signing/verification-pool';
import { TrustList } from '../certs/trust-list';
import { StoreAgencyRegistry } from '../store/agency-registry';
import { TimeStampAuthority } from '../certs/signing/time-stamp';
import { fontData } from '../forms/fonts';
import { AuditLog } from '../store/audit-log';
import { AuditCheckpoints, checkpointFileFor } from '../store/audit-checkpoints';
import { HubProcessingLogKeys, TokenKeyCheckpointSigner } from '../certs/processing-log-keys';
import { createServices, type ServiceSettings } from '../store/services';
import { deadlineRulesFor } from '../domain/deadlines/calendar-deadline-rules';
import { loadWorkingCalendar } from '../platform/working-calendar';
import { FileDocumentStorage } from '../store/file-document-storage';
import { SigningKeyRepository } from '../store/signing-key.repository';
import { TrustedDocuments } from '../store/trusted-documents';
import { eventJournalConsumer, EVENT_JOURNAL } from '../workers/consumers/event-journal.consumer';
import { portalSyncConsumer, PORTAL_SYNC } from '../workers/consumers/portal-sync.consumer';
import { PortalClient } from '../connectors/portal/portal.client';
import { IdentityProviderClient } from '../connectors/identity/identity-provider.client';
import { RegistryConfirmations } from '../connectors/registry-confirmations';
import type { RegistrySource } from '../domain/catalogue/procedure-definition';
import { VaultHeldDocuments } from '../store/services/vault-held-documents';
import { InProcessEventBus } from '../workers/event-bus/in-process-event-bus';
import { kafkaConnectionSecurity, KafkaEventBus } from '../workers/event-bus/kafka-event-bus';
import { OutboxRelay } from '../workers/outbox-relay';
import { startGateway, type Gateway } from './create-gateway';
import { buildOneGraph } from './one-graph';
import { HubMetrics } from './plugins/use-metrics';
import { CitizenSessionBox, ConsentSubjectBox, ConsentTokens } from '../certs/consent-tokens';
import { ConsentService } from '../store/services/consent.service';
import { CitizenSessions } from '../store/services/citizen-session.service';
import { ConsentAuthorizations } from '../store/services/consent-authorization.service';

export interface HubOptions {
  config: HubConfig;
  logger?: Logger;
  clock?: Clock;
}

export interface Hub {
  url: string;
  config: HubConfig;
  store: Store;
  bus: EventBus;
  relay: OutboxRelay;
  services: HubServices;
  keys: TokenKeyRing;
  /** Signed checkpoints of the processing log (a file, events, GET /audit/checkpoints). */
  checkpoints: AuditCheckpoints;
  pki: CertificateAuthority;
  /** The same CA as shared with the other replicas through the database: seals, revocations and CRLs decided there. */
  sharedPki: SharedCertificateAuthority;
  /** Roots trusted besides the hub's own (TRUSTED_ROOTS_FILE), with their CRLs; undefined without a list. */
  trustList: TrustList | undefined;
  registry: RegistryGraph;
  population: PopulationRegistryClient;
  business: BusinessRegistryClient;
  land: LandRegistryClient;
  /** The national identity provider (OpenID Connect): sign-in flow and ID-token verification. */
  identity: IdentityProviderClient;
  logger: Logger;
  /**
   * Replaces the hub's own certificates (connector client, gateway server) that were revoked or
   * expire within 30 days, without a restart; what was renewed. Runs twice a day by itself.
   */
  renewOwnCertificates(): string[];
  stop(): Promise<void>;
}

async function openEventBus(config: HubConfig, logger: Logger): Promise<EventBus> {
  if (!config.KAFKA_BROKERS) return new InProcessEventBus();
  const bus = new KafkaEventBus({
    brokers: config.KAFKA_BROKERS,
    clientId: config.KAFKA_CLIENT_ID,
    topicPrefix: config.KAFKA_TOPIC_PREFIX,
    consumerGroup: config.KAFKA_CONSUMER_GROUP,
    security: kafkaConnectionSecurity(config),
    logger: logger.child({ component: 'kafka' }),
  });
  await bus.start();
  return bus;
}

/** The gateway's TLS server certificate from the hub's CA, for the public host and the loopback names. */
function tlsSettings(pki: CertificateAuthority, config: HubConfig) {
  const host = new URL(config.PUBLIC_URL).hostname;
  return serverTlsOptions(pki, [...new Set([host, '127.0.0.1', 'localhost'])]);
}

/** The name in the client certificate the hub presents to registries when none is configured. */
export const CONNECTOR_CERTIFICATE_NAME = 'onestop-hub-connectors';

/**
 * What the connectors present to registries reached over https, and whom they trust there
 * (CONNECTOR_TLS_*): the configured certificate, or the hub's own from its CA. Checked now (certs/),
 * so that a wrong file stops the start with its setting named rather than failing each call later.
 */
export function upstreamTlsFor(config: HubConfig, pki: CertificateAuthority): UpstreamTlsSettings | undefined {
  const urls = [config.POPULATION_REGISTRY_URL, config.BUSINESS_REGISTRY_URL, config.LAND_REGISTRY_URL, config.PORTAL_URL];
  if (!urls.some((url) => url.startsWith('https:'))) return undefined;
  const pair = config.CONNECTOR_TLS_CERT_FILE
    ? readKeyPairFiles(
        { setting: 'CONNECTOR_TLS_CERT_FILE', file: config.CONNECTOR_TLS_CERT_FILE },
        { setting: 'CONNECTOR_TLS_KEY_FILE', file: config.CONNECTOR_TLS_KEY_FILE! },
      )
    : ownTlsKeyPair(pki, 'tls-client', [CONNECTOR_CERTIFICATE_NAME]);
  return {
    clientCertificatePem: pair.certificatePem,
    clientKeyPem: pair.keyPem,
    trustedCaPem: config.CONNECTOR_TLS_CA_FILE
      ? readCaFile({ setting: 'CONNECTOR_TLS_CA_FILE', file: config.CONNECTOR_TLS_CA_FILE })
      : defaultTrustedCas(pki.rootPem()),
  };
}

/**
 * Opens the hub's CA from the database, which every replica shares; the first start creates it
 * there (importing DATA_DIR/pki when it exists, so an existing root stays the trust anchor).
 */
async function openCertificateAuthority(
  store: Store,
  config: HubConfig,
  clock: Clock,
  logger: Logger,
): Promise<SharedCertificateAuthority> {
  const settings = authoritySettingsFor(config, clock);
  const log = logger.child({ component: 'pki' });
  const { shared, origin } = await SharedCertificateAuthority.open(new DatabaseCertificateStore(store.orm), settings, (error, change) =>
    log.error(
      { err: error, change: change.kind, serialNumber: change.record.serialNumber },
      'certificate authority change not written to the database',
    ),
  );
  if (origin === 'created') log.info('certificate authority created in the database (root and issuing CA)');
  if (origin === 'imported') log.info({ dir: settings.dir }, 'certificate authority imported into the database');
  await shared.refreshCrlIfDue();
  // Other replicas' changes arrive by polling. The embedded store has no other replica (`hub pki`
  // opens it only while no hub holds it): polling there would be the only database traffic at rest.
  if (store.kind !== 'embedded') {
    shared.startSync(config.PKI_SYNC_INTERVAL_SECONDS * 1000, (error) => log.warn({ err: error }, 'certificate authority not reloaded'));
  }
  return shared;
}

/** Where the registries are, from configuration. */
export function registryEndpointsFor(config: HubConfig): RegistryEndpoints {
  return {
    populationUrl: config.POPULATION_REGISTRY_URL,
    businessUrl: config.BUSINESS_REGISTRY_URL,
    businessApiKey: config.BUSINESS_REGISTRY_API_KEY,
  };
}

/** How the use cases are set up from configuration: the deadline rules and the vault reception reads. */
export function serviceSettingsFor(config: HubConfig): ServiceSettings {
  return {
    deadlines: deadlineRulesFor(loadWorkingCalendar(config.WORKING_CALENDAR_FILE)),
    documentStorage: new FileDocumentStorage(path.join(config.DATA_DIR, 'documents')),
    heldDocuments: new VaultHeldDocuments(),
  };
}

/**
 * Assembles and starts the hub: store (migrated), event bus, outbox relay and consumers, registry
 * graph, and the gateway. Stops in reverse order; anything that failed to start is closed again.
 */
export async function startHub(options: HubOptions): Promise<Hub> {
  const { config } = options;
  const logger = options.logger ?? createLogger({ level: config.LOG_LEVEL, name: 'hub' });
  const clock = options.clock ?? systemClock;
  const cleanups: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error) => logger.warn({ err: error }, 'error while stopping'));
  };
  try {
    const store = await openStore(
      {
        databaseUrl: config.DATABASE_URL,
        dataDir: config.DATA_DIR,
        poolMax: config.DATABASE_POOL_MAX,
        embeddedPort: config.EMBEDDED_DATABASE_PORT,
        embeddedSharedBuffersMb: config.EMBEDDED_DATABASE_SHARED_BUFFERS_MB,
        embeddedCompiler: config.EMBEDDED_DATABASE_COMPILER,
        schema: config.DATABASE_SCHEMA,
      },
      logger,
    );
    cleanups.push(() => store.close());

    const bus = await openEventBus(config, logger);
    cleanups.push(() => bus.close());

    const metrics = new HubMetrics();
    const sharedPki = await openCertificateAuthority(store, config, clock, logger);
    cleanups.push(() => sharedPki.stop());
    const pki = sharedPki.authority;
    const timeStampAuthority = TimeStampAuthority.ofAuthority(pki, clock);
    // Seals are decided in the database where replicas may race for one. The embedded store has one
    // process and one connection, which a use case signing inside its transaction already holds:
    // there the CA decides alone and writes its seals through after the commit.
    const documentSigner = new AgencySealSigner(
      store.kind === 'embedded' ? pki : sharedPki,
      new StoreAgencyRegistry(store.orm),
      { fonts: fontData(), publicUrl: config.PUBLIC_URL },
      timeStampAuthority.timeStamper,
    );
    let upstreamTls = upstreamTlsFor(config, pki);
    const upstream = createUpstreamHttp(upstreamTls);
    cleanups.push(() => upstream.close());
    if (upstreamTls) {
      const { subject, validTo } = certificateFacts(upstreamTls.clientCertificatePem);
      logger.info({ subject, validTo }, 'client certificate for https registries');
    }
    const registry = await loadRegistryGraph({ ...registryEndpointsFor(config), fetch: upstream.fetch }, logger);
    cleanups.push(() => registry.close());
    // What every registry client shares: the cache limit, the clock, the HTTP client, a logger of its own.
    const shared = (component: string) => ({
      cacheTtlSeconds: config.REGISTRY_CACHE_TTL_SECONDS,
      clock,
      fetch: upstream.fetch,
      logger: logger.child({ component }),
      concurrency: { maxConcurrent: config.UPSTREAM_MAX_CONCURRENT_CALLS, maxQueued: config.UPSTREAM_MAX_QUEUED_CALLS },
    });
    const population = new PopulationRegistryClient(registry.schema, {
      url: config.POPULATION_REGISTRY_URL,
      timeoutMs: config.POPULATION_REGISTRY_TIMEOUT_MS,
      ...shared('population-registry'),
    });
    const business = new BusinessRegistryClient(registry.schema, {
      url: config.BUSINESS_REGISTRY_URL,
      timeoutMs: config.BUSINESS_REGISTRY_TIMEOUT_MS,
      ...shared('business-registry'),
    });
    const land = new LandRegistryClient({
      endpoint: config.LAND_REGISTRY_URL,
      username: config.LAND_REGISTRY_USERNAME,
      password: config.LAND_REGISTRY_PASSWORD,
      timeoutMs: config.LAND_REGISTRY_TIMEOUT_MS,
      ...shared('land-registry'),
    });
    // Reception asks the registries the papers rely on (which ones: the catalogue data and RECEPTION_CONFIRMING_REGISTRIES).
    const registryConfirmation = new RegistryConfirmations(
      { population, business, land },
      new Set(config.RECEPTION_CONFIRMING_REGISTRIES as RegistrySource[]),
      logger.child({ component: 'registry-confirmation' }),
    );
    const settings = { ...serviceSettingsFor(config), documentSigner, registryConfirmation, namedStatements: store.kind === 'postgresql' };
    const created = createServices(store.orm, clock, settings);
    const { uow } = created;
    // Roots trusted besides our own, their CRLs fetched through the same upstream client.
    const trustList = config.TRUSTED_ROOTS_FILE
      ? TrustList.fromFile(config.TRUSTED_ROOTS_FILE, (url, init) => upstream.fetch(url, init), clock)
      : undefined;
    if (trustList) {
      const refreshTrustList = async () => {
        for (const source of await trustList.refresh()) {
          if (source.problem) logger.warn(source, 'CRL of a trusted root not fetched: its signatures stay INDETERMINATE until it is');
        }
      };
      await refreshTrustList();
      logger.info({ roots: trustList.roots.map((root) => root.name) }, 'trust list read');
      const trustListTimer = setInterval(() => void refreshTrustList(), config.TRUSTED_ROOTS_CRL_REFRESH_MINUTES * 60_000).unref();
      cleanups.push(async () => clearInterval(trustListTimer));
    }
    const verifier = new BoundedSignatureVerifier(
      hubTrustMaterial(pki, () => clock.now(), trustList),
      {
        workers: config.VERIFY_WORKERS,
        queueLength: config.VERIFY_QUEUE_LENGTH,
        timeoutMs: config.VERIFY_TIMEOUT_MS,
        memoryMb: config.VERIFY_WORKER_MEMORY_MB,
        limits: { maxSignatures: config.VERIFY_MAX_SIGNATURES, maxSignatureBytes: config.VERIFY_MAX_SIGNATURE_BYTES },
      },
    );
    cleanups.push(() => verifier.close());
    const identity = new IdentityProviderClient({
      issuerUrl: config.IDENTITY_ISSUER_URL,
      clientId: config.IDENTITY_CLIENT_ID,
      clientSecret: config.IDENTITY_CLIENT_SECRET,
      requiredAcr: config.IDENTITY_REQUIRED_ACR,
      timeoutMs: config.IDENTITY_TIMEOUT_MS,
      fetch: upstream.fetch,
      clock,
      concurrency: { maxConcurrent: config.UPSTREAM_MAX_CONCURRENT_CALLS, maxQueued: config.UPSTREAM_MAX_QUEUED_CALLS },
    });
    const keys = new TokenKeyRing(
      new SigningKeyRepository(store.orm),
      config.HUB_SECRET,
      {
        issuer: config.TOKEN_ISSUER,
        audience: config.TOKEN_AUDIENCE,
        ttlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
      },
      clock,
    );
    await keys.ensureKey();
    const audit = new AuditLog(store.orm, new HubProcessingLogKeys(config.HUB_SECRET), clock);
    const services: HubServices = {
      ...created.services,
      audit,
      verifier,
      consents: new ConsentService(uow, clock, new ConsentTokens(keys), audit, new ConsentSubjectBox(config.HUB_SECRET)),
      identity,
      clock,
    };
    const citizenSessions = new CitizenSessions(uow, clock, new CitizenSessionBox(config.HUB_SECRET), (id) => audit.subjectRef(id), {
      sessionMinutes: config.CITIZEN_SESSION_MINUTES,
      signInMinutes: config.CONSENT_REQUEST_MINUTES,
    });
    const consentAuthorizations = new ConsentAuthorizations(uow, clock, services.clients, services.catalogue, services.consents, {
      requestMinutes: config.CONSENT_REQUEST_MINUTES,
      codeSeconds: config.CONSENT_CODE_SECONDS,
    });
    const checkpoints = new AuditCheckpoints(services.audit, new TokenKeyCheckpointSigner(keys), checkpointFileFor(config), uow, clock);

    await bus.subscribe(
      EVENT_JOURNAL,
      eventJournalConsumer(store.orm, logger, (type) => metrics.eventsConsumed.inc({ consumer: EVENT_JOURNAL, type })),
    );

    const outbox = new OutboxStore(store.orm);
    const relay = new OutboxRelay(outbox, bus, logger.child({ component: 'outbox-relay' }), {
      batchSize: config.OUTBOX_BATCH_SIZE,
      leaseTtlMs: config.OUTBOX_LEASE_SECONDS * 1000,
      safetyPollMs: config.OUTBOX_SAFETY_POLL_SECONDS * 1000,
      // One process owns the embedded store: its commits are the only ones, and they wake the relay in-process.
      ...(store.kind === 'embedded'
        ? { holder: 'embedded', exclusive: true }
        : { notifications: new OutboxListener(store.url, config.DATABASE_SCHEMA, logger.child({ component: 'outbox-listener' })) }),
    });
    uow.onCommit(() => relay.wake());
    relay.start();
    cleanups.push(() => relay.stop());

    const portal = new PortalClient({
      url: config.PORTAL_URL,
      clientId: config.PORTAL_CLIENT_ID,
      clientSecret: config.PORTAL_CLIENT_SECRET,
      fetch: upstream.fetch,
      logger: logger.child({ component: 'portal' }),
      clock,
    });
    if (config.PORTAL_SYNC) {
      await bus.subscribe(
        PORTAL_SYNC,
        portalSyncConsumer({
          orm: store.orm,
          portal,
          population,
          audit: services.audit,
          logger: logger.child({ component: 'portal-sync' }),
          clock,
          onSynced: (outcome) => metrics.portalSync.inc({ outcome }),
        }),
      );
    }
    const dossierSchema = await buildDossierSchema();
    const schema = buildOneGraph(dossierSchema, registry.schema);
    let gatewayTls = config.TLS_ENABLED ? tlsSettings(pki, config) : undefined;
    const gateway: Gateway = await startGateway({
      schema,
      localSchema: dossierSchema,
      services,
      population,
      business,
      land,
      keys,
      pki,
      crlPem: () => sharedPki.crlPem(),
      timeStampAuthority,
      deadlines: settings.deadlines,
      trustedDocuments: new TrustedDocuments(store.orm),
      auditCheckpoints: checkpoints,
      metrics,
      logger,
      production: config.NODE_ENV === 'production',
      tls: gatewayTls,
      host: config.HOST,
      port: config.PORT,
      tokenIssuer: config.TOKEN_ISSUER,
      clientAssertions: {
        audience: config.CLIENT_ASSERTION_AUDIENCE ?? `${config.PUBLIC_URL.replace(/\/+$/, '')}/oauth/token`,
        maxLifetimeSeconds: config.CLIENT_ASSERTION_MAX_LIFETIME_SECONDS,
      },
      operatorToken: config.OPERATOR_TOKEN,
      consentFlow: {
        authorizations: consentAuthorizations,
        sessions: citizenSessions,
        signIn: identity,
        callbackUri: identityRedirectUri(config),
        secureCookies: config.PUBLIC_URL.startsWith('https:'),
        sessionMinutes: config.CITIZEN_SESSION_MINUTES,
      },
      security: {
        rateLimits: { clientPerMinute: config.RATE_LIMIT_PER_MINUTE, publicPerMinute: config.RATE_LIMIT_PUBLIC_PER_MINUTE },
        queryLimits: {
          maxDepth: config.GRAPHQL_MAX_DEPTH,
          maxCost: config.GRAPHQL_MAX_COST,
          maxAliases: config.GRAPHQL_MAX_ALIASES,
          maxTokens: config.GRAPHQL_MAX_TOKENS,
          assumedListSize: config.GRAPHQL_ASSUMED_LIST_SIZE,
          defaultListSize: PAGE_SIZE.default,
        },
        trustedDocuments: config.TRUSTED_DOCUMENTS,
        maxRequestBytes: config.MAX_REQUEST_BYTES,
        maxDocumentBytes: config.MAX_DOCUMENT_BYTES,
        requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
      },
      readiness: [
        { name: `store (${store.kind})`, kind: 'store', check: async () => void (await store.orm.em.fork().execute('select 1')) },
        { name: `event bus (${bus.kind})`, kind: 'event-bus', check: () => bus.checkHealth() },
        { name: 'population registry', kind: 'connector', check: () => population.checkHealth() },
        { name: 'business registry', kind: 'connector', check: () => business.checkHealth() },
        { name: 'land registry', kind: 'connector', check: () => land.checkHealth() },
        { name: 'national portal', kind: 'connector', check: () => portal.checkHealth() },
        { name: 'national identity provider', kind: 'connector', check: () => identity.checkHealth() },
      ],
      beforeMetrics: async () => {
        metrics.outboxPending.set(await outbox.countUnpublished());
        metrics.eventsPublished.set(relay.status.published);
        for (const [upstream, client] of [
          ['population registry', population],
          ['business registry', business],
          ['land registry', land],
          ['national identity provider', identity],
        ] as const) {
          const { executing, queued } = client.policy.load;
          metrics.upstreamCalls.set({ upstream, state: 'in_flight' }, executing);
          metrics.upstreamCalls.set({ upstream, state: 'queued' }, queued);
        }
      },
    });
    // Runs after the gateway closed (cleanups run in reverse): the last checkpoint covers every request served.
    const writeCheckpoint = () =>
      checkpoints.writeIfChanged().catch((error) => logger.error({ err: error }, 'processing-log checkpoint failed'));
    const checkpointTimer = setInterval(() => void writeCheckpoint(), config.AUDIT_CHECKPOINT_INTERVAL_SECONDS * 1000).unref();
    cleanups.push(async () => {
      clearInterval(checkpointTimer);
      await writeCheckpoint();
    });
    cleanups.push(() => gateway.close());

    // A certificate of the hub's own is replaced once the CA would no longer hand it out.
    const dueForRenewal = (pem: string) => !pki.usable(pki.record(normaliseSerial(certificateFacts(pem).serialNumber)));
    const renewOwnCertificates = (): string[] => {
      const renewed: string[] = [];
      if (upstreamTls && !config.CONNECTOR_TLS_CERT_FILE && dueForRenewal(upstreamTls.clientCertificatePem)) {
        upstreamTls = upstreamTlsFor(config, pki);
        upstream.replace(upstreamTls);
        renewed.push('connector client certificate');
      }
      if (gatewayTls && dueForRenewal(gatewayTls.cert)) {
        gatewayTls = tlsSettings(pki, config);
        gateway.replaceTls(gatewayTls);
        renewed.push('gateway server certificate');
      }
      if (renewed.length) logger.info({ renewed }, 'own certificates renewed');
      return renewed;
    };
    // Twice a day: the issuing CA's CRL (good for a week) and the hub's own certificates.
    const pkiTimer = setInterval(() => {
      sharedPki
        .refreshCrlIfDue()
        .then(() => renewOwnCertificates())
        .catch((error) => logger.error({ err: error }, 'PKI maintenance failed'));
    }, 12 * 3_600_000).unref();
    // The certificates issued for the hub itself at start (TLS, time-stamping) are in the database before it serves.
    await sharedPki.flush();
    cleanups.push(async () => clearInterval(pkiTimer));
    // A commune's one small machine: what the start and each burst of work left on the heap is
    // given back once the hub is at rest. A server replica's V8 keeps its own pace.
    if (store.kind === 'embedded') {
      const idleCollection = startIdleCollection();
      cleanups.push(async () => idleCollection.stop());
    }

    logger.info({ url: gateway.url, store: store.kind, events: bus.kind }, 'hub started');
    return {
      url: gateway.url,
      config,
      store,
      bus,
      relay,
      services,
      keys,
      checkpoints,
      pki,
      sharedPki,
      trustList,
      registry,
      population,
      business,
      land,
      identity,
      logger,
      renewOwnCertificates,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
