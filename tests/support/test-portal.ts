import { createHash, randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { escapeHtml } from '../../connectors/identity/simulator/login-page';

const PREFILL = `query($p: String!, $t: String!) {
  prefill(procedureCode: $p, consentToken: $t) { field attribute source value sourceUpdatedAt retrievedAt reason }
}`;

export interface PrefillField {
  field: string;
  attribute: string;
  source: string;
  value: string | null;
  sourceUpdatedAt: string | null;
  retrievedAt: string | null;
  reason: string | null;
}

/** What the portal got back from the hub, as its page shows it. */
export interface PortalResult {
  /** The answer of POST /consent/token (or its error). */
  token?: { consent_token: string; token_type: string; consent_id: string; scope: string; expires_in: number } | undefined;
  tokenError?: { error: string; error_description?: string } | undefined;
  /** The error the hub sent back to the redirect URI (a declined consent). */
  flowError?: { error: string; error_description?: string | undefined } | undefined;
  prefill?: PrefillField[] | undefined;
  prefillErrors?: { message: string; extensions?: Record<string, unknown> }[] | undefined;
}

export interface PortalRequest {
  scope: string[];
  procedure: string;
  purpose: string;
  validFor?: number;
  dataLife?: number;
}

export interface TestPortal {
  url: string;
  /** The redirect URI to register for the client at the hub. */
  redirectUri: string;
  /** Where a browser starts the flow: the portal sends it on to the hub. */
  startUrl: string;
  /** Where a browser asks the portal to prefill again with the consent token it kept. */
  againUrl: string;
  /** The last result the portal showed. */
  last: PortalResult;
  close(): Promise<void>;
}

const b64url = (bytes: Buffer) => bytes.toString('base64url');

/**
 * A portal as a real one would be written: an API client of kind portal, registered at the hub
 * with a redirect URI. It starts the consent flow with PKCE (S256) and a state, takes the callback,
 * exchanges the code at POST /consent/token with its client secret (client_secret_basic), then
 * calls GraphQL `prefill` with its own access token (client credentials at /oauth/token) and shows
 * what came back. Everything over HTTP, nothing shared with the hub's process.
 */
export async function startTestPortal(options: {
  hubUrl: string;
  clientId: string;
  clientSecret: string;
  request: PortalRequest;
}): Promise<TestPortal> {
  const app = express();
  const pending = new Map<string, { verifier: string }>();
  let consentToken: string | undefined;
  let url = '';
  const portal = { last: {} as PortalResult };
  const basic = `Basic ${Buffer.from(`${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`).toString('base64')}`;

  const accessToken = async (): Promise<string> => {
    const response = await fetch(`${options.hubUrl}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic },
      body: new URLSearchParams({ grant_type: 'client_credentials' }),
    });
    const body = (await response.json()) as { access_token?: string };
    if (!body.access_token) throw new Error(`no access token: ${JSON.stringify(body)}`);
    return body.access_token;
  };

  const prefill = async (token: string): Promise<Pick<PortalResult, 'prefill' | 'prefillErrors'>> => {
    const response = await fetch(`${options.hubUrl}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json',
        authorization: `Bearer ${await accessToken()}`,
      },
      body: JSON.stringify({ query: PREFILL, variables: { p: options.request.procedure, t: token } }),
    });
    const body = (await response.json()) as { data?: { prefill: PrefillField[] } | null; errors?: PortalResult['prefillErrors'] };
    return { prefill: body.data?.prefill ?? undefined, prefillErrors: body.errors };
  };

  const show = (res: express.Response, result: PortalResult) => {
    portal.last = result;
    const rows = (result.prefill ?? [])
      .map(
        (f) =>
          `<tr><td>${escapeHtml(f.field)}</td><td>${escapeHtml(f.value ?? '—')}</td><td>${escapeHtml(f.source)}</td><td>${escapeHtml(
            f.sourceUpdatedAt ?? '',
          )}</td><td>${escapeHtml(f.retrievedAt ?? '')}</td><td>${escapeHtml(f.reason ?? '')}</td></tr>`,
      )
      .join('');
    const errors = [result.flowError, result.tokenError, ...(result.prefillErrors ?? [])]
      .filter(Boolean)
      .map((e) => `<li>${escapeHtml(JSON.stringify(e))}</li>`)
      .join('');
    res.type('html')
      .send(`<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Cổng thử nghiệm / Test portal</title></head><body>
<h1>Cổng thử nghiệm <span lang="en">/ Test portal</span></h1>
${result.token ? `<p id="consent">Đã nhận sự đồng ý / Consent received: <code>${escapeHtml(result.token.consent_id)}</code> — scope <code>${escapeHtml(result.token.scope)}</code></p>` : ''}
${errors ? `<ul id="errors">${errors}</ul>` : ''}
${rows ? `<table id="prefill"><caption>prefill</caption><tr><th>field</th><th>value</th><th>source</th><th>sourceUpdatedAt</th><th>retrievedAt</th><th>reason</th></tr>${rows}</table>` : ''}
<p><a href="/again">Điền lại / Prefill again</a></p>
</body></html>`);
  };

  app.get('/start', (_req, res) => {
    const state = b64url(randomBytes(16));
    const verifier = b64url(randomBytes(32));
    pending.set(state, { verifier });
    const challenge = b64url(createHash('sha256').update(verifier).digest());
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: options.clientId,
      redirect_uri: `${url}/callback`,
      state,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      scope: options.request.scope.join(' '),
      purpose: options.request.purpose,
      procedure: options.request.procedure,
      ...(options.request.validFor ? { valid_for: String(options.request.validFor) } : {}),
      ...(options.request.dataLife ? { data_life: String(options.request.dataLife) } : {}),
    });
    res.redirect(303, `${options.hubUrl}/consent/authorize?${query}`);
  });

  app.get('/callback', async (req, res, next) => {
    try {
      const state = typeof req.query.state === 'string' ? req.query.state : '';
      const started = pending.get(state);
      pending.delete(state);
      if (!started) return void res.status(400).send('unknown state');
      if (typeof req.query.error === 'string') {
        const description = typeof req.query.error_description === 'string' ? req.query.error_description : undefined;
        return show(res, { flowError: { error: req.query.error, error_description: description } });
      }
      const response = await fetch(`${options.hubUrl}/consent/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code: String(req.query.code ?? ''),
          redirect_uri: `${url}/callback`,
          code_verifier: started.verifier,
        }),
      });
      const body = (await response.json()) as PortalResult['token'] & PortalResult['tokenError'];
      if (!response.ok || !body?.consent_token) return show(res, { tokenError: body });
      consentToken = body.consent_token;
      show(res, { token: body, ...(await prefill(consentToken)) });
    } catch (error) {
      next(error);
    }
  });

  app.get('/again', async (_req, res, next) => {
    try {
      if (!consentToken) return void res.status(400).send('no consent yet');
      show(res, await prefill(consentToken));
    } catch (error) {
      next(error);
    }
  });

  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(portal, {
    url,
    redirectUri: `${url}/callback`,
    startUrl: `${url}/start`,
    againUrl: `${url}/again`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
