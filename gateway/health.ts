import { timingSafeEqual, createHash } from 'node:crypto';
import type { NextFunction, Request, Response, Router } from 'express';
import express from 'express';
import { systemClock, type Clock } from '../domain/clock';
import { UnauthenticatedError } from '../domain/errors';
import { sendError } from './http-errors';

/** A dependency the hub needs to serve requests: the store, the event bus, each registry connector. */
export interface ReadinessCheck {
  name: string;
  kind: 'store' | 'event-bus' | 'connector';
  check(): Promise<void>;
}

export interface CheckResult {
  name: string;
  kind: ReadinessCheck['kind'];
  status: 'up' | 'down';
  ms: number;
  error?: string;
}

async function run(check: ReadinessCheck, timeoutMs: number): Promise<CheckResult> {
  // An elapsed duration for operators, not a time of day: the monotonic timer, not the hub's clock.
  const started = performance.now();
  try {
    await Promise.race([
      check.check(),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs).unref()),
    ]);
    return { name: check.name, kind: check.kind, status: 'up', ms: Math.round(performance.now() - started) };
  } catch (error) {
    return {
      name: check.name,
      kind: check.kind,
      status: 'down',
      ms: Math.round(performance.now() - started),
      error: error instanceof Error ? error.message : String(error),
    };
  }
}

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * Whether the request carries the operators' bearer token (OPERATOR_TOKEN): undefined without an
 * Authorization header, else true or false. Compared in constant time.
 */
export function operatorCredential(req: Request, operatorToken: string | undefined): boolean | undefined {
  const header = req.header('authorization');
  if (!header) return undefined;
  const match = /^Bearer (\S+)$/.exec(header.trim());
  return Boolean(operatorToken && match && timingSafeEqual(digest(match[1]!), digest(operatorToken)));
}

function refuseOperator(res: Response): void {
  sendError(
    res,
    401,
    new UnauthenticatedError('This is not the operators’ token (OPERATOR_TOKEN): send "Authorization: Bearer <operator token>".', {
      reason: 'OPERATOR.TOKEN_INVALID',
    }),
    { 'WWW-Authenticate': 'Bearer realm="onestop-hub-operations"' },
  );
}

/** Guards an operators' route: open when no operator token is configured, else only with it. */
export function requireOperator(operatorToken: string | undefined) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!operatorToken || operatorCredential(req, operatorToken) === true) return next();
    refuseOperator(res);
  };
}

export interface HealthOptions {
  /** Time limit of each check. @default 2000 */
  timeoutMs?: number;
  /** The operators' token: only a caller presenting it sees each dependency's state. */
  operatorToken?: string | undefined;
  /** How long one round of checks answers every caller (a flood of /readyz does not probe the registries per request). @default 1000 */
  reuseMs?: number;
  /** The hub's clock: a round of checks ages by it. @default the system clock */
  clock?: Clock;
}

/**
 * `/healthz`: the process is alive. `/readyz`: every dependency answers (200), or not (503), so an
 * orchestrator stops routing traffic. Which dependency is down, and its error (addresses, driver
 * text), is shown only to the operators (`Authorization: Bearer <OPERATOR_TOKEN>`); the public sees
 * `{ status }`. Concurrent and back-to-back calls share one round of checks.
 */
export function healthRoutes(checks: readonly ReadinessCheck[], options: HealthOptions = {}): Router {
  const router = express.Router();
  const reuseMs = options.reuseMs ?? 1000;
  const clock = options.clock ?? systemClock;
  let latest: { at: number; results: Promise<CheckResult[]> } | undefined;
  const results = (): Promise<CheckResult[]> => {
    const now = clock.now().getTime();
    // Read again after reuseMs, or when the clock was set back.
    if (!latest || now - latest.at >= reuseMs || now < latest.at) {
      latest = { at: now, results: Promise.all(checks.map((check) => run(check, options.timeoutMs ?? 2000))) };
    }
    return latest.results;
  };
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (req, res) => {
    const operator = operatorCredential(req, options.operatorToken);
    if (operator === false) return refuseOperator(res);
    const checked = await results();
    const ready = checked.every((result) => result.status === 'up');
    res.setHeader('Cache-Control', 'no-store');
    res
      .status(ready ? 200 : 503)
      .json(operator ? { status: ready ? 'ready' : 'not ready', checks: checked } : { status: ready ? 'ready' : 'not ready' });
  });
  return router;
}
