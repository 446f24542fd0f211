import type { NextFunction, Request, Response } from 'express';
import { isHubError, type ErrorCode, type HubError } from '../domain/errors';

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

/** The HTTP status of each hub error code on the REST routes. */
const STATUS: Partial<Record<ErrorCode, number>> = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  CONSENT_REQUIRED: 403,
  NOT_FOUND: 404,
  INVALID_TRANSITION: 409,
  CONFLICT: 409,
  UPSTREAM_UNAVAILABLE: 503,
};

/** Wraps a REST handler: hub errors are answered in the GraphQL error shape with their status; others go on. */
export const handleHubErrors =
  (work: (req: Request, res: Response) => Promise<void>) => async (req: Request, res: Response, next: NextFunction) => {
    try {
      await work(req, res);
    } catch (error) {
      if (!isHubError(error)) return next(error);
      const hubError = error as HubError;
      sendError(res, STATUS[hubError.code] ?? 500, hubError);
    }
  };

/** A file for this caller only (a document, a signature, a form): never cached by anyone on the way. */
export function sendPrivateFile(res: Response, file: { type: string; disposition?: string; body: Buffer | string }): void {
  res.setHeader('Content-Type', file.type);
  if (file.disposition) res.setHeader('Content-Disposition', file.disposition);
  res.setHeader('Cache-Control', 'private, no-store');
  res.send(file.body);
}
