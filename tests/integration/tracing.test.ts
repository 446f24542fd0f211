import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { generateEnterpriseCode } from '../../connectors/business/simulator/business-generator';
import { generateCitizen } from '../../connectors/population/simulator/citizen-generator';
import { projectRoot } from '../../platform/paths';
import { dropSchema, freshSchemaName } from '../support/database';
import { TEST_SIMULATOR_SEED, testEnv } from '../support/environment';
import { spawnHub, waitUntilHealthy } from '../support/hub-process';
import { freePort } from '../support/ports';

interface OtlpAttribute {
  key: string;
  value: { stringValue?: string; intValue?: string | number };
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: OtlpAttribute[];
}
interface OtlpExport {
  resourceSpans: { resource: { attributes: OtlpAttribute[] }; scopeSpans: { spans: OtlpSpan[] }[] }[];
}

const SERVER = 2;
const CLIENT = 3;

const attribute = (span: OtlpSpan, ...keys: string[]) =>
  span.attributes.find((a) => keys.includes(a.key))?.value.stringValue ??
  String(span.attributes.find((a) => keys.includes(a.key))?.value.intValue ?? '');

/** A minimal OTLP/HTTP (JSON) collector: what the hub exports, as received. */
async function startCollector() {
  const exports: OtlpExport[] = [];
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      if (request.url === '/v1/traces' && request.headers['content-type']?.includes('json')) exports.push(JSON.parse(body) as OtlpExport);
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`,
    spans: () => exports.flatMap((e) => e.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans))),
    serviceNames: () =>
      exports.flatMap((e) => e.resourceSpans.map((r) => r.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('OpenTelemetry traces (OTLP over HTTP)', () => {
  it('follow one request from the gateway into the store and each registry it calls', async () => {
    const collector = await startCollector();
    const schema = freshSchemaName('tracing');
    const landUrl = testEnv('landUrl');
    const hub = spawnHub({
      PORT: String(await freePort()),
      DATABASE_URL: testEnv('databaseUrl'),
      DATABASE_SCHEMA: schema,
      POPULATION_REGISTRY_URL: testEnv('populationUrl'),
      BUSINESS_REGISTRY_URL: testEnv('businessUrl'),
      LAND_REGISTRY_URL: `${landUrl}/soap`,
      // Reception reads the population registry too: without a cache, the stitched request asks it again.
      REGISTRY_CACHE_TTL_SECONDS: '0',
      PORTAL_URL: testEnv('portalUrl'),
      START_SIMULATORS: 'false',
      PORTAL_SYNC: 'false',
      LOG_LEVEL: 'warn',
      DATA_DIR: path.join(projectRoot(), 'data', 'test-tracing'),
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: collector.endpoint,
      OTEL_SERVICE_NAME: 'hub-under-test',
    });
    try {
      await waitUntilHealthy(hub);
      expect(hub.output()).toContain(`Tracing     OTLP to ${collector.endpoint}`);
      const token = (await (
        await fetch(`${hub.url}/oauth/token`, {
          method: 'POST',
          body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'demo-district', client_secret: 'demo-secret' }),
        })
      ).json()) as { access_token: string };
      const graphql = async (query: string, variables: Record<string, unknown> = {}) => {
        const response = await fetch(`${hub.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token.access_token}` },
          body: JSON.stringify({ query, variables }),
        });
        return {
          traceparent: response.headers.get('traceparent'),
          body: (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] },
        };
      };
      const applicantId = generateCitizen(TEST_SIMULATOR_SEED, 4).personalId;
      const sample = (await (await fetch(`${landUrl}/_sim/sample?count=1`)).json()) as {
        parcels: { communeCode: string; mapSheetNumber: number; parcelNumber: number }[];
      };
      const received = await graphql(
        `
          mutation ($input: ReceiveDossierInput!) {
            receiveDossier(input: $input) {
              ... on DossierReceived {
                dossier {
                  code
                }
              }
            }
          }
        `,
        {
          input: {
            procedureCode: '1.012783',
            applicantId,
            channel: 'DESK',
            agencyCode: '000.19.31.H46',
            landParcel: sample.parcels[0],
            components: [
              { requirementCode: 'C01', fileName: 'c01.pdf', fileSha256: 'a'.repeat(64) },
              { requirementCode: 'C03', fileName: 'c03.pdf', fileSha256: 'b'.repeat(64) },
            ],
          },
        },
      );
      const code = (received.body.data?.receiveDossier as { dossier?: { code: string } } | undefined)?.dossier?.code;
      expect(code).toBeDefined();

      const stitched = await graphql(
        `
          query ($code: String!, $enterprise: String!) {
            dossier(code: $code) {
              code
              applicant {
                fullName
                enterprises {
                  name
                }
              }
              landParcel {
                areaM2
              }
            }
            business(enterpriseCode: $enterprise) {
              name
            }
          }
        `,
        { code, enterprise: generateEnterpriseCode(TEST_SIMULATOR_SEED, 2) },
      );
      expect(stitched.body.errors).toBeUndefined();

      // The server span of that request, then every span of its trace.
      const deadline = Date.now() + 20_000;
      let trace: OtlpSpan[] = [];
      for (;;) {
        const spans = collector.spans();
        const graphqlRequests = spans.filter(
          (s) => s.kind === SERVER && /graphql/.test(attribute(s, 'http.target', 'url.path', 'http.route')),
        );
        // The second GraphQL request is the stitched one: the trace with the most upstream (HTTP) calls;
        // the reception's trace has as many client spans, most of them SQL.
        const upstreamCalls = (t: OtlpSpan[]) => t.filter((s) => s.kind === CLIENT && attribute(s, 'url.full', 'http.url') !== '').length;
        trace =
          graphqlRequests
            .map((root) => spans.filter((s) => s.traceId === root.traceId))
            .sort((a, b) => upstreamCalls(b) - upstreamCalls(a))[0] ?? [];
        const urls = trace.filter((s) => s.kind === CLIENT).map((s) => attribute(s, 'url.full', 'http.url'));
        if (['/v1/citizens', '/soap', testEnv('businessUrl')].every((part) => urls.some((u) => u.includes(part))) || Date.now() > deadline)
          break;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      const calls = trace.filter((s) => s.kind === CLIENT).map((s) => attribute(s, 'url.full', 'http.url'));
      expect(calls.some((u) => u.startsWith(testEnv('populationUrl')) && u.includes('/v1/citizens'))).toBe(true);
      expect(calls.some((u) => u === `${landUrl}/soap`)).toBe(true);
      expect(calls.some((u) => u.startsWith(testEnv('businessUrl')))).toBe(true);
      // The store: SQL statements as spans of the same trace (statement text, never the values).
      const queries = trace.filter((s) => attribute(s, 'db.system', 'db.system.name') === 'postgresql');
      expect(queries.length).toBeGreaterThan(0);
      expect(queries.map((q) => attribute(q, 'db.statement', 'db.query.text')).join('\n')).toMatch(
        // The ORM's schema-qualified select, or the status path's one statement (store/dossier-view.ts).
        /select [\s\S]* from ("[^"]+"\."dossier"|dossier d\b)/i,
      );
      expect(JSON.stringify(queries)).not.toContain(String(code));
      // No personal id anywhere in what left the hub (the enterprises search sends one in its query string).
      expect(calls.some((u) => u.includes('representativeId=?'))).toBe(true);
      expect(JSON.stringify(collector.spans())).not.toContain(applicantId);
      // One tree: every span but the root has its parent in the trace.
      const ids = new Set(trace.map((s) => s.spanId));
      expect(trace.filter((s) => s.parentSpanId && !ids.has(s.parentSpanId))).toEqual([]);
      expect(collector.serviceNames()).toContain('hub-under-test');
      // Probes make no traces.
      await fetch(`${hub.url}/readyz`);
      expect(collector.spans().filter((s) => s.kind === SERVER && /readyz/.test(attribute(s, 'http.target', 'url.path')))).toEqual([]);

      hub.child.kill('SIGTERM');
      expect(await hub.exited).toBe(0);
    } finally {
      if (hub.child.exitCode === null) hub.child.kill('SIGKILL');
      await collector.close();
      await dropSchema(schema);
    }
  });
});
