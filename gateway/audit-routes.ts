import express, { type RequestHandler, type Router } from 'express';
import { InvalidInputError } from '../domain/errors';
import type { AuditCheckpoints } from '../store/audit-checkpoints';
import { sendError } from './http-errors';

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

/**
 * The processing log's signed checkpoints, for anyone: they hold counts, links and times, no
 * personal data, and are worth most when people outside the hub keep copies (a deleted tail then
 * shows against a checkpoint the operator cannot recall). Each `jws` verifies against
 * /.well-known/jwks.json.
 */
export function auditRoutes(checkpoints: AuditCheckpoints, guards: RequestHandler[]): Router {
  const router = express.Router();
  router.get('/audit/checkpoints', ...guards, async (req, res, next) => {
    const raw = req.query.limit;
    const limit = raw === undefined ? DEFAULT_LIMIT : typeof raw === 'string' && /^\d{1,4}$/.test(raw) ? Number(raw) : NaN;
    if (!(limit >= 1 && limit <= MAX_LIMIT)) {
      sendError(
        res,
        400,
        new InvalidInputError(`limit: expected a whole number from 1 to ${MAX_LIMIT}.`, { reason: 'AUDIT.INVALID_LIMIT' }),
      );
      return;
    }
    try {
      res.setHeader('Cache-Control', 'no-cache');
      res.json({ checkpoints: await checkpoints.list(limit), keys: '/.well-known/jwks.json' });
    } catch (error) {
      next(error);
    }
  });
  return router;
}
