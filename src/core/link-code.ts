/**
 * The one-time codes that link a member's accounts on two platforms (`link` gives one, `link CODE` uses it on the
 * other side): eight characters from an alphabet without the look-alikes 0/O and 1/I, shown as `ABCD-EFGH`, valid
 * for 10 minutes. The random bytes come from the caller (the repository uses the operating system's CSPRNG), so this
 * stays pure.
 *
 * Hand-written rather than taken from a library (nanoid's `customAlphabet` would do): with 32 symbols each random
 * byte's low five bits pick one uniformly (256 is a multiple of 32), so the whole generator is one line.
 */

/** 32 symbols: digits and capitals without 0, O, 1 and I. */
export const linkCodeAlphabet = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
/** 8 symbols: 40 bits, far beyond guessing within a code's 10 minutes. */
export const linkCodeLength = 8;
/** How long a code can be used. */
export const linkCodeTtlMs = 10 * 60_000;

/** A code from `linkCodeLength` random bytes (more are ignored). */
export function linkCodeFromBytes(bytes: Uint8Array): string {
  if (bytes.length < linkCodeLength) throw new RangeError(`a link code needs ${linkCodeLength} random bytes`);
  let code = '';
  for (let i = 0; i < linkCodeLength; i++) code += linkCodeAlphabet[(bytes[i] as number) & 31];
  return code;
}

/**
 * The code as stored from what a member typed: case, spaces and hyphens ignored (`abcd-efgh`, `ABCD EFGH`). Null
 * when it cannot be a code (wrong length or a symbol outside the alphabet): the caller says "wrong code" without a
 * look-up.
 */
export function normalizeLinkCode(typed: string): string | null {
  const code = typed.replace(/[\s-]+/g, '').toUpperCase();
  if (code.length !== linkCodeLength) return null;
  for (const char of code) if (!linkCodeAlphabet.includes(char)) return null;
  return code;
}

/** `ABCD-EFGH`: two groups of four, easy to read out and type. */
export function formatLinkCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/**
 * Guessing is slowed per platform account: at most `linkCodeMaxFailures` wrong codes (unknown or expired) within any
 * `linkCodeFailureWindowMs`; the next try waits until the oldest of them leaves the window. So an account tries at
 * most 30 wrong codes an hour, against a space of 2^40 codes: one live code is hit with a chance of about 3×10⁻¹¹
 * an hour. The attempts are stored in the database (LinkFailure), so the limit holds across replicas.
 */
export const linkCodeMaxFailures = 5;
export const linkCodeFailureWindowMs = 10 * 60_000;

export type LinkLock =
  | {
      readonly locked: false /** Wrong codes still allowed in the window after this one, if it is wrong. */;
      readonly left: number;
    }
  | { readonly locked: true /** When the next try is allowed. */; readonly until: Date };

/**
 * Whether an account may try a code now, given the instants of its earlier attempts still in the window (wrong codes,
 * and tries in flight on other replicas): locked once `linkCodeMaxFailures` of them are there.
 */
export function linkLock(earlier: readonly Date[], now: Date): LinkLock {
  const inWindow = earlier
    .map((at) => at.getTime())
    .filter((at) => at > now.getTime() - linkCodeFailureWindowMs && at <= now.getTime())
    .sort((a, b) => a - b);
  if (inWindow.length < linkCodeMaxFailures) return { locked: false, left: linkCodeMaxFailures - inWindow.length - 1 };
  const freed = inWindow[inWindow.length - linkCodeMaxFailures] as number;
  return { locked: true, until: new Date(freed + linkCodeFailureWindowMs) };
}
