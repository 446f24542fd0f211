import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { MiddlewareFn } from 'type-graphql';
import { ERROR_CODES, HubError, InvalidInputError, isHubError, type ErrorCode } from '../domain/errors';
import type { Logger } from '../platform/logger';
import { isDriverError, translateStoreError } from '../store/store-errors';

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
export const INTERNAL_ONLY: ReadonlySet<ErrorCode> = new Set(['CONFIGURATION_INVALID', 'SERVICE_UNREACHABLE', 'INTERNAL_SERVER_ERROR']);

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

/**
 * Inside the dossier schema: hub errors (and store failures, as the hub errors they mean) become
 * GraphQL errors with their code before stitching sees them.
 */
export const TranslateHubErrors: MiddlewareFn = async (_action, next) => {
  try {
    return await next();
  } catch (error) {
    const translated = translateStoreError(error);
    if (isHubError(translated)) throw toGraphQLError(translated);
    throw error;
  }
};

function findHubError(error: unknown): HubError | undefined {
  let current: unknown = error;
  for (let depth = 0; current && depth < 8; depth += 1) {
    if (isHubError(current)) return current;
    current = (current as { originalError?: unknown; cause?: unknown }).originalError ?? (current as { cause?: unknown }).cause;
  }
  // A store failure that reached the gateway untranslated (a read outside a unit of work, a plugin).
  const translated = translateStoreError(error);
  return isHubError(translated) ? translated : undefined;
}

/**
 * graphql-js refuses a bad argument or variable with a plain GraphQLError (no code): a value of the
 * wrong type, null for a non-null type, a variable that was never given. All are the caller's input.
 */
const COERCION_MESSAGE =
  /^(Variable "\$[^"]+" (got invalid value|of (required|non-null) type)|Argument "[^"]+" (has invalid value|of (required|non-null) type))/;

/**
 * A variable the one graph made up when it delegated a field (`$_statistics_to` for the argument
 * `to` of `statistics`): the caller never wrote it, so the message names the argument instead.
 */
function clientWording(message: string): string {
  return message
    .replace(/^Variable "\$_([A-Za-z0-9]+)_([A-Za-z0-9]+)"/, 'Argument "$2" of "$1"')
    .replace(/; Expected type "[^"]+"\. /, '; ');
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
    const extensions = { ...(formatted.extensions ?? {}) } as Record<string, unknown>;
    delete extensions.stacktrace;
    const coercion = COERCION_MESSAGE.test(formatted.message);
    const hubError = findHubError(error) ?? (coercion ? new InvalidInputError(formatted.message) : undefined);
    if (hubError) {
      const translated = toGraphQLError(hubError);
      // The operator needs the driver's own words (the caller never sees them).
      if (hubError.code === 'STORE_UNAVAILABLE')
        options.logger.warn({ err: hubError.cause ?? error, path: formatted.path }, 'store unavailable');
      // A variable's coercion error says which variable and value; the hub's message says what is expected.
      const message = coercion ? clientWording(formatted.message) : hubError.message;
      return { ...formatted, message, extensions: { ...translated.extensions } };
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
      // The driver's text can quote SQL and the server's address: never shown, in any mode.
      message:
        options.production || isDriverError(error)
          ? 'The hub could not complete this request. If it keeps happening, give the operator the request id from the response header x-request-id.'
          : formatted.message,
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}
