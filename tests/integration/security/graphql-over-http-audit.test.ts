import { auditServer } from 'graphql-http';

import { startTestHub, type TestHub, seedTestDemo } from '../../support/test-hub';

describe('GraphQL over HTTP conformance (graphql-http audit) with authentication', () => {
  let hub: TestHub;

  beforeAll(async () => {
    hub = await startTestHub('audit');
    await seedTestDemo(hub.services);
  });

  afterAll(async () => {
    await hub?.dispose();
  });

  it('passes every MUST and SHOULD audit', async () => {
    const token = await hub.tokenFor('demo-monitor');
    const results = await auditServer({
      url: `${hub.url}/graphql`,
      fetchFn: (input: Parameters<typeof fetch>[0], init: RequestInit = {}) => {
        const headers = new Headers(init.headers);
        headers.set('authorization', `Bearer ${token}`);
        return fetch(input, { ...init, headers });
      },
    });
    const count = (status: string) => results.filter((r) => r.status === status).length;
    const notOk = results.filter((r) => r.status !== 'ok').map((r) => `${r.status} ${r.name}: ${'reason' in r ? r.reason : ''}`);
    console.log(
      `graphql-http audit: ${count('ok')} ok, ${count('notice')} notices, ${count('warn')} warnings, ${count('error')} errors of ${results.length}\n${notOk.join('\n')}`,
    );
    expect(results.filter((r) => r.status === 'error' || r.status === 'warn').map((r) => r.name)).toEqual([]);
    expect(results.length).toBeGreaterThan(40);
  });
});
