import { CliUsageError, parseCliOptions, parseClients } from './main';

describe('identity simulator command line', () => {
  it('registers the hub with the simulator secret by default', () => {
    expect(parseCliOptions([], {})).toEqual({
      host: '127.0.0.1',
      port: 4105,
      seed: 20250701,
      populationSize: 10_000,
      idTokenTtlSeconds: 600,
      clients: [{ clientId: 'onestop-hub', clientSecret: 'identity-sim-secret', redirectUris: ['http://127.0.0.1:4000/auth/callback'] }],
    });
  });

  it('reads clients and their secrets from the environment', () => {
    expect(
      parseClients('onestop-hub=https://hub.example/cb;test-portal=http://a/cb,http://b/cb', {
        IDENTITY_SIM_SECRET_ONESTOP_HUB: 'hub-secret',
        IDENTITY_SIM_SECRET_TEST_PORTAL: 'portal-secret',
      }),
    ).toEqual([
      { clientId: 'onestop-hub', clientSecret: 'hub-secret', redirectUris: ['https://hub.example/cb'] },
      { clientId: 'test-portal', clientSecret: 'portal-secret', redirectUris: ['http://a/cb', 'http://b/cb'] },
    ]);
  });

  it.each([
    ['portal=http://a/cb', {}, 'client portal: set its secret in IDENTITY_SIM_SECRET_PORTAL'],
    ['portal', { IDENTITY_SIM_SECRET_PORTAL: 's' }, '--client: "portal" is not <id>=<redirect URI,...>'],
    ['portal=not a url', { IDENTITY_SIM_SECRET_PORTAL: 's' }, '--client: "not a url" is not a URL'],
  ])('refuses %p', (spec, env, message) => {
    expect(() => parseClients(spec, env)).toThrow(new CliUsageError(message));
  });

  it('answers --help', () => {
    expect(parseCliOptions(['--help'], {})).toBe('help');
  });
});
