import path from 'node:path';
import type { CertificateAuthority } from '../certs/pki/certificate-authority';
import { writeServerTlsFiles } from '../certs/tls-material';
import { projectRoot } from '../platform/paths';
import { startProcess, type ManagedProcess } from './child-process';

export interface SimulatorSettings {
  /** Where each simulator must listen (its port is taken from the URL). */
  populationUrl: string;
  businessUrl: string;
  landUrl: string;
  portalUrl: string;
  /** The national identity simulator (an OpenID Provider); its issuer is this URL. */
  identityUrl: string;
  /** The relying parties it knows (the hub's client first), secrets passed through the environment. */
  identityClients: { clientId: string; clientSecret: string; redirectUris: string[] }[];
  /** One seed and one population size for all: the registries then describe the same people. */
  seed: number;
  /** @default 10000 */
  populationSize?: number;
  /** Secrets the simulators expect (the hub's configuration holds the same). */
  portalClientSecret: string;
  /** The portal's client at the hub, for the portal simulator's prefill demo (/prefill); without it the demo is off. */
  portalAtHub?: { url: string; clientId: string; clientSecret: string; caFile?: string | undefined } | undefined;
  /** The WS-Security credentials the land registry simulator accepts. */
  landUsername: string;
  landPassword: string;
  logDir: string;
  /** Files that make the population simulator serve HTTPS and require client certificates (with an https populationUrl). */
  populationTls?: SimulatorTlsFiles;
  /** The HTTP client that checks they are up (the hub's: it has the client certificate). */
  fetch?: typeof fetch;
}

export interface SimulatorTlsFiles {
  certFile: string;
  keyFile: string;
  clientCaFile: string;
}

/**
 * Server certificate and key for a simulator, from the hub's CA, written to `dir` (the key readable
 * by its owner only); the simulator accepts client certificates of the same CA, so the hub's own
 * connector certificate gets through, as a registry that enrolled the hub would let it.
 */
export function simulatorTlsFiles(pki: CertificateAuthority, name: string, url: string, dir: string): SimulatorTlsFiles {
  return writeServerTlsFiles(pki, name, [...new Set([name, new URL(url).hostname, 'localhost'])], dir);
}

/** The compiled entry point of a simulator. */
function distScript(relative: string): string {
  return path.join(projectRoot(), 'dist', relative);
}

function listen(url: string): string[] {
  const parsed = new URL(url);
  return ['--host', parsed.hostname, '--port', parsed.port || '80'];
}

function base(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}`;
}

/**
 * Starts every registry simulator, the national portal and the national identity provider simulators, each as its own process (they
 * are separate services, as the real ones are). Secrets go through the environment, not arguments.
 */
export async function startSimulators(settings: SimulatorSettings): Promise<ManagedProcess[]> {
  const shared = ['--seed', String(settings.seed), '--population-size', String(settings.populationSize ?? 10_000)];
  const specs: { name: string; script: string; args: string[]; url: string; env?: NodeJS.ProcessEnv }[] = [
    {
      name: 'population-simulator',
      script: 'connectors/population/simulator/main.js',
      args: [...listen(settings.populationUrl), '--seed', String(settings.seed), '--size', String(settings.populationSize ?? 10_000)],
      url: base(settings.populationUrl),
      env: settings.populationTls
        ? {
            POPULATION_SIM_TLS_CERT: settings.populationTls.certFile,
            POPULATION_SIM_TLS_KEY: settings.populationTls.keyFile,
            POPULATION_SIM_CLIENT_CA: settings.populationTls.clientCaFile,
          }
        : {},
    },
    {
      name: 'business-simulator',
      script: 'connectors/business/simulator/main.js',
      args: [...listen(settings.businessUrl), ...shared],
      url: base(settings.businessUrl),
    },
    {
      name: 'land-simulator',
      script: 'connectors/land/simulator/main.js',
      args: [...listen(settings.landUrl), ...shared],
      url: base(settings.landUrl),
      env: { LAND_SIM_USERNAME: settings.landUsername, LAND_SIM_PASSWORD: settings.landPassword },
    },
    {
      name: 'portal-simulator',
      script: 'connectors/portal/simulator/main.js',
      args: [...listen(settings.portalUrl), ...shared],
      url: base(settings.portalUrl),
      env: {
        PORTAL_SIM_CLIENT_SECRET: settings.portalClientSecret,
        ...(settings.portalAtHub
          ? {
              PORTAL_SIM_HUB_URL: settings.portalAtHub.url,
              PORTAL_SIM_HUB_CLIENT_ID: settings.portalAtHub.clientId,
              PORTAL_SIM_HUB_CLIENT_SECRET: settings.portalAtHub.clientSecret,
              // An https hub has a certificate of its own CA: the portal trusts that root.
              ...(settings.portalAtHub.caFile ? { NODE_EXTRA_CA_CERTS: settings.portalAtHub.caFile } : {}),
            }
          : {}),
      },
    },
  ];
  specs.push({
    name: 'identity-simulator',
    script: 'connectors/identity/simulator/main.js',
    args: [...listen(settings.identityUrl), ...shared],
    url: base(settings.identityUrl),
    env: {
      IDENTITY_SIM_CLIENTS: settings.identityClients.map((c) => `${c.clientId}=${c.redirectUris.join(',')}`).join(';'),
      ...Object.fromEntries(
        settings.identityClients.map((c) => [`IDENTITY_SIM_SECRET_${c.clientId.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`, c.clientSecret]),
      ),
    },
  });
  const started: ManagedProcess[] = [];
  try {
    for (const spec of specs) {
      started.push(await startProcess({ ...spec, script: distScript(spec.script), logDir: settings.logDir, fetch: settings.fetch }));
    }
  } catch (error) {
    await Promise.all(started.map((s) => s.stop()));
    throw error;
  }
  return started;
}
