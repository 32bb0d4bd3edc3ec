export interface WaitOptions {
  /** Deadline; only a failing wait takes this long. */
  timeoutMs?: number;
  /** Pause between two probes. */
  intervalMs?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_INTERVAL_MS = 50;

/**
 * Polls `probe` until it returns something other than `undefined` or `false`, and returns that; fails
 * naming `what` once `timeoutMs` has passed. Tests wait for the state they need, never for a guessed
 * number of milliseconds.
 */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  { timeoutMs = DEFAULT_TIMEOUT_MS, intervalMs = DEFAULT_INTERVAL_MS }: WaitOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
