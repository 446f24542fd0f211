/** Plumbing shared by the registry and portal simulators; each keeps its own protocol and routes. */
export { createAdminRouter, parseSampleCount, type AdminRouterOptions } from './admin';
export { CliUsageError, integerOption, parseSimulatorArgs, runSimulatorCli, type SimulatorArgs, type SimulatorCli } from './cli';
export {
  clientCertificateName,
  clientCertificateSerial,
  createSimulatorApp,
  listenSimulator,
  requireClientCertificate,
  useFallbackHandlers,
  type ListeningSimulator,
  type RequestFailure,
  type SimulatorTls,
} from './http';
export { createSimulatorControls, type SimulatorControls, type SimulatorControlsOptions } from './controls';
export {
  FaultSettings,
  MAX_LATENCY_MS,
  NO_FAULTS,
  createFaultInjector,
  parseFaults,
  sleepAtLeast,
  type FaultInjectorOptions,
  type FaultKind,
  type FaultRenderer,
  type SimulatorFaults,
} from './faults';
export { StatsCounter, baseStats, type BaseSimulatorStats } from './stats';
