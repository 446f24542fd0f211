import 'reflect-metadata';
import { authorize } from '../domain/access/access-policy';
import { MAX_SCOPES, type Principal } from '../domain/access/principal';
import { UnauthenticatedError } from '../domain/errors';
import type { IdentityVerifier } from '../domain/ports/identity-verifier.port';
import { ConsentResolver } from './consent.resolver';
import type { HubContext } from './context';

const portal: Principal = { kind: 'PORTAL', clientId: 'portal-a', agencyCode: null, scopes: new Set(MAX_SCOPES.PORTAL) };
const input = {
  idToken: 'id-token',
  attributes: ['population.fullName'],
  purpose: 'prefill:1.001193',
  procedureCode: '1.001193',
  notAfter: new Date('2027-01-01T00:00:00Z'),
  dataLifeSeconds: 60,
};

function contextWith(identity: IdentityVerifier) {
  const granted: unknown[] = [];
  const context = {
    principal: portal,
    requestId: 'r-1',
    authorize: (request: Parameters<typeof authorize>[1]) => authorize(portal, request),
    services: {
      identity,
      clients: { find: async (clientId: string) => ({ clientId, identityClientId: null }) },
      consents: {
        grant: async (g: { clientId: string }) => {
          granted.push(g);
          return { record: { id: 'c-1', clientId: g.clientId, attributes: [] }, token: 'consent-token' };
        },
      },
    },
  } as unknown as HubContext;
  return { context, granted };
}

describe('grantConsent', () => {
  it('records the consent for the verified citizen, bound to the calling client', async () => {
    const { context, granted } = contextWith({
      verifyIdToken: async () => ({
        personalId: '046203000001',
        name: 'Nguyễn Văn An',
        acr: 'level2',
        authTime: new Date(),
        issuer: 'https://identity.test',
      }),
    });
    const result = await new ConsentResolver().grantConsent(input, context);
    expect(result.consentToken).toBe('consent-token');
    expect(granted).toEqual([expect.objectContaining({ personalId: '046203000001', clientId: 'portal-a', requestId: 'r-1' })]);
  });

  it('an ID token that does not verify records nothing', async () => {
    const { context, granted } = contextWith({
      verifyIdToken: () => Promise.reject(new UnauthenticatedError('bad ID token', { reason: 'IDENTITY.INVALID_TOKEN' })),
    });
    await expect(new ConsentResolver().grantConsent(input, context)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(granted).toEqual([]);
  });
});
