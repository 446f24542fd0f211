import { systemClock, type Clock } from '../../domain/clock';
import type { FaultKind } from './faults';

/** Counters every simulator keeps besides its own. */
export interface BaseSimulatorStats {
  /** Calls answered with an injected fault instead of normally. */
  faultsInjected: Record<FaultKind, number>;
  /** When counting started (start-up or last reset). */
  since: string;
}

/** Fresh fault counters and start time, to spread into a simulator's own empty stats. */
export function baseStats(clock: Clock = systemClock): BaseSimulatorStats {
  return {
    faultsInjected: { outage: 0, error: 0, timeout: 0, malformed: 0 },
    since: clock.now().toISOString(),
  };
}

/** Call counters that `/_sim/stats/reset` replaces; read `current` at the time of counting. */
export class StatsCounter<S extends BaseSimulatorStats> {
  current: S;

  constructor(private readonly empty: () => S) {
    this.current = empty();
  }

  reset(): S {
    this.current = this.empty();
    return this.current;
  }
}
