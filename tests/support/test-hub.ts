import { startHub, type Hub } from '../../gateway/hub';
import { loadConfig } from '../../platform/config';
import { dropSchema, freshSchemaName, quietLogger } from './database';
import { testEnv } from './environment';

export interface TestHub extends Hub {
  graphql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResult<T>>;
  /** Stops the hub and drops its schema. */
  dispose(): Promise<void>;
}

export interface GraphQLResult<T> {
  status: number;
  headers: Headers;
  body: { data?: T | null; errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[] };
}

/** A real hub (gateway on a random port) over the test PostgreSQL, in its own schema. */
export async function startTestHub(label: string, env: Record<string, string> = {}): Promise<TestHub> {
  const schema = freshSchemaName(label);
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    LOG_LEVEL: 'silent',
    DATABASE_URL: testEnv('databaseUrl'),
    POPULATION_REGISTRY_URL: testEnv('populationUrl'),
    OUTBOX_POLL_INTERVAL_MS: '100',
    DATABASE_SCHEMA: schema,
    ...env,
  });
  const hub = await startHub({ config, logger: quietLogger });
  return Object.assign(hub, {
    async graphql<T>(query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}): Promise<GraphQLResult<T>> {
      const response = await fetch(`${hub.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, headers: response.headers, body: (await response.json()) as GraphQLResult<T>['body'] };
    },
    async dispose() {
      await hub.stop();
      await dropSchema(schema);
    },
  });
}
