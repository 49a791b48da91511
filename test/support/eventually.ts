/**
 * Polls until `check` gives a value (not undefined, null or false), every 5 ms, failing after `timeoutMs`: adapters
 * answer after their acknowledgement and fakes record calls as they land, so tests wait for what they assert.
 */
export async function eventually<T>(check: () => T | undefined | null | false, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
