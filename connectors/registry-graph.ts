import { existsSync } from 'node:fs';
import path from 'node:path';
import { fork } from 'node:child_process';
import { UnifiedGraphManager } from '@graphql-mesh/fusion-runtime';
import * as restTransport from '@graphql-mesh/transport-rest';
import type { GraphQLSchema } from 'graphql';
import { fromProjectRoot } from '../platform/paths';
import type { Logger } from '../platform/logger';
import { composeSupergraph, logMeshLine, type ComposeMessage } from './compose-registry-graph';
import { SUBGRAPHS } from './registry-subgraphs';
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

/** The compiled composition script, beside this file (dist/) or in the project's dist/ (tests run from source). */
function composeScript(): string | undefined {
  const sibling = path.join(__dirname, 'compose-registry-graph.process.js');
  if (existsSync(sibling)) return sibling;
  const compiled = fromProjectRoot('dist', 'connectors', 'compose-registry-graph.process.js');
  return existsSync(compiled) ? compiled : undefined;
}

/**
 * The supergraph SDL, composed in a child process so that Mesh's compose library and what the
 * composition allocated leave with it (about 50 MB the hub would otherwise hold for its lifetime);
 * in-process when the script is not built.
 */
async function composeInChild(logger: Logger): Promise<string> {
  const script = composeScript();
  if (!script) return composeSupergraph((level, text) => logMeshLine(logger, level, text));
  const child = fork(script, [], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    return await new Promise<string>((resolve, reject) => {
      child.on('message', (message: ComposeMessage) => {
        if (message.kind === 'log') logMeshLine(logger, message.level, message.text);
        else if (message.kind === 'done') resolve(message.supergraphSdl);
        else reject(new Error(`registry graph not composed: ${message.message}`));
      });
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`registry graph not composed: its process exited with code ${code}`)));
    });
  } finally {
    if (child.connected) child.disconnect();
  }
}

/**
 * Composes mesh.config.ts (in a child process) and builds its executor with the endpoints from
 * configuration: the same composition serves the simulators and the real registries.
 */
export async function loadRegistryGraph(endpoints: RegistryEndpoints, logger: Logger): Promise<RegistryGraph> {
  const supergraphSdl = await composeInChild(logger);
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
