import type { Router } from 'express';
import express from 'express';

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
  const started = Date.now();
  try {
    await Promise.race([
      check.check(),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs).unref()),
    ]);
    return { name: check.name, kind: check.kind, status: 'up', ms: Date.now() - started };
  } catch (error) {
    return {
      name: check.name,
      kind: check.kind,
      status: 'down',
      ms: Date.now() - started,
      error: error instanceof Error ? error.message : String(error),
    };
  }
}

/**
 * `/healthz`: the process is alive. `/readyz`: every dependency answers; 503 with each one's state
 * otherwise, so an orchestrator stops routing traffic while an operator sees which one is down.
 */
export function healthRoutes(checks: readonly ReadinessCheck[], options: { timeoutMs?: number } = {}): Router {
  const router = express.Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const results = await Promise.all(checks.map((check) => run(check, options.timeoutMs ?? 2000)));
    const ready = results.every((result) => result.status === 'up');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks: results });
  });
  return router;
}
