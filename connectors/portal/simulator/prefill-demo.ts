import type { Clock } from '../../../domain/clock';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { toVietnamLocal } from '../../../domain/time/vietnam-time';
import type { Logger } from '../../../platform/logger';
import { escapeHtml } from '../../identity/simulator/login-page';

/**
 * The portal's side of the hub's consent flow (docs/API.md "Consent flow"), as a national portal
 * would write it: it lists the procedures it may prefill, sends the citizen's browser to the hub
 * with PKCE (S256) and a state, takes the callback, exchanges the code at POST /consent/token with
 * its client secret, then calls GraphQL `prefill` with its own access token and shows the
 * declaration form filled in. Everything over HTTP, nothing shared with the hub's process.
 */

export const PREFILL_BASE_PATH = '/prefill';
export const PREFILL_CALLBACK_PATH = `${PREFILL_BASE_PATH}/callback`;
const COOKIE = 'portal_sim_prefill';
/** How long a started flow may take, as the hub keeps its authorization request. */
const PENDING_TTL_MS = 10 * 60_000;
const SESSION_IDLE_MS = 60 * 60_000;
/** Browsers remembered at once (the oldest idle one is forgotten first): the simulator's memory stays bounded. */
const MAX_SESSIONS = 1_000;
const MAX_PENDING_PER_SESSION = 10;

/** The portal's client at the hub. */
export interface PrefillDemoHub {
  /** The hub's address, as both the browser and the portal reach it. */
  url: string;
  clientId: string;
  clientSecret: string;
}

export interface PrefillDemoOptions {
  /** Without it, the pages say the demo is not configured. */
  hub?: PrefillDemoHub | undefined;
  /** The portal's own address (known once it listens): the redirect URI is built from it. */
  portalUrl: () => string;
  /** The procedure's name in the portal's catalogue. */
  procedureName: (code: string) => string | undefined;
  logger: Logger;
  /** The portal's clock (its access token to the hub, pending sign-ins). */
  clock: Clock;
}

export interface PrefillField {
  field: string;
  label: string;
  attribute: string;
  source: string;
  value: string | null;
  sourceUpdatedAt: string | null;
  retrievedAt: string | null;
  reason: string | null;
}

/** What the portal got back from the hub and showed (never the consent token itself). */
export interface PrefillOutcome {
  procedure: string;
  /** The answer of POST /consent/token. */
  consent?: { consentId: string; scope: string[]; expiresIn: number } | undefined;
  tokenError?: { status: number; error: string; description?: string | undefined } | undefined;
  /** The error the hub sent back to the redirect URI (a declined consent, a refused request). */
  flowError?: { error: string; description?: string | undefined } | undefined;
  prefill?: PrefillField[] | undefined;
  prefillErrors?: { message: string; code?: string | undefined }[] | undefined;
}

export interface PrefillDemo {
  router: Router;
  /** The redirect URI the portal uses (to register for its client at the hub). */
  redirectUri(): string;
  /** The last outcome shown to any browser. */
  last(): PrefillOutcome | undefined;
}

interface ConsentPurpose {
  purpose: string;
  procedureCode: string | null;
  attributes: string[];
  descriptionVi: string | null;
  descriptionEn: string | null;
}

interface Session {
  id: string;
  csrf: string;
  touchedAt: number;
  pending: Map<string, { verifier: string; procedure: string; startedAt: number }>;
  /** The consent token kept for "prefill again", and what it is for. */
  kept?: { token: string; procedure: string; consentId: string } | undefined;
  result?: PrefillOutcome | undefined;
}

/** The hub could not be used: the page says so, in words the citizen can act on. */
class HubProblem extends Error {
  constructor(
    readonly kind: 'unreachable' | 'refused' | 'unexpected',
    detail: string,
  ) {
    super(detail);
  }
}

const b64url = (bytes: Buffer) => bytes.toString('base64url');
const same = (a: string, b: string) => {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(a), digest(b));
};
const single = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

