import { DriverException } from '@mikro-orm/core';
import { GraphQLError } from 'graphql';
import { InvalidInputError, storeUnavailable } from '../domain/errors';
import { createLogger } from '../platform/logger';
import { createErrorFormatter } from './error-mapping';

const logger = createLogger({ level: 'silent' });
const modes = [
  ['production', createErrorFormatter({ production: true, logger })],
  ['development and test', createErrorFormatter({ production: false, logger })],
] as const;

/** How Apollo hands an error to the formatter: its JSON form, and the error itself. */
function format(formatter: ReturnType<typeof createErrorFormatter>, error: GraphQLError) {
  return formatter({ message: error.message, ...(error.path ? { path: error.path } : {}), extensions: { ...error.extensions } }, error);
}

function driverError(message: string, code: string): DriverException {
  return new DriverException(Object.assign(new Error(message), { code, severity: 'FATAL', routine: 'ProcessInterrupts' }));
}

describe.each(modes)('the GraphQL error formatter (%s)', (_mode, formatter) => {
  it('a database outage is a retryable answer, not a leak: STORE_UNAVAILABLE without the driver text', () => {
    for (const cause of [
      driverError('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'),
      driverError('the database system is shutting down', '57P03'),
      driverError(
        'insert into "dossier_register_sequence" ("agency_code", "day") values ($1, $2) - terminating connection due to administrator command',
        '57P01',
      ),
    ]) {
      const formatted = format(formatter, new GraphQLError(cause.message, { path: ['receiveDossier'], originalError: cause }));
      expect(formatted.extensions).toEqual({ code: 'STORE_UNAVAILABLE', reason: 'STORE.UNAVAILABLE', details: { retryAfterSeconds: 5 } });
      expect(formatted.message).toBe(storeUnavailable().message);
      expect(JSON.stringify(formatted)).not.toMatch(/ECONNREFUSED|5432|database system|insert into|dossier_register_sequence|terminating/);
    }
  });

  it('any other driver error is INTERNAL_SERVER_ERROR whose message never quotes SQL', () => {
    const cause = driverError('select "d".* from "dossier" as "d" where "d"."code" = $1 - column "cod" does not exist', '42703');
    const formatted = format(formatter, new GraphQLError(cause.message, { originalError: cause }));
    expect(formatted.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
    expect(formatted.message).not.toMatch(/select|dossier|column/);
  });

  it.each([
    [
      'a scalar refusing a variable keeps the variable and the value, without graphql-js wording',
      new GraphQLError(
        'Variable "$to" got invalid value "2026-02-30"; Expected type "Date". A date is written YYYY-MM-DD, e.g. 2026-11-23; got "2026-02-30".',
        {
          originalError: new InvalidInputError('A date is written YYYY-MM-DD, e.g. 2026-11-23; got "2026-02-30".', {
            reason: 'INPUT.INVALID_DATE',
          }),
        },
      ),
      'Variable "$to" got invalid value "2026-02-30"; A date is written YYYY-MM-DD, e.g. 2026-11-23; got "2026-02-30".',
      { code: 'BAD_USER_INPUT', reason: 'INPUT.INVALID_DATE' },
    ],
    [
      'a variable the one graph renamed is named as the argument the caller wrote',
      new GraphQLError('Variable "$_statistics_to" got invalid value "x"; Expected type "Date". A date is written YYYY-MM-DD.'),
      'Argument "to" of "statistics" got invalid value "x"; A date is written YYYY-MM-DD.',
      { code: 'BAD_USER_INPUT' },
    ],
    [
      'null for a non-null argument (a nullable variable with a default, given null)',
      new GraphQLError('Argument "to" of non-null type "Date!" must not be null.', { path: ['statistics'] }),
      'Argument "to" of non-null type "Date!" must not be null.',
      { code: 'BAD_USER_INPUT' },
    ],
    [
      'a required variable never given',
      new GraphQLError('Argument "from" of required type "Date!" was provided the variable "$f" which was not provided a runtime value.'),
      'Argument "from" of required type "Date!" was provided the variable "$f" which was not provided a runtime value.',
      { code: 'BAD_USER_INPUT' },
    ],
  ])('%s: BAD_USER_INPUT', (_label, error, message, extensions) => {
    const formatted = format(formatter, error);
    expect(formatted.message).toBe(message);
    expect(formatted.extensions).toEqual(extensions);
  });
});

describe('unexpected errors', () => {
  it('show their message outside production only, never a stack trace', () => {
    const error = new GraphQLError('Cannot read properties of undefined', {
      originalError: new Error('Cannot read properties of undefined'),
    });
    const [production, development] = modes.map(([, formatter]) => format(formatter, error));
    expect(production!.message).toMatch(/x-request-id/);
    expect(development!.message).toBe('Cannot read properties of undefined');
    for (const formatted of [production!, development!]) expect(formatted.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
  });
});
