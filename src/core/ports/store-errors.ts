/**
 * The database did not answer after the store retried with backoff (busy, unreachable, a write conflict that kept
 * coming back). Nothing was recorded; the runtime tells the member to try again and logs the cause.
 */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';

  constructor(
    readonly operation: string,
    override readonly cause: unknown,
  ) {
    super(`The database did not answer (${operation})`);
  }
}
