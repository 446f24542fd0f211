/**
 * The `/_sim` admin routes every simulator serves, for tests that use a simulator as a registry.
 * The simulators' own suites call these routes directly, since there the routes are under test.
 */
async function admin(url: string, path: string, init?: RequestInit): Promise<Response> {
  const response = await fetch(`${url}/_sim${path}`, init);
  if (!response.ok) throw new Error(`simulator ${path}: HTTP ${response.status} ${await response.text()}`);
  return response;
}

/** The simulator's counters since start or the last reset. */
export async function simulatorStats<T = { calls: Record<string, number> }>(url: string): Promise<T> {
  return (await (await admin(url, '/stats')).json()) as T;
}

export async function resetSimulatorStats(url: string): Promise<void> {
  await admin(url, '/stats/reset', { method: 'POST' });
}

/** Replaces the active faults (`{}` clears them). */
export async function setSimulatorFaults(url: string, faults: Record<string, unknown>): Promise<void> {
  await admin(url, '/faults', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(faults) });
}
