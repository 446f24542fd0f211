import express, { type Response, type Router } from 'express';
import type { Logger } from '../../platform/logger';
import { NO_FAULTS, parseFaults, type FaultSettings } from './faults';
import type { BaseSimulatorStats, StatsCounter } from './stats';

export interface AdminRouterOptions {
  faults: FaultSettings;
  stats: StatsCounter<BaseSimulatorStats>;
  logger: Logger;
  /** Answers a request the admin routes refuse (400), in the simulator's own error format. */
  rejectInvalid(res: Response, detail: string): void;
}

/**
 * The `/_sim` routes all simulators share: GET/PUT/PATCH `/faults`, GET `/stats`, POST `/stats/reset`.
 * Add the simulator's own admin routes (such as `/sample`) to the router returned.
 */
export function createAdminRouter(options: AdminRouterOptions): Router {
  const { faults, stats, logger, rejectInvalid } = options;
  const admin = express.Router();
  admin.use(express.json({ limit: '10kb' }));
  admin.get('/faults', (_req, res) => {
    res.json(faults.current);
  });
  // PUT replaces the whole set (missing fields reset); PATCH changes only the fields given.
  for (const method of ['put', 'patch'] as const) {
    admin[method]('/faults', (req, res) => {
      const next = parseFaults(req.body ?? {}, method === 'put' ? NO_FAULTS : faults.current);
      if (typeof next === 'string') {
        rejectInvalid(res, next);
        return;
      }
      faults.current = next;
      logger.warn({ faults: next }, 'faults changed');
      res.json(next);
    });
  }
  admin.get('/stats', (_req, res) => {
    res.json(stats.current);
  });
  admin.post('/stats/reset', (_req, res) => {
    res.json(stats.reset());
  });
  return admin;
}

/** The `count` query parameter of `/_sim/sample` (10 when absent), or why it is not acceptable. */
export function parseSampleCount(raw: unknown, max: number): number | string {
  const count = raw === undefined ? 10 : Number(raw);
  if (!Number.isInteger(count) || count < 1 || count > max) return `count must be an integer from 1 to ${max}.`;
  return count;
}
