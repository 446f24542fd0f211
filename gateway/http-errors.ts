import { STATUS_CODES } from 'node:http';
import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response, Router } from 'express';
import { InvalidInputError, isHubError, NotFoundError, UnexpectedError, type ErrorCode, type HubError } from '../domain/errors';
import type { Logger } from '../platform/logger';
import { INTERNAL_ONLY } from '../schema/error-mapping';
import { translateStoreError } from '../store/store-errors';

/** The HTTP status of each hub error code; a new code cannot be added without choosing one. */
export const HTTP_STATUS = {
  BAD_USER_INPUT: 400,
  NOT_FOUND: 404,
  INVALID_TRANSITION: 409,
  CONFLICT: 409,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  CONSENT_REQUIRED: 403,
  UPSTREAM_UNAVAILABLE: 503,
  QUERY_TOO_COMPLEX: 400,
  RATE_LIMITED: 429,
  STORE_UNAVAILABLE: 503,
  CONFIGURATION_INVALID: 500,
  SERVICE_UNREACHABLE: 500,
  INTERNAL_SERVER_ERROR: 500,
} as const satisfies Record<ErrorCode, number>;

const INTERNAL_MESSAGE =
  'The hub could not complete this request. If it keeps happening, give the operator the request id from the response header x-request-id.';

/** What a caller may see of an error: internal codes (start-up problems) show as INTERNAL_SERVER_ERROR. */
function shown(error: HubError): HubError {
  return INTERNAL_ONLY.has(error.code) && error.code !== 'INTERNAL_SERVER_ERROR'
    ? new UnexpectedError(INTERNAL_MESSAGE, { reason: 'INTERNAL.UNEXPECTED' })
    : error;
}

export function statusOf(error: HubError): number {
  return HTTP_STATUS[shown(error).code];
}

/** /graphql answers every error in the GraphQL shape, so GraphQL clients read one format. */
function isGraphQLPath(req: Request): boolean {
  return /^\/graphql(\/|\?|$)/.test(req.originalUrl);
}

/**
 * Answers an error: on /graphql as a GraphQL response (`{"errors": [...]}`), on every other route as
 * RFC 9457 problem details (`application/problem+json`: type, title, status, detail, and the hub's
 * `code`, `reason`, `details`, `requestId`; `errors` repeats it in the GraphQL shape). A retryable
 * error (`details.retryAfterSeconds`) carries `Retry-After`.
 */
export function sendError(res: Response, status: number, error: HubError, headers: Record<string, string> = {}): void {
  const visible = shown(error);
  const retryAfter = visible.details?.retryAfterSeconds;
  if (typeof retryAfter === 'number') res.setHeader('Retry-After', String(retryAfter));
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  const extensions = {
    code: visible.code,
    ...(visible.reason ? { reason: visible.reason } : {}),
    ...(visible.details ? { details: visible.details } : {}),
  };
  const graphqlShape = { errors: [{ message: visible.message, extensions }] };
  if (isGraphQLPath(res.req)) {
    res.status(status).json(graphqlShape);
    return;
  }
  const problem = {
    type: 'about:blank',
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail: visible.message,
    ...extensions,
    ...(res.req.requestId ? { requestId: res.req.requestId } : {}),
    ...graphqlShape,
  };
  res.status(status).type('application/problem+json').send(JSON.stringify(problem));
}

/** Answers an error with the status of its code. */
export function sendHubError(res: Response, error: HubError): void {
  sendError(res, statusOf(error), error);
}

/** Wraps a REST handler: hub errors (and store failures, as STORE_UNAVAILABLE) are answered with their status; others go on. */
export const handleHubErrors =
  (work: (req: Request, res: Response) => Promise<void>) => async (req: Request, res: Response, next: NextFunction) => {
    try {
      await work(req, res);
    } catch (error) {
      const translated = translateStoreError(error);
      if (!isHubError(translated)) return next(error);
      if (translated.code === 'STORE_UNAVAILABLE') req.log?.warn({ err: error }, 'store unavailable');
      sendHubError(res, translated);
    }
  };

/** A file for this caller only (a document, a signature, a form): never cached by anyone on the way. */
export function sendPrivateFile(res: Response, file: { type: string; disposition?: string; body: Buffer | string }): void {
  res.setHeader('Content-Type', file.type);
  if (file.disposition) res.setHeader('Content-Disposition', file.disposition);
  res.setHeader('Cache-Control', 'private, no-store');
  res.send(file.body);
}

