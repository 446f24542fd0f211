import { demoPortalRedirectUris } from './demo-data';

describe('the demo portal redirect URI', () => {
  it('is the portal simulator’s prefill callback when the hub starts the simulators', () => {
    expect(demoPortalRedirectUris({ PORTAL_URL: 'http://127.0.0.1:4104', START_SIMULATORS: true })).toEqual([
      'http://127.0.0.1:4104/prefill/callback',
    ]);
    expect(demoPortalRedirectUris({ PORTAL_URL: 'https://portal.example/base/', START_SIMULATORS: true })).toEqual([
      'https://portal.example/prefill/callback',
    ]);
  });

  it('is left alone for a real portal, and for an address the client registry would refuse', () => {
    expect(demoPortalRedirectUris({ PORTAL_URL: 'http://127.0.0.1:4104', START_SIMULATORS: false })).toBeUndefined();
    expect(demoPortalRedirectUris({ PORTAL_URL: 'http://portal.internal:4104', START_SIMULATORS: true })).toBeUndefined();
  });
});
