import { GraphQLScalarType, Kind } from 'graphql';
import { InvalidInputError } from '../../domain/errors';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function parse(value: unknown): string {
  if (
    typeof value !== 'string' ||
    !DATE.test(value) ||
    Number.isNaN(Date.parse(`${value}T00:00:00Z`)) ||
    new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value
  ) {
    throw new InvalidInputError(`A date is written YYYY-MM-DD, e.g. 2026-11-23; got ${JSON.stringify(value)?.slice(0, 30)}.`, {
      reason: 'INPUT.INVALID_DATE',
    });
  }
  return value;
}

/**
 * A calendar date, `YYYY-MM-DD` (Vietnam's calendar when it bounds a period). The same scalar the
 * registries' descriptions use (`format: date`), so the one graph has one `Date`.
 */
export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  description: 'Represents date values',
  serialize: (value) => (value instanceof Date ? value.toISOString().slice(0, 10) : parse(value)),
  parseValue: parse,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING)
      throw new InvalidInputError('A date is written as a string YYYY-MM-DD.', { reason: 'INPUT.INVALID_DATE' });
    return parse(ast.value);
  },
});
