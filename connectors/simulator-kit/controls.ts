import type { Response, Router } from 'express';
import type { Logger } from '../../platform/logger';
import { createAdminRouter } from './admin';
import { FaultSettings, createFaultInjector, type FaultKind, type FaultRenderer, type SimulatorFaults } from './faults';
import { StatsCounter, type BaseSimulatorStats } from './stats';

export interface SimulatorControlsOptions<S extends BaseSimulatorStats> {
  /** Faults active from the start; a RangeError when they do not parse. */
  faults: Partial<SimulatorFaults> | undefined;
  emptyStats: () => S;
  /** Randomness for `errorRate`. */
  random: () => number;
  logger: Logger;
  /** How the simulator's protocol answers an injected fault. */
  renderer: FaultRenderer;
  /** Called after an injected fault is counted, for what else the simulator notes about it. */
  onInject?: (res: Response, kind: FaultKind) => void;
  /** Answers an admin request refused (400), in the simulator's own error format. */
  rejectInvalid(res: Response, detail: string): void;
}

export interface SimulatorControls<S extends BaseSimulatorStats> {
  stats: StatsCounter<S>;
  /** Lets the call through to `proceed`, or answers it with the fault in force (counted in `stats`). */
  injectFaults(res: Response, proceed: () => void): void;
  /** The shared `/_sim` routes (faults, stats); mount it after adding the simulator's own. */
  admin: Router;
}

/** Fault settings, call counters and the admin routes over them, wired together for one simulator. */
export function createSimulatorControls<S extends BaseSimulatorStats>(options: SimulatorControlsOptions<S>): SimulatorControls<S> {
  const { random, logger, renderer, onInject, rejectInvalid } = options;
  const faults = new FaultSettings(options.faults);
  const stats = new StatsCounter(options.emptyStats);
  const injectFaults = createFaultInjector({
    settings: faults,
    random,
    renderer,
    onInject: (res, kind) => {
      stats.current.faultsInjected[kind]++;
      onInject?.(res, kind);
    },
  });
  return { stats, injectFaults, admin: createAdminRouter({ faults, stats, logger, rejectInvalid }) };
}
