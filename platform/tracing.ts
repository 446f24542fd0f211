/**
 * OpenTelemetry tracing, off unless OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is set. Imported first by the
 * hub's entry point: the instrumentations patch `http` and `pg` as they are loaded, so nothing that
 * uses them may be loaded before this module. Spans: each incoming HTTP request (the gateway), each
 * outgoing call (fetch: registries, portal) and each SQL query (the store), linked into one trace
 * per request, with the W3C traceparent header sent upstream.
 */
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { Context } from '@opentelemetry/api';
import { BatchSpanProcessor, NodeTracerProvider, type ReadableSpan, type Span, type SpanProcessor } from '@opentelemetry/sdk-trace-node';
import { loadConfig } from './config';

let provider: NodeTracerProvider | undefined;

/**
 * SQL as it may go into a trace: the ORM inlines values into the statement text, and values may be
 * personal data, so every literal becomes `?` (the shape of the query stays readable).
 */
export function sanitizeSql(text: string, maxLength = 4000): string {
  const shape = text
    .replace(/(?:\b[Ee])?'(?:[^']|'')*'/g, '?')
    .replace(/\$\$[\s\S]*?\$\$/g, '?')
    .replace(/(?<![\w."$])-?\d+(?:\.\d+)?(?![\w"])/g, '?');
  return shape.length > maxLength ? `${shape.slice(0, maxLength)}…` : shape;
}

const STATEMENT_ATTRIBUTES = ['db.statement', 'db.query.text'] as const;

/**
 * A URL as it may go into a trace: query values blanked (`?representativeId=?`) and personal ids in
 * paths replaced (`/v1/citizen-accounts/{personalId}`), since both can carry personal data.
 */
export function redactUrl(url: string): string {
  const [head = '', query] = url.split('?', 2);
  const path = head.replace(/(?<!\d)\d{12}(?!\d)/g, '{personalId}');
  if (query === undefined) return path;
  const names = query
    .split('&')
    .filter(Boolean)
    .map((pair) => `${pair.split('=')[0]}=?`);
  return `${path}?${names.join('&')}`;
}

const URL_ATTRIBUTES = ['url.full', 'http.url', 'http.target', 'url.path', 'url.query', 'http.route'] as const;

/** Redacts the URL attributes of every span as it starts, before anything can export it. */
class RedactingSpanProcessor implements SpanProcessor {
  constructor(private readonly next: SpanProcessor) {}

  onStart(span: Span, parentContext: Context): void {
    for (const key of URL_ATTRIBUTES) {
      const value = span.attributes[key];
      if (typeof value === 'string')
        span.setAttribute(key, key === 'url.query' ? redactUrl(`?${value.replace(/^\?/, '')}`).slice(1) : redactUrl(value));
    }
    if (/\d{12}/.test(span.name)) span.updateName(redactUrl(span.name));
    this.next.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    this.next.onEnd(span);
  }

  forceFlush(): Promise<void> {
    return this.next.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.next.shutdown();
  }
}

/** Starts tracing when configured; returns whether it did. A second call does nothing. */
export function startTracing(settings: { endpoint: string | undefined; serviceName: string }): boolean {
  if (provider || !settings.endpoint) return Boolean(provider);
  provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': settings.serviceName }),
    // A short delay: traces reach the collector about a second after the request.
    spanProcessors: [
      new RedactingSpanProcessor(new BatchSpanProcessor(new OTLPTraceExporter({ url: settings.endpoint }), { scheduledDelayMillis: 1000 })),
    ],
  });
  provider.register();
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      // Probes are not requests worth a trace.
      new HttpInstrumentation({ ignoreIncomingRequestHook: (request) => /^\/(healthz|readyz|metrics)\b/.test(request.url ?? '') }),
      new UndiciInstrumentation(),
      new PgInstrumentation({
        enhancedDatabaseReporting: false,
        // Statement shapes only: the values, which may be personal data, are blanked.
        requestHook: (span, query) => {
          const text = query.query.text;
          if (typeof text !== 'string') return;
          for (const key of STATEMENT_ATTRIBUTES) span.setAttribute(key, sanitizeSql(text));
        },
      }),
    ],
  });
  return true;
}

/** Sends the spans still buffered (on stop). */
export async function stopTracing(): Promise<void> {
  await provider?.shutdown();
  provider = undefined;
}

/** Starts tracing from the environment; an invalid configuration is left for the command to report. */
export function startTracingFromEnvironment(env: NodeJS.ProcessEnv = process.env): boolean {
  if (!env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return false;
  try {
    const config = loadConfig(env);
    return startTracing({ endpoint: config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, serviceName: config.OTEL_SERVICE_NAME });
  } catch {
    return false;
  }
}
