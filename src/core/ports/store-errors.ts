/**
 * The database did not answer after the store retried with backoff (busy, unreachable, a write conflict that kept
 * coming back). Nothing was recorded; the runtime tells the member to try again and logs the cause.
 */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';

  constructor(
    readonly operation: string,
    override readonly cause: unknown,
    /** Why, as far as the store could tell: out of disk space, a read-only file, or not answering at all. */
    readonly reason: StoreUnavailableReason = 'unreachable',
  ) {
    super(`The database did not answer (${operation})`);
  }
}

export type StoreUnavailableReason = 'full' | 'readonly' | 'unreachable';

/**
 * The platform account's member deleted their data (`meus-dados apagar`) and this request may not bring it back: a
 * click (a replayed or double-clicked confirm, any button from before) never makes a new member; a typed command does
 * (docs/security.md, "Deletion"). Nothing was recorded.
 */
export class MemberDeletedError extends Error {
  override readonly name = 'MemberDeletedError';

  constructor() {
    super('The member deleted their data; a click does not create a new one');
  }
}
