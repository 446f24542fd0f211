import type { AuthorizationRequest, IdentityProviderClient } from '../../connectors/identity/identity-provider.client';

/** The password of every test account of the identity simulator (connectors/identity/README.md). */
export const TEST_IDENTITY_PASSWORD = 'vneid-test';

/** Cookies as a browser keeps them for one origin (name → value). */
export class CookieJar {
  readonly #cookies = new Map<string, string>();
  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair!.indexOf('=');
      this.#cookies.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
  }
  header(): string {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

/**
 * A citizen signing in as a browser would, over plain HTTP: the authorize URL, the login page, the
 * form posted, redirects followed until the provider sends the browser back to the redirect URI.
 */
export async function signIn(
  client: IdentityProviderClient,
  redirectUri: string,
  personalId: string,
): Promise<{ request: AuthorizationRequest; callback: string }> {
  const request = await client.authorizationUrl({ redirectUri });
  const jar = new CookieJar();
  let url = request.url.href;
  let loginPage: string | undefined;
  for (let hop = 0; hop < 10 && !url.startsWith(redirectUri); hop++) {
    const response = await fetch(url, { redirect: 'manual', headers: { cookie: jar.header() } });
    jar.take(response);
    if (response.status === 200) {
      loginPage = await response.text();
      const action = /<form method="post" action="([^"]+)"/.exec(loginPage)?.[1];
      if (!action) throw new Error(`no login form at ${url}`);
      const posted = await fetch(new URL(action, url), {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ personalId, password: TEST_IDENTITY_PASSWORD }),
      });
      jar.take(posted);
      if (posted.status >= 400) throw new Error(`login refused: ${posted.status}`);
      url = new URL(posted.headers.get('location')!, url).href;
      continue;
    }
    const location = response.headers.get('location');
    if (!location) throw new Error(`${url} answered ${response.status} without a redirect: ${await response.text()}`);
    url = new URL(location, url).href;
  }
  expect(loginPage).toContain('Đăng nhập');
  expect(url.startsWith(redirectUri)).toBe(true);
  return { request, callback: url };
}
