import {
  bulkhead,
  BulkheadRejectedError,
  circuitBreaker,
  ConsecutiveBreaker,
  ExponentialBackoff,
  handleWhen,
  retry,
  timeout,
  TimeoutStrategy,
  wrap,
  BrokenCircuitError,
  TaskCancelledError,
  CircuitState,
  type IPolicy,
} from 'cockatiel';
import { HubError, UpstreamUnavailableError } from '../domain/errors';

export interface UpstreamPolicyOptions {
  /** The upstream's name in messages and metrics, e.g. "population registry". */
  name: string;
  /** Time limit of one attempt. @default 3000 */
  timeoutMs: number;
  /** Further attempts of a read after a transient failure. @default 2 */
  retries?: number;
  /** Consecutive failures that open the circuit. @default 5 */
  breakerThreshold?: number;
  /** How long an open circuit refuses calls before one trial call. @default 10000 */
  halfOpenAfterMs?: number;
  /** Calls in flight at once (a retry keeps its slot); more wait. @default 16 */
  maxConcurrent?: number;
  /** Calls waiting for a slot; more are refused at once (UPSTREAM.BUSY). @default 200 */
  maxQueued?: number;
}

/** The concurrency bound of every upstream unless configured (UPSTREAM_MAX_CONCURRENT_CALLS, UPSTREAM_MAX_QUEUED_CALLS). */
export const DEFAULT_CONCURRENCY = { maxConcurrent: 16, maxQueued: 200 } as const;

/** Seconds a caller refused for a full queue is told to wait: the queue drains in about a time limit. */
const busyRetryAfterSeconds = (timeoutMs: number) => Math.max(1, Math.ceil(timeoutMs / 1000));

/**
 * Answers that are the caller's problem (not found, invalid) are not the upstream failing; an open
 * circuit is not retried either: its refusal reaches the caller at once.
 */
const isTransient = (error: Error) =>
  !(error instanceof BrokenCircuitError) && (!(error instanceof HubError) || error instanceof UpstreamUnavailableError);

/**
 * How the hub calls one upstream: at most so many calls in flight (a bulkhead with a bounded queue,
 * so one query fanning out to hundreds of look-ups cannot flood a registry), a time limit per attempt,
 * retries with exponential backoff for reads, and a circuit breaker so a registry that is down is not
 * hammered and answers fail fast. Every failure the caller sees is an UPSTREAM_UNAVAILABLE in words
 * an officer understands.
 */
export class UpstreamPolicy {
  private readonly breaker;
  private readonly bulkhead;
  private readonly concurrency: { maxConcurrent: number; maxQueued: number };
  private readonly reads: IPolicy;
  private readonly writes: IPolicy;

  private get halfOpenAfterMs(): number {
    return this.options.halfOpenAfterMs ?? 10_000;
  }

  constructor(private readonly options: UpstreamPolicyOptions) {
    const handled = handleWhen(isTransient);
    this.breaker = circuitBreaker(handled, {
      halfOpenAfter: this.halfOpenAfterMs,
      breaker: new ConsecutiveBreaker(options.breakerThreshold ?? 5),
    });
    const perAttempt = timeout(options.timeoutMs, TimeoutStrategy.Aggressive);
    const retries = retry(handled, {
      maxAttempts: options.retries ?? 2,
      backoff: new ExponentialBackoff({ initialDelay: 100, maxDelay: 1000 }),
    });
    this.concurrency = {
      maxConcurrent: options.maxConcurrent ?? DEFAULT_CONCURRENCY.maxConcurrent,
      maxQueued: options.maxQueued ?? DEFAULT_CONCURRENCY.maxQueued,
    };
    this.bulkhead = bulkhead(this.concurrency.maxConcurrent, this.concurrency.maxQueued);
    // Outermost: a refusal for a full queue is not the upstream failing (no retry, not counted by the breaker).
    this.reads = wrap(this.bulkhead, retries, this.breaker, perAttempt);
    this.writes = wrap(this.bulkhead, this.breaker, perAttempt);
  }

  /** Calls in flight and waiting now: for metrics and tests. */
  get load(): { executing: number; queued: number } {
    return {
      executing: this.concurrency.maxConcurrent - this.bulkhead.executionSlots,
      queued: this.concurrency.maxQueued - this.bulkhead.queueSlots,
    };
  }

  /** closed (calls go through), open (refused at once), half-open (one trial call). */
  get state(): 'closed' | 'open' | 'half-open' {
    const state = this.breaker.state;
    return state === CircuitState.Open || state === CircuitState.Isolated
      ? 'open'
      : state === CircuitState.HalfOpen
        ? 'half-open'
        : 'closed';
  }

  /** Runs a call; `idempotent` reads are retried, writes are not. */
  async execute<T>(call: (signal: AbortSignal) => Promise<T>, { idempotent }: { idempotent: boolean }): Promise<T> {
    try {
      // A signal of its own per call: without one, cockatiel hangs every call's listener on one shared
      // signal (Node then warns of a listener leak past ten concurrent calls).
      return await (idempotent ? this.reads : this.writes).execute(({ signal }) => call(signal), new AbortController().signal);
    } catch (error) {
      if (error instanceof HubError && !(error instanceof UpstreamUnavailableError)) throw error;
      if (error instanceof BulkheadRejectedError) {
        const wait = busyRetryAfterSeconds(this.options.timeoutMs);
        throw new UpstreamUnavailableError(
          `The ${this.options.name} is answering as many calls as the hub sends it at once, and more are waiting. Try again in ${wait} s.`,
          { reason: 'UPSTREAM.BUSY', details: { retryAfterSeconds: wait }, cause: error },
        );
      }
      if (error instanceof BrokenCircuitError) {
        const wait = Math.max(1, Math.ceil(this.halfOpenAfterMs / 1000));
        throw new UpstreamUnavailableError(
          `The ${this.options.name} is not answering; the hub stopped calling it for a few seconds. Try again in ${wait} s.`,
          {
            reason: 'UPSTREAM.CIRCUIT_OPEN',
            // Retryable: by then the hub lets one trial call through.
            details: { retryAfterSeconds: wait },
            cause: error,
          },
        );
      }
      if (error instanceof TaskCancelledError) {
        throw new UpstreamUnavailableError(
          `The ${this.options.name} did not answer within ${this.options.timeoutMs} ms. Try again in a moment.`,
          {
            reason: 'UPSTREAM.TIMEOUT',
            cause: error,
          },
        );
      }
      if (error instanceof UpstreamUnavailableError) throw error;
      throw new UpstreamUnavailableError(`The ${this.options.name} is not available right now. Try again in a moment.`, {
        reason: 'UPSTREAM.FAILED',
        cause: error,
      });
    }
  }

  /**
   * Readiness of the upstream: the circuit is not open and `url` (its health endpoint, its WSDL)
   * answers 2xx within the time limit, outside the retries and the breaker (a probe counts nothing).
   */
  async probe(url: string | URL, fetchFn: typeof fetch = fetch): Promise<void> {
    if (this.state === 'open') throw new Error('circuit open after repeated failures');
    const response = await fetchFn(url, { signal: AbortSignal.timeout(this.options.timeoutMs) });
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`${this.options.name} answered HTTP ${response.status} at ${new URL(url).pathname}`);
  }
}
