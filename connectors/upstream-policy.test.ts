import { isHubError } from '../domain/errors';
import { UpstreamPolicy } from './upstream-policy';

/** A fake upstream that holds every call open until released, counting how many are in flight. */
function heldUpstream() {
  let inFlight = 0;
  let peak = 0;
  const waiting: (() => void)[] = [];
  return {
    get peak() {
      return peak;
    },
    get started() {
      return waiting.length;
    },
    call: () =>
      new Promise<string>((resolve) => {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        waiting.push(() => {
          inFlight -= 1;
          resolve('answer');
        });
      }),
    releaseAll() {
      for (const release of waiting.splice(0)) release();
    },
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('UpstreamPolicy concurrency bound', () => {
  it('unbounded registry fan-out: 1,500 parallel look-ups reach the upstream at most maxConcurrent at a time, the rest wait or are refused as UPSTREAM.BUSY', async () => {
    const upstream = heldUpstream();
    const policy = new UpstreamPolicy({ name: 'land registry', timeoutMs: 60_000, maxConcurrent: 4, maxQueued: 10 });
    const calls = Array.from({ length: 1500 }, () =>
      policy
        .execute(() => upstream.call(), { idempotent: true })
        .then(
          (value) => ({ ok: true as const, value }),
          (error: unknown) => ({ ok: false as const, error }),
        ),
    );
    await settle();
    expect(upstream.started).toBe(4);
    expect(policy.load).toEqual({ executing: 4, queued: 10 });
    // Release in rounds until everything admitted has run.
    for (let round = 0; round < 5; round += 1) {
      upstream.releaseAll();
      await settle();
    }
    const outcomes = await Promise.all(calls);
    expect(upstream.peak).toBe(4);
    expect(outcomes.filter((o) => o.ok)).toHaveLength(14);
    const refused = outcomes.filter((o) => !o.ok).map((o) => (o as { error: unknown }).error);
    expect(refused).toHaveLength(1486);
    const first = refused[0];
    expect(isHubError(first) && { code: first.code, reason: first.reason, details: first.details }).toEqual({
      code: 'UPSTREAM_UNAVAILABLE',
      reason: 'UPSTREAM.BUSY',
      details: { retryAfterSeconds: 60 },
    });
    expect((first as Error).message).toMatch(/land registry .* Try again in 60 s\./);
    expect(policy.load).toEqual({ executing: 0, queued: 0 });
  });

  it('does not count refusals for a full queue as upstream failures (the circuit stays closed)', async () => {
    const upstream = heldUpstream();
    const policy = new UpstreamPolicy({
      name: 'population registry',
      timeoutMs: 60_000,
      maxConcurrent: 1,
      maxQueued: 0,
      breakerThreshold: 2,
    });
    const held = policy.execute(() => upstream.call(), { idempotent: false });
    for (let i = 0; i < 5; i += 1) {
      await expect(policy.execute(() => upstream.call(), { idempotent: false })).rejects.toMatchObject({ reason: 'UPSTREAM.BUSY' });
    }
    expect(policy.state).toBe('closed');
    upstream.releaseAll();
    await expect(held).resolves.toBe('answer');
  });
});

describe('UpstreamPolicy circuit breaker', () => {
  it('an open circuit answers a read at once (no retry, no backoff), UPSTREAM.CIRCUIT_OPEN with retryAfterSeconds', async () => {
    const policy = new UpstreamPolicy({
      name: 'national identity provider',
      timeoutMs: 60_000,
      breakerThreshold: 2,
      halfOpenAfterMs: 7_000,
    });
    let calls = 0;
    const failing = () => {
      calls += 1;
      return Promise.reject(new Error('connection refused'));
    };
    // Writes are not retried: two failures open the circuit without waiting for any backoff.
    for (let i = 0; i < 2; i += 1)
      await expect(policy.execute(failing, { idempotent: false })).rejects.toMatchObject({ reason: 'UPSTREAM.FAILED' });
    expect(policy.state).toBe('open');
    let outcome: unknown;
    void policy.execute(failing, { idempotent: true }).catch((error: unknown) => (outcome = error));
    // Settled within the current turn of the event loop: no backoff timer stood between the refusal and the caller.
    await settle();
    expect(calls).toBe(2);
    expect(isHubError(outcome) && { code: outcome.code, reason: outcome.reason, details: outcome.details }).toEqual({
      code: 'UPSTREAM_UNAVAILABLE',
      reason: 'UPSTREAM.CIRCUIT_OPEN',
      details: { retryAfterSeconds: 7 },
    });
    expect((outcome as Error).message).toMatch(/national identity provider .* Try again in 7 s\./);
  });
});
