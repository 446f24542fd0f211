import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import type { AuthorizationQuery } from '../domain/consent/authorization-request';
import { safeReturnPath } from '../domain/consent/authorization-request';
import { isHubError, type HubError } from '../domain/errors';
import type { VerifiedIdentity } from '../domain/ports/identity-verifier.port';
import type { AuditLog } from '../store/audit-log';
import type { CatalogueService } from '../store/services/catalogue.service';
import { randomToken, sameToken, type CitizenSession, type CitizenSessions } from '../store/services/citizen-session.service';
import type { ClientRegistry } from '../store/services/client-registry.service';
import type { ConsentAuthorizations, PendingAuthorization } from '../store/services/consent-authorization.service';
import { withQuery } from '../store/services/consent-authorization.service';
import type { ConsentService } from '../store/services/consent.service';
import { translateStoreError } from '../store/store-errors';
import type { Clock } from '../domain/clock';
import { citizenPages } from '../web/citizen-pages';
import type { FlowErrorPageView, PageLanguage } from '../web/citizen-pages.views';
import { attributeView, citizenView, consentItemView, dataReadView, purposeDescription, type Names } from './citizen-views';
import { AUTHENTICATE_THE_CLIENT, invalidClient, oauthError, type AuthenticatedClient } from './oauth/client-authentication';

/** The hub's own sign-in at the national identity provider (IdentityProviderClient). */
export interface CitizenSignIn {
  authorizationUrl(input: { redirectUri: string }): Promise<{ url: URL; state: string; nonce: string; codeVerifier: string }>;
  exchangeCode(
    callbackUrl: string,
    request: { state: string; nonce: string; codeVerifier: string },
  ): Promise<{ identity: VerifiedIdentity }>;
}

export interface ConsentRouteOptions {
  authorizations: ConsentAuthorizations;
  sessions: CitizenSessions;
  consents: ConsentService;
  clients: ClientRegistry;
  catalogue: CatalogueService;
  audit: AuditLog;
  signIn: CitizenSignIn;
  clock: Clock;
  /** `${PUBLIC_URL}/auth/callback`: the hub's redirect URI at the identity provider. */
  callbackUri: string;
  /** Cookies are Secure when the hub is reached over https. */
  secureCookies: boolean;
  sessionMinutes: number;
  /** Client authentication exactly as at /oauth/token (client-authentication.ts). */
  authenticateClient: (req: Request, body: Record<string, unknown>) => Promise<AuthenticatedClient | undefined>;
  /** Rate limits of public routes (per address). */
  publicGuard: RequestHandler;
  /** The token endpoint's limit (per address, then per client). */
  tokenGuards: RequestHandler[];
}

export const SESSION_COOKIE = 'hub_citizen';
/** Binds authorization requests and sign-ins to the browser that started them. */
export const BROWSER_COOKIE = 'hub_flow';
const LANG_COOKIE = 'hub_lang';
const READS_PER_PAGE = 50;

function cookies(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.header('cookie') ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at < 1) continue;
    const name = part.slice(0, at).trim();
    if (!(name in out)) out[name] = part.slice(at + 1).trim();
  }
  return out;
}

