import { execute, Kind, validate, visit, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';
import type { HubContext } from '../schema/context';

/** What Apollo Server hands its executor (the part of @apollo/server-gateway-interface the hub reads). */
interface ExecutorRequest {
  readonly document: DocumentNode;
  readonly request: { variables?: Record<string, unknown>; operationName?: string };
  readonly context: Record<string, unknown>;
}

/**
 * True when every field of the document is the dossier schema's own (and none asks for the schema
 * itself): the served graph proxies exactly those fields to it, so executing the document there gives
 * the same answer without the delegation (a second planning, validation and execution per request).
 * Introspection stays on the served graph: it must describe the registry types too.
 */
export function isLocalOnly(local: GraphQLSchema, document: DocumentNode): boolean {
  let introspection = false;
  visit(document, {
    [Kind.FIELD]: (node) => {
      if (node.name.value.startsWith('__') && node.name.value !== '__typename') introspection = true;
    },
  });
  return !introspection && validate(local, document).length === 0;
}

/**
 * Apollo Server's gateway hook, used for one thing: executing an operation that touches only the
 * dossier schema's fields on that schema, and any other on the served (stitched) graph. Parsing,
 * validation against the served graph (with the query limits), the plugins, error formatting and the
 * processing log stay Apollo's, as for any operation.
 */
export function localFirstGateway(served: GraphQLSchema, local: GraphQLSchema) {
  // Apollo keeps one parsed document per query text: the decision is made once per query.
  const decided = new WeakMap<DocumentNode, boolean>();
  const executor = async ({ document, request, context }: ExecutorRequest): Promise<ExecutionResult> => {
    let localOnly = decided.get(document);
    if (localOnly === undefined) {
      localOnly = isLocalOnly(local, document);
      decided.set(document, localOnly);
    }
    return execute({
      schema: localOnly ? local : served,
      document,
      variableValues: request.variables,
      operationName: request.operationName,
      contextValue: context as unknown as HubContext,
    });
  };
  return {
    async load() {
      return { executor };
    },
    onSchemaLoadOrUpdate(callback: (schema: { apiSchema: GraphQLSchema; coreSupergraphSdl: string }) => void) {
      // The SDL serves Apollo's schema reporting only, which the hub does not use.
      callback({ apiSchema: served, coreSupergraphSdl: '' });
      return () => undefined;
    },
    async stop() {},
  };
}
