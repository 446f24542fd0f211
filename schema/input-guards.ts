import type { MiddlewareFn } from 'type-graphql';
import { InvalidInputError } from '../domain/errors';

/** Control characters no identifier or text of the hub contains (PostgreSQL refuses NUL in text outright). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const FORBIDDEN_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

function findForbidden(value: unknown, path: string, depth = 0): string | undefined {
  if (typeof value === 'string') return FORBIDDEN_CHARACTERS.test(value) ? path : undefined;
  if (depth > 5 || value === null || typeof value !== 'object') return undefined;
  for (const [key, item] of Object.entries(value)) {
    const found = findForbidden(item, path ? `${path}.${key}` : key, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** Refuses any argument carrying control characters, before a resolver or the database sees it. */
export const RejectControlCharacters: MiddlewareFn = async ({ args }, next) => {
  const path = findForbidden(args, '');
  if (path)
    throw new InvalidInputError(`"${path}" contains a control character (such as NUL); remove it and try again.`, {
      reason: 'INPUT.CONTROL_CHARACTER',
      details: { field: path },
    });
  return next();
};