const CSS = `body{font-family:sans-serif;max-width:48rem;margin:1.5rem auto;padding:0 1rem;line-height:1.45;color:#1a1a1a}
.en{color:#555}header{border-bottom:3px solid #b00;margin-bottom:1rem}.notice{padding:.6rem .8rem;border-left:4px solid #b60;background:#fff6e5}
.problem{padding:.6rem .8rem;border-left:4px solid #a00;background:#fdecec}.ok{padding:.6rem .8rem;border-left:4px solid #270;background:#eef8ec}
ul.procedures{list-style:none;padding:0}ul.procedures li{border:1px solid #ccc;border-radius:4px;padding:.6rem .8rem;margin:.5rem 0}
.field{margin:.8rem 0}.field label{display:block;font-weight:bold}.field input{width:100%;max-width:36rem;padding:.3rem;font:inherit}
.field .note{margin:.2rem 0 0;font-size:.9rem;color:#444}.field.empty input{background:#f4f4f4}
button,a.button{font:inherit;padding:.4rem .9rem;cursor:pointer}a.button{display:inline-block;background:#b00;color:#fff;border-radius:4px;text-decoration:none}a.button .en{color:#fff}button:focus,a:focus,input:focus{outline:3px solid #05a;outline-offset:2px}code{font-size:.9em}`;
const CSS_HASH = `'sha256-${createHash('sha256').update(CSS).digest('base64')}'`;

const SOURCES: Record<string, string> = {
  population: 'Cơ sở dữ liệu quốc gia về dân cư <span class="en">/ National population database</span>',
  land: 'Cơ sở dữ liệu quốc gia về đất đai <span class="en">/ National land database</span>',
  business: 'Cơ sở dữ liệu quốc gia về đăng ký doanh nghiệp <span class="en">/ National business registration database</span>',
};

const REASONS: Record<string, string> = {
  NOT_CONSENTED: 'Bạn chưa đồng ý chia sẻ thông tin này: hãy tự khai. <span class="en">Not consented: fill it in yourself.</span>',
  UPSTREAM_UNAVAILABLE:
    'Cơ sở dữ liệu nguồn tạm thời không trả lời: hãy tự khai hoặc thử lại sau. <span class="en">The registry did not answer: fill it in or try again later.</span>',
  NOT_IN_REGISTRY: 'Cơ sở dữ liệu không có thông tin này: hãy tự khai. <span class="en">Not in the registry: fill it in yourself.</span>',
};

/** The wording for a value the hub sent, only from the table's own entries (never `constructor` and the like). */
const known = (table: Record<string, string>, key: string | null): string | undefined =>
  key !== null && Object.hasOwn(table, key) ? table[key] : undefined;

