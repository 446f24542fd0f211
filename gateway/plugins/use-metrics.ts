import type { ApolloServerPlugin } from '@apollo/server';
import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The hub's Prometheus metrics, one registry per hub instance. */
export class HubMetrics {
  readonly registry = new Registry();
  readonly httpDuration = new Histogram({
    name: 'hub_http_request_duration_seconds',
    help: 'HTTP request duration by route and status.',
    labelNames: ['route', 'method', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly graphqlOperations = new Counter({
    name: 'hub_graphql_operations_total',
    help: 'GraphQL operations by type and outcome.',
    labelNames: ['operation', 'outcome'],
    registers: [this.registry],
  });
  readonly graphqlErrors = new Counter({
    name: 'hub_graphql_errors_total',
    help: 'GraphQL errors by extensions.code.',
    labelNames: ['code'],
    registers: [this.registry],
  });
  readonly outboxPending = new Gauge({
    name: 'hub_outbox_pending_events',
    help: 'Committed events not yet published.',
    registers: [this.registry],
  });
  readonly eventsPublished = new Gauge({
    name: 'hub_outbox_published_events',
    help: 'Events published by this process since it started.',
    registers: [this.registry],
  });
  readonly portalSync = new Counter({
    name: 'hub_portal_sync_total',
    help: 'Dossier events sent to the national portal, by outcome (synced, superseded, rejected).',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  readonly timeStamps = new Counter({
    name: 'hub_time_stamps_total',
    help: 'Time-stamp requests answered at /tsa, by outcome (granted, rejected).',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  readonly eventsConsumed = new Counter({
    name: 'hub_events_consumed_total',
    help: 'Events applied by consumers (after de-duplication).',
    labelNames: ['consumer', 'type'],
    registers: [this.registry],
  });

  readonly upstreamCalls = new Gauge({
    name: 'hub_upstream_calls',
    help: 'Calls to each registry now, in flight or queued behind its concurrency bound (UPSTREAM_MAX_*).',
    labelNames: ['upstream', 'state'],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'hub_' });
  }
}

const KNOWN_ROUTES = ['/graphql', '/healthz', '/readyz', '/metrics'];

export function useHttpMetrics(metrics: HubMetrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const stop = metrics.httpDuration.startTimer();
    res.on('finish', () => {
      // Bounded label values: unknown paths are grouped.
      const path = req.originalUrl.split('?')[0] ?? '';
      const route = KNOWN_ROUTES.includes(path) ? path : 'other';
      stop({ route, method: req.method, status: String(res.statusCode) });
    });
    next();
  };
}

export function graphqlMetricsPlugin(metrics: HubMetrics): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ operation, errors }) {
          metrics.graphqlOperations.inc({ operation: operation?.operation ?? 'unknown', outcome: errors?.length ? 'error' : 'ok' });
        },
        async didEncounterErrors({ errors }) {
          for (const error of errors) metrics.graphqlErrors.inc({ code: String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR') });
        },
      };
    },
  };
}
