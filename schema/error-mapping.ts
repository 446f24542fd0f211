import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { MiddlewareFn } from 'type-graphql';
import { ERROR_CODES, HubError, isHubError, type ErrorCode } from '../domain/errors';
import type { Logger } from '../platform/logger';

/** Codes GraphQL itself or Apollo Server produce before any resolver runs; passed through as they are. */
const PROTOCOL_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/** Codes the hub never shows to a GraphQL client as such (start-up problems). */
const INTERNAL_ONLY: ReadonlySet<ErrorCode> = new Set(['CONFIGURATION_INVALID', 'SERVICE_UNREACHABLE', 'INTERNAL_SERVER_ERROR']);

/** Every code a client can see in `extensions.code`; documented in docs/API.md. */
export const PUBLIC_ERROR_CODES: readonly string[] = [
  ...ERROR_CODES.filter((code) => !INTERNAL_ONLY.has(code)),
  'INTERNAL_SERVER_ERROR',
  ...PROTOCOL_CODES,
];

export function toGraphQLError(error: HubError): GraphQLError {
  return new GraphQLError(error.message, {
    originalError: error,
    extensions: {
      code: INTERNAL_ONLY.has(error.code) ? 'INTERNAL_SERVER_ERROR' : error.code,
      ...(error.reason ? { reason: error.reason } : {}),
      ...(error.details ? { details: error.details } : {}),
    },
  });
}

/** Inside the dossier schema: hub errors become GraphQL errors with their code before stitching sees them. */
export const TranslateHubErrors: MiddlewareFn = async (_action, next) => {
  try {
    return await next();
  } catch (error) {
    if (isHubError(error)) throw toGraphQLError(error);
    throw error;
  }
};

function findHubError(error: unknown): HubError | undefined {
  let current: unknown = error;
  for (let depth = 0; current && depth < 8; depth += 1) {
    if (isHubError(current)) return current;
    current = (current as { originalError?: unknown; cause?: unknown }).originalError ?? (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** graphql-armor reports its refusals as validation or syntax errors; the hub's code for them is QUERY_TOO_COMPLEX. */
export function isQueryLimitMessage(message: string): boolean {
  return /(depth limit|Cost limit|Aliases limit|Token limit|Directives limit) of \d+ exceeded|Document contains more th\w+ \d+ tokens/i.test(
    message,
  );
}

export interface ErrorFormatterOptions {
  /** Hide messages of unexpected errors and never include stack traces. */
  production: boolean;
  logger: Logger;
}

/**
 * The last word on every error leaving the gateway: a known code and an actionable message, or
 * INTERNAL_SERVER_ERROR with the request id to quote (the details go to the log, not the client).
 */
export function createErrorFormatter(options: ErrorFormatterOptions) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const hubError = findHubError(error);
    const extensions = { ...(formatted.extensions ?? {}) } as Record<string, unknown>;
    delete extensions.stacktrace;
    if (hubError) {
      const translated = toGraphQLError(hubError);
      return { ...formatted, message: hubError.message, extensions: { ...translated.extensions } };
    }
    if (isQueryLimitMessage(formatted.message)) {
      return {
        message: `The query is too large or too deep for this service: ${formatted.message.replace(/^Syntax Error: /, '')} Ask for fewer fields or split the query.`,
        extensions: { code: 'QUERY_TOO_COMPLEX' },
      };
    }
    // The query-limit plugin parses documents itself and reports syntax errors as validation errors.
    if (formatted.message.startsWith('Syntax Error:') && extensions.code === 'GRAPHQL_VALIDATION_FAILED')
      extensions.code = 'GRAPHQL_PARSE_FAILED';
    const code = typeof extensions.code === 'string' ? extensions.code : undefined;
    if (code && (PROTOCOL_CODES.has(code) || PUBLIC_ERROR_CODES.includes(code)) && code !== 'INTERNAL_SERVER_ERROR') {
      return { ...formatted, extensions };
    }
    options.logger.error({ err: error, path: formatted.path }, 'unexpected error while answering a GraphQL request');
    return {
      message: options.production
        ? 'The hub could not complete this request. If it keeps happening, give the operator the request id from the response header x-request-id.'
        : formatted.message,
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}
