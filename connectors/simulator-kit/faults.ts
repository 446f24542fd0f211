import type { Response } from 'express';

/** Faults a simulator can be told to inject, through `/_sim/faults` or at start-up. */
export interface SimulatorFaults {
  /** Delay before every simulated answer (faulted or not), in milliseconds. */
  latencyMs: number;
  /** Share of calls answered as temporarily unavailable, 0–1. */
  errorRate: number;
  /** Every call answered as unavailable. */
  outage: boolean;
  /** Calls are never answered; the client has to give up. */
  timeout: boolean;
  /** Calls answered 200 with a body the client cannot parse. */
  malformed: boolean;
}

export const NO_FAULTS: Readonly<SimulatorFaults> = Object.freeze({
  latencyMs: 0,
  errorRate: 0,
  outage: false,
  timeout: false,
  malformed: false,
});

export const MAX_LATENCY_MS = 600_000;

/** What hit a call instead of a normal answer. */
export type FaultKind = 'outage' | 'error' | 'timeout' | 'malformed';

/** The faults in `body` applied over `base`, or why the body is not acceptable. */
export function parseFaults(body: unknown, base: Readonly<SimulatorFaults>): SimulatorFaults | string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'The body must be a JSON object.';
  const next = { ...base };
  for (const [key, value] of Object.entries(body)) {
    switch (key) {
      case 'latencyMs':
        if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > MAX_LATENCY_MS) {
          return `latencyMs must be an integer from 0 to ${MAX_LATENCY_MS}.`;
        }
        next.latencyMs = value as number;
        break;
      case 'errorRate':
        if (typeof value !== 'number' || !(value >= 0 && value <= 1)) return 'errorRate must be a number from 0 to 1.';
        next.errorRate = value;
        break;
      case 'outage':
      case 'timeout':
      case 'malformed':
        if (typeof value !== 'boolean') return `${key} must be true or false.`;
        next[key] = value;
        break;
      default:
        return `Unknown fault "${key}"; expected latencyMs, errorRate, outage, timeout, malformed.`;
    }
  }
  return next;
}

/** Waits at least `ms` (timers may fire a little early); unref'd so it never holds the process open. */
export function sleepAtLeast(ms: number): Promise<void> {
  const until = performance.now() + ms;
  return new Promise((done) => {
    const check = () => {
      const left = until - performance.now();
      if (left <= 0) done();
      else setTimeout(check, Math.ceil(left)).unref();
    };
    check();
  });
}

/** The faults currently in force; start-up faults that do not parse are a RangeError. */
export class FaultSettings {
  current: SimulatorFaults;

  constructor(initial: Partial<SimulatorFaults> = {}) {
    const parsed = parseFaults(initial, NO_FAULTS);
    if (typeof parsed === 'string') throw new RangeError(parsed);
    this.current = parsed;
  }
}

/** How a protocol answers an injected fault; `Retry-After` is already set on outage and error. */
export interface FaultRenderer {
  outage(res: Response): void;
  error(res: Response): void;
  malformed(res: Response): void;
}

export interface FaultInjectorOptions {
  settings: FaultSettings;
  /** Randomness for `errorRate`. */
  random: () => number;
  renderer: FaultRenderer;
  /** Called when a fault hits a call (to count it, note it); `res.locals.fault` is set before. */
  onInject(res: Response, kind: FaultKind): void;
}

/**
 * Applies the faults in force when the call arrived: a timeout holds the call forever, otherwise
 * after the latency the call is answered with a fault or handed to `proceed`.
 */
export function createFaultInjector(options: FaultInjectorOptions): (res: Response, proceed: () => void) => void {
  const { settings, random, renderer, onInject } = options;
  return (res, proceed) => {
    const active = settings.current;
    const inject = (kind: FaultKind): void => {
      res.locals.fault = kind;
      onInject(res, kind);
    };
    if (active.timeout) {
      inject('timeout');
      return; // never answered; the socket is destroyed when the client gives up or on close()
    }
    void sleepAtLeast(active.latencyMs).then(() => {
      if (active.outage) {
        inject('outage');
        res.setHeader('Retry-After', '30');
        renderer.outage(res);
      } else if (active.errorRate > 0 && random() < active.errorRate) {
        inject('error');
        res.setHeader('Retry-After', '1');
        renderer.error(res);
      } else if (active.malformed) {
        inject('malformed');
        renderer.malformed(res);
      } else {
        proceed();
      }
    });
  };
}
