import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import DataLoader from 'dataloader';
import express from 'express';
import type { GraphQLSchema } from 'graphql';
import type { PopulationRegistryClient } from '../connectors/population/population-registry.client';
import type { Logger } from '../platform/logger';
import type { HubContext, HubServices } from '../schema/context';
import { createErrorFormatter } from '../schema/error-mapping';
import { healthRoutes, type ReadinessCheck } from './health';
import { graphqlMetricsPlugin, useHttpMetrics, type HubMetrics } from './plugins/use-metrics';
import { useRequestId } from './plugins/use-request-id';

export interface GatewayOptions {
  schema: GraphQLSchema;
  services: HubServices;
  population: PopulationRegistryClient;
  readiness: readonly ReadinessCheck[];
  metrics: HubMetrics;
  /** Called before /metrics answers, to refresh gauges. */
  beforeMetrics?: () => Promise<void>;
  logger: Logger;
  production: boolean;
  host: string;
  port: number;
}

export interface Gateway {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** The HTTP surface of the hub (docs/API.md): GraphQL, health, readiness, metrics. */
export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);

  const apollo = new ApolloServer<HubContext>({
    schema: options.schema,
    introspection: !options.production,
    includeStacktraceInErrorResponses: false,
    formatError: createErrorFormatter({ production: options.production, logger: options.logger }),
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), graphqlMetricsPlugin(options.metrics)],
    logger: {
      debug: (m) => options.logger.debug(m),
      info: (m) => options.logger.info(m),
      warn: (m) => options.logger.warn(m),
      error: (m) => options.logger.error(m),
    },
  });
  await apollo.start();

  app.use(useRequestId(options.logger));
  app.use(useHttpMetrics(options.metrics));
  app.use(healthRoutes(options.readiness));
  app.get('/metrics', async (_req, res) => {
    await options.beforeMetrics?.();
    res.type(options.metrics.registry.contentType).send(await options.metrics.registry.metrics());
  });
  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    expressMiddleware(apollo, {
      context: async ({ req }) => ({
        requestId: req.requestId,
        logger: req.log,
        services: options.services,
        loaders: {
          citizens: new DataLoader<string, Record<string, unknown>>(
            async (ids) => (await options.population.lookup(ids)) as unknown as (Record<string, unknown> | Error)[],
            { maxBatchSize: 500 },
          ),
        },
      }),
    }),
  );

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, options.host, () => resolve());
  });
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `http://${options.host}:${port}`,
    port,
    async close() {
      await apollo.stop();
    },
  };
}