/** `dd/MM/yyyy HH:mm` in Vietnam time, in a <time> element; anything unreadable shown as given. */
function timeOf(iso: string | null): string {
  if (!iso) return '—';
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime())) return escapeHtml(iso);
  const t = toVietnamLocal(instant);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `<time datetime="${escapeHtml(instant.toISOString())}">${pad(t.day)}/${pad(t.month)}/${t.year} ${pad(t.hour)}:${pad(t.minute)}</time>`;
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="vi">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} — Cổng Dịch vụ công quốc gia (mô phỏng)</title>
<style>${CSS}</style>
</head>
<body>
<header><p><strong>Cổng Dịch vụ công quốc gia</strong> (mô phỏng) <span class="en">/ National public-service portal (simulator)</span></p></header>
<main>
${body}
</main>
</body>
</html>`;
}

export function createPrefillDemo(options: PrefillDemoOptions): PrefillDemo {
  const { hub, logger } = options;
  const sessions = new Map<string, Session>();
  let last: PrefillOutcome | undefined;
  let accessToken: { token: string; expiresAt: number } | undefined;
  const redirectUri = () => `${options.portalUrl()}${PREFILL_CALLBACK_PATH}`;
  const basic = hub
    ? `Basic ${Buffer.from(`${encodeURIComponent(hub.clientId)}:${encodeURIComponent(hub.clientSecret)}`).toString('base64')}`
    : '';

  // ------------------------------------------------------------------ the hub, over HTTP

  const call = async (path: string, init: RequestInit): Promise<{ status: number; body: unknown }> => {
    let response: globalThis.Response;
    try {
      response = await fetch(`${hub!.url}${path}`, { ...init, signal: AbortSignal.timeout(15_000) });
    } catch (error) {
      throw new HubProblem('unreachable', `${path}: ${(error as Error).message}`);
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new HubProblem(response.status >= 500 ? 'unreachable' : 'unexpected', `${path}: HTTP ${response.status}, not JSON`);
    }
    if (response.status >= 500) throw new HubProblem('unreachable', `${path}: HTTP ${response.status}`);
    return { status: response.status, body };
  };

  const token = async (): Promise<string> => {
    if (accessToken && accessToken.expiresAt > options.clock.now().getTime()) return accessToken.token;
    const { status, body } = await call('/oauth/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic },
      body: new URLSearchParams({ grant_type: 'client_credentials' }),
    });
    const answer = body as { access_token?: unknown; expires_in?: unknown; error?: unknown };
    if (status !== 200 || typeof answer.access_token !== 'string') {
      throw new HubProblem('refused', `/oauth/token: HTTP ${status} ${typeof answer.error === 'string' ? answer.error : ''}`);
    }
    // Renewed a little before it expires, so a call never goes out with a token about to lapse.
    const lifetime = typeof answer.expires_in === 'number' ? answer.expires_in : 60;
    accessToken = { token: answer.access_token, expiresAt: options.clock.now().getTime() + Math.max(lifetime - 30, lifetime / 2) * 1000 };
    return accessToken.token;
  };

  const graphql = async <T>(query: string, variables: Record<string, unknown> = {}): Promise<{ data?: T | null; errors?: unknown[] }> => {
    const { status, body } = await call('/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        authorization: `Bearer ${await token()}`,
      },
      body: JSON.stringify({ query, variables }),
    });
    if (status === 401) {
      accessToken = undefined;
      throw new HubProblem('refused', `/graphql: HTTP ${status}`);
    }
    return body as { data?: T | null; errors?: unknown[] };
  };

  const purposes = async (): Promise<ConsentPurpose[]> => {
    const answer = await graphql<{ consentPurposes: ConsentPurpose[] }>(
      '{ consentPurposes { purpose procedureCode attributes descriptionVi descriptionEn } }',
    );
    if (!answer.data?.consentPurposes) throw new HubProblem('refused', `consentPurposes: ${JSON.stringify(answer.errors ?? null)}`);
    return answer.data.consentPurposes.filter((p) => p.procedureCode !== null && p.purpose === `prefill:${p.procedureCode}`);
  };

  const prefill = async (procedure: string, consentToken: string): Promise<Pick<PrefillOutcome, 'prefill' | 'prefillErrors'>> => {
    const answer = await graphql<{ prefill: PrefillField[] }>(
      `
        query ($p: String!, $t: String!) {
          prefill(procedureCode: $p, consentToken: $t) {
            field
            label
            attribute
            source
            value
            sourceUpdatedAt
            retrievedAt
            reason
          }
        }
      `,
      { p: procedure, t: consentToken },
    );
    const errors = (answer.errors as { message?: unknown; extensions?: { code?: unknown } }[] | undefined)?.map((e) => ({
      message: String(e.message ?? ''),
      code: typeof e.extensions?.code === 'string' ? e.extensions.code : undefined,
    }));
    return { prefill: answer.data?.prefill ?? undefined, prefillErrors: errors };
  };

  // ------------------------------------------------------------------ per-browser state

  const sessionOf = (req: Request, res: Response): Session => {
    const now = options.clock.now().getTime();
    for (const [id, s] of sessions) {
      if (s.touchedAt + SESSION_IDLE_MS > now && sessions.size <= MAX_SESSIONS) break;
      sessions.delete(id); // oldest first: the map is kept in order of use
    }
    const cookie = /(?:^|;\s*)portal_sim_prefill=([A-Za-z0-9_-]{22,64})(?:;|$)/.exec(req.get('cookie') ?? '')?.[1];
    let session = cookie ? sessions.get(cookie) : undefined;
    if (session) {
      sessions.delete(session.id);
    } else {
      session = { id: b64url(randomBytes(24)), csrf: b64url(randomBytes(24)), touchedAt: now, pending: new Map() };
      res.setHeader(
        'Set-Cookie',
        `${COOKIE}=${session.id}; Path=${PREFILL_BASE_PATH}; HttpOnly; SameSite=Lax${req.secure ? '; Secure' : ''}`,
      );
    }
    session.touchedAt = now;
    sessions.set(session.id, session);
    return session;
  };

  // ------------------------------------------------------------------ pages

  const send = (res: Response, status: number, title: string, body: string) => {
    res
      .status(status)
      .set({
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Security-Policy': `default-src 'none'; style-src ${CSS_HASH}; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
        'X-Frame-Options': 'DENY',
        'Cache-Control': 'no-store',
        'Referrer-Policy': 'no-referrer',
        'X-Content-Type-Options': 'nosniff',
      })
      .send(page(title, body));
  };

  const problemPage = (res: Response, status: number, vi: string, en: string, extra = '') =>
    send(
      res,
      status,
      'Không thực hiện được',
      `<h1>Không thực hiện được <span class="en">/ Could not be done</span></h1>
<p class="problem" role="alert">${vi} <span class="en">${en}</span></p>${extra}
<p><a href="${PREFILL_BASE_PATH}">Về danh sách thủ tục <span class="en">/ Back to the procedures</span></a></p>`,
    );

  const hubProblemPage = (res: Response, problem: HubProblem) => {
    logger.warn({ kind: problem.kind, detail: problem.message }, 'prefill demo: the hub could not be used');
    if (problem.kind === 'unreachable') {
      problemPage(
        res,
        502,
        `Không kết nối được với hệ thống tích hợp dữ liệu (${escapeHtml(hub!.url)}). Hãy thử lại sau.`,
        `The integration hub (${escapeHtml(hub!.url)}) cannot be reached. Try again later.`,
      );
    } else if (problem.kind === 'refused') {
      problemPage(
        res,
        502,
        'Hệ thống tích hợp dữ liệu từ chối cổng này (mã khách hoặc khóa bí mật không đúng, hoặc cổng chưa được đăng ký).',
        'The integration hub refused this portal (wrong client id or secret, or the portal is not registered).',
      );
    } else {
      problemPage(res, 502, 'Hệ thống tích hợp dữ liệu trả lời không như mong đợi.', 'The integration hub answered unexpectedly.');
    }
  };

  const notConfigured = (res: Response) =>
    send(
      res,
      503,
      'Chưa cấu hình',
      `<h1>Điền sẵn từ cơ sở dữ liệu quốc gia <span class="en">/ Prefill from the national databases</span></h1>
<p class="notice" role="status">Bản thử chưa được cấu hình: hãy chạy trình mô phỏng với <code>--hub-url</code>, <code>--hub-client-id</code> và <code>--hub-client-secret</code> (hoặc <code>PORTAL_SIM_HUB_URL</code>, …).
<span class="en">The demo is not configured: start the simulator with <code>--hub-url</code>, <code>--hub-client-id</code> and <code>--hub-client-secret</code> (or <code>PORTAL_SIM_HUB_URL</code>, …).</span></p>`,
    );

  const procedureTitle = (code: string, purpose?: ConsentPurpose) => {
    const name = options.procedureName(code) ?? purpose?.descriptionVi ?? '';
    return `${escapeHtml(name)} <span class="en">(${escapeHtml(code)})</span>`;
  };

  // A link, not a form: a form's redirect to the hub and on to the identity provider would have to be
  // allowed by form-action for every origin on the way.
  const startLink = (session: Session, procedure: string, label: string) =>
    `<p><a class="button" href="${PREFILL_BASE_PATH}/start?${escapeHtml(new URLSearchParams({ procedure, csrf: session.csrf }).toString())}">${label}</a></p>`;

  const againForm = (session: Session) =>
    `<form method="post" action="${PREFILL_BASE_PATH}/again"><input type="hidden" name="csrf" value="${escapeHtml(session.csrf)}"><button type="submit" id="again">Điền lại với sự đồng ý đã có <span class="en">/ Prefill again</span></button></form>`;

  const START_LABEL = 'Điền sẵn từ cơ sở dữ liệu quốc gia <span class="en">/ Prefill from the national databases</span>';

  const renderField = (field: PrefillField, index: number) => {
    const id = `f-${index}`;
    const filled = field.value !== null;
    const note = filled
      ? `Nguồn <span class="en">/ Source</span>: ${known(SOURCES, field.source) ?? escapeHtml(field.source)} · cập nhật tại nguồn <span class="en">/ updated at the registry</span> ${timeOf(field.sourceUpdatedAt)} · lấy lúc <span class="en">/ retrieved</span> ${timeOf(field.retrievedAt)}`
      : `${known(REASONS, field.reason) ?? escapeHtml(field.reason ?? '')} <code>${escapeHtml(field.reason ?? '')}</code>`;
    return `<div class="field${filled ? '' : ' empty'}" data-field="${escapeHtml(field.field)}" data-source="${escapeHtml(field.source)}">
<label for="${id}">${escapeHtml(field.label)}</label>
<input id="${id}" name="${escapeHtml(field.field)}" value="${escapeHtml(field.value ?? '')}" aria-describedby="${id}-note">
<p class="note" id="${id}-note">${note}</p>
</div>`;
  };

  const renderResult = (session: Session, result: PrefillOutcome) => {
    const title = procedureTitle(result.procedure);
    const parts: string[] = [`<h1>Tờ khai <span class="en">/ Declaration</span>: ${title}</h1>`];
    if (result.flowError) {
      const declined = result.flowError.error === 'access_denied';
      parts.push(
        declined
          ? `<p class="notice" role="status" id="declined">Bạn đã từ chối chia sẻ dữ liệu: không có thông tin nào được lấy. Hãy tự khai tờ khai. <span class="en">You declined: nothing was read. Fill in the declaration yourself.</span></p>`
          : `<p class="problem" role="alert" id="flow-error">Hệ thống tích hợp dữ liệu không chấp nhận yêu cầu <span class="en">/ The hub refused the request</span>: <code>${escapeHtml(result.flowError.error)}</code> ${escapeHtml(result.flowError.description ?? '')}</p>`,
      );
      parts.push(startLink(session, result.procedure, 'Thử lại <span class="en">/ Try again</span>'));
    }
    if (result.tokenError) {
      parts.push(
        `<p class="problem" role="alert" id="token-error">Không đổi được mã ủy quyền lấy sự đồng ý <span class="en">/ The authorization code could not be exchanged</span>: <code>${escapeHtml(result.tokenError.error)}</code> ${escapeHtml(result.tokenError.description ?? '')}</p>`,
      );
      parts.push(startLink(session, result.procedure, 'Thử lại <span class="en">/ Try again</span>'));
    }
    if (result.consent) {
      parts.push(
        `<p class="ok" role="status" id="consent">Đã nhận sự đồng ý <span class="en">/ Consent received</span>: <code>${escapeHtml(result.consent.consentId)}</code> (${result.consent.scope.map((s) => `<code>${escapeHtml(s)}</code>`).join(', ')})</p>`,
      );
    }
    for (const error of result.prefillErrors ?? []) {
      const withdrawn = error.code === 'CONSENT_REQUIRED';
      parts.push(
        `<p class="problem" role="alert" data-code="${escapeHtml(error.code ?? '')}">${
          withdrawn
            ? 'Sự đồng ý đã bị rút lại hoặc đã hết hạn: không lấy được dữ liệu. <span class="en">The consent was withdrawn or has expired: nothing could be read.</span>'
            : 'Không điền sẵn được <span class="en">/ Prefill failed</span>:'
        } <code>${escapeHtml(error.code ?? '')}</code> ${escapeHtml(error.message)}</p>`,
      );
      if (withdrawn) parts.push(startLink(session, result.procedure, 'Xin lại sự đồng ý <span class="en">/ Ask for consent again</span>'));
    }
    if (result.prefill) {
      parts.push(`<form id="prefill" aria-labelledby="prefill-title" action="#" method="get">
<h2 id="prefill-title">Thông tin điền sẵn <span class="en">/ Prefilled information</span></h2>
<p>Kiểm tra lại trước khi nộp; bạn có thể sửa. <span class="en">Check before submitting; you may correct it.</span></p>
${result.prefill.map(renderField).join('\n')}
</form>`);
    }
    if (session.kept && session.kept.procedure === result.procedure) parts.push(againForm(session));
    parts.push(`<p><a href="${PREFILL_BASE_PATH}">Về danh sách thủ tục <span class="en">/ Back to the procedures</span></a></p>`);
    return parts.join('\n');
  };

  // ------------------------------------------------------------------ routes

  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: '4kb' });
  const guarded =
    (handler: (req: Request, res: Response) => Promise<void>) =>
    (req: Request, res: Response, next: NextFunction): void => {
      if (!hub) return notConfigured(res);
      handler(req, res).catch((error: unknown) => (error instanceof HubProblem ? hubProblemPage(res, error) : next(error)));
    };
  const csrfOk = (given: string | undefined, session: Session) => given !== undefined && same(given, session.csrf);
  const show = (res: Response, session: Session, result: PrefillOutcome) => {
    // A withdrawn or expired consent: the kept token is of no more use.
    if (result.prefillErrors?.some((e) => e.code === 'CONSENT_REQUIRED')) session.kept = undefined;
    session.result = result;
    last = result;
    res.redirect(303, `${PREFILL_BASE_PATH}/result`);
  };

  router.get(
    '/',
    guarded(async (req, res) => {
      const session = sessionOf(req, res);
      const listed = await purposes();
      const items = listed
        .map(
          (p) => `<li id="procedure-${escapeHtml(p.procedureCode!)}"><h2>${procedureTitle(p.procedureCode!, p)}</h2>
<p>Thông tin lấy từ cơ sở dữ liệu quốc gia <span class="en">/ Read from the national databases</span>: ${p.attributes.map((a) => `<code>${escapeHtml(a)}</code>`).join(', ')}</p>
${startLink(session, p.procedureCode!, START_LABEL)}</li>`,
        )
        .join('\n');
      send(
        res,
        200,
        'Điền sẵn tờ khai',
        `<h1>Điền sẵn tờ khai từ cơ sở dữ liệu quốc gia <span class="en">/ Prefill a declaration from the national databases</span></h1>
<p>Cổng xin sự đồng ý của bạn tại hệ thống tích hợp dữ liệu, rồi điền sẵn tờ khai với những thông tin bạn cho phép. <span class="en">The portal asks your consent at the integration hub, then fills in the declaration with what you allow.</span></p>
${session.kept ? `<section aria-labelledby="kept"><h2 id="kept">Sự đồng ý đã có <span class="en">/ Consent kept</span>: ${procedureTitle(session.kept.procedure)}</h2>${againForm(session)}</section>` : ''}
${items ? `<ul class="procedures">${items}</ul>` : '<p class="notice">Cổng chưa được đăng ký mục đích điền sẵn nào. <span class="en">No prefill purpose is registered for this portal.</span></p>'}`,
      );
    }),
  );

  router.get(
    '/start',
    guarded(async (req, res) => {
      const session = sessionOf(req, res);
      // The page's token: another site cannot start a flow in this browser.
      if (!csrfOk(single(req.query.csrf), session)) {
        return problemPage(res, 403, 'Liên kết đã hết hạn: hãy mở lại trang.', 'The link has expired: open the page again.');
      }
      const procedure = single(req.query.procedure) ?? '';
      // The scope comes from the purpose the hub holds, never from the form.
      const purpose = (await purposes()).find((p) => p.procedureCode === procedure);
      if (!purpose) {
        return problemPage(res, 400, 'Thủ tục này không điền sẵn được.', 'This procedure cannot be prefilled.');
      }
      const now = options.clock.now().getTime();
      for (const [state, started] of session.pending) if (started.startedAt + PENDING_TTL_MS <= now) session.pending.delete(state);
      while (session.pending.size >= MAX_PENDING_PER_SESSION) session.pending.delete(session.pending.keys().next().value!);
      const state = b64url(randomBytes(16));
      const verifier = b64url(randomBytes(32));
      session.pending.set(state, { verifier, procedure, startedAt: now });
      const query = new URLSearchParams({
        response_type: 'code',
        client_id: hub!.clientId,
        redirect_uri: redirectUri(),
        state,
        code_challenge: b64url(createHash('sha256').update(verifier).digest()),
        code_challenge_method: 'S256',
        scope: purpose.attributes.join(' '),
        purpose: purpose.purpose,
        procedure,
        lang: 'vi',
      });
      res.redirect(303, `${hub!.url}/consent/authorize?${query}`);
    }),
  );

  router.get(
    '/callback',
    guarded(async (req, res) => {
      const session = sessionOf(req, res);
      const state = single(req.query.state) ?? '';
      const started = session.pending.get(state);
      session.pending.delete(state);
      // Only a flow this browser started: a state from elsewhere (or replayed) is refused.
      if (!started || started.startedAt + PENDING_TTL_MS <= options.clock.now().getTime()) {
        logger.warn('prefill demo: callback with an unknown state refused');
        return problemPage(
          res,
          400,
          'Yêu cầu không khớp với yêu cầu nào cổng đã gửi từ trình duyệt này, hoặc đã hết hạn.',
          'This answer matches no request the portal sent from this browser, or it has expired.',
        );
      }
      const error = single(req.query.error);
      if (error !== undefined) {
        return show(res, session, {
          procedure: started.procedure,
          flowError: { error, description: single(req.query.error_description) },
        });
      }
      const { status, body } = await call('/consent/token', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code: single(req.query.code) ?? '',
          redirect_uri: redirectUri(),
          code_verifier: started.verifier,
        }),
      });
      const answer = body as { consent_token?: unknown; consent_id?: unknown; scope?: unknown; expires_in?: unknown } & {
        error?: unknown;
        error_description?: unknown;
      };
      if (status !== 200 || typeof answer.consent_token !== 'string') {
        return show(res, session, {
          procedure: started.procedure,
          tokenError: { status, error: String(answer.error ?? 'invalid_response'), description: single(answer.error_description) },
        });
      }
      const consent = {
        consentId: String(answer.consent_id),
        scope: String(answer.scope ?? '')
          .split(' ')
          .filter(Boolean),
        expiresIn: Number(answer.expires_in),
      };
      session.kept = { token: answer.consent_token, procedure: started.procedure, consentId: consent.consentId };
      show(res, session, { procedure: started.procedure, consent, ...(await prefill(started.procedure, answer.consent_token)) });
    }),
  );

  router.get(
    '/result',
    guarded(async (req, res) => {
      const session = sessionOf(req, res);
      if (!session.result) return void res.redirect(303, PREFILL_BASE_PATH);
      send(res, 200, 'Tờ khai', renderResult(session, session.result));
    }),
  );

  router.post(
    '/again',
    form,
    guarded(async (req, res) => {
      const session = sessionOf(req, res);
      if (!csrfOk(single((req.body as Record<string, unknown>).csrf), session)) {
        return problemPage(res, 403, 'Biểu mẫu đã hết hạn: hãy mở lại trang.', 'The form has expired: open the page again.');
      }
      if (!session.kept) {
        return problemPage(res, 400, 'Chưa có sự đồng ý nào được giữ.', 'No consent is kept yet.');
      }
      show(res, session, { procedure: session.kept.procedure, ...(await prefill(session.kept.procedure, session.kept.token)) });
    }),
  );

  return { router, redirectUri, last: () => last };
}
