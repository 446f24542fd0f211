import { DriverException } from '@mikro-orm/core';
import type { NextFunction, Request, Response } from 'express';
import { ConfigurationError, ERROR_CODES, RateLimitedError } from '../domain/errors';
import { createLogger } from '../platform/logger';
import { answerErrors, HTTP_STATUS, sendError } from './http-errors';

/** Just enough of express's response to see what was answered. */
function fakeExchange(url: string) {
  const headers: Record<string, string> = {};
  const answer: { status?: number; type?: string; body?: string } = {};
  const req = { originalUrl: url, requestId: 'req-1' } as unknown as Request;
  const res = {
    req,
    headersSent: false,
    setHeader: (name: string, value: string) => void (headers[name.toLowerCase()] = value),
    status(code: number) {
      answer.status = code;
      return this;
    },
    type(value: string) {
      answer.type = value;
      return this;
    },
    send(body: string) {
      answer.body = body;
      return this;
    },
    json(body: unknown) {
      answer.type = 'application/json';
      answer.body = JSON.stringify(body);
      return this;
    },
  } as unknown as Response;
  return { req, res, headers, answer, body: () => JSON.parse(answer.body ?? 'null') as Record<string, unknown> };
}

const bodyParserError = (type: string, status: number, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(type), { type, status, statusCode: status, expose: true, ...extra });

describe('the HTTP error layer', () => {
  it('gives every error code a status', () => {
    expect(Object.keys(HTTP_STATUS).sort()).toEqual([...ERROR_CODES].sort());
  });

  it.each<[string, number, string, string, unknown]>([
    ['a body over the limit', 413, 'BAD_USER_INPUT', 'REQUEST.TOO_LARGE', bodyParserError('entity.too.large', 413, { limit: 16_384 })],
    ['malformed JSON', 400, 'BAD_USER_INPUT', 'REQUEST.MALFORMED_JSON', bodyParserError('entity.parse.failed', 400)],
    ['an unknown content encoding', 415, 'BAD_USER_INPUT', 'REQUEST.UNSUPPORTED_ENCODING', bodyParserError('encoding.unsupported', 415)],
    ['an unsupported charset', 415, 'BAD_USER_INPUT', 'REQUEST.UNSUPPORTED_CHARSET', bodyParserError('charset.unsupported', 415)],
    ['too many form fields', 413, 'BAD_USER_INPUT', 'REQUEST.TOO_MANY_PARAMETERS', bodyParserError('parameters.too.many', 413)],
    [
      'a broken %-escape in the path',
      400,
      'BAD_USER_INPUT',
      'REQUEST.MALFORMED',
      Object.assign(new URIError("Failed to decode param '%E0%A4%A'"), { status: 400 }),
    ],
    [
      'the database refusing connections',
      503,
      'STORE_UNAVAILABLE',
      'STORE.UNAVAILABLE',
      new DriverException(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })),
    ],
    [
      'a start-up error that escaped',
      500,
      'INTERNAL_SERVER_ERROR',
      'INTERNAL.UNEXPECTED',
      new ConfigurationError('DATABASE_URL is wrong: postgresql://admin:pw@db'),
    ],
    ['a bug', 500, 'INTERNAL_SERVER_ERROR', 'INTERNAL.UNEXPECTED', new TypeError("Cannot read properties of undefined (reading 'code')")],
  ])('answers %s as problem details: %i %s (%s)', (_label, status, code, reason, error) => {
    const exchange = fakeExchange('/documents/verify');
    answerErrors(createLogger({ level: 'silent' }))(error, exchange.req, exchange.res, (() => undefined) as NextFunction);
    expect(exchange.answer.status).toBe(status);
    expect(exchange.answer.type).toBe('application/problem+json');
    const body = exchange.body();
    expect(body).toMatchObject({ type: 'about:blank', status, code, reason, requestId: 'req-1' });
    expect(body.errors).toEqual([{ message: body.detail, extensions: expect.objectContaining({ code, reason }) }]);
    // Nothing of the original failure's own words.
    expect(exchange.answer.body).not.toMatch(/ECONNREFUSED|5432|postgresql:|Cannot read|%E0/);
  });

  it('a retryable error carries Retry-After; on /graphql the answer keeps the GraphQL shape', () => {
    const exchange = fakeExchange('/graphql?query=x');
    sendError(
      exchange.res,
      429,
      new RateLimitedError('Too many requests.', { reason: 'RATE_LIMIT.EXCEEDED', details: { retryAfterSeconds: 7 } }),
    );
    expect(exchange.headers['retry-after']).toBe('7');
    expect(exchange.answer.type).toBe('application/json');
    expect(exchange.body()).toEqual({
      errors: [
        {
          message: 'Too many requests.',
          extensions: { code: 'RATE_LIMITED', reason: 'RATE_LIMIT.EXCEEDED', details: { retryAfterSeconds: 7 } },
        },
      ],
    });
  });
});
