/**
 * Composes the registry supergraph in a child process: Mesh's compose library, the OpenAPI loader
 * and what the composition allocated leave with it instead of staying in the hub. (A worker thread
 * would not do: the C heap its allocations grew stays with the hub's process.)
 */
import { composeSupergraph, type ComposeMessage } from './compose-registry-graph';

const post = (message: ComposeMessage) => process.send!(message);

composeSupergraph((level, text) => post({ kind: 'log', level, text })).then(
  (supergraphSdl) => post({ kind: 'done', supergraphSdl }),
  (error: unknown) => post({ kind: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
);
// The parent ends the child once it has the answer; without a parent there is nothing to wait for.
process.on('disconnect', () => process.exit(0));
