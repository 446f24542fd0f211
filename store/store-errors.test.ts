import { ConnectionException, DriverException, UniqueConstraintViolationException } from '@mikro-orm/core';
import { StoreUnavailableError, UpstreamUnavailableError, storeUnavailable } from '../domain/errors';
import { isDriverError, isStoreUnavailable, translateStoreError } from './store-errors';

/** An error as node-postgres or Node's sockets build it: a message and a few own fields. */
function raw(message: string, fields: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), fields);
}

const refused = () => raw('connect ECONNREFUSED 127.0.0.1:5432', { code: 'ECONNREFUSED', address: '127.0.0.1', port: 5432 });
const serverSays = (code: string, message: string) => raw(message, { code, severity: 'FATAL', routine: 'ProcessInterrupts', length: 100 });

describe('store unavailability', () => {
  it.each<[string, unknown, boolean]>([
    ['connection refused (the server is down)', refused(), true],
    ['connection refused, wrapped by MikroORM', new DriverException(refused()), true],
    ['MikroORM connection exception', new ConnectionException(raw('connection failed')), true],
    ['connection reset', raw('read ECONNRESET', { code: 'ECONNRESET' }), true],
    ['admin shutdown 57P01', serverSays('57P01', 'terminating connection due to administrator command'), true],
    ['crash shutdown 57P02', serverSays('57P02', 'terminating connection because of crash of another server process'), true],
    ['cannot connect now 57P03 (shutting down)', serverSays('57P03', 'the database system is shutting down'), true],
    [
      'cannot connect now 57P03 (starting up), with the SQL prefixed by knex',
      new DriverException(serverSays('57P03', 'insert into "dossier_register_sequence" … - the database system is starting up')),
      true,
    ],
    ['connection failure 08006', serverSays('08006', 'connection failure'), true],
    ['too many connections 53300', serverSays('53300', 'sorry, too many clients already'), true],
    ['a connection ended under a query', raw('Connection terminated unexpectedly'), true],
    ['a connection ended while opening', raw('Connection ended unexpectedly'), true],
    [
      'a transaction knex closed when its connection was lost',
      new DriverException(raw('Transaction query already complete, run with DEBUG=knex:tx for more info')),
      true,
    ],
    ['no pooled connection in time', raw('Knex: Timeout acquiring a connection. The pool is probably full.'), true],
    [
      'refused on every address (AggregateError)',
      Object.assign(new AggregateError([refused(), refused()], ''), { code: 'ECONNREFUSED' }),
      true,
    ],
    ['refused, as the cause of another error', new Error('query failed', { cause: refused() }), true],
    ['the typed error itself', storeUnavailable(), true],
    ['a unique violation 23505', new UniqueConstraintViolationException(serverSays('23505', 'duplicate key value')), false],
    ['a syntax error 42601', new DriverException(serverSays('42601', 'syntax error at or near "selec"')), false],
    ['a registry that refused the connection (fetch)', new TypeError('fetch failed', { cause: refused() }), false],
    [
      'the broker refusing the connection',
      Object.assign(raw('Connection error: connect ECONNREFUSED', { code: 'ECONNREFUSED' }), { name: 'KafkaJSConnectionError' }),
      false,
    ],
    ['a registry down, already typed', new UpstreamUnavailableError('registry down', { cause: refused() }), false],
    ['an ordinary bug', new Error('Cannot read properties of undefined'), false],
    ['not an error at all', 'boom', false],
  ])('%s → unavailable: %s', (_label, error, expected) => {
    expect(isStoreUnavailable(error)).toBe(expected);
  });

  it('translates unavailability into STORE_UNAVAILABLE with a retry hint and none of the driver text', () => {
    const driverError = new DriverException(
      serverSays(
        '57P01',
        'insert into "dossier_register_sequence" ("agency_code") values ($1) - terminating connection due to administrator command',
      ),
    );
    const translated = translateStoreError(driverError) as StoreUnavailableError;
    expect(translated).toBeInstanceOf(StoreUnavailableError);
    expect(translated).toMatchObject({ code: 'STORE_UNAVAILABLE', reason: 'STORE.UNAVAILABLE', details: { retryAfterSeconds: 5 } });
    expect(translated.retryAfterSeconds).toBe(5);
    expect(translated.message).not.toMatch(/insert|dossier_register_sequence|terminating|57P01/);
    // The operator still finds the driver's words in the log through the cause.
    expect(translated.cause).toBe(driverError);
  });

  it('translates constraint errors as before and passes unknown errors through', () => {
    expect(translateStoreError(new UniqueConstraintViolationException(serverSays('23505', 'duplicate key')))).toMatchObject({
      code: 'CONFLICT',
    });
    const bug = new Error('bug');
    expect(translateStoreError(bug)).toBe(bug);
  });

  it.each<[string, unknown, boolean]>([
    ['MikroORM driver error', new DriverException(serverSays('42601', 'syntax error')), true],
    ['node-postgres server error', serverSays('42P01', 'relation "dossier" does not exist'), true],
    ['wrapped in a GraphQL-like error', { message: 'x', originalError: new DriverException(raw('select 1')) }, true],
    ['an ordinary error', new Error('bug'), false],
  ])('%s: driver text never shown: %s', (_label, error, expected) => {
    expect(isDriverError(error)).toBe(expected);
  });
});
