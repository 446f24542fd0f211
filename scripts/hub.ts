#!/usr/bin/env node
/**
 * The operator CLI: `npm run hub -- <command>` (or `node dist/scripts/hub.js <command>`).
 */
import 'reflect-metadata';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { isHubError } from '../domain/errors';
import type { Hub } from '../gateway/hub';
import { authoritySettingsFor, CertificateAuthority } from '../certs/pki/certificate-authority';
import { configReferenceMarkdown, describeConfig, identityRedirectUri, loadConfig, type HubConfig } from '../platform/config';
import { createLogger } from '../platform/logger';
import { systemClock } from '../domain/clock';
import type { Store } from '../store/database';
import type { StoreServices } from '../store/services';
import { ADMIN_HELP, AUDIT_HELP, runAdminCommand } from './admin-commands';
import { PKI_HELP, runPkiCommand } from './pki-command';
import { DatabaseCertificateStore } from '../store/certificate-store';
import { CONSENT_PURPOSES_HELP, parseConsentPurposesArgs, runConsentPurposesCommand } from './consent-purposes-command';
import { DEADLINE_HELP, runDeadlineCommand } from './deadline-command';
import { CATALOGUE_HELP, SHIPPED_CATALOGUE_FILES, formatCatalogueJson, readProcedures, runCatalogueCommand } from './catalogue-command';
import { parseAgencies } from '../domain/catalogue/catalogue-validation';
import { fromProjectRoot } from '../platform/paths';
import { runtimeSupport } from '../platform/runtime';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { ManagedProcess } from './child-process';
import { DEMO_CONSENT_PORTAL, demoPortalRedirectUris, seedDemoData } from './demo-data';
import { simulatorTlsFiles, startSimulators } from './simulators';

const HELP = `Usage: npm run hub -- <command> [options]

Commands:
  start            Run the hub: migrations, simulators (unless START_SIMULATORS=false),
                   demo data (unless DEMO_DATA=false or production), gateway. Ctrl-C stops it.
  migrate          Apply pending database migrations and exit.
  seed-demo        Load the demo catalogue and dossiers into the store and exit.
  schema           Print the GraphQL schema the gateway serves (SDL), as in docs/schema.graphql.
${DEADLINE_HELP}
${CATALOGUE_HELP}
  catalogue import FILE.json|FILE.csv [--agencies AGENCIES.json]
                   Check, then write procedures (and agencies) into the store (insert or update by code).
  catalogue export OUT.json
                   Write the store's procedure catalogue as JSON (the same format).
${ADMIN_HELP}
  statistics rebuild
                   Recompute the daily figures statistics reads (per agency, procedure and day) from the
                   dossiers, a month at a time with progress; receptions wait only for the month at hand.
${CONSENT_PURPOSES_HELP}
${PKI_HELP}
  config           Print the effective configuration (secrets masked).
  config --markdown
                   Print the reference table of every environment variable.

Options:
  -h, --help       Show this help.
  -v, --version    Print the hub's version and the Node.js release running it.

Configuration is read from environment variables only; see README.md ("Configuration").`;

/**
 * What serving and the store commands need, loaded on first use so that `--help`, `deadline`, `pki`
 * and the like start in a fraction of a second (the gateway's modules take seconds to load).
 * Tracing first: its instrumentations must be in place before `http` and `pg` are loaded.
 */
async function runtime() {
  await import('./start-tracing');
  const [hub, upstream, registryGraph, oneGraph, dossierSchema, database, services, tracing, graphql] = await Promise.all([
    import('../gateway/hub'),
    import('../connectors/upstream-tls'),
    import('../connectors/registry-graph'),
    import('../gateway/one-graph'),
    import('../schema/build-dossier-schema'),
    import('../store/database'),
    import('../store/services'),
    import('../platform/tracing'),
    import('graphql'),
  ]);
  return {
    ...hub,
    ...upstream,
    ...registryGraph,
    ...oneGraph,
    ...dossierSchema,
    ...database,
    ...services,
    stopTracing: tracing.stopTracing,
    printSchema: graphql.printSchema,
  };
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

function readConfig(): HubConfig {
  try {
    return loadConfig();
  } catch (error) {
    if (isHubError(error))
      fail(
        `hub: invalid configuration:\n${error.message
          .split('\n')
          .map((line) => `  ${line}`)
          .join('\n')}`,
      );
    throw error;
  }
}

/** The hub CA's root certificate in a file, for a simulator that calls an https hub. */
function writeRootFile(pki: CertificateAuthority, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'hub-root.pem');
  writeFileSync(file, pki.rootPem());
  return file;
}