/** One value of a query or form field; a repeated or absent one is undefined (RFC 6749 §3.1). */
function single(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function many(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** The headers of every citizen page: no framing, no caching, forms only to the hub (and the portal the flow returns to). */
function pageHeaders(res: Response, formTarget?: string): void {
  const formAction = formTarget ? `'self' ${new URL(formTarget).origin}` : `'self'`;
  res.setHeader('Content-Security-Policy', `default-src 'self'; frame-ancestors 'none'; form-action ${formAction}`);
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Referrer-Policy', 'no-referrer');
}

const TEXT = {
  unknownClient: { vi: 'Cổng dịch vụ không được đăng ký', en: 'Unregistered portal' },
  badRequest: { vi: 'Yêu cầu không hợp lệ', en: 'Invalid request' },
  requestGone: {
    vi: 'Yêu cầu này không còn hiệu lực (đã hết hạn, đã được xử lý hoặc được mở ở trình duyệt khác). Vui lòng quay lại cổng dịch vụ và thử lại.',
    en: 'This request is no longer valid (expired, already answered, or opened in another browser). Go back to the portal and try again.',
  },
  signInFailed: { vi: 'Không đăng nhập được', en: 'Sign-in failed' },
  signInGone: {
    vi: 'Phiên đăng nhập không hợp lệ hoặc đã hết hạn. Vui lòng thử lại.',
    en: 'This sign-in is not valid or has expired. Please try again.',
  },
  forbidden: { vi: 'Không được phép', en: 'Not allowed' },
  csrf: {
    vi: 'Biểu mẫu đã hết hạn hoặc không đến từ trang của Cổng. Vui lòng tải lại trang và thử lại.',
    en: 'The form has expired or did not come from the hub’s page. Reload the page and try again.',
  },
  signedOutTitle: { vi: 'Đã đăng xuất', en: 'Signed out' },
  signedOut: { vi: 'Bạn đã đăng xuất khỏi Cổng.', en: 'You have signed out of the hub.' },
  sessionEnded: {
    vi: 'Phiên làm việc đã kết thúc. Vui lòng đăng nhập lại.',
    en: 'Your session has ended. Please sign in again.',
  },
  noneTicked: {
    vi: 'Hãy chọn ít nhất một thông tin để đồng ý, hoặc chọn “Từ chối”.',
    en: 'Tick at least one item to agree to, or choose “Decline”.',
  },
  notAsked: { vi: 'Chỉ có thể đồng ý với các thông tin được yêu cầu.', en: 'Only the items asked for can be agreed to.' },
  revoked: { vi: 'Đã rút lại sự đồng ý.', en: 'Consent withdrawn.' },
  notFound: { vi: 'Không tìm thấy sự đồng ý này.', en: 'This consent was not found.' },
};

/**
 * The citizen's consent flow (docs/API.md, "Consent flow"): a portal's authorization request, the
 * hub's own sign-in at the national identity provider, the consent page, the code exchange, and
 * "my data". The rules are in domain/consent/authorization-request.ts, the work in the services;
 * pages come from web/.
 */
export function consentRoutes(options: ConsentRouteOptions): Router {
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 50 });
  const { sessions, authorizations } = options;

  const names: Names = {
    client: async (clientId) => (await options.clients.find(clientId).catch(() => undefined))?.name ?? clientId,
    procedure: async (code) => (await authorizations.procedureName(code)) ?? code,
    purpose: async (clientId, purpose, procedureName) => {
      const registered = (await options.consents.purposesOf(clientId)).find((p) => p.purpose === purpose);
      return registered?.descriptionVi && registered.descriptionEn
        ? { vi: registered.descriptionVi, en: registered.descriptionEn }
        : purposeDescription(purpose, procedureName);
    },
  };

  const cookieAttributes = (maxAgeSeconds: number) =>
    `Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${options.secureCookies ? '; Secure' : ''}`;
  const setCookie = (res: Response, name: string, value: string, maxAgeSeconds: number) =>
    res.append('Set-Cookie', `${name}=${value}; ${cookieAttributes(maxAgeSeconds)}`);

  /** The page language: `?lang=` (then remembered), else the cookie, else Vietnamese. */
  const languageOf = (req: Request, res: Response, fallback?: PageLanguage): PageLanguage => {
    const asked = single(req.query['lang']);
    if (asked === 'vi' || asked === 'en') {
      setCookie(res, LANG_COOKIE, asked, 365 * 86_400);
      return asked;
    }
    const kept = cookies(req)[LANG_COOKIE];
    return kept === 'en' || kept === 'vi' ? kept : (fallback ?? 'vi');
  };

  /** This browser's binding value, made on first use. */
  const browserOf = (req: Request, res: Response): string => {
    const existing = cookies(req)[BROWSER_COOKIE];
    if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
    const made = randomToken();
    setCookie(res, BROWSER_COOKIE, made, 86_400);
    return made;
  };

  const sessionOf = (req: Request) => sessions.find(cookies(req)[SESSION_COOKIE]);

  const errorPage = (res: Response, view: Omit<FlowErrorPageView, 'lang'> & { lang?: PageLanguage }) => {
    pageHeaders(res);
    res
      .status(view.status)
      .type('html')
      .send(citizenPages.errorPage({ lang: view.lang ?? 'vi', ...view }));
  };

  /**
   * The signed-in citizen behind a form post, or undefined once the refusal page is sent: no session
   * (401), or a CSRF token that is not the session's (403, a cross-site post).
   */
  const formSession = async (req: Request, res: Response, lang: PageLanguage): Promise<CitizenSession | undefined> => {
    const session = await sessionOf(req);
    if (!session) {
      errorPage(res, { lang, status: 401, title: TEXT.forbidden, message: TEXT.sessionEnded, reason: 'SESSION.REQUIRED' });
      return undefined;
    }
    if (!sameToken(single((req.body as Record<string, unknown> | undefined)?.['csrf']), session.csrf)) {
      errorPage(res, { lang, status: 403, title: TEXT.forbidden, message: TEXT.csrf, reason: 'CSRF.INVALID' });
      return undefined;
    }
    return session;
  };

  /** Sends the browser to the identity provider, to come back to `returnTo` signed in. */
  const startSignIn = async (res: Response, browser: string, returnTo: string) => {
    const request = await options.signIn.authorizationUrl({ redirectUri: options.callbackUri });
    await sessions.beginSignIn({ state: request.state, nonce: request.nonce, codeVerifier: request.codeVerifier, returnTo }, browser);
    res.setHeader('Cache-Control', 'no-store');
    res.redirect(303, request.url.href);
  };

  /** Errors of a page route: a hub error becomes an error page (never JSON to a browser). */
  const page =
    (work: (req: Request, res: Response) => Promise<void>): RequestHandler =>
    async (req, res, next) => {
      try {
        await work(req, res);
      } catch (error) {
        const translated = translateStoreError(error);
        if (!isHubError(translated) || res.headersSent) return next(error);
        const hubError = translated as HubError;
        req.log?.info({ reason: hubError.reason, code: hubError.code }, 'consent flow refused');
        const status = hubError.code === 'UPSTREAM_UNAVAILABLE' || hubError.code === 'STORE_UNAVAILABLE' ? 503 : 400;
        errorPage(res, {
          status,
          title: TEXT.badRequest,
          message: { vi: hubError.message, en: hubError.message },
          reason: hubError.reason ?? hubError.code,
        });
      }
    };

  const consentPage = async (
    res: Response,
    status: number,
    request: PendingAuthorization,
    session: CitizenSession,
    lang: PageLanguage,
    problem?: { vi: string; en: string },
  ) => {
    const procedureName = await names.procedure(request.procedureCode);
    pageHeaders(res, request.redirectUri);
    res
      .status(status)
      .type('html')
      .send(
        citizenPages.consentPage({
          lang,
          action: `/consent/review/${request.id}`,
          csrf: session.csrf,
          citizen: citizenView(session),
          client: { clientId: request.clientId, name: await names.client(request.clientId) },
          procedure: { code: request.procedureCode, name: procedureName },
          purpose: { code: request.purpose, description: await names.purpose(request.clientId, request.purpose, procedureName) },
          attributes: request.attributes.map(attributeView),
          notAfter: new Date(options.clock.now().getTime() + request.validForSeconds * 1000),
          dataLifeSeconds: request.dataLifeSeconds,
          problem,
        }),
      );
  };

  router.get(
    '/consent/authorize',
    options.publicGuard,
    page(async (req, res) => {
      const query: AuthorizationQuery = {};
      for (const name of [
        'response_type',
        'client_id',
        'redirect_uri',
        'state',
        'code_challenge',
        'code_challenge_method',
        'scope',
        'purpose',
        'procedure',
        'valid_for',
        'data_life',
        'lang',
      ] as const) {
        const value = single(req.query[name]);
        if (value !== undefined) query[name] = value;
      }
      const browser = browserOf(req, res);
      const { decision, id } = await authorizations.authorize(query, browser);
      const lang = languageOf(req, res, query.lang === 'en' ? 'en' : 'vi');
      if (decision.outcome === 'error-page') {
        return errorPage(res, {
          lang,
          status: 400,
          title: TEXT.unknownClient,
          message:
            decision.reason === 'CONSENT_FLOW.UNKNOWN_CLIENT'
              ? {
                  vi: 'Cổng dịch vụ chuyển bạn đến đây không được đăng ký với Cổng kết nối. Không có dữ liệu nào được chia sẻ.',
                  en: decision.message,
                }
              : {
                  vi: 'Địa chỉ mà cổng dịch vụ yêu cầu chuyển bạn về không được đăng ký. Không có dữ liệu nào được chia sẻ.',
                  en: decision.message,
                },
          reason: decision.reason,
        });
      }
      res.setHeader('Cache-Control', 'no-store');
      if (decision.outcome === 'redirect-error') {
        return res.redirect(
          303,
          withQuery(decision.redirectUri, { error: decision.error, error_description: decision.description, state: decision.state }),
        );
      }
      const returnTo = `/consent/review/${id!}`;
      if (await sessionOf(req)) return res.redirect(303, returnTo);
      await startSignIn(res, browser, returnTo);
    }),
  );

  router.get(
    '/auth/sign-in',
    options.publicGuard,
    page(async (req, res) => {
      await startSignIn(res, browserOf(req, res), safeReturnPath(single(req.query['return_to'])));
    }),
  );

  router.get(
    '/auth/callback',
    options.publicGuard,
    page(async (req, res) => {
      const lang = languageOf(req, res);
      const signIn = await sessions.takeSignIn(single(req.query['state']), cookies(req)[BROWSER_COOKIE]);
      if (!signIn) {
        return errorPage(res, { lang, status: 400, title: TEXT.signInFailed, message: TEXT.signInGone, reason: 'SIGN_IN.UNKNOWN_STATE' });
      }
      // The callback as the provider addressed it: the configured redirect URI, never the Host header.
      const query = new URL(req.originalUrl, 'http://hub.invalid').search;
      let identity: VerifiedIdentity;
      try {
        ({ identity } = await options.signIn.exchangeCode(`${options.callbackUri}${query}`, signIn));
      } catch (error) {
        if (!isHubError(error) || error.code !== 'UNAUTHENTICATED') throw error;
        req.log?.info({ reason: error.reason }, 'citizen sign-in refused');
        return errorPage(res, {
          lang,
          status: 401,
          title: TEXT.signInFailed,
          message:
            error.reason === 'IDENTITY.LOW_ASSURANCE'
              ? {
                  vi: 'Tài khoản định danh điện tử của bạn chưa đủ mức độ. Vui lòng đăng nhập bằng tài khoản mức 2.',
                  en: error.message,
                }
              : { vi: 'Nhà cung cấp định danh không xác nhận được việc đăng nhập. Vui lòng thử lại.', en: error.message },
          reason: error.reason ?? 'IDENTITY.INVALID_ID_TOKEN',
        });
      }
      const { id } = await sessions.open(identity);
      setCookie(res, SESSION_COOKIE, id, options.sessionMinutes * 60);
      res.setHeader('Cache-Control', 'no-store');
      res.redirect(303, safeReturnPath(signIn.returnTo));
    }),
  );

  router.post(
    '/auth/sign-out',
    options.publicGuard,
    form,
    page(async (req, res) => {
      const lang = languageOf(req, res);
      const session = await sessionOf(req);
      const body = (req.body ?? {}) as Record<string, unknown>;
      if (session && !sameToken(single(body['csrf']), session.csrf)) {
        return errorPage(res, { lang, status: 403, title: TEXT.forbidden, message: TEXT.csrf, reason: 'CSRF.INVALID' });
      }
      await sessions.end(cookies(req)[SESSION_COOKIE]);
      res.append('Set-Cookie', `${SESSION_COOKIE}=; ${cookieAttributes(0)}`);
      errorPage(res, { lang, status: 200, title: TEXT.signedOutTitle, message: TEXT.signedOut, reason: 'SIGNED_OUT' });
    }),
  );

  router.get(
    '/consent/review/:id',
    options.publicGuard,
    page(async (req, res) => {
      const browser = cookies(req)[BROWSER_COOKIE];
      const request = await authorizations.pending(String(req.params['id']), browser);
      const lang = languageOf(req, res, request?.lang);
      if (!request) {
        return errorPage(res, {
          lang,
          status: 400,
          title: TEXT.badRequest,
          message: TEXT.requestGone,
          reason: 'CONSENT_FLOW.REQUEST_UNKNOWN',
        });
      }
      const session = await sessionOf(req);
      if (!session) return startSignIn(res, browser!, `/consent/review/${request.id}`);
      await consentPage(res, 200, request, session, lang);
    }),
  );

  router.post(
    '/consent/review/:id',
    options.publicGuard,
    form,
    page(async (req, res) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const request = await authorizations.pending(String(req.params['id']), cookies(req)[BROWSER_COOKIE]);
      const lang = languageOf(req, res, request?.lang);
      const session = await formSession(req, res, lang);
      if (!session) return;
      const gone = () =>
        errorPage(res, { lang, status: 400, title: TEXT.badRequest, message: TEXT.requestGone, reason: 'CONSENT_FLOW.REQUEST_UNKNOWN' });
      if (!request) return gone();
      const decision = single(body['decision']);
      if (decision === 'decline') {
        const location = await authorizations.decline(request, session, req.requestId ?? null);
        if (!location) return gone();
        res.setHeader('Cache-Control', 'no-store');
        return res.redirect(303, location);
      }
      if (decision !== 'approve') {
        return errorPage(res, {
          lang,
          status: 400,
          title: TEXT.badRequest,
          message: { vi: 'Hãy chọn “Đồng ý” hoặc “Từ chối”.', en: 'Choose “Agree” or “Decline”.' },
          reason: 'CONSENT_FLOW.NO_DECISION',
        });
      }
      const outcome = await authorizations.approve(request, session, many(body['attributes']), req.requestId ?? null);
      if (!outcome) return gone();
      if (outcome.outcome === 'problem') {
        return consentPage(res, 400, request, session, lang, outcome.problem === 'NONE_TICKED' ? TEXT.noneTicked : TEXT.notAsked);
      }
      res.setHeader('Cache-Control', 'no-store');
      res.redirect(303, outcome.location);
    }),
  );

  router.post('/consent/token', ...options.tokenGuards, express.urlencoded({ extended: false, limit: '16kb' }), async (req, res, next) => {
    try {
      const body = (req.body ?? {}) as Record<string, unknown>;
      if (single(body['grant_type']) !== 'authorization_code') {
        return oauthError(res, 400, 'unsupported_grant_type', 'Only grant_type=authorization_code is supported here.');
      }
      let authenticated: AuthenticatedClient | undefined;
      try {
        authenticated = await options.authenticateClient(req, body);
      } catch (error) {
        if (!isHubError(error) || error.code !== 'UNAUTHENTICATED') throw error;
        req.log.info({ reason: error.reason }, 'consent token request refused');
        return invalidClient(req, res, error.message);
      }
      if (!authenticated) return oauthError(res, 400, 'invalid_request', AUTHENTICATE_THE_CLIENT);
      if (!single(body['code']) || !single(body['redirect_uri']) || !single(body['code_verifier'])) {
        return oauthError(res, 400, 'invalid_request', 'code, redirect_uri and code_verifier are required.');
      }
      const result = await authorizations.exchange({
        clientId: authenticated.client.clientId,
        code: single(body['code']),
        redirectUri: single(body['redirect_uri']),
        codeVerifier: single(body['code_verifier']),
      });
      if (!result.ok) {
        req.log.info({ reason: result.reason, clientId: authenticated.client.clientId }, 'consent code refused');
        return oauthError(res, 400, 'invalid_grant', result.description);
      }
      const { record, token } = result;
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('Pragma', 'no-cache');
      res.json({
        consent_token: token,
        token_type: 'consent',
        consent_id: record.id,
        scope: record.attributes.join(' '),
        expires_in: Math.max(0, Math.floor((record.notAfter.getTime() - options.clock.now().getTime()) / 1000)),
      });
    } catch (error) {
      next(error);
    }
  });

  router.get(
    '/my-data',
    options.publicGuard,
    page(async (req, res) => {
      const lang = languageOf(req, res);
      const session = await sessionOf(req);
      if (!session) {
        res.setHeader('Cache-Control', 'no-store');
        return res.redirect(303, '/auth/sign-in?return_to=/my-data');
      }
      const before = single(req.query['before']);
      const beforeSeq = before && /^\d{1,15}$/.test(before) ? Number(before) : undefined;
      const now = options.clock.now();
      const [records, reads] = await Promise.all([
        options.consents.ofSubject(session.personalId),
        options.audit.bySubjects(options.audit.subjectRefs(session.personalId), { limit: READS_PER_PAGE, beforeSeq }),
      ]);
      const notice = single(req.query['notice']);
      pageHeaders(res);
      res
        .status(200)
        .type('html')
        .send(
          citizenPages.myDataPage({
            lang,
            citizen: citizenView(session),
            csrf: session.csrf,
            consents: await Promise.all(records.map((record) => consentItemView(record, names, now))),
            reads: await Promise.all(reads.entries.map((entry) => dataReadView(entry, names))),
            nextReadsHref: reads.nextBeforeSeq === undefined ? undefined : `/my-data?before=${reads.nextBeforeSeq}`,
            signOutAction: '/auth/sign-out',
            notice: notice === 'revoked' ? TEXT.revoked : undefined,
          }),
        );
    }),
  );

  router.post(
    '/my-data/consents/:id/revoke',
    options.publicGuard,
    form,
    page(async (req, res) => {
      const lang = languageOf(req, res);
      const session = await formSession(req, res, lang);
      if (!session) return;
      try {
        await options.consents.revoke(String(req.params['id']), { kind: 'citizen', personalId: session.personalId }, req.requestId ?? null);
      } catch (error) {
        if (isHubError(error) && error.code === 'NOT_FOUND') {
          return errorPage(res, { lang, status: 404, title: TEXT.badRequest, message: TEXT.notFound, reason: 'CONSENT.NOT_FOUND' });
        }
        throw error;
      }
      res.setHeader('Cache-Control', 'no-store');
      res.redirect(303, '/my-data?notice=revoked');
    }),
  );

  return router;
}
