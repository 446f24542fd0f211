import type { Response } from 'express';
import type { HubError } from '../domain/errors';

/**
 * Errors answered before GraphQL runs (authentication, rate limits, body limits) use the same
 * shape as GraphQL errors, so clients handle one format.
 */
export function sendError(res: Response, status: number, error: HubError, headers: Record<string, string> = {}): void {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.status(status).json({
    errors: [
      {
        message: error.message,
        extensions: {
          code: error.code,
          ...(error.reason ? { reason: error.reason } : {}),
          ...(error.details ? { details: error.details } : {}),
        },
      },
    ],
  });
}