async function start(config: HubConfig): Promise<void> {
  const { createUpstreamHttp, startHub, stopTracing, upstreamTlsFor } = await runtime();
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'hub' });
  const node = runtimeSupport();
  if (!node.supported) {
    logger.warn(
      { node: node.version, engines: node.range },
      'running on a Node.js release the hub is not tested on (npm start runs the one package.json installs)',
    );
  }
  let simulators: ManagedProcess[] = [];
  let hub: Hub | undefined;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    await hub?.stop();
    await Promise.all(simulators.map((s) => s.stop()));
    await stopTracing();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  try {
    if (config.START_SIMULATORS) {
      const pki = CertificateAuthority.openOrInit(authoritySettingsFor(config)).authority;
      const upstream = createUpstreamHttp(upstreamTlsFor(config, pki));
      simulators = await startSimulators({
        populationUrl: config.POPULATION_REGISTRY_URL,
        businessUrl: config.BUSINESS_REGISTRY_URL,
        landUrl: config.LAND_REGISTRY_URL,
        portalUrl: config.PORTAL_URL,
        identityUrl: config.IDENTITY_ISSUER_URL,
        // The hub's own client; the consent page's sign-in returns to the hub's callback.
        identityClients: [
          {
            clientId: config.IDENTITY_CLIENT_ID,
            clientSecret: config.IDENTITY_CLIENT_SECRET,
            redirectUris: [identityRedirectUri(config)],
          },
        ],
        seed: config.SIMULATOR_SEED,
        portalClientSecret: config.PORTAL_CLIENT_SECRET,
        // The demo portal tries the consent flow from the portal simulator's /prefill pages.
        portalAtHub: config.DEMO_DATA
          ? {
              url: config.PUBLIC_URL.replace(/\/+$/, ''),
              clientId: DEMO_CONSENT_PORTAL,
              clientSecret: config.DEMO_CLIENT_SECRET,
              caFile: config.PUBLIC_URL.startsWith('https:') ? writeRootFile(pki, path.resolve(config.DATA_DIR, 'simulators')) : undefined,
            }
          : undefined,
        landUsername: config.LAND_REGISTRY_USERNAME,
        landPassword: config.LAND_REGISTRY_PASSWORD,
        logDir: path.resolve(config.DATA_DIR, 'logs'),
        // An https population registry is simulated as the real one is reached: mutual TLS.
        ...(config.POPULATION_REGISTRY_URL.startsWith('https:')
          ? {
              populationTls: simulatorTlsFiles(
                pki,
                'population-registry-simulator',
                config.POPULATION_REGISTRY_URL,
                path.resolve(config.DATA_DIR, 'simulators'),
              ),
            }
          : {}),
        fetch: upstream.fetch,
      }).finally(() => upstream.close());
    }
    hub = await startHub({ config, logger });
    const demo = config.DEMO_DATA
      ? await seedDemoData(hub.services, config.SIMULATOR_SEED, config.DEMO_CLIENT_SECRET, {
          demoPortalRedirectUris: demoPortalRedirectUris(config),
        })
      : undefined;
    const lines = [
      '',
      `One-stop integration hub is running (${hub.store.kind} store, ${hub.bus.kind} events, Node.js ${process.version}).`,
      `  GraphQL     ${hub.url}/graphql`,
      `  Health      ${hub.url}/healthz   Readiness ${hub.url}/readyz   Metrics ${hub.url}/metrics`,
      `  PKI         ${hub.url}/pki/root.pem (trust anchor)   Time-stamps ${hub.url}/tsa (RFC 3161)`,
      `  Store       ${hub.store.displayUrl}`,
      ...(config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ? [`  Tracing     OTLP to ${config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}`] : []),
      ...simulators.map((s) => `  Simulator   ${s.name} ${s.url} (log ${s.logFile})`),
    ];
    if (demo) {
      lines.push(`  Demo data   ${demo.procedures} procedures, ${demo.agencies} agencies, dossiers ${demo.dossierCodes.join(' ')}`);
      lines.push(`  Consent     ${DEMO_CONSENT_PORTAL} may ask consent for ${demo.consentPurposes.join(' ')}`);
      if (demoPortalRedirectUris(config)) {
        lines.push(
          `  Consent demo ${new URL(config.PORTAL_URL).origin}/prefill (the portal simulator asks a citizen's consent here, then prefills a declaration)`,
        );
      }
      lines.push('', `Demo clients, secret "${config.DEMO_CLIENT_SECRET}" (DEMO_CLIENT_SECRET; refused in production):`);
      for (const c of demo.clients)
        lines.push(`  ${c.clientId.padEnd(14)} ${c.kind.padEnd(13)} ${(c.agencyCode ?? '-').padEnd(14)} ${c.scopes.join(' ')}`);
      lines.push(
        '',
        'Try:',
        `  TOKEN=$(curl -s ${hub.url}/oauth/token -d grant_type=client_credentials -d client_id=demo-district -d client_secret=${config.DEMO_CLIENT_SECRET} | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')`,
      );
      lines.push(`  curl -s ${hub.url}/graphql -H 'content-type: application/json' -H "authorization: Bearer $TOKEN" \\`);
      lines.push(`    -d '{"query":"{ dossier(code: \\"${demo.dossierCodes[0]}\\") { code status applicant { fullName } } }"}'`);
      lines.push(`  curl -s ${hub.url}/graphql -H 'content-type: application/json' -H "authorization: Bearer $TOKEN" \\`);
      lines.push(
        `    -d '{"query":"{ dossier(code: \\"${demo.dossierCodes.at(-1)}\\") { landParcel { areaM2 owners { fullName share } } applicant { fullName enterprises { name } parcels { parcelNumber } } } }"}'`,
      );
      lines.push(
        `  curl -s ${hub.url}/graphql -H 'content-type: application/json' -d '{"query":"{ dossierStatus(code: \\"${demo.dossierCodes[0]}\\") { status statusLabel } }"}'`,
      );
    }
    lines.push('', 'Press Ctrl-C to stop.', '');
    process.stdout.write(lines.join('\n'));
  } catch (error) {
    await hub?.stop().catch(() => undefined);
    await Promise.all(simulators.map((s) => s.stop().catch(() => undefined)));
    if (isHubError(error)) fail(`hub: cannot start: ${error.message}`);
    fail(`hub: cannot start: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function withStore(config: HubConfig, work: (hub: { services: StoreServices; store: Store }) => Promise<void>): Promise<void> {
  const { createServices, openStore, serviceSettingsFor } = await runtime();
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'hub' });
  try {
    const store = await openStore(
      {
        databaseUrl: config.DATABASE_URL,
        dataDir: config.DATA_DIR,
        poolMax: 2,
        embeddedPort: config.EMBEDDED_DATABASE_PORT,
        embeddedSharedBuffersMb: config.EMBEDDED_DATABASE_SHARED_BUFFERS_MB,
        embeddedCompiler: config.EMBEDDED_DATABASE_COMPILER,
        schema: config.DATABASE_SCHEMA,
      },
      logger,
    );
    try {
      await work({ services: createServices(store.orm, systemClock, serviceSettingsFor(config)).services, store });
    } finally {
      await store.close();
    }
  } catch (error) {
    if (isHubError(error)) fail(`hub: ${error.message}`);
    throw error;
  }
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: false,
    options: { help: { type: 'boolean', short: 'h' }, version: { type: 'boolean', short: 'v' }, markdown: { type: 'boolean' } },
  });
  const [command] = positionals;
  if (values.version && !command) {
    const { version } = JSON.parse(readFileSync(fromProjectRoot('package.json'), 'utf8')) as { version: string };
    const node = runtimeSupport();
    process.stdout
      .write(`onestop-hub ${version} on Node.js ${node.version}${node.supported ? '' : ` (not the tested release: engines ${node.range})`}
`);
    return;
  }
  if (command === 'pki') {
    // Its own options and --help (which needs no store); the CA is in the database.
    try {
      const rest = argv.slice(argv.indexOf('pki') + 1);
      const wantsHelp = rest.length === 0 || rest.includes('--help') || rest.includes('-h');
      const config = wantsHelp ? loadConfig({}) : readConfig();
      await runPkiCommand(
        rest,
        authoritySettingsFor(config),
        async (work) => {
          const { openStore } = await runtime();
          const store = await openStore(
            {
              databaseUrl: config.DATABASE_URL,
              dataDir: config.DATA_DIR,
              poolMax: 2,
              embeddedPort: config.EMBEDDED_DATABASE_PORT,
              schema: config.DATABASE_SCHEMA,
            },
            // Warnings only: what `hub pki` prints (PEM) is piped into files.
            createLogger({ level: 'warn', name: 'hub' }),
          );
          try {
            return await work(new DatabaseCertificateStore(store.orm));
          } finally {
            await store.close();
          }
        },
        { print: (text) => process.stdout.write(`${text}\n`) },
      );
    } catch (error) {
      if (isHubError(error)) fail(`hub pki: ${error.message}`);
      throw error;
    }
    return;
  }
  if (command === 'deadline') {
    // Its own options and --help.
    try {
      runDeadlineCommand(argv.slice(argv.indexOf('deadline') + 1), (line) => process.stdout.write(`${line}\n`));
    } catch (error) {
      if (isHubError(error)) fail(`hub deadline: ${error.message}`);
      throw error;
    }
    return;
  }
  if (command === 'consent-purposes') {
    // Its own options and --help (which needs no store).
    let parsed;
    try {
      parsed = parseConsentPurposesArgs(argv.slice(argv.indexOf('consent-purposes') + 1));
    } catch (error) {
      if (isHubError(error)) fail(`hub ${error.message}`);
      throw error;
    }
    const print = (line: string) => process.stdout.write(`${line}\n`);
    if (parsed.action === 'help') {
      print(parsed.text);
      return;
    }
    const command = parsed;
    return withStore(readConfig(), ({ services }) => runConsentPurposesCommand(command, { purposes: services.consentPurposes, print }));
  }
  if (command === 'audit' && (values.help || positionals.length === 1)) {
    process.stdout.write(`${AUDIT_HELP}\n`);
    return;
  }
  if (values.help || !command) {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  switch (command) {
    case 'start':
      return start(readConfig());
    case 'migrate':
      return withStore(readConfig(), async () => {
        process.stdout.write('database is up to date\n');
      });
    case 'seed-demo':
      return withStore(readConfig(), async ({ services }) => {
        const config = readConfig();
        const summary = await seedDemoData(services, config.SIMULATOR_SEED, config.DEMO_CLIENT_SECRET, {
          demoPortalRedirectUris: demoPortalRedirectUris(config),
        });
        process.stdout.write(
          `seeded ${summary.procedures} procedures, ${summary.agencies} agencies, dossiers ${summary.dossierCodes.join(' ')}\n` +
            `${DEMO_CONSENT_PORTAL} may ask consent for ${summary.consentPurposes.join(' ')}\n`,
        );
      });
    case 'schema': {
      const config = readConfig();
      const { buildDossierSchema, buildOneGraph, loadRegistryGraph, printSchema, registryEndpointsFor } = await runtime();
      const registry = await loadRegistryGraph(registryEndpointsFor(config), createLogger({ level: 'warn' }));
      process.stdout.write(`${printSchema(buildOneGraph(await buildDossierSchema(), registry.schema))}\n`);
      await registry.close();
      return;
    }
    case 'catalogue': {
      const rest = argv.slice(argv.indexOf('catalogue') + 1);
      const io = {
        print: (line: string) => process.stdout.write(`${line}\n`),
        readFile: (file: string) => readFileSync(file, 'utf8'),
        writeFile: (file: string, text: string) => writeFileSync(file, text),
        shippedFiles: SHIPPED_CATALOGUE_FILES.map((file) => fromProjectRoot(file)),
      };
      if (rest[0] === 'import' || rest[0] === 'export') {
        const config = readConfig();
        return withStore(config, async ({ services }) => {
          if (rest[0] === 'export') {
            const procedures = await services.catalogue.exportProcedures();
            io.writeFile(rest[1] ?? fail('hub catalogue export: give the output file'), formatCatalogueJson(procedures));
            io.print(`exported ${procedures.length} procedures to ${rest[1]}`);
            return;
          }
          const { values, positionals } = parseArgs({
            args: rest.slice(1),
            allowPositionals: true,
            options: { agencies: { type: 'string' } },
          });
          const file = positionals[0] ?? fail('hub catalogue import: give the catalogue file');
          const procedures = readProcedures(file, io);
          if (values.agencies)
            io.print(
              `imported ${await services.catalogue.importAgencies(parseAgencies(JSON.parse(io.readFile(values.agencies))))} agencies`,
            );
          io.print(`imported ${await services.catalogue.importProcedures(procedures)} procedures`);
        });
      }
      try {
        await runCatalogueCommand(rest, io);
      } catch (error) {
        if (isHubError(error)) fail(`hub catalogue: ${error.message}`);
        throw error;
      }
      return;
    }
    case 'clients':
    case 'keys':
    case 'documents':
    case 'audit': {
      const config = readConfig();
      return withStore(config, ({ services, store }) =>
        runAdminCommand(command, argv.slice(argv.indexOf(command) + 1), {
          config,
          store,
          services,
          print: (line) => process.stdout.write(`${line}\n`),
        }),
      );
    }
    case 'statistics': {
      if (positionals[1] !== 'rebuild') fail('hub statistics: the command is "statistics rebuild" (see --help).');
      return withStore(readConfig(), async ({ services }) => {
        // Elapsed time for the operator, measured with the monotonic timer (not a time of day).
        const started = performance.now();
        const rows = await services.statistics.rebuildDailyFigures((done, total, month) => {
          const line = `  ${month}: ${done}/${total} months, ${((performance.now() - started) / 1000).toFixed(1)} s`;
          process.stderr.write(process.stderr.isTTY ? `\r${line}   ${done === total ? '\n' : ''}` : `${line}\n`);
        });
        process.stdout.write(`rebuilt ${rows} daily rows in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
      });
    }
    case 'config':
      process.stdout.write(
        values.markdown ? `${configReferenceMarkdown()}\n` : `${JSON.stringify(describeConfig(readConfig()), null, 2)}\n`,
      );
      return;
    default:
      fail(`hub: unknown command "${command}". Run with --help to see the commands.`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  fail(`hub: ${error instanceof Error ? error.message : String(error)}`);
});
