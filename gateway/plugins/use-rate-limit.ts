import type { NextFunction, Request, Response } from 'express';
import { LRUCache } from 'lru-cache';
import { systemClock, type Clock } from '../../domain/clock';
import { RateLimitedError } from '../../domain/errors';
import { sendError } from '../http-errors';

export interface RateLimitOptions {
  /** Requests per minute for an API client. */
  clientPerMinute: number;
  /** Requests per minute for an address without a token, and attempts with credentials per address. */
  publicPerMinute: number;
}

interface Bucket {
  tokens: number;
  updated: number;
}

/** Buckets kept at most: keys include callers' addresses, so the table is bounded. */
const MAX_TRACKED_KEYS = 100_000;

declare module 'express-serve-static-core' {
  interface Request {
    /** The address bucket this request was already charged to before authentication. */
    rateLimitedBy?: { key: string; perMinute: number; credentials: boolean };
  }
}

/**
 * Token buckets per client (or per address for the public): a burst up to a minute's allowance,
 * refilled continuously. Per process: with several replicas each enforces its share. A bucket left
 * alone for two minutes is full again and is forgotten; at most `maxKeys` are held (the least recently
 * used go first, and start full when they come back).
 */
export class RateLimiter {
  private readonly buckets: LRUCache<string, Bucket>;

  private readonly clock: Clock;

  constructor(options: { maxKeys?: number; clock?: Clock } = {}) {
    const clock = (this.clock = options.clock ?? systemClock);
    // Counted through maxSize: `max` would allocate every slot up front (a few MB a quiet desk never fills).
    this.buckets = new LRUCache<string, Bucket>({
      maxSize: options.maxKeys ?? MAX_TRACKED_KEYS,
      sizeCalculation: () => 1,
      ttl: 120_000,
      // Buckets refill and expire by the hub's clock.
      perf: { now: () => clock.now().getTime() },
      ttlResolution: 0,
    });
  }

  /** Buckets held now (for tests and operators). */
  get trackedKeys(): number {
    return this.buckets.size;
  }

  /** Takes one request from `key`'s bucket; returns 0 when allowed, else seconds to wait. */
  take(key: string, perMinute: number, now = this.clock.now().getTime()): number {
    const ratePerMs = perMinute / 60_000;
    const bucket = this.buckets.get(key) ?? { tokens: perMinute, updated: now };
    // A clock set back refills nothing (and takes nothing back).
    bucket.tokens = Math.min(perMinute, bucket.tokens + Math.max(0, now - bucket.updated) * ratePerMs);
    bucket.updated = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / ratePerMs / 1000));
  }

  /** Gives back one request taken from `key` (it turned out to be charged elsewhere). */
  refund(key: string, perMinute: number): void {
    const bucket = this.buckets.get(key);
    if (bucket) bucket.tokens = Math.min(perMinute, bucket.tokens + 1);
  }
}

function refuse(res: Response, limit: number, wait: number): void {
  sendError(
    res,
    429,
    new RateLimitedError(`Too many requests: the limit is ${limit} per minute. Try again in ${wait} s.`, {
      reason: 'RATE_LIMIT.EXCEEDED',
      details: { retryAfterSeconds: wait },
    }),
    { 'Retry-After': String(wait) },
  );
}

/**
 * Before authentication, so a stranger's flood costs no signature check and no database look-up:
 * a request without credentials is charged to its address's public allowance; one with credentials
 * to its address's allowance of attempts, given back when authentication succeeds (useRateLimit then
 * charges the client). Failed attempts thus use up the address's allowance; valid clients do not.
 */
export function useAddressLimit(limiter: RateLimiter, options: RateLimitOptions, scope = 'api') {
  return (req: Request, res: Response, next: NextFunction): void => {
    const credentials = Boolean(req.header('authorization'));
    const key = `${scope}:${credentials ? 'credentials' : 'ip'}:${req.ip}`;
    const wait = limiter.take(key, options.publicPerMinute);
    if (wait !== 0) return refuse(res, options.publicPerMinute, wait);
    req.rateLimitedBy = { key, perMinute: options.publicPerMinute, credentials };
    next();
  };
}

/** After authentication: a client is charged to its own allowance, the public to its address's. */
export function useRateLimit(limiter: RateLimiter, options: RateLimitOptions, scope = 'api') {
  return (req: Request, res: Response, next: NextFunction): void => {
    const principal = req.principal;
    const charged = req.rateLimitedBy;
    if (principal && principal.kind !== 'PUBLIC') {
      if (charged?.credentials) limiter.refund(charged.key, charged.perMinute);
      const wait = limiter.take(`${scope}:client:${principal.clientId}`, options.clientPerMinute);
      return wait === 0 ? next() : refuse(res, options.clientPerMinute, wait);
    }
    if (charged) return next();
    const wait = limiter.take(`${scope}:ip:${req.ip}`, options.publicPerMinute);
    return wait === 0 ? next() : refuse(res, options.publicPerMinute, wait);
  };
}
