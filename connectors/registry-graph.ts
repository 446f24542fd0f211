import { getComposedSchemaFromConfig } from '@graphql-mesh/compose-cli';
import { UnifiedGraphManager } from '@graphql-mesh/fusion-runtime';
import * as restTransport from '@graphql-mesh/transport-rest';
import type { GraphQLSchema } from 'graphql';
import { composeConfig, SUBGRAPHS } from '../mesh.config';
import type { Logger } from '../platform/logger';
import type { UpstreamFetch } from './upstream-tls';

export interface RegistryEndpoints {
  populationUrl: string;
  businessUrl: string;
  /** Sent as X-Api-Key to the business registry. */
  businessApiKey: string;
  /** The HTTP client of every registry call (mutual TLS for https registries). @default Node's fetch */
  fetch?: UpstreamFetch;
}

export interface RegistryGraph {
  /** The composed, executable schema of every registry (internal: never served as is). */
  schema: GraphQLSchema;
  /** The supergraph SDL Mesh composed (for docs and debugging). */
  supergraphSdl: string;
  close(): Promise<void>;
}

function meshLogger(logger: Logger) {
  const log = {
    log: (...args: unknown[]) => logger.debug({ mesh: true }, args.map(String).join(' ')),
    debug: (...args: unknown[]) => logger.debug({ mesh: true }, args.map(String).join(' ')),
    info: (...args: unknown[]) => logger.debug({ mesh: true }, args.map(String).join(' ')),
    warn: (...args: unknown[]) => logger.warn({ mesh: true }, args.map(String).join(' ')),
    error: (...args: unknown[]) => logger.error({ mesh: true }, args.map(String).join(' ')),
    child: () => log,
  };
  return log;
}

/**
 * Composes mesh.config.ts in-process (~0.1 s) and builds its executor with the endpoints from
 * configuration: the same composition serves the simulators and the real registries.
 */
export async function loadRegistryGraph(endpoints: RegistryEndpoints, logger: Logger): Promise<RegistryGraph> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const supergraphSdl = await getComposedSchemaFromConfig(composeConfig, meshLogger(logger) as any);
  const upstreamFetch = endpoints.fetch;
  // The REST transport with the hub's HTTP client (mutual TLS) in place of the global fetch.
  const rest: typeof restTransport.default = upstreamFetch
    ? { getSubgraphExecutor: (options) => restTransport.default.getSubgraphExecutor({ ...options, fetch: upstreamFetch }) }
    : restTransport.default;
  const manager = new UnifiedGraphManager({
    getUnifiedGraph: () => supergraphSdl,
    transports: { rest },
    transportEntryAdditions: {
      [SUBGRAPHS.population]: { location: endpoints.populationUrl },
      [SUBGRAPHS.business]: { location: endpoints.businessUrl, headers: [['X-Api-Key', endpoints.businessApiKey]] },
    },
  });
  const schema = await manager.getUnifiedGraph();
  return {
    schema,
    supergraphSdl,
    async close() {
      await manager[Symbol.asyncDispose]();
    },
  };
}
