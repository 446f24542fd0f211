import { createHash, randomBytes } from 'node:crypto';
import { CookieJar, TEST_IDENTITY_PASSWORD } from './identity-sign-in';

/** The test hubs' PUBLIC_URL (the default): the identity simulator sends the browser back there. */
export const TEST_PUBLIC_URL = 'http://127.0.0.1:4000';

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/**
 * A citizen's browser over plain HTTP: one cookie jar for the hub, one for the identity provider,
 * redirects followed by hand (so a test sees every Location). The hub's PUBLIC_URL is where the
 * provider sends it back; the browser maps that to the test hub's real address.
 */
export class CitizenBrowser {
  readonly hubCookies = new CookieJar();
  readonly providerCookies = new CookieJar();

  constructor(
    readonly hubUrl: string,
    readonly providerUrl: string,
    readonly personalId: string,
  ) {}

  private toHub(url: string): string {
    return url.startsWith(TEST_PUBLIC_URL) ? `${this.hubUrl}${url.slice(TEST_PUBLIC_URL.length)}` : url;
  }

  private isHub(url: string): boolean {
    return url.startsWith(this.hubUrl);
  }

  /** One request, no redirect followed; cookies kept per site. */
  async request(url: string, init: { method?: string; form?: Record<string, string | string[]> } = {}): Promise<Response> {
    const target = this.toHub(url);
    const jar = this.isHub(target) ? this.hubCookies : this.providerCookies;
    const body = init.form ? new URLSearchParams() : undefined;
    for (const [name, value] of Object.entries(init.form ?? {})) for (const v of [value].flat()) body!.append(name, v);
    const response = await fetch(target, {
      method: init.method ?? (body ? 'POST' : 'GET'),
      redirect: 'manual',
      headers: { cookie: jar.header(), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      ...(body ? { body } : {}),
    });
    jar.take(response);
    return response;
  }

  /**
   * Follows redirects from `url` through the identity provider (signing in at its login page when it
   * shows one) while they stay on the hub or the provider; returns the first other answer (a hub
   * page, or a redirect to the portal), unread.
   */
  async follow(
    url: string,
    init: { method?: string; form?: Record<string, string | string[]>; stopAtCallback?: boolean } = {},
  ): Promise<{ response: Response; url: string }> {
    const provider = new URL(this.providerUrl).origin;
    let current = this.toHub(url);
    let response = await this.request(current, {
      ...(init.method ? { method: init.method } : {}),
      ...(init.form ? { form: init.form } : {}),
    });
    for (let hop = 0; hop < 15; hop += 1) {
      if (response.status === 200 && new URL(current).origin === provider) {
        const page = await response.text();
        const action = /<form method="post" action="([^"]+)"/.exec(page)?.[1];
        if (!action) throw new Error(`no login form at ${current}`);
        current = new URL(action.replace(/&amp;/g, '&'), current).href;
        response = await this.request(current, { form: { personalId: this.personalId, password: TEST_IDENTITY_PASSWORD } });
        continue;
      }
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location) return { response, url: current };
      const next = this.toHub(new URL(location, current).href);
      if (!this.isHub(next) && new URL(next).origin !== provider) return { response, url: current };
      // The provider sends the browser back to the hub's callback: a test may take the URL there.
      if (init.stopAtCallback && this.isHub(next) && new URL(next).pathname === '/auth/callback') return { response, url: next };
      current = next;
      response = await this.request(current);
    }
    throw new Error(`too many redirects from ${url}`);
  }
}

/** The value of a hidden field of an HTML page. */
export function hiddenField(html: string, name: string): string {
  const found = new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];
  if (found === undefined) throw new Error(`no field ${name} in the page`);
  return found;
}
