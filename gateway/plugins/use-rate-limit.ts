import type { NextFunction, Request, Response } from 'express';
import { RateLimitedError } from '../../domain/errors';
import { sendError } from '../http-errors';

export interface RateLimitOptions {
  /** Requests per minute for an API client. */
  clientPerMinute: number;
  /** Requests per minute for an address without a token. */
  publicPerMinute: number;
}

interface Bucket {
  tokens: number;
  updated: number;
}

/**
 * Token buckets per client (or per address for the public): a burst up to a minute's allowance,
 * refilled continuously. Per process: with several replicas each enforces its share.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private lastSweep = Date.now();

  /** Takes one request from `key`'s bucket; returns 0 when allowed, else seconds to wait. */
  take(key: string, perMinute: number, now = Date.now()): number {
    this.sweep(now);
    const ratePerMs = perMinute / 60_000;
    const bucket = this.buckets.get(key) ?? { tokens: perMinute, updated: now };
    bucket.tokens = Math.min(perMinute, bucket.tokens + (now - bucket.updated) * ratePerMs);
    bucket.updated = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / ratePerMs / 1000));
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    for (const [key, bucket] of this.buckets) if (now - bucket.updated > 120_000) this.buckets.delete(key);
  }
}

export function useRateLimit(limiter: RateLimiter, options: RateLimitOptions, scope = 'api') {
  return (req: Request, res: Response, next: NextFunction): void => {
    const principal = req.principal;
    const [key, limit] =
      principal && principal.kind !== 'PUBLIC'
        ? [`${scope}:client:${principal.clientId}`, options.clientPerMinute]
        : [`${scope}:ip:${req.ip}`, options.publicPerMinute];
    const wait = limiter.take(key, limit);
    if (wait === 0) return next();
    sendError(
      res,
      429,
      new RateLimitedError(`Too many requests: the limit is ${limit} per minute. Try again in ${wait} s.`, {
        reason: 'RATE_LIMIT.EXCEEDED',
        details: { retryAfterSeconds: wait },
      }),
      { 'Retry-After': String(wait) },
    );
  };
}