/** body-parser's failures (their `type`), as the caller's mistake they are. */
const BODY_FAILURES: Record<string, { status: number; reason: string; message: (limit?: number) => string }> = {
  'entity.too.large': {
    status: 413,
    reason: 'REQUEST.TOO_LARGE',
    message: (limit) => `The request body is larger than ${limit} bytes.`,
  },
  'entity.parse.failed': { status: 400, reason: 'REQUEST.MALFORMED_JSON', message: () => 'The request body is not valid JSON.' },
  'entity.verify.failed': { status: 400, reason: 'REQUEST.MALFORMED_BODY', message: () => 'The request body could not be read.' },
  'encoding.unsupported': {
    status: 415,
    reason: 'REQUEST.UNSUPPORTED_ENCODING',
    message: () => 'The request body is compressed with an encoding the hub does not read: send it as is, gzip or deflate.',
  },
  'charset.unsupported': {
    status: 415,
    reason: 'REQUEST.UNSUPPORTED_CHARSET',
    message: () => 'The request body is in a character set the hub does not read: send UTF-8.',
  },
  'parameters.too.many': { status: 413, reason: 'REQUEST.TOO_MANY_PARAMETERS', message: () => 'The form has too many fields.' },
  'request.size.invalid': {
    status: 400,
    reason: 'REQUEST.SIZE_MISMATCH',
    message: () => 'The request body is not as long as its Content-Length says.',
  },
  'request.aborted': { status: 400, reason: 'REQUEST.ABORTED', message: () => 'The request body ended before it was complete.' },
};

/**
 * The last handler of every request that failed: body-parser failures and other malformed requests
 * are the caller's (4xx), store failures STORE_UNAVAILABLE (503, Retry-After), hub errors their
 * code's status, anything else 500 with the request id to quote (the details go to the log). Never
 * express's HTML page, never a stack trace or driver text.
 */
export function answerErrors(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req: Request, res: Response, next: NextFunction) => {
    // Too late to answer: express closes the connection.
    if (res.headersSent) return next(error);
    const failure = (error ?? {}) as { type?: unknown; status?: unknown; statusCode?: unknown; limit?: number };
    const known = typeof failure.type === 'string' ? BODY_FAILURES[failure.type] : undefined;
    if (known) {
      return sendError(res, known.status, new InvalidInputError(known.message(failure.limit), { reason: known.reason }));
    }
    const status = Number(failure.status ?? failure.statusCode);
    if (status >= 400 && status < 500) {
      // express's own refusals (a %-escape in the path that decodes to nothing, and the like).
      return sendError(
        res,
        400,
        new InvalidInputError('The request is malformed: check its path and query.', { reason: 'REQUEST.MALFORMED' }),
      );
    }
    const translated = translateStoreError(error);
    if (isHubError(translated) && !INTERNAL_ONLY.has(translated.code)) {
      if (translated.code === 'STORE_UNAVAILABLE') (req.log ?? logger).warn({ err: error }, 'store unavailable');
      return sendHubError(res, translated);
    }
    (req.log ?? logger).error({ err: error }, 'unexpected error while answering a request');
    sendError(res, 500, new UnexpectedError(INTERNAL_MESSAGE, { reason: 'INTERNAL.UNEXPECTED' }));
  };
}

interface RouteLayer {
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: { stack?: RouteLayer[] };
}

/** Every route of the app with its methods (routers mounted at the root included). */
function routesOf(app: { router: Router }): Map<string, Set<string>> {
  const routes = new Map<string, Set<string>>();
  const visit = (stack: RouteLayer[]) => {
    for (const layer of stack) {
      if (layer.route && typeof layer.route.path === 'string') {
        const methods = routes.get(layer.route.path) ?? new Set<string>();
        for (const [method, on] of Object.entries(layer.route.methods)) if (on && method !== '_all') methods.add(method.toUpperCase());
        if (methods.has('GET')) methods.add('HEAD');
        routes.set(layer.route.path, methods);
      } else if (Array.isArray(layer.handle?.stack)) {
        visit(layer.handle.stack);
      }
    }
  };
  visit((app.router as unknown as { stack: RouteLayer[] }).stack);
  return routes;
}

declare module 'express-serve-static-core' {
  interface Locals {
    /** The methods the routes matching this path answer, when none answers this method. */
    allowedMethods?: Set<string>;
  }
}

/**
 * Installed after every route: a known path asked with a method it does not serve is 405 with
 * `Allow`, an unknown path 404, both as problem details. (OPTIONS is answered by express with
 * `Allow` already.)
 */
export function answerUnroutedRequests(app: { router: Router; all: (path: string, handler: RequestHandler) => unknown }): RequestHandler {
  for (const [path, methods] of routesOf(app)) {
    app.all(path, (_req, res, next) => {
      const allowed = res.locals.allowedMethods ?? new Set<string>();
      for (const method of methods) allowed.add(method);
      res.locals.allowedMethods = allowed;
      next();
    });
  }
  return (req, res) => {
    const path = req.path.slice(0, 120);
    const allowed = res.locals.allowedMethods;
    if (allowed?.size) {
      const allow = [...allowed].sort().join(', ');
      return sendError(
        res,
        405,
        new InvalidInputError(`${path} answers ${allow}, not ${req.method}.`, {
          reason: 'REQUEST.METHOD_NOT_ALLOWED',
          details: { allowed: [...allowed].sort() },
        }),
        { Allow: allow },
      );
    }
    sendError(
      res,
      404,
      new NotFoundError(`The hub has no ${req.method} ${path}: docs/API.md lists its routes.`, { reason: 'REQUEST.NO_SUCH_ROUTE' }),
    );
  };
}
