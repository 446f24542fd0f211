import type { ApolloServerPlugin } from '@apollo/server';

/**
 * GraphQL over HTTP: a client that accepts only `application/json` (the legacy media type) should
 * get 200 for request errors (parse, validation, variable coercion), with the errors in the body;
 * one that accepts `application/graphql-response+json` gets the 4xx status Apollo sets.
 */
export function legacyJsonStatusPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart({ request }) {
      const accept = request.http?.headers.get('accept') ?? '';
      const legacy =
        !accept.includes('application/graphql-response+json') &&
        (accept.includes('application/json') || accept === '' || accept.includes('*/*'));
      return {
        async willSendResponse({ response, errors }) {
          if (!legacy || !errors?.length || response.http.status !== 400) return;
          const requestErrors = errors.every((error) =>
            ['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'QUERY_TOO_COMPLEX'].includes(
              String(error.extensions?.code),
            ),
          );
          if (requestErrors) response.http.status = 200;
        },
      };
    },
  };
}
