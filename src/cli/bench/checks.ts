/**
 * A bench's own checks: each run states what must be true of it (every answer stored once and counted once, every
 * drop posted, every click answered). A check that fails is printed as FAILED in its row and in a section of its own,
 * and `npm run bench` exits non-zero, so a figure measured on the wrong path (a closed quiz, lost clicks) is never
 * recorded as if it were one.
 */
export class BenchChecks {
  readonly #failed: string[] = [];

  /** Records one check; returns the cell to print in the row: `ok`, or `**FAILED**: what was wrong`. */
  check(what: string, ok: boolean, detail: string): string {
    if (ok) return 'ok';
    this.#failed.push(`${what}: ${detail}`);
    return `**FAILED**: ${detail}`;
  }

  get failed(): readonly string[] {
    return this.#failed;
  }
}
