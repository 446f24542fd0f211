import type { AddressInfo } from 'node:net';
import express from 'express';
import pino from 'pino';
import type { TokenKeyRing } from '../../certs/token-key-ring';
import { FixedClock } from '../../domain/clock';
import { UnauthenticatedError } from '../../domain/errors';
import type { ClientRegistry, RegisteredClient } from '../../store/services/client-registry.service';
import { Authenticator, useAuthentication } from './use-authentication';
import { RateLimiter, useAddressLimit, useRateLimit } from './use-rate-limit';

const CLIENT: RegisteredClient = {
  clientId: 'good-client',
  name: 'Good',
  kind: 'MONITOR',
  agencyCode: null,
  scopes: ['dossier:read'],
  grantTypes: ['client_secret'],
  publicJwk: null,
  trustedDocumentsOnly: false,
  tlsCertificateRequired: false,
  isDemo: false,
  active: true,
  redirectUris: [],
  identityClientId: null,
};

/** Key ring and client registry that count the authentication work done: signature checks and look-ups. */
function countingAuthenticator() {
  const work = { signatureChecks: 0, registryLookups: 0 };
  const keys = {
    verify: async (token: string) => {
      work.signatureChecks += 1;
      if (token !== 'aaa.bbb.good') throw new UnauthenticatedError('The access token is not valid.', { reason: 'AUTH.INVALID_TOKEN' });
      return { sub: CLIENT.clientId, scope: 'dossier:read' };
    },
  } as unknown as TokenKeyRing;
  const clients = {
    find: async (clientId: string) => {
      work.registryLookups += 1;
      return clientId === CLIENT.clientId ? CLIENT : undefined;
    },
  } as unknown as ClientRegistry;
  return { authenticator: new Authenticator(keys, clients, { production: false }), work };
}

async function serve(authenticator: Authenticator, limiter: RateLimiter, publicPerMinute: number) {
  const limits = { clientPerMinute: 1000, publicPerMinute };
  const app = express();
  app.use((req, _res, next) => {
    req.log = pino({ level: 'silent' });
    next();
  });
  app.get('/guarded', useAddressLimit(limiter, limits), useAuthentication(authenticator), useRateLimit(limiter, limits), (req, res) => {
    res.json({ principal: req.principal.kind });
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/guarded`;
  const get = async (authorization?: string) => (await fetch(url, { headers: authorization ? { authorization } : {} })).status;
  return { get, close: () => new Promise((resolve) => server.close(resolve)) };
}

describe('rate limits before authentication', () => {
  it('anonymous flood before authentication work: bogus tokens from one address hit its limit before any further signature check', async () => {
    const { authenticator, work } = countingAuthenticator();
    const server = await serve(authenticator, new RateLimiter(), 5);
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 20; i += 1) statuses.push(await server.get(`Bearer aaa.bbb.forged${i}`));
      expect(statuses).toEqual([...Array(5).fill(401), ...Array(15).fill(429)]);
      expect(work).toEqual({ signatureChecks: 5, registryLookups: 0 });
    } finally {
      await server.close();
    }
  });

  it('charges anonymous calls to the address and valid clients to themselves: a client from a busy address still gets through', async () => {
    const { authenticator, work } = countingAuthenticator();
    const server = await serve(authenticator, new RateLimiter(), 3);
    try {
      const anonymous: number[] = [];
      for (let i = 0; i < 5; i += 1) anonymous.push(await server.get());
      expect(anonymous).toEqual([200, 200, 200, 429, 429]);
      const client: number[] = [];
      for (let i = 0; i < 6; i += 1) client.push(await server.get('Bearer aaa.bbb.good'));
      // More than the address's allowance of attempts: each success gave its attempt back.
      expect(client).toEqual([200, 200, 200, 200, 200, 200]);
      expect(work.signatureChecks).toBe(6);
    } finally {
      await server.close();
    }
  });

  it('unbounded rate-limit table: buckets for many addresses stay within maxKeys', () => {
    const limiter = new RateLimiter({ maxKeys: 50 });
    for (let i = 0; i < 1000; i += 1) limiter.take(`api:ip:10.0.${i >> 8}.${i & 255}`, 10);
    expect(limiter.trackedKeys).toBe(50);
  });

  it('refills by the hub clock: a minute later the allowance is back, and a clock set back drains nothing', () => {
    const clock = new FixedClock('2026-03-02T01:00:00Z');
    const limiter = new RateLimiter({ clock });
    expect(limiter.take('api:client:a', 3)).toBe(0);
    // Set back three days: the two requests left are still there.
    clock.advance(-3 * 86_400_000);
    for (let i = 0; i < 2; i += 1) expect(limiter.take('api:client:a', 3)).toBe(0);
    expect(limiter.take('api:client:a', 3)).toBeGreaterThan(0);
    clock.advance(60_000);
    for (let i = 0; i < 3; i += 1) expect(limiter.take('api:client:a', 3)).toBe(0);
  });
});

describe('Authenticator client cache', () => {
  it('unbounded client cache keyed by an unverified iss: 5,000 invented client ids leave at most clientCacheEntries in memory', async () => {
    const { work } = countingAuthenticator();
    const clients = {
      find: async () => {
        work.registryLookups += 1;
        return undefined;
      },
    } as unknown as ClientRegistry;
    const authenticator = new Authenticator({} as TokenKeyRing, clients, { production: false, clientCacheEntries: 100 });
    for (let i = 0; i < 5000; i += 1) expect(await authenticator.client(`invented-${i}`)).toBeUndefined();
    expect(authenticator.cachedClients).toBe(100);
    expect(work.registryLookups).toBe(5000);
    // A recent one is still answered from memory.
    await authenticator.client('invented-4999');
    expect(work.registryLookups).toBe(5000);
  });
});
