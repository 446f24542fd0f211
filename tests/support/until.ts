/**
 * Waits until `condition` holds, asking again every `intervalMs`, and fails naming `what` after
 * `timeoutMs`. For an asynchronous event (a request arrived, a message was relayed), never for time
 * to pass: a test that needs time to pass sets the clock (domain/clock.ts, FixedClock).
 */
export async function until(
  condition: () => boolean | Promise<boolean>,
  what: string,
  { timeoutMs = 30_000, intervalMs = 50 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting after ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
