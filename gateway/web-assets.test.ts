import express from 'express';
import type { AddressInfo } from 'node:net';
import { hubStylesheet } from '../web/styles/stylesheet';
import { webAssetRoutes } from './web-assets';

describe('web assets', () => {
  let url: string;
  let close: () => void;

  beforeAll(async () => {
    const app = express().use(webAssetRoutes());
    const server = await new Promise<ReturnType<typeof app.listen>>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  afterAll(() => close());

  it('serves the stylesheet under its hashed name, cached as immutable', async () => {
    const response = await fetch(`${url}${hubStylesheet.href}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await response.text()).toBe(hubStylesheet.css);
    expect(response.headers.get('etag')).toBe(`"${hubStylesheet.hash}"`);
  });

  it('a stale or guessed name is not found', async () => {
    expect((await fetch(`${url}/assets/hub.0000000000000000.css`)).status).toBe(404);
    expect((await fetch(`${url}/assets/../web/styles/hub.css`)).status).toBe(404);
  });
});
